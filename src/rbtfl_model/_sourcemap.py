"""Where each parsed value stands in its file: the source map, and the layout that holds it.

A story file is read as a sequence of *blocks*: a title line, a take with its quote and
source lines, a prose paragraph run, and so on. Every block has a *tag*, its kind and the
value it spells, so two blocks with equal tags can stand in for each other. Blank lines
between blocks are the *gap* before a block.

The parser records, as it parses, each block's kind, value and the lines it spans: that is
the :class:`SourceMap`. Whoever needs a position asks the map, by tag (which finds a block
only while its value is unchanged) and field (``"language"`` of a take, ``"counts[0]"`` of
the meta line). The map decodes the file and indexes its tags once, on the first question,
and answers every later question from that index.

The renderer writes an edited story by aligning the tags of its blocks with the map's: where
a tag is unchanged the raw lines are written back; elsewhere fresh text is rendered. Because
a tag carries the whole value, raw text can never be written for an edited value, whatever
layout ``attrs.evolve`` copied along.

This module sits just above the grammar: it knows nothing of the model's classes.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Hashable, Sequence
from typing import TYPE_CHECKING, Any, Final, cast

import attrs

from rbtfl_model import _grammar as G

if TYPE_CHECKING:
    from rbtfl_model.model import Metric, Story, Take

__all__ = ["Layout", "Position", "RawBlock", "SectionKey", "SourceMap", "Tag", "source_map"]

#: A block's kind (one of the ``_grammar`` kinds) and the value it spells.
Tag = tuple[str, Hashable]
#: A 1-based line and column; columns count characters, not bytes or display cells.
Position = tuple[int, int]
#: A known section's key, or an unknown section's index in ``Story.sections``.
SectionKey = str | int


@attrs.frozen
class RawBlock:
    """One block as it stood in the file."""

    tag: Tag
    gap: tuple[str, ...]  # blank lines before the block, with their line endings
    lines: tuple[str, ...]  # the block's own lines, with their line endings
    line: int  # 1-based line number of the block's first line in the source

    @property
    def texts(self) -> tuple[str, ...]:
        """The block's lines without their line endings."""
        return tuple(_text(line) for line in self.lines)


class _Found:
    """What the map works out on its first question: decoded lines, an index, fields."""

    __slots__ = ("by_tag", "fields", "lines")

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.by_tag: dict[str, dict[Tag, list[int]]] = {}  # by kind, then tag
        self.fields: dict[int, dict[str, Position]] = {}


# Not frozen, though nothing assigns to a map after the parser builds it (but its cache): a
# frozen attrs class sets each field through object.__setattr__, which made building this
# map and its Layout about 2% of loads. Both are private; the model's classes stay frozen.
@attrs.define
class SourceMap:
    """Every block of a parsed file: its tag, the lines it spans, and the order of parts.

    Kept small, since a loaded corpus holds one per story: the file's bytes, one character
    per block for its kind, the block's value (shared with the story) and its line span.
    The first question (a position, or an edited dump) decodes the text and keeps its
    lines, the tag index and the fields found, so every later question is a lookup.
    """

    data: bytes  # the whole source as UTF-8, BOM included
    bom: bool
    kinds: str  # each block's kind, one character a block
    values: tuple[Hashable, ...]  # each block's value; a prose block's is (key, text)
    starts: tuple[int, ...]  # each block's first line index
    stops: tuple[int, ...]  # each block's end line index (one past its last line)
    line_count: int  # lines in the file, after any BOM
    section_order: tuple[SectionKey, ...]
    meta_order: tuple[str, ...]  # "type", "date", "heads", extra keys, "#0" for counts[0]
    graph_order: tuple[str, ...]  # "related" and "entities" as they stood
    # Filled in on the first question and kept: a cache, so not part of equality.
    _found: _Found | None = attrs.field(default=None, init=False, eq=False, repr=False)

    @property
    def text(self) -> str:
        """The whole source text, BOM included."""
        return self.data.decode("utf-8")  # loads refused lone surrogates

    @property
    def tags(self) -> list[Tag]:
        """Each block's tag, in file order."""
        return list(zip(self.kinds, self.values, strict=True))

    def lines(self) -> list[str]:
        """The lines after any BOM, each with its line ending; decoded once, then kept."""
        return self._answers().lines

    def blocks(self, kinds: Container[str] | None = None) -> list[RawBlock]:
        """The raw blocks in file order; only those of *kinds* if given."""
        lines = self.lines()
        blocks = []
        stop = 0
        for tag, start, end in zip(self.tags, self.starts, self.stops, strict=True):
            if kinds is None or tag[0] in kinds:
                gap = tuple(lines[stop:start])
                blocks.append(RawBlock(tag, gap, tuple(lines[start:end]), start + 1))
            stop = end
        return blocks

    def find(self, tag: Tag) -> Sequence[int]:
        """The numbers of the blocks that spell *tag*, in file order."""
        kind = tag[0]
        found = self._answers()
        index = found.by_tag.get(kind)
        if index is None:
            # index one kind at a time: a tag hashes its whole value (every entity of the
            # Entities line), so hash only the kinds someone asks about
            index = {}
            values = self.values
            for number, other in enumerate(self.kinds):
                if other == kind:
                    index.setdefault((kind, values[number]), []).append(number)
            # published whole: another thread asking meanwhile builds its own, never sees
            # half of this one
            found.by_tag[kind] = index
        return index.get(tag, ())

    def position(self, block: int, field: str = "") -> Position | None:
        """Where *field* of block number *block* starts; ``""`` is the block's value.

        Fields: ``summary``, ``language``, ``quote`` and ``source`` of a take;
        ``description`` of a metric; ``name`` of a heading or lens; ``[i]`` of the Related
        line; ``counts[i]`` and the keys of the meta line. None for a field the block lacks.
        """
        found = self._answers()
        fields = found.fields.get(block)
        if fields is None:
            kind, value = self.kinds[block], self.values[block]
            start, stop = self.starts[block], self.stops[block]
            texts = [_text(line) for line in found.lines[start:stop]]
            fields = found.fields[block] = _FIELDS[kind](self, texts, value, start + 1)
        return fields.get(field)

    def where(self, tag: Tag, field: str = "", nth: int = 0) -> Position | None:
        """Where *field* of the *nth* block spelling *tag* starts; None if there is none."""
        blocks = self.find(tag)
        return self.position(blocks[nth], field) if nth < len(blocks) else None

    def source_line(self, line: int) -> str:
        """The text of 1-based *line*, without its ending ("" past the end)."""
        lines = self.lines()
        return _text(lines[line - 1]) if 0 < line <= len(lines) else ""

    def _answers(self) -> _Found:
        found = self._found
        if found is None:
            text = self.text
            found = self._found = _Found(split_lines(text[1:] if self.bom else text))
        return found


