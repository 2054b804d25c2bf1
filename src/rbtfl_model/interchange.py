"""Stories as plain data: dicts, JSON and YAML, through one cattrs converter.

The dict form carries a story's content, never its file layout. Its keys are the attribute
names; sequences are lists; ``meta.date`` is an ISO ``YYYY-MM-DD`` string; ``meta.extra`` is a
list of ``[key, value]`` pairs, in order (a pair list rather than a mapping, so that every
``Meta`` value, duplicates included, survives the trip). Missing fields that have a default
take it. :func:`json_schema` describes the form.

Reading is strict: a value of the wrong type is an error, never coerced, and so is an unknown
key. A count is any integral number: ``5.0`` reads as ``5``, as JSON Schema has it. Every
problem is collected into one :class:`DataError` naming each one's path.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Hashable, Iterator, Mapping
from importlib import resources
from typing import Any, Final, TypeVar, get_args, get_origin

import attrs
import cattrs
import yaml
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from rbtfl_model._layout import Layout
from rbtfl_model._lines import check_counts, short_int
from rbtfl_model._parser import ISO_DATE_RE
from rbtfl_model.errors import DataError
from rbtfl_model.model import MAX_COUNT, Story

__all__ = [
    "from_dict",
    "from_json",
    "from_yaml",
    "json_schema",
    "to_dict",
    "to_json",
    "to_yaml",
]

T = TypeVar("T")

SCHEMA_FILE: Final = "story.schema.json"


# -- public API ---------------------------------------------------------------------------


def to_dict(story: Story) -> dict[str, Any]:
    """Return *story*'s content as plain data: dicts, lists, str, int and None.

    Raises :class:`FormatError` for a count outside the format's bound (see ``MAX_COUNT``).
    """
    check_counts(story.meta.counts)
    data: dict[str, Any] = _CONVERTER.unstructure(story, Story)
    return data


def from_dict(data: object) -> Story:
    """Build a story from its dict form; raise :class:`DataError` listing every problem."""
    try:
        return _CONVERTER.structure(data, Story)
    except (ClassValidationError, IterableValidationError, _Invalid) as exc:
        raise DataError(_problems(exc, "$")) from None


def to_json(story: Story, *, indent: int | None = None) -> str:
    """Return *story* as JSON text (non-ASCII characters are written as themselves)."""
    return json.dumps(to_dict(story), ensure_ascii=False, indent=indent)


def from_json(text: str | bytes) -> Story:
    """Read a story from JSON text; raise :class:`DataError` for bad JSON or bad data."""
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except (ValueError, _DuplicateKeyError) as exc:  # JSONDecodeError is a ValueError
        raise DataError([f"$: invalid JSON: {exc}"]) from None
    except RecursionError:
        raise DataError([_TOO_DEEP.format("JSON")]) from None
    return from_dict(data)


def to_yaml(story: Story) -> str:
    """Return *story* as a YAML document, written with pyyaml's safe dumper."""
    return yaml.dump(to_dict(story), Dumper=_SafeDumper, allow_unicode=True, sort_keys=False)


def from_yaml(text: str | bytes) -> Story:
    """Read a story from one YAML document with a safe loader.

    Tags that would build Python objects (``!!python/...``) are refused: nothing runs.
    """
    try:
        data = yaml.load(text, Loader=_SafeLoader)  # a SafeLoader: no Python tags
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
        raise DataError([_TOO_DEEP.format("YAML")]) from None
    except ValueError:  # the safe constructors' only one: an int past Python's 4,300 digits
        raise DataError(["$: invalid YAML: a number of more digits than Python reads"]) from None
    return from_dict(data)


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the dict form; a fresh copy each call."""
    text = resources.files("rbtfl_model").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


# -- reading JSON and YAML ------------------------------------------------------------------


class _DuplicateKeyError(Exception):
    """A JSON or YAML object names the same key twice; the last one would win silently."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(f"duplicate key {key!r}")
        result[key] = value
    return result


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


# -- the converter --------------------------------------------------------------------------


class _Invalid(TypeError):
    """A value of the wrong kind; its message says what was expected."""


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise _Invalid("expected str")
    return value


def _structure_int(value: object, _: type) -> int:
    # JSON has one kind of number and JSON Schema calls 5.0 an integer, so a count may be
    # written 5.0 (or 5e0): any finite float without a fractional part reads as its int.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Invalid("expected int")
    # the only int of a story is a count, bounded as in a file (YAML's 0x... has no limit)
    if not 0 <= value <= MAX_COUNT:
        raise _Invalid(f"expected a count from 0 to {MAX_COUNT:,}, got {short_int(value)}")
    return value


