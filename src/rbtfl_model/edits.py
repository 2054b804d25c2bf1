"""Edits in one call: replace, insert or remove one item of a story, returning a new story.

An item is a :class:`~rbtfl_model.model.Take`, :class:`~rbtfl_model.model.Metric`,
:class:`~rbtfl_model.model.Lens`, :class:`~rbtfl_model.model.Entity` or
:class:`~rbtfl_model.model.Section`, found by its type wherever it is in the story (a take in
whichever lens holds it); or a text of ``what_to_watch`` or ``related``, named with
``field=``. Items are addressed by value, as pyrsistent's ``PVector.remove(value)`` does,
not by index: the object itself, taken from the story, or an equal one. An item that is not
there, or that matches more than one place (two equal takes, and the one given is neither),
raises :class:`~rbtfl_model.errors.EditError` rather than picking one.

The new story is made with :func:`attrs.evolve` level by level, so it keeps the parsed
layout and ``dumps`` changes only the lines of the edited item. As in pyrsistent's
``transform``, a replacement may be a function of the old item.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar, overload

import attrs

from rbtfl_model.errors import EditError
from rbtfl_model.model import Entity, Lens, Metric, Section, Story, Take

__all__ = [
    "Item",
    "TextField",
    "find_take",
    "find_takes",
    "insert",
    "remove",
    "replace",
]

#: The story items edited by type.
Item = TypeVar("Item", Take, Metric, Lens, Entity, Section)
#: The story fields that hold texts, for ``field=``.
TextField = Literal["what_to_watch", "related"]

_FIELDS: dict[type, str] = {
    Metric: "metrics",
    Lens: "lenses",
    Entity: "entities",
    Section: "sections",
}
#: A place in the story: (lens index for a take, else None; index in its tuple)
_Place = tuple[int | None, int]


# -- finding takes --------------------------------------------------------------------------


def find_takes(story: Story, outlet: str | None = None) -> tuple[tuple[Lens, Take], ...]:
    """Every take with its lens, in file order; only the takes of *outlet* if given."""
    return tuple(
        (lens, take)
        for lens in story.lenses
        for take in lens.takes
        if outlet is None or take.outlet == outlet
    )


def find_take(story: Story, outlet: str, *, lens: str | None = None) -> tuple[Lens, Take]:
    """The one take of *outlet* (in lens *lens*, if given), with its lens.

    Raises :class:`~rbtfl_model.errors.EditError` if there is none, or more than one.
    """
    found = [pair for pair in find_takes(story, outlet) if lens is None or pair[0].name == lens]
    where = f"{outlet!r}" + (f" in lens {lens!r}" if lens is not None else "")
    if not found:
        raise EditError(f"no take by {where}")
    if len(found) > 1:
        lenses = ", ".join(repr(pair[0].name) for pair in found)
        raise EditError(f"{len(found)} takes by {where} (lenses {lenses}); pass lens=")
    return found[0]


# -- the edits ------------------------------------------------------------------------------


@overload
def replace(story: Story, old: Item, new: Item | Callable[[Item], Item]) -> Story: ...
@overload
def replace(
    story: Story, old: str, new: str | Callable[[str], str], *, field: TextField
) -> Story: ...
def replace(
    story: Story,
    old: Item | str,
    new: Item | str | Callable[[Item], Item] | Callable[[str], str],
    *,
    field: TextField | None = None,
) -> Story:
    """A copy of *story* with *old* replaced by *new*, or by ``new(old)`` if it is callable.

    ``rm.replace(story, take, lambda t: attrs.evolve(t, quote="..."))`` edits one field.
    """
    kind = _kind(old, field)
    lens, index = _place(story, kind, old)
    items = list(_items(story, kind, lens))
    # the overloads tie new's type to old's; this body sees only the union
    value = new(items[index]) if callable(new) else new  # type: ignore[arg-type]
    _check_type(kind, value, old)
    items[index] = value
    return _with(story, kind, lens, tuple(items))


@overload
def insert(
    story: Story,
    item: Item,
    *,
    before: Item | None = None,
    after: Item | None = None,
    lens: str | Lens | None = None,
) -> Story: ...
@overload
def insert(
    story: Story,
    item: str,
    *,
    field: TextField,
    before: str | None = None,
    after: str | None = None,
) -> Story: ...
def insert(
    story: Story,
    item: Item | str,
    *,
    field: TextField | None = None,
    before: Item | str | None = None,
    after: Item | str | None = None,
    lens: str | Lens | None = None,
) -> Story:
    """A copy of *story* with *item* inserted *before* or *after* an item of its kind.

    Without either, the item goes last: a take last in lens *lens* (a name, or the lens
    itself), anything else last in its field. A take needs *lens*, *before* or *after*.
    """
    kind = _kind(item, field)
    if before is not None and after is not None:
        raise TypeError("give before= or after=, not both")
    anchor = before if before is not None else after
    if lens is not None and (kind != "takes" or anchor is not None):
        raise TypeError("lens= is for a take, without before= or after=")
    if anchor is not None:
        _check_type(kind, anchor, item)
        where, index = _place(story, kind, anchor)
        if after is not None:
            index += 1
    elif kind == "takes":
        if lens is None:
            raise TypeError("a take needs lens=, before= or after=")
        where = _lens_index(story, lens)
        index = len(story.lenses[where].takes)
    else:
        where, index = None, len(_items(story, kind, None))
    items = list(_items(story, kind, where))
    items.insert(index, item)
    return _with(story, kind, where, tuple(items))


@overload
def remove(story: Story, item: Item) -> Story: ...
@overload
def remove(story: Story, item: str, *, field: TextField) -> Story: ...
def remove(story: Story, item: Item | str, *, field: TextField | None = None) -> Story:
    """A copy of *story* without *item* (a lens goes with its takes)."""
    kind = _kind(item, field)
    lens, index = _place(story, kind, item)
    items = list(_items(story, kind, lens))
    del items[index]
    return _with(story, kind, lens, tuple(items))


# -- helpers --------------------------------------------------------------------------------


def _kind(item: object, field: str | None) -> str:
    """The story field that holds *item*: ``takes`` for a take, else a Story attribute."""
    if isinstance(item, str):
        if field not in ("what_to_watch", "related"):
            raise TypeError(
                f"a text item needs field='what_to_watch' or field='related', got {field!r}"
            )
        return field
    if field is not None:
        raise TypeError(f"field= is for text items, not a {type(item).__name__}")
    if isinstance(item, Take):
        return "takes"
    for cls, name in _FIELDS.items():
        if isinstance(item, cls):
            return name
    raise TypeError(f"cannot edit a {type(item).__name__} in a story")


def _check_type(kind: str, value: object, like: object) -> None:
    if type(value) is not type(like):
        raise TypeError(f"expected a {type(like).__name__} for {kind}, got {type(value).__name__}")


def _items(story: Story, kind: str, lens: int | None) -> tuple[object, ...]:
    if kind == "takes":
        assert lens is not None
        return story.lenses[lens].takes
    items: tuple[object, ...] = getattr(story, kind)
    return items


def _places(story: Story, kind: str) -> list[tuple[_Place, object]]:
    if kind == "takes":
        return [
            ((i, j), take)
            for i, lens in enumerate(story.lenses)
            for j, take in enumerate(lens.takes)
        ]
    return [((None, j), item) for j, item in enumerate(_items(story, kind, None))]


def _place(story: Story, kind: str, item: object) -> _Place:
    """Where *item* is: the place holding this very object, else the one equal to it."""
    places = _places(story, kind)
    found = [] if isinstance(item, str) else [p for p, v in places if v is item]
    if not found:
        found = [p for p, v in places if v == item]
    if len(found) == 1:
        return found[0]
    what = f"{type(item).__name__} {_describe(item)}"
    if not found:
        raise EditError(f"{kind} of the story have no {what}")
    raise EditError(
        f"{kind} of the story have {len(found)} items equal to {what}; "
        "pass the one taken from the story"
    )


def _describe(item: object) -> str:
    if isinstance(item, Take):
        return repr(item.outlet)
    if isinstance(item, Metric):
        return repr(item.value)
    if isinstance(item, Lens | Entity | Section):
        return repr(item.name)
    return repr(item)


def _lens_index(story: Story, lens: str | Lens) -> int:
    if isinstance(lens, Lens):
        return _place(story, "lenses", lens)[1]
    found = [i for i, candidate in enumerate(story.lenses) if candidate.name == lens]
    if len(found) != 1:
        raise EditError(f"the story has {len(found)} lenses named {lens!r}; expected one")
    return found[0]


def _with(story: Story, kind: str, lens: int | None, items: tuple[Any, ...]) -> Story:
    """*story* with *items* in place of the field (or the lens's takes) they came from."""
    if kind != "takes":
        changes: dict[str, Any] = {kind: items}
        return attrs.evolve(story, **changes)
    assert lens is not None
    lenses = list(story.lenses)
    lenses[lens] = attrs.evolve(lenses[lens], takes=items)
    return attrs.evolve(story, lenses=tuple(lenses))