@attrs.define  # not frozen: see SourceMap
class Layout:
    """Everything needed to write a parsed story back byte for byte: its map and trivia."""

    map: SourceMap
    content: tuple[Any, ...]  # the story's content fields as parsed (see model.content)
    newline: str  # "\n" or "\r\n": what new lines are written with
    final_newline: bool


def source_map(story: Story) -> SourceMap | None:
    """The source map of a parsed *story*; None for a story built in code."""
    layout = story._layout
    return layout.map if layout is not None else None


def split_lines(text: str) -> list[str]:
    """Split *text* after each ``\n`` (only there: not at other Unicode line breaks)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _text(line: str) -> str:
    return line.removesuffix("\n").removesuffix("\r")


# -- fields of each kind of block --------------------------------------------------------------
# Each function gets the map, the block's lines (without endings), its value and its first
# line number, and returns the position of every field it has. The lines were accepted by the
# parser, so the patterns here match them.


_Fields = Callable[["SourceMap", list[str], object, int], dict[str, Position]]


def _value_at(column: int) -> _Fields:
    """Fields of a block whose value starts at *column* of its first line."""

    def fields(smap: SourceMap, texts: list[str], value: object, line: int) -> dict[str, Position]:
        return {"": (line, column)}

    return fields


def _heading_fields(
    smap: SourceMap, texts: list[str], value: object, line: int
) -> dict[str, Position]:
    regex = G.LENS_HEADING_RE if texts[0].startswith("###") else G.SECTION_HEADING_RE
    match = regex.fullmatch(texts[0])
    assert match is not None
    return {"": (line, 1), "name": (line, match.start("name") + 1)}


def _meta_fields(
    smap: SourceMap, texts: list[str], value: object, line: int
) -> dict[str, Position]:
    fields = {"": (line, 1)}
    rest = texts[0][len(G.META_PREFIX) + 1 :]
    column = len(G.META_PREFIX) + 2
    segments = rest.split(G.SEGMENT_SEP) if rest else []
    for key, segment in zip(smap.meta_order, segments, strict=True):
        name = f"counts[{key[1:]}]" if key.startswith("#") else key
        fields[name] = (line, column)
        column += len(segment) + len(G.SEGMENT_SEP)
    return fields


def _metric_fields(
    smap: SourceMap, texts: list[str], value: object, line: int
) -> dict[str, Position]:
    description = cast("Metric", value).description
    return {"": (line, 3), "description": (line, len(texts[0]) - len(description) + 1)}


def _take_fields(
    smap: SourceMap, texts: list[str], value: object, line: int
) -> dict[str, Position]:
    first = texts[0]
    take = cast("Take", value)
    summary, language = take.summary, take.language
    summary_at = len(first) - len(summary)
    paren = summary_at - len(G.TAKE_SEP) - 1  # the ")" after the language
    fields = {
        "": (line, 1),
        "outlet": (line, 5),
        "summary": (line, summary_at + 1),
        "language": (line, paren - len(language) + 1),
    }
    for offset, text in enumerate(texts[1:], 1):
        if match := G.QUOTE_LINE_RE.fullmatch(text):
            fields["quote"] = (line + offset, match.start("quote") + 1)
        elif match := G.SOURCE_LINE_RE.fullmatch(text):
            fields["source"] = (line + offset, match.start("url") + 1)
    return fields


def _related_fields(
    smap: SourceMap, texts: list[str], value: object, line: int
) -> dict[str, Position]:
    fields = {"": (line, 1)}
    rest = texts[0][len(G.RELATED_PREFIX) + 1 :].rstrip(" \t")
    column = len(G.RELATED_PREFIX) + 2
    for i, item in enumerate(rest.split(G.LIST_SEP) if rest else ()):
        fields[f"[{i}]"] = (line, column + 2)  # the slug, inside "[["
        column += len(item) + len(G.LIST_SEP)
    return fields


_FIELDS: Final[dict[str, _Fields]] = {
    G.TITLE: _value_at(len(G.TITLE_PREFIX) + 1),
    G.DECK: _value_at(len(G.DECK_PREFIX) + 1),
    G.META: _meta_fields,
    G.HEADING: _heading_fields,
    G.PROSE: _value_at(1),
    G.EXTRA_BODY: _value_at(1),
    G.METRIC: _metric_fields,
    G.WATCH: _value_at(len(G.BULLET) + 1),
    G.LENS: _heading_fields,
    G.TAKE: _take_fields,
    G.RELATED: _related_fields,
    G.ENTITIES: _value_at(1),
    G.RULE: _value_at(1),
    G.CANONICAL: _value_at(len(G.CANONICAL_PREFIX) + 1),
}