def _structure_date(value: object, _: type) -> datetime.date:
    if not isinstance(value, str) or not ISO_DATE_RE.fullmatch(value):
        raise _Invalid("expected an ISO date string like '2026-01-01'")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise _Invalid(f"expected a calendar date, got {value!r}") from None


def _is_tuple(type_: Any) -> bool:
    return get_origin(type_) is tuple


def _tuple_structure(type_: Any, converter: cattrs.Converter) -> Callable[[object, Any], Any]:
    """Structure a tuple from a list (or tuple) only: a string or a dict is not a sequence."""
    args = get_args(type_)
    homogeneous = len(args) == 2 and args[1] is Ellipsis
    inner: Callable[[Any, Any], Any]
    if homogeneous:
        inner = homogenous_tuple_structure_factory(type_, converter)
    else:
        inner = converter.gen_structure_hetero_tuple(type_)

    def structure(value: object, type_: Any) -> Any:
        if not isinstance(value, (list, tuple)):
            raise _Invalid("expected list")
        if not homogeneous and len(value) != len(args):
            raise _Invalid(f"expected a list of {len(args)} items, got {len(value)}")
        return inner(value, type_)

    return structure


def _tuple_unstructure(type_: Any, converter: cattrs.Converter) -> Callable[[Any], list[Any]]:
    """Unstructure any tuple to a list, item by item."""
    args = get_args(type_)
    if len(args) == 2 and args[1] is Ellipsis:
        item = converter.get_unstructure_hook(args[0])
        return lambda value: [item(v) for v in value]
    hooks = [converter.get_unstructure_hook(arg) for arg in args]
    return lambda value: [hook(v) for hook, v in zip(hooks, value, strict=True)]


def _private(cls: type) -> dict[str, Any]:
    """Overrides that leave out underscored fields: they hold layout, not content."""
    return {a.name: override(omit=True) for a in attrs.fields(cls) if a.name.startswith("_")}


def _attrs_structure(cls: type[T], converter: cattrs.Converter) -> Callable[[object, Any], T]:
    """Structure an attrs class from a mapping with known keys only."""
    inner = make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True, **_private(cls))

    def structure(value: object, type_: Any) -> T:
        if not isinstance(value, Mapping):
            raise _Invalid("expected dict")
        return inner(value, type_)

    return structure


def _attrs_unstructure(cls: type, converter: cattrs.Converter) -> Callable[[Any], Any]:
    return make_dict_unstructure_fn(cls, converter, **_private(cls))


def _converter() -> cattrs.Converter:
    # Story names Layout only under TYPE_CHECKING (the modules import each other); resolve
    # its annotations here, once, so cattrs can read them.
    attrs.resolve_types(Story, localns={"Layout": Layout})
    converter = cattrs.Converter(detailed_validation=True, forbid_extra_keys=True)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(datetime.date, _structure_date)
    converter.register_unstructure_hook(datetime.date, datetime.date.isoformat)
    converter.register_structure_hook_factory(_is_tuple, _tuple_structure)
    converter.register_unstructure_hook_factory(_is_tuple, _tuple_unstructure)
    converter.register_structure_hook_factory(attrs.has, _attrs_structure)
    converter.register_unstructure_hook_factory(attrs.has, _attrs_unstructure)
    return converter


_CONVERTER: Final = _converter()
_TOO_DEEP: Final = "$: invalid {}: nested far deeper than any story"


# -- error paths ------------------------------------------------------------------------------


def _key_path(path: str, key: object) -> str:
    if isinstance(key, str) and key.isidentifier():
        return f"{path}.{key}"
    return f"{path}[{key!r}]"


def _problems(exc: BaseException, path: str) -> Iterator[str]:
    """Walk a cattrs validation error: one ``path: what`` line per leaf problem."""
    if isinstance(exc, ClassValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            yield from _problems(sub, _key_path(path, note.name))
        for sub in without:
            yield from _problems(sub, path)
    elif isinstance(exc, IterableValidationError):
        with_notes_i, without = exc.group_exceptions()
        for sub, inote in with_notes_i:
            yield from _problems(sub, f"{path}[{inote.index!r}]")
        for sub in without:
            yield from _problems(sub, path)
    elif isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields, key=repr):
            yield f"{_key_path(path, key)}: unknown key"
    elif isinstance(exc, KeyError):
        yield f"{path}: required field missing"
    elif isinstance(exc, _Invalid):
        yield f"{path}: {exc}"
    else:
        yield f"{path}: invalid value ({type(exc).__name__}: {exc})"
