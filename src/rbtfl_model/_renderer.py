"""Render stories to text: canonical layout, or the parsed file's layout with edits merged in.

A story without layout is written in the seed's own layout. A parsed story is written as its
original text when unchanged; after an edit, the canonical blocks of the new story are aligned
with the parsed blocks by tag (``difflib``), unchanged blocks are written from their raw lines
and only the others are rendered afresh. Values are checked as they are rendered, so a value
the format cannot hold raises :class:`FormatError` instead of writing a different story.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Final

from rbtfl_model import _grammar as G
from rbtfl_model._files import write_atomic
from rbtfl_model._grammar import BOM
from rbtfl_model._lines import Block, merge_order, render
from rbtfl_model._sourcemap import Layout, SectionKey, Tag
from rbtfl_model.model import Story, content

__all__ = ["dump", "dumps"]

# -- entry points ------------------------------------------------------------------------


def dumps(story: Story, *, canonical: bool = False) -> str:
    """Render *story* as story-file text.

    A parsed story comes back byte for byte; after an edit only the edited lines change.
    With ``canonical=True`` the parsed layout is ignored and the story is written in the
    published seed's layout. Raises :class:`FormatError` for a value the format cannot hold.
    """
    layout = None if canonical else story._layout
    if layout is not None and content(story) == layout.content:
        return layout.map.text
    blocks = list(_blocks(story, layout))
    if layout is None:
        lines: list[str] = []
        for block in blocks:
            lines.extend([""] * block.lead)
            lines.extend(render(block, None))
        return "\n".join(lines)  # the published seed ends without a final newline
    return _merge(blocks, layout)


def dump(
    story: Story,
    path: str | bytes | os.PathLike[str] | os.PathLike[bytes],
    *,
    canonical: bool = False,
) -> None:
    """Write *story* to *path* atomically: a temporary file beside it, then a rename.

    A failure midway leaves any existing file untouched and no temporary file behind. An
    existing file keeps its permission bits and, where the process may, its owner and group;
    a new one gets those ``open()`` would give it. A symlink's target is written, and the
    link kept. A missing directory raises :class:`FileNotFoundError` naming it, and creates
    nothing; other errors name *path*. ``canonical`` is as for :func:`dumps`.
    """
    data = dumps(story, canonical=canonical).encode("utf-8")  # dumps refused what UTF-8 cannot
    write_atomic(path, data)


# -- canonical blocks ----------------------------------------------------------------------

#: Canonical rank of each section; unknown sections rank by index between watch and lenses.
_SECTION_RANK: Final = {
    G.SUMMARY: (0, 0),
    G.SPLIT: (1, 0),
    G.METRICS: (2, 0),
    G.WHY: (3, 0),
    G.WATCH_LIST: (4, 0),
    G.LENSES: (6, 0),
    G.GRAPH: (7, 0),
}


def _section_rank(key: SectionKey) -> tuple[int, int]:
    return (5, key) if isinstance(key, int) else _SECTION_RANK[key]


def _blocks(story: Story, layout: Layout | None) -> Iterator[Block]:
    """The story's blocks in canonical layout, ordered as the parsed file had them."""
    yield Block((G.TITLE, story.title), "title", 0)
    yield Block((G.DECK, story.deck), "deck", 0)
    yield Block((G.META, story.meta), "meta", 1)
    hinted = layout.map.section_order if layout else ()
    for key in merge_order(hinted, _present_sections(story, hinted), _section_rank):
        if isinstance(key, int):
            yield from _extra_blocks(story, key)
        elif key == G.GRAPH:
            yield from _graph_blocks(story, layout.map.graph_order if layout else ())
        else:
            yield from _SECTION_BLOCKS[key](story, key)
    if story.canonical is not None:
        yield Block((G.RULE, None), "canonical", 1)
        yield Block((G.CANONICAL, story.canonical), "canonical", 0)


