"""Layout ("trivia") of a parsed story file, shared by the parser and the renderer.

A story file is read as a sequence of *blocks*: a title line, a take with its quote and
source lines, a prose paragraph run, and so on. Every block has a *tag*, its role plus the
value it spells, so two blocks with equal tags can stand in for each other. Blank lines
between blocks are the *gap* before a block.

The parser records where each block's lines start and end (line endings are kept). The
renderer builds the canonical blocks of the story being dumped and aligns their tags with
those of the parsed blocks: where a tag is unchanged the raw lines are written back;
elsewhere fresh text is rendered. Because a tag carries the whole value, raw text can never
be written for an edited value, whatever layout ``attrs.evolve`` copied along.
"""

from __future__ import annotations

from collections.abc import Container, Hashable, Sequence
from typing import TYPE_CHECKING, Final

import attrs

if TYPE_CHECKING:
    from rbtfl_model.model import Story

#: A block's role and the value it spells, e.g. ``("take", Take(...))``.
Tag = tuple[Hashable, ...]

TITLE: Final = "title"
DECK: Final = "deck"
META: Final = "meta"
HEADING: Final = "heading"
PROSE: Final = "prose"
METRIC: Final = "metric"
WATCH: Final = "watch"
LENS: Final = "lens"
TAKE: Final = "take"
RELATED: Final = "related"
ENTITIES: Final = "entities"
EXTRA_BODY: Final = "extra-body"
RULE: Final = "rule"
CANONICAL: Final = "canonical"

#: Section keys in canonical order; unknown sections (keyed by index) go before "lenses".
SUMMARY: Final = "summary"
SPLIT: Final = "split"
METRICS: Final = "metrics"
WHY: Final = "why_it_matters"
WATCH_LIST: Final = "what_to_watch"
LENSES: Final = "lenses"
GRAPH: Final = "graph"

SectionKey = str | int

#: Known section headings and the key each is stored under.
SECTION_NAMES: Final = {
    "Summary": SUMMARY,
    "The split": SPLIT,
    "By the numbers": METRICS,
    "Why it matters": WHY,
    "What to watch": WATCH_LIST,
    "Regional takes (batched by bias / lens)": LENSES,
    "Across the graph": GRAPH,
}
HEADINGS: Final = {key: name for name, key in SECTION_NAMES.items()}


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
        return tuple(line.removesuffix("\n").removesuffix("\r") for line in self.lines)


@attrs.frozen
class Layout:
    """Everything needed to write a parsed story back byte for byte.

    Kept small, since a loaded corpus holds one per story: the file's bytes and where each
    block starts and ends. The blocks' lines and tags are made again when an edited story
    is written (see :func:`rbtfl_model._renderer.parsed_blocks`); the tags are those of the
    parsed story's own canonical blocks, which the parser emits in the same order.
    """

    data: bytes  # the whole source as UTF-8, BOM included
    source: Story  # the content as parsed, without layout
    spans: tuple[int, ...]  # each block's first line index and end line index, flattened
    newline: str  # "\n" or "\r\n": what new lines are written with
    bom: bool
    final_newline: bool
    section_order: tuple[SectionKey, ...]
    meta_order: tuple[str, ...]  # "type", "date", "heads", extra keys, "#0" for counts[0]
    graph_order: tuple[str, ...]  # "related" and "entities" as they stood

    @property
    def text(self) -> str:
        """The whole source text, BOM included."""
        return self.data.decode("utf-8")  # loads refused lone surrogates

    def lines(self) -> list[str]:
        """The lines after any BOM, each with its line ending."""
        return split_lines(self.text[1:] if self.bom else self.text)

    def split(
        self, tags: Sequence[Tag], kinds: Container[Hashable] | None = None
    ) -> list[RawBlock]:
        """The raw blocks, given their *tags* in file order; only *kinds* of them if given."""
        lines = self.lines()
        blocks = []
        stop = 0
        starts, stops = self.spans[::2], self.spans[1::2]
        for tag, start, end in zip(tags, starts, stops, strict=True):
            if kinds is None or tag[0] in kinds:
                gap = tuple(lines[stop:start])
                blocks.append(RawBlock(tag, gap, tuple(lines[start:end]), start + 1))
            stop = end
        return blocks


def split_lines(text: str) -> list[str]:
    """Split *text* after each ``\n`` (only there: not at other Unicode line breaks)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines
