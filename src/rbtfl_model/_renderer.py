"""Render stories to text: canonical layout, or the parsed file's layout with edits merged in.

A story without layout is written in the seed's own layout. A parsed story is written as its
original text when unchanged; after an edit, the canonical blocks of the new story are aligned
with the parsed blocks by tag (``difflib``), unchanged blocks are written from their raw lines
and only the others are rendered afresh. Values are checked as they are rendered, so a value
the format cannot hold raises :class:`FormatError` instead of writing a different story.
"""

from __future__ import annotations

import datetime
import difflib
import os
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import Final, NoReturn, TypeVar

from rbtfl_model import _layout as L
from rbtfl_model._files import write_atomic
from rbtfl_model._layout import Layout, RawBlock, SectionKey, Tag
from rbtfl_model._parser import (
    BOM,
    COUNT_RE,
    LENS_HEADING_RE,
    LIST_SEP,
    META_KEY_RE,
    META_PREFIX,
    NON_SPACE_RE,
    RELATED_ITEM_RE,
    SECTION_HEADING_RE,
    SEGMENT_SEP,
    SURROGATE_RE,
    TAKE_SEP,
)
from rbtfl_model.errors import FormatError
from rbtfl_model.model import CANONICAL_URL_RE, Entity, Meta, Metric, Story, Take

__all__ = ["dump", "dumps", "parsed_blocks"]

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


# -- entry points ------------------------------------------------------------------------


def dumps(story: Story, *, canonical: bool = False) -> str:
    """Render *story* as story-file text.

    A parsed story comes back byte for byte; after an edit only the edited lines change.
    With ``canonical=True`` the parsed layout is ignored and the story is written in the
    published seed's layout. Raises :class:`FormatError` for a value the format cannot hold.
    """
    layout = None if canonical else story._layout
    if layout is not None and story == layout.source:
        return layout.text
    blocks = list(_blocks(story, layout))
    if layout is None:
        lines: list[str] = []
        for block in blocks:
            lines.extend([""] * block.lead)
            lines.extend(_render(block, None))
        return "\n".join(lines)  # the published seed ends without a final newline
    return _merge(blocks, layout)


def dump(story: Story, path: str | os.PathLike[str], *, canonical: bool = False) -> None:
    """Write *story* to *path* atomically: a temporary file beside it, then a rename.

    A failure midway leaves any existing file untouched and no temporary file behind. An
    existing file keeps its permission bits; a new one gets those ``open()`` would give it.
    A missing directory raises :class:`FileNotFoundError` naming it, and creates nothing.
    ``canonical`` is as for :func:`dumps`.
    """
    data = dumps(story, canonical=canonical).encode("utf-8")  # dumps refused what UTF-8 cannot
    write_atomic(path, data)


# -- canonical blocks ----------------------------------------------------------------------

#: Canonical rank of each section; unknown sections rank by index between watch and lenses.
_SECTION_RANK: Final = {
    L.SUMMARY: (0, 0),
    L.SPLIT: (1, 0),
    L.METRICS: (2, 0),
    L.WHY: (3, 0),
    L.WATCH_LIST: (4, 0),
    L.LENSES: (6, 0),
    L.GRAPH: (7, 0),
}


def _section_rank(key: SectionKey) -> tuple[int, int]:
    return (5, key) if isinstance(key, int) else _SECTION_RANK[key]


def _meta_rank(key: str) -> tuple[int, int]:
    known = {"type": (0, 0), "date": (1, 0), "heads": (2, 0)}
    if key in known:
        return known[key]
    return (4, int(key[1:])) if key.startswith("#") else (3, 0)