def _present_sections(story: Story, hinted: Sequence[SectionKey]) -> Iterator[SectionKey]:
    """Sections to write: those with content, and empty ones the parsed file had."""
    for key in (G.SUMMARY, G.SPLIT, G.METRICS, G.WHY, G.WATCH_LIST):
        value = getattr(story, key)
        if isinstance(value, str) or (value is not None and (value or key in hinted)):
            yield key
    yield from range(len(story.sections))
    if story.lenses or G.LENSES in hinted:
        yield G.LENSES
    if story.related or story.entities or G.GRAPH in hinted:
        yield G.GRAPH


def _heading(key: str) -> Block:
    return Block((G.HEADING, G.HEADINGS[key]), key, 1)


def _prose_blocks(story: Story, key: str) -> Iterator[Block]:
    yield _heading(key)
    text = getattr(story, key)
    if text:
        yield Block((G.PROSE, (key, text)), key, 1)


def _extra_blocks(story: Story, key: int) -> Iterator[Block]:
    section = story.sections[key]
    yield Block((G.HEADING, section.name), f"sections[{key}].name", 1)
    if section.body:
        yield Block((G.EXTRA_BODY, section.body), f"sections[{key}].body", 1)


def _metric_blocks(story: Story, key: str) -> Iterator[Block]:
    yield _heading(G.METRICS)
    for i, metric in enumerate(story.metrics):
        yield Block((G.METRIC, metric), f"metrics[{i}]", 0 if i else 1)


def _watch_blocks(story: Story, key: str) -> Iterator[Block]:
    yield _heading(G.WATCH_LIST)
    for i, item in enumerate(story.what_to_watch):
        yield Block((G.WATCH, item), f"what_to_watch[{i}]", 0 if i else 1)


def _lens_blocks(story: Story, key: str) -> Iterator[Block]:
    yield _heading(G.LENSES)
    for i, lens in enumerate(story.lenses):
        yield Block((G.LENS, lens.name), f"lenses[{i}].name", 1)
        for j, take in enumerate(lens.takes):
            yield Block((G.TAKE, take), f"lenses[{i}].takes[{j}]", 0)


def _graph_blocks(story: Story, hinted: Sequence[str]) -> Iterator[Block]:
    yield _heading(G.GRAPH)
    present = [
        name
        for name, value in (("related", story.related), ("entities", story.entities))
        if value or name in hinted
    ]
    for name in merge_order(hinted, present, lambda n: (0 if n == "related" else 1, 0)):
        kind = G.RELATED if name == "related" else G.ENTITIES
        yield Block((kind, getattr(story, name)), name, 0)


#: The blocks of each known section but the graph, whose order the parsed file may set.
_SECTION_BLOCKS: Final[dict[str, Callable[[Story, str], Iterator[Block]]]] = {
    G.SUMMARY: _prose_blocks,
    G.SPLIT: _prose_blocks,
    G.METRICS: _metric_blocks,
    G.WHY: _prose_blocks,
    G.WATCH_LIST: _watch_blocks,
    G.LENSES: _lens_blocks,
}


# -- merging an edited story into its parsed layout ---------------------------------------


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
        # autojunk (difflib's default) ignores tags repeated across 1% of a sequence of 200
        # or more blocks: a real story has far fewer blocks, and without it thousands of
        # identical takes make the alignment quadratic.
        opcodes = difflib.SequenceMatcher(None, old_middle, new_middle).get_opcodes()
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
    smap = layout.map
    origin, reuse = _align(smap.tags, [block.tag for block in blocks])
    lines = smap.lines()
    starts, stops = smap.starts, smap.stops
    newline = layout.newline
    out = [BOM] if smap.bom else []
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
            out.extend(line + newline for line in render(block, layout))
        previous = -2 if i is None else i
    if previous == len(starts) - 1:
        out.extend(lines[stops[-1] :])
    if not layout.final_newline and out and out[-1].endswith("\n"):
        out[-1] = out[-1][: -2 if out[-1].endswith("\r\n") else -1]
    return "".join(out)
