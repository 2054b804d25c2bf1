"""Count the work an action does, in units that a busy machine cannot move.

Time depends on what else the machine runs; counts of work do not. Two counts, at two input
sizes, tell linear work from quadratic work deterministically:

- :func:`calls`: every Python and built-in function call made while the action runs (a
  ``sys.setprofile`` hook). Cheap and always available; blind to work done inside one
  built-in call, such as a regular expression backtracking or ``str.count`` over a long text.
- :func:`instructions`: the machine instructions the action runs, counted by valgrind's
  callgrind in a child interpreter. It sees everything, C code included, and is the same
  number on every run whatever else the machine is doing; it needs valgrind.

Run as ``python -m tests.workcount MODULE:FUNCTION``, this module is that child: it calls
``FUNCTION()`` for a dict of named actions and runs each inside one ``functools.reduce``
call, the C function callgrind is told to count and dump after, printing each name in turn.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from types import FrameType
from typing import Final

#: Ten times the input may do at most this many times the work. Linear work does about 10x
#: (less where fixed costs weigh; up to 12.5x measured, where growing tables add a log factor);
#: quadratic work does about 100x, and the quadratic stand-ins of the tests 45x or more.
MAX_RATIO: Final = 20.0

_COUNTED: Final = frozenset({"call", "c_call"})
#: Seconds the counting child may take: some 7 times what it takes with every core busy. A
#: quadratic step runs for hours under valgrind, so this ends the run and names the step;
#: it is not the measure (a step that finishes is judged by its count alone).
LIMIT: Final = 1800
#: The C function each measured action runs inside; callgrind zeroes before and dumps after it.
_MARK: Final = "functools_reduce"
_ROOT: Final = Path(__file__).resolve().parent.parent


def calls(action: Callable[[], object]) -> int:
    """How many Python and built-in function calls *action* makes, all threads counted."""
    count = 0

    def profile(frame: FrameType, event: str, arg: object) -> None:
        nonlocal count
        if event in _COUNTED:
            count += 1

    previous = sys.getprofile()
    threading.setprofile(profile)
    sys.setprofile(profile)
    try:
        action()
    finally:
        sys.setprofile(previous)
        threading.setprofile(previous)
    return count


def ratio(large: Callable[[], object], small: Callable[[], object]) -> float:
    """How many times as many calls *large* makes as *small*."""
    return calls(large) / max(calls(small), 1)


class CannotCount(RuntimeError):
    """This machine cannot count instructions (no valgrind, or no symbol to count within)."""


class Counting:
    """Instructions being counted in a child process: :meth:`result` waits for them.

    Started early (the test session starts it once tests are collected), the child counts on
    one core while the other tests run on another.
    """

    def __init__(self, cases: str) -> None:
        """Start counting the actions of *cases*; see :func:`instructions`."""
        valgrind = shutil.which("valgrind")
        if valgrind is None:
            raise CannotCount("valgrind is not installed")
        self._cases = cases
        self._tmp = tempfile.TemporaryDirectory(prefix="rbtfl-callgrind-")
        self._out = Path(self._tmp.name) / "callgrind.out"
        command = [
            valgrind,
            "--tool=callgrind",
            f"--callgrind-out-file={self._out}",
            "--collect-atstart=no",
            f"--toggle-collect={_MARK}",
            f"--dump-after={_MARK}",
            # the venv's interpreter as named, so that it finds the venv's packages
            sys.executable,
            "-m",
            "tests.workcount",
            cases,
        ]
        self._child = subprocess.Popen(
            command, cwd=_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def result(self) -> dict[str, int]:
        """Each action's instructions, by name, once the child is done."""
        try:
            try:
                stdout, stderr = self._child.communicate(timeout=LIMIT)
            except subprocess.TimeoutExpired:
                self._child.kill()
                done = self._child.communicate()[0].split()
                raise RuntimeError(
                    f"counting {self._cases} stopped after {LIMIT} s, in the case after "
                    f"{done[-1] if done else 'none'}: that step does far more than linear work"
                ) from None
            if self._child.returncode != 0:
                raise RuntimeError(f"counting {self._cases} failed:\n{stderr[-3000:]}")
            names = stdout.split()
            dumps = [Path(f"{self._out}.{n}") for n in range(1, len(names) + 1)]
            totals = [_total(dump) for dump in dumps]
        finally:
            self._child.kill()
            self._tmp.cleanup()
        if not any(totals):
            raise CannotCount(f"callgrind counted nothing inside {_MARK}: no symbols for it")
        return dict(zip(names, totals, strict=True))


def instructions(cases: str) -> dict[str, int]:
    """Instructions run by each action of *cases* (``"module:function"``), in a child process.

    The function returns a dict of named actions; the child builds it, then runs each once
    inside the counted C function. Raises :class:`CannotCount` where valgrind is missing.
    """
    return Counting(cases).result()


def _total(dump: Path) -> int:
    """The instruction total of one callgrind dump."""
    found = re.search(r"^totals: (\d+)", dump.read_text(encoding="utf-8"), re.MULTILINE)
    if found is None:
        raise RuntimeError(f"no totals in {dump}")
    return int(found.group(1))


def _measure(actions: Mapping[str, Callable[[], object]]) -> None:
    """Run each action inside the counted C function, naming it on stdout."""
    for name, action in actions.items():
        functools.reduce(lambda _, __: action(), [None], None)  # the lambda runs at once
        print(name, flush=True)


if __name__ == "__main__":
    module, _, function = sys.argv[1].partition(":")
    sys.path.insert(0, os.getcwd())
    _measure(getattr(importlib.import_module(module), function)())