def _merge_order(
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


def _blocks(story: Story, layout: Layout | None) -> Iterator[Block]:
    """The story's blocks in canonical layout, ordered as the parsed file had them."""
    yield Block((L.TITLE, story.title), "title", 0)
    yield Block((L.DECK, story.deck), "deck", 0)
    yield Block((L.META, story.meta), "meta", 1)
    hinted = layout.section_order if layout else ()
    for key in _merge_order(hinted, _present_sections(story, hinted), _section_rank):
        blocks = _extra_blocks if isinstance(key, int) else _SECTION_BLOCKS[key]
        yield from blocks(story, key, layout)
    if story.canonical is not None:
        yield Block((L.RULE,), "canonical", 1)
        yield Block((L.CANONICAL, story.canonical), "canonical", 0)


def _present_sections(story: Story, hinted: Sequence[SectionKey]) -> Iterator[SectionKey]:
    """Sections to write: those with content, and empty ones the parsed file had."""
    for key in (L.SUMMARY, L.SPLIT, L.METRICS, L.WHY, L.WATCH_LIST):
        value = getattr(story, key)
        if isinstance(value, str) or (value is not None and (value or key in hinted)):
            yield key
    yield from range(len(story.sections))
    if story.lenses or L.LENSES in hinted:
        yield L.LENSES
    if story.related or story.entities or L.GRAPH in hinted:
        yield L.GRAPH


def _heading(key: str) -> Block:
    return Block((L.HEADING, L.HEADINGS[key]), key, 1)


def _prose_blocks(story: Story, key: SectionKey, layout: Layout | None) -> Iterator[Block]:
    assert isinstance(key, str)
    yield _heading(key)
    text = getattr(story, key)
    if text:
        yield Block((L.PROSE, key, text), key, 1)


def _extra_blocks(story: Story, key: SectionKey, layout: Layout | None) -> Iterator[Block]:
    assert isinstance(key, int)
    section = story.sections[key]
    yield Block((L.HEADING, section.name), f"sections[{key}].name", 1)
    if section.body:
        yield Block((L.EXTRA_BODY, section.body), f"sections[{key}].body", 1)


def _metric_blocks(story: Story, key: SectionKey, layout: Layout | None) -> Iterator[Block]:
    yield _heading(L.METRICS)
    for i, metric in enumerate(story.metrics):
        yield Block((L.METRIC, metric), f"metrics[{i}]", 0 if i else 1)


def _watch_blocks(story: Story, key: SectionKey, layout: Layout | None) -> Iterator[Block]:
    yield _heading(L.WATCH_LIST)
    for i, item in enumerate(story.what_to_watch):
        yield Block((L.WATCH, item), f"what_to_watch[{i}]", 0 if i else 1)


def _lens_blocks(story: Story, key: SectionKey, layout: Layout | None) -> Iterator[Block]:
    yield _heading(L.LENSES)
    for i, lens in enumerate(story.lenses):
        yield Block((L.LENS, lens.name), f"lenses[{i}].name", 1)
        for j, take in enumerate(lens.takes):
            yield Block((L.TAKE, take), f"lenses[{i}].takes[{j}]", 0)


def _graph_blocks(story: Story, key: SectionKey, layout: Layout | None) -> Iterator[Block]:
    head = _heading(L.GRAPH)
    yield head
    hinted = layout.graph_order if layout else ()
    present = [
        name
        for name, value in (("related", story.related), ("entities", story.entities))
        if value or name in hinted
    ]
    for name in _merge_order(hinted, present, lambda n: (0 if n == "related" else 1, 0)):
        kind = L.RELATED if name == "related" else L.ENTITIES
        yield Block((kind, getattr(story, name)), name, 0)


_SECTION_BLOCKS: Final[dict[str, Callable[[Story, SectionKey, Layout | None], Iterator[Block]]]] = {
    L.SUMMARY: _prose_blocks,
    L.SPLIT: _prose_blocks,
    L.METRICS: _metric_blocks,
    L.WHY: _prose_blocks,
    L.WATCH_LIST: _watch_blocks,
    L.LENSES: _lens_blocks,
    L.GRAPH: _graph_blocks,
}


# -- lines of one block, with the checks that keep them readable back -----------------------


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


def _render_title(block: Block, layout: Layout | None) -> list[str]:
    return ["# " + _line(block.tag[1], block.where, empty=False)]


def _render_deck(block: Block, layout: Layout | None) -> list[str]:
    return ["> " + _line(block.tag[1], block.where)]


def _segment(value: object, where: str) -> str:
    text = _line(value, where)
    if SEGMENT_SEP in f" {text} ":  # a value may not begin or end a separator either
        _fail(where, f"cannot contain {SEGMENT_SEP!r}", value)
    return text


def _render_meta(block: Block, layout: Layout | None) -> list[str]:
    meta = block.tag[1]
    assert isinstance(meta, Meta)
    hint = layout.meta_order if layout else ()
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
    for i, count in enumerate(meta.counts):
        text = f"{count.number} {count.noun}"
        if isinstance(count.number, bool) or not COUNT_RE.fullmatch(text):
            _fail(f"meta.counts[{i}]", "expected a number and a one-word noun", count)
        segments[f"#{i}"] = text
    order = _merge_order(hint, segments, _meta_rank)
    return [META_PREFIX + (" " + SEGMENT_SEP.join(segments[k] for k in order) if order else "")]


def _render_heading(block: Block, layout: Layout | None) -> list[str]:
    name = block.tag[1]
    if block.where.startswith("sections["):
        name = _name(name, block.where, "##")
        if name in L.SECTION_NAMES:
            _fail(block.where, "is the name of a known section", name)
    return [f"## {name}"]


def _render_prose(block: Block, layout: Layout | None) -> list[str]:
    return _text(block.tag[-1], block.where)


def _render_metric(block: Block, layout: Layout | None) -> list[str]:
    metric, where = block.tag[1], block.where
    assert isinstance(metric, Metric)
    value = _line(metric.value, f"{where}.value", empty=False, forbid=[LIST_SEP])
    description = _line(metric.description, f"{where}.description")
    return [f"- {value}{LIST_SEP}{description}"]


def _render_watch(block: Block, layout: Layout | None) -> list[str]:
    return ["- " + _line(block.tag[1], block.where, empty=False)]


def _render_lens(block: Block, layout: Layout | None) -> list[str]:
    return ["### " + _name(block.tag[1], block.where, "###")]


def _render_take(block: Block, layout: Layout | None) -> list[str]:
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


def _render_related(block: Block, layout: Layout | None) -> list[str]:
    slugs = block.tag[1]
    assert isinstance(slugs, tuple)
    items = []
    for i, slug in enumerate(slugs):
        item = f"[[{slug}]]"
        if not isinstance(slug, str) or not RELATED_ITEM_RE.fullmatch(item):
            _fail(f"related[{i}]", "must be a slug without spaces, brackets or commas", slug)
        _encodable(slug, f"related[{i}]")
        items.append(item)
    return ["- Related:" + (" " + LIST_SEP.join(items) if items else "")]


def _render_entities(block: Block, layout: Layout | None) -> list[str]:
    entities = block.tag[1]
    assert isinstance(entities, tuple)
    for i, entity in enumerate(entities):
        if not isinstance(entity, Entity):
            _fail(f"entities[{i}]", "expected Entity", entity)
    names = [
        _line(
            getattr(entity, "name", entity), f"entities[{i}].name", empty=False, forbid=[LIST_SEP]
        )
        for i, entity in enumerate(entities)
    ]
    return ["- Entities:" + (" " + LIST_SEP.join(names) if names else "")]


def _render_rule(block: Block, layout: Layout | None) -> list[str]:
    return ["---"]


def _render_canonical(block: Block, layout: Layout | None) -> list[str]:
    url = _line(block.tag[1], block.where, empty=False)
    if not NON_SPACE_RE.fullmatch(url) or not CANONICAL_URL_RE.fullmatch(url):
        _fail(block.where, "expected a URL like https://rbtfl.xyz/{locale}/n/{slug}", url)
    return ["Canonical: " + url]


_RENDERERS: Final[dict[Hashable, Callable[[Block, Layout | None], list[str]]]] = {
    L.TITLE: _render_title,
    L.DECK: _render_deck,
    L.META: _render_meta,
    L.HEADING: _render_heading,
    L.PROSE: _render_prose,
    L.EXTRA_BODY: _render_prose,
    L.METRIC: _render_metric,
    L.WATCH: _render_watch,
    L.LENS: _render_lens,
    L.TAKE: _render_take,
    L.RELATED: _render_related,
    L.ENTITIES: _render_entities,
    L.RULE: _render_rule,
    L.CANONICAL: _render_canonical,
}


def _render(block: Block, layout: Layout | None) -> list[str]:
    return _RENDERERS[block.tag[0]](block, layout)


# -- merging an edited story into its parsed layout ---------------------------------------


def parsed_blocks(layout: Layout) -> list[RawBlock]:
    """The parsed file's blocks, with their raw lines and tags."""
    return layout.split(_parsed_tags(layout))


def _parsed_tags(layout: Layout) -> list[Tag]:
    # The parser emits the blocks of the parsed story's canonical walk, in this order.
    return [block.tag for block in _blocks(layout.source, layout)]


def _align(old: Sequence[Tag], new: Sequence[Tag]) -> tuple[list[int | None], list[bool]]:
    """For each new tag: the old block it stands for, and whether that block is unchanged."""
    # An edit changes a few blocks: match the equal ends directly, so that difflib (which
    # hashes every tag, and a tag hashes its whole value) sees only the changed middle.
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    origin: list[int | None] = [*range(head), *[None] * (len(new) - head)]
    reuse = [True] * head + [False] * (len(new) - head)
    old_middle, new_middle = old[head : len(old) - tail], new[head : len(new) - tail]
    if len(old_middle) == len(new_middle) == 1:  # one value edited, what difflib would say
        opcodes: Sequence[tuple[str, int, int, int, int]] = [("replace", 0, 1, 0, 1)]
    else:
        opcodes = difflib.SequenceMatcher(None, old_middle, new_middle, False).get_opcodes()
    for op, i1, i2, j1, j2 in opcodes:
        i1, i2, j1, j2 = i1 + head, i2 + head, j1 + head, j2 + head
        if op == "equal":
            origin[j1:j2] = range(i1, i2)
            reuse[j1:j2] = [True] * (j2 - j1)
        elif op == "replace":  # an edited value keeps the blank lines around it
            for k in range(min(i2 - i1, j2 - j1)):
                if old[i1 + k][0] == new[j1 + k][0]:
                    origin[j1 + k] = i1 + k
    for k in range(1, tail + 1):
        origin[-k], reuse[-k] = len(old) - k, True
    return origin, reuse


def _merge(blocks: Sequence[Block], layout: Layout) -> str:
    """Write *blocks* reusing the parsed file's lines and gaps wherever they still apply."""
    origin, reuse = _align(_parsed_tags(layout), [block.tag for block in blocks])
    lines = layout.lines()
    starts, stops = layout.spans[::2], layout.spans[1::2]
    newline = layout.newline
    out = [BOM] if layout.bom else []
    previous = -1
    for j, block in enumerate(blocks):
        i = origin[j]
        if i is not None and i == previous + 1:
            out.extend(lines[stops[i - 1] if i else 0 : starts[i]])  # the blank lines before
        else:
            out.extend([newline] * block.lead)
        if i is not None and reuse[j]:
            out.extend(lines[starts[i] : stops[i]])
            if not out[-1].endswith("\n"):  # it was the file's unterminated last line
                out.append(newline)
        else:
            out.extend(line + newline for line in _render(block, layout))
        previous = -2 if i is None else i
    if previous == len(starts) - 1:
        out.extend(lines[stops[-1] :])
    if not layout.final_newline and out and out[-1].endswith("\n"):
        out[-1] = out[-1][: -2 if out[-1].endswith("\r\n") else -1]
    return "".join(out)
