"""A griffe extension for the API reference: Sphinx roles in docstrings become links.

The docstrings say ``:class:`ParseError``` so that ``help()`` and IDEs read well; mkdocstrings
would show that text raw. This rewrites each role, when the docs are built, into a Markdown
cross-reference to where the name is documented (``[ParseError][rbtfl_model.errors.ParseError]``),
or into plain code for names outside the package (``FileNotFoundError``, ``attrs.evolve``).
Names from private modules link to their public re-export in ``rbtfl_model``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import griffe

ROLE_RE = re.compile(
    r"""
    :(?:class|func|meth|attr|mod|exc|data|obj):   # the role
    `(?P<tilde>~?)(?P<target>[\w.]+)`             # its target; ~ shows only the last name
    """,
    re.VERBOSE,
)
PACKAGE = "rbtfl_model"


class SphinxRoles(griffe.Extension):
    """Rewrite Sphinx cross-reference roles in every docstring of the package."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        if pkg.name != PACKAGE:
            return
        for obj in _walk(pkg):
            if obj.docstring is not None:
                link = functools.partial(_link, pkg, obj)
                obj.docstring.value = ROLE_RE.sub(link, obj.docstring.value)


def _walk(obj: griffe.Object) -> list[griffe.Object]:
    found = [obj]
    for member in obj.members.values():
        if not member.is_alias and isinstance(member, griffe.Object):
            found += _walk(member)
    return found


def _link(pkg: griffe.Module, obj: griffe.Object, match: re.Match[str]) -> str:
    target = match["target"]
    shown = target.rsplit(".", 1)[-1] if match["tilde"] else target
    path = _resolve(obj, target)
    if path is None or not (path == PACKAGE or path.startswith(PACKAGE + ".")):
        return f"`{shown}`"
    return f"[`{shown}`][{_documented(pkg, path)}]"


def _resolve(obj: griffe.Object, target: str) -> str | None:
    """The full path of *target* as seen from *obj*, or None if it is not ours."""
    if target.startswith(PACKAGE + "."):
        return target
    head, _, rest = target.partition(".")
    try:
        path = obj.resolve(head)
    except griffe.NameResolutionError:
        return None
    return f"{path}.{rest}" if rest else path


def _documented(pkg: griffe.Module, path: str) -> str:
    """Where *path* is shown: its public name, or its nearest documented owner."""
    parts = path.split(".")
    private = [i for i, part in enumerate(parts) if part.startswith("_")]
    if private and private[0] == 1 and len(parts) > 2 and parts[2] in _exported(pkg):
        parts = [PACKAGE, *parts[2:]]  # rbtfl_model._parser.load -> rbtfl_model.load
    while len(parts) > 2:
        try:
            member = pkg[".".join(parts[1:])]
        except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            member = None
        if member is not None and (member.docstring is not None or member.is_alias):
            break
        parts.pop()  # an undocumented attribute is not shown: point at its class
    return ".".join(parts)


def _exported(pkg: griffe.Module) -> set[str]:
    exports = pkg.exports or ()
    return {name if isinstance(name, str) else name.name for name in exports}
