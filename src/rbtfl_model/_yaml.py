"""pyyaml, made safe and faithful for story data; imported on first use of YAML."""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any, Final

import yaml

from rbtfl_model.errors import DataError

__all__ = ["dump", "load"]


def dump(data: object) -> str:
    """*data* as a YAML document, written with pyyaml's safe dumper."""
    return yaml.dump(data, Dumper=_SafeDumper, allow_unicode=True, sort_keys=False)


def load(text: str | bytes) -> Any:
    """One YAML document as plain data; :class:`DataError` for text that is not YAML."""
    try:
        return yaml.load(text, Loader=_SafeLoader)  # a SafeLoader: no Python tags
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "unreadable"
        if exc.context and what.startswith("but "):  # "expected a single document ... but"
            what = f"{exc.context} {what}"
        raise DataError([f"$: invalid YAML{where}: {what}"]) from None
    except yaml.YAMLError as exc:  # a reader error: a character YAML does not allow
        raise DataError([f"$: invalid YAML: {exc}"]) from None
    except RecursionError:
        raise DataError(["$: invalid YAML: nested far deeper than any story"]) from None
    except ValueError:  # the safe constructors' only one: an int past Python's 4,300 digits
        raise DataError(["$: invalid YAML: a number of more digits than Python reads"]) from None


class _SafeLoader(yaml.SafeLoader):
    """pyyaml's safe loader, minus implicit timestamps, aliases and duplicate keys.

    Dates stay text, so ``2026-01-01`` and ``'2026-01-01'`` load alike and the converter
    alone turns them into ``datetime.date``; any other implicit timestamp stays a string too.
    A story shares no values, and nested aliases can stand for billions of items, so an
    alias (``*name``) is refused rather than expanded.
    """

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None,
                None,
                f"found alias *{event.anchor}; aliases are not allowed",
                event.start_mark,
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Hashable] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, Hashable) and key in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
            if isinstance(key, Hashable):
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


_SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _SafeDumper(yaml.SafeDumper):
    """pyyaml's safe dumper, double-quoting strings that a reader could take otherwise.

    With ``allow_unicode`` pyyaml writes U+0085 (NEL) raw inside single quotes, where the
    reader folds it into a space; double quotes escape it (and U+2028, U+2029) instead.
    pyyaml quotes the strings YAML 1.1 would read as something else; a YAML 1.2 reader
    (ruamel.yaml) also reads ``1e3``, ``0o17`` or ``0b1`` as numbers, so those are quoted too.
    """


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = None
    if any(ch in value for ch in _YAML_BREAKS):
        style = '"'
    elif _YAML12_NUMBER_RE.fullmatch(value):
        style = "'"  # as pyyaml quotes what YAML 1.1 would read as a number or a date
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_YAML_BREAKS: Final = "\x85\u2028\u2029"
_YAML12_NUMBER_RE: Final = re.compile(
    r"""
    [-+]?[0-9._][0-9a-zA-Z_.+-]*        # anything a YAML 1.2 int or float could be, and more
    | [-+]?\.(?:inf|Inf|INF)            # infinities
    """,
    re.VERBOSE,
)
_SafeDumper.add_representer(str, _represent_str)
