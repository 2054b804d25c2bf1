"""The source map: what the parser records of each block, and the positions it answers."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

import rbtfl_model as rm
from rbtfl_model import _grammar as G
from rbtfl_model._sourcemap import SourceMap, source_map
from rbtfl_model.model import content
from tests.conftest import VALID, read


def _map(story: rm.Story) -> SourceMap:
    smap = source_map(story)
    assert smap is not None
    return smap


def _at(text: str, position: tuple[int, int] | None) -> str:
    """The text of the file from a 1-based line and column to the end of that line."""
    assert position is not None
    line, column = position
    return text.splitlines()[line - 1][column - 1 :]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_layout_keeps_the_story_content_as_parsed(path: Path) -> None:
    """dumps knows an unchanged story by this tuple: it must be the story's content."""
    story = rm.load(path)
    assert story._layout is not None
    assert story._layout.content == content(story)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_positions_point_at_each_field(path: Path) -> None:
    story, text = rm.load(path), read(path)
    smap = _map(story)
    for take in story.takes:
        assert _at(text, smap.where((G.TAKE, take), "language")).startswith(take.language + ")")
        assert _at(text, smap.where((G.TAKE, take), "summary")) == take.summary
        assert _at(text, smap.where((G.TAKE, take), "outlet")).startswith(take.outlet + "**")
        if take.source is not None:
            assert _at(text, smap.where((G.TAKE, take), "source")).startswith(take.source)
        if take.quote is not None:
            assert _at(text, smap.where((G.TAKE, take), "quote")).startswith(take.quote + '"')
    for metric in story.metrics:
        found = smap.where((G.METRIC, metric), "description")
        assert _at(text, found) == metric.description
    for lens in story.lenses:
        assert _at(text, smap.where((G.LENS, lens.name), "name")).startswith(lens.name)
    for i, slug in enumerate(story.related):
        assert _at(text, smap.where((G.RELATED, story.related), f"[{i}]")).startswith(slug)
    for i, count in enumerate(story.meta.counts):
        segment = f"{count.number} {count.noun}"
        assert _at(text, smap.where((G.META, story.meta), f"counts[{i}]")).startswith(segment)
    if story.canonical is not None:
        assert _at(text, smap.where((G.CANONICAL, story.canonical))) == story.canonical


def test_an_edited_value_has_no_position() -> None:
    story = next(story for story in map(rm.load, VALID) if story.takes)
    take = story.takes[0]
    edited = attrs.evolve(take, language="xx")
    assert _map(story).where((G.TAKE, take), "language") is not None
    assert _map(story).where((G.TAKE, edited), "language") is None


def test_the_map_records_every_block_once_in_file_order() -> None:
    story = rm.loads("# T\n> D\n\n**Meta:** type: story\n\n## Summary\n\nText.\n")
    smap = _map(story)
    assert smap.tags == [
        (G.TITLE, "T"),
        (G.DECK, "D"),
        (G.META, story.meta),
        (G.HEADING, "Summary"),
        (G.PROSE, (G.SUMMARY, "Text.")),
    ]
    assert smap.starts == (0, 1, 3, 5, 7)
    assert smap.stops == (1, 2, 4, 6, 8)


@pytest.mark.parametrize(
    "line", ["##", "## ", "##\t", "## a", "##  a b ", "##a", "###", "### a", "# a", " ## a", ""]
)
def test_section_heading_starts_say_what_the_pattern_says(line: str) -> None:
    """The parser finds section ends by prefix: the same lines the heading pattern matches."""
    by_prefix = line.startswith(G.SECTION_HEADING_STARTS) or line == G.SECTION_HEADING_BARE
    assert by_prefix == (G.SECTION_HEADING_RE.fullmatch(line) is not None)
