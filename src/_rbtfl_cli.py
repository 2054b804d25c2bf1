"""The ``rbtfl`` command's entry point: a Ctrl-C at any moment ends it with one line.

It lives outside the ``rbtfl_model`` package because importing any module of the package
runs the package's ``__init__`` first, a fifth of a second of imports, and a Ctrl-C during
those ended the command with a traceback. Here nothing of the package is imported before the
``try``. Once ``rbtfl_model._cli.main`` runs, it answers a Ctrl-C itself, the same way.
"""

from __future__ import annotations

import sys

__all__ = ["main"]

#: What an interrupted command reports: 128 + SIGINT, as ``rbtfl_model._cli.INTERRUPTED``.
INTERRUPTED = 130
INTERRUPTED_MESSAGE = "rbtfl: interrupted"


def main() -> int:
    """Run ``rbtfl`` with ``sys.argv``; return its exit status, 130 if interrupted."""
    try:
        from rbtfl_model._cli import main as run  # the imports a Ctrl-C is likeliest to meet

        return run()
    except KeyboardInterrupt:
        print(INTERRUPTED_MESSAGE, file=sys.stderr)
        return INTERRUPTED
