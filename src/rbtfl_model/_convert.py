"""The one cattrs converter between stories and plain data; imported on first use.

Validation belongs at the edges: these (un)structuring rules live apart from the model. Fields
whose metadata marks them as not content (the layout, cached views) are left out.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from rbtfl_model._grammar import ISO_DATE_RE
from rbtfl_model._lines import check_counts
from rbtfl_model.errors import DataError
from rbtfl_model.model import MAX_COUNT, NOT_CONTENT, Story, count_text

__all__ = ["structure", "unstructure"]

T = TypeVar("T")


def unstructure(story: Story) -> dict[str, Any]:
    """*story*'s content as plain data: dicts, lists, str, int and None.

    A count outside the format's bound is refused with :class:`FormatError`, as by ``dumps``.
    """
    check_counts(story.meta.counts)
    data: dict[str, Any] = _CONVERTER.unstructure(story, Story)
    return data


def structure(data: object) -> Story:
    """A story from its dict form; :class:`DataError` listing every problem."""
    try:
        return _CONVERTER.structure(data, Story)
    except (ClassValidationError, IterableValidationError, _Invalid) as exc:
        raise DataError(_problems(exc, "$")) from None


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
        raise _Invalid(f"expected a count from 0 to {MAX_COUNT:,}, got {count_text(value)}")
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


def _not_content(cls: type) -> dict[str, Any]:
    """Overrides that leave out the fields whose metadata says they are not content."""
    return {
        a.name: override(omit=True)
        for a in attrs.fields(cls)
        if all(a.metadata.get(key) == value for key, value in NOT_CONTENT.items())
    }


def _attrs_structure(cls: type[T], converter: cattrs.Converter) -> Callable[[object, Any], T]:
    """Structure an attrs class from a mapping with known keys only."""
    inner = make_dict_structure_fn(
        cls, converter, _cattrs_forbid_extra_keys=True, **_not_content(cls)
    )

    def structure(value: object, type_: Any) -> T:
        if not isinstance(value, Mapping):
            raise _Invalid("expected dict")
        return inner(value, type_)

    return structure


def _attrs_unstructure(cls: type, converter: cattrs.Converter) -> Callable[[Any], Any]:
    return make_dict_unstructure_fn(cls, converter, **_not_content(cls))


def _converter() -> cattrs.Converter:
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
