"""Lines of one block of a story file, with the checks that keep them readable back.

Each ``_render_*`` function writes one kind of block in canonical form and checks, value by
value, that the text reads back as the same value; a value the format cannot hold raises
:class:`FormatError` naming the field. Only blocks whose values changed since parsing are
rendered, so only those values are checked.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Final, NoReturn, TypeVar

from rbtfl_model import _grammar as G
from rbtfl_model._grammar import (
    CANONICAL_PREFIX,
    CANONICAL_URL_RE,
    COUNT_RE,
    DECK_PREFIX,
    ENTITIES_PREFIX,
    LENS_HEADING_RE,
    LIST_SEP,
    META_KEY_RE,
    META_PREFIX,
    NON_SPACE_RE,
    RELATED_ITEM_RE,
    RELATED_PREFIX,
    RULE_LINE,
    SECTION_HEADING_RE,
    SEGMENT_SEP,
    SURROGATE_RE,
    TAKE_SEP,
    TITLE_PREFIX,
)
from rbtfl_model._sourcemap import Layout, Tag
from rbtfl_model.errors import FormatError
from rbtfl_model.model import MAX_COUNT, Count, Entity, Meta, Metric, Take, count_text

__all__ = ["Block", "merge_order", "render"]

K = TypeVar("K", bound=Hashable)


class Block:
    """A block of the story being rendered: its tag, where its value sits, blank lines before."""

    # A plain slotted class: a story has dozens of blocks and an edited dump walks the blocks
    # of both the old and the new story; a NamedTuple is built by a Python-level __new__,
    # which made up a third of that walk.
    __slots__ = ("lead", "tag", "where")

    def __init__(self, tag: Tag, where: str, lead: int) -> None:
        self.tag = tag
        self.where = where
        self.lead = lead


def _meta_rank(key: str) -> tuple[int, int]:
    known = {"type": (0, 0), "date": (1, 0), "heads": (2, 0)}
    if key in known:
        return known[key]
    return (4, int(key[1:])) if key.startswith("#") else (3, 0)


def merge_order(
    hint: Sequence[K], present: Iterable[K], rank: Callable[[K], tuple[int, int]]
) -> list[K]:
    """Order *present* keys as *hint* has them; place new keys by canonical *rank*."""
    present = list(present)
    wanted = set(present)
    order = [key for key in hint if key in wanted]
    seen = set(order)
    for key in present:
        if key in seen:
            continue
        at = 0
        for position, other in enumerate(order):
            if rank(other) <= rank(key):  # after equals too, so new keys keep their order
                at = position + 1
        order.insert(at, key)
    return order


def _fail(where: str, msg: str, value: object) -> NoReturn:
    raise FormatError(where, msg, value)


def _encodable(value: str, where: str) -> None:
    """Refuse a lone surrogate here, naming the field, rather than fail to encode the file."""
    if match := SURROGATE_RE.search(value):
        _fail(where, f"lone surrogate U+{ord(match[0]):04X} cannot be encoded as UTF-8", value)


def _line(value: object, where: str, *, empty: bool = True, forbid: Iterable[str] = ()) -> str:
    """Check that *value* can stand on one line of a story file."""
    if not isinstance(value, str):
        _fail(where, "expected str", value)
    _encodable(value, where)
    if "\n" in value or "\r" in value:
        _fail(where, "must be a single line", value)
    if not empty and not value.strip(" \t"):
        _fail(where, "must not be empty", value)
    for text in forbid:
        if text in value:
            _fail(where, f"cannot contain {text!r}", value)
    return value


def _text(value: object, where: str) -> list[str]:
    """Check a multi-line section body; return its lines."""
    if not isinstance(value, str):
        _fail(where, "expected str", value)
    _encodable(value, where)
    if "\r" in value:
        _fail(where, "cannot contain a carriage return", value)
    lines = value.split("\n")
    if not lines[0].strip(" \t") or not lines[-1].strip(" \t"):
        _fail(where, "cannot start or end with a blank line", value)
    for line in lines:
        if line == "---" or SECTION_HEADING_RE.fullmatch(line):
            _fail(where, f"cannot contain the line {line!r}, which would end the section", value)
    return lines


def _name(value: object, where: str, heading: str) -> str:
    """Check a heading name: one line, no surrounding blanks."""
    name = _line(value, where, empty=False)
    regex = LENS_HEADING_RE if heading == "###" else SECTION_HEADING_RE
    match = regex.fullmatch(f"{heading} {name}")
    if match is None or match["name"] != name:
        _fail(where, "cannot start or end with blanks", value)
    return name


def _render_title(block: Block) -> list[str]:
    return [TITLE_PREFIX + _line(block.tag[1], block.where, empty=False)]


def _render_deck(block: Block) -> list[str]:
    return [DECK_PREFIX + _line(block.tag[1], block.where)]


def _segment(value: object, where: str) -> str:
    text = _line(value, where)
    if SEGMENT_SEP in f" {text} ":  # a value may not begin or end a separator either
        _fail(where, f"cannot contain {SEGMENT_SEP!r}", value)
    return text


def check_counts(counts: Iterable[Count]) -> None:
    """Refuse a count that is not a whole number from 0 to ``MAX_COUNT``."""
    for i, count in enumerate(counts):
        number = count.number
        if not isinstance(number, int) or isinstance(number, bool):
            _fail(f"meta.counts[{i}]", "expected an int", number)
        if not 0 <= number <= MAX_COUNT:
            msg = f"a count is from 0 to {MAX_COUNT:,}"
            _fail(f"meta.counts[{i}]", msg, count_text(number))


def _render_meta(block: Block, hint: Sequence[str]) -> list[str]:
    """The meta line: segments in the order of *hint* (the parsed line's keys)."""
    meta = block.tag[1]
    assert isinstance(meta, Meta)
    segments: dict[str, str] = {}
    if meta.type is not None:
        segments["type"] = "type: " + _segment(meta.type, "meta.type")
    if meta.date is not None:
        if not isinstance(meta.date, datetime.date):
            _fail("meta.date", "expected datetime.date", meta.date)
        segments["date"] = "date: " + meta.date.isoformat()
    if meta.heads or "heads" in hint:
        heads = [
            _line(head, f"meta.heads[{i}]", empty=False, forbid=[LIST_SEP])
            for i, head in enumerate(meta.heads)
        ]
        segments["heads"] = "heads: " + _segment(LIST_SEP.join(heads), "meta.heads")
    for i, (key, value) in enumerate(meta.extra):
        where = f"meta.extra[{i}]"
        if not isinstance(key, str) or not META_KEY_RE.fullmatch(key):
            _fail(where, "key must be a word of ASCII letters, digits, '_' and '-'", key)
        if key in segments or key in ("type", "date", "heads"):
            _fail(where, "duplicate or reserved meta key", key)
        segments[key] = f"{key}: {_segment(value, where)}"
    check_counts(meta.counts)
    for i, count in enumerate(meta.counts):
        text = f"{count.number} {count.noun}"
        if isinstance(count.number, bool) or not COUNT_RE.fullmatch(text):
            _fail(f"meta.counts[{i}]", "expected a number and a one-word noun", count)
        segments[f"#{i}"] = text
    order = merge_order(hint, segments, _meta_rank)
    return [META_PREFIX + (" " + SEGMENT_SEP.join(segments[k] for k in order) if order else "")]


def _render_heading(block: Block) -> list[str]:
    name = block.tag[1]
    if block.where.startswith("sections["):
        name = _name(name, block.where, "##")
        if name in G.SECTION_NAMES:
            _fail(block.where, "is the name of a known section", name)
    return [f"## {name}"]


def _render_prose(block: Block) -> list[str]:
    value = block.tag[1]  # a prose block's value is (key, text)
    assert isinstance(value, tuple)
    return _text(value[1], block.where)


def _render_extra_body(block: Block) -> list[str]:
    return _text(block.tag[1], block.where)


def _render_metric(block: Block) -> list[str]:
    metric, where = block.tag[1], block.where
    assert isinstance(metric, Metric)
    value = _line(metric.value, f"{where}.value", empty=False, forbid=[LIST_SEP])
    description = _line(metric.description, f"{where}.description")
    return [f"- {value}{LIST_SEP}{description}"]


def _render_watch(block: Block) -> list[str]:
    return ["- " + _line(block.tag[1], block.where, empty=False)]


def _render_lens(block: Block) -> list[str]:
    return ["### " + _name(block.tag[1], block.where, "###")]


def _render_take(block: Block) -> list[str]:
    take, where = block.tag[1], block.where
    assert isinstance(take, Take)
    outlet = _line(take.outlet, f"{where}.outlet", empty=False, forbid=["**"])
    if outlet.endswith("*"):
        _fail(f"{where}.outlet", "cannot end with '*'", outlet)
    region = _line(take.region, f"{where}.region", empty=False, forbid=[")"])
    language = _line(take.language, f"{where}.language", empty=False, forbid=[LIST_SEP, ")"])
    summary = _line(take.summary, f"{where}.summary")
    lines = [f"- **{outlet}** ({region}{LIST_SEP}{language}){TAKE_SEP}{summary}"]
    if take.quote is not None:
        lines.append(f'  > "{_line(take.quote, f"{where}.quote")}"')
    if take.source is not None:
        source = _line(take.source, f"{where}.source", empty=False)
        if not NON_SPACE_RE.fullmatch(source):
            _fail(f"{where}.source", "must be a URL without spaces", source)
        lines.append(f"  Source: {source}")
    return lines


def _render_related(block: Block) -> list[str]:
    slugs = block.tag[1]
    assert isinstance(slugs, tuple)
    items = []
    for i, slug in enumerate(slugs):
        item = f"[[{slug}]]"
        if not isinstance(slug, str) or not RELATED_ITEM_RE.fullmatch(item):
            _fail(f"related[{i}]", "must be a slug without spaces, brackets or commas", slug)
        _encodable(slug, f"related[{i}]")
        items.append(item)
    return [RELATED_PREFIX + (" " + LIST_SEP.join(items) if items else "")]


def _render_entities(block: Block) -> list[str]:
    entities = block.tag[1]
    assert isinstance(entities, tuple)
    for i, entity in enumerate(entities):
        if not isinstance(entity, Entity):
            _fail(f"entities[{i}]", "expected Entity", entity)
    names = [
        _line(entity.name, f"entities[{i}].name", empty=False, forbid=[LIST_SEP])
        for i, entity in enumerate(entities)
    ]
    return [ENTITIES_PREFIX + (" " + LIST_SEP.join(names) if names else "")]


def _render_rule(block: Block) -> list[str]:
    return [RULE_LINE]


def _render_canonical(block: Block) -> list[str]:
    url = _line(block.tag[1], block.where, empty=False)
    if not NON_SPACE_RE.fullmatch(url) or not CANONICAL_URL_RE.fullmatch(url):
        _fail(block.where, "expected a URL like https://rbtfl.xyz/{locale}/n/{slug}", url)
    return [CANONICAL_PREFIX + url]


_RENDERERS: Final[dict[Hashable, Callable[[Block], list[str]]]] = {
    G.TITLE: _render_title,
    G.DECK: _render_deck,
    G.HEADING: _render_heading,
    G.PROSE: _render_prose,
    G.EXTRA_BODY: _render_extra_body,
    G.METRIC: _render_metric,
    G.WATCH: _render_watch,
    G.LENS: _render_lens,
    G.TAKE: _render_take,
    G.RELATED: _render_related,
    G.ENTITIES: _render_entities,
    G.RULE: _render_rule,
    G.CANONICAL: _render_canonical,
}


def render(block: Block, layout: Layout | None) -> list[str]:
    """The lines of *block* in canonical form; the meta line keeps *layout*'s key order."""
    if block.tag[0] == G.META:
        return _render_meta(block, layout.map.meta_order if layout else ())
    return _RENDERERS[block.tag[0]](block)
