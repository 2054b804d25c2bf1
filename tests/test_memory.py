"""What a loaded corpus and its graph keep, counted in objects rather than measured in time.

A graph reads each story's slugs, not its links: it must not fill ``Story.links``' cache nor
keep a ``Link`` per link. Names from closed vocabularies (outlets, regions, languages,
section and lens names, entity names, related slugs, heads, the meta type) are one str for
every story that has them; prose is not shared.
"""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import pytest

import rbtfl_model as rm
from benchmarks.synthetic import write
from rbtfl_model import _grammar as G
from rbtfl_model import _parser
from rbtfl_model._sourcemap import source_map
from rbtfl_model.links import site_slugs
from rbtfl_model.model import Story
from tests.conftest import VALID

#: Where the package's code lives: blocks allocated there are what the package keeps.
PACKAGE = Path(rm.__file__).parent


def slugs_from_links(story: Story) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a graph read of a story before it read slugs: its links, found and cached."""
    stories = {link.slug for link in story.story_links if link.slug is not None}
    entities = set(story.entity_slugs)
    entities.update(link.slug for link in story.entity_links if link.slug is not None)
    return tuple(sorted(stories)), tuple(sorted(entities))


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_slugs_are_those_of_the_links(path: Path) -> None:
    story = rm.load(path)
    scanned = site_slugs(story)
    assert scanned == site_slugs(story, story.links) == slugs_from_links(story)
    assert scanned[0] or scanned[1]  # each bundled story links somewhere


def test_a_graph_leaves_the_links_unfound() -> None:
    corpus = rm.Corpus.from_stories(rm.load(path) for path in VALID)
    graph = corpus.graph()
    assert len(graph.edges()) == 23
    assert all(story._links is None for story in corpus.values())
    assert all(story._slugs is not None for story in corpus.values())
    linked = rm.load(VALID[0])
    links = linked.links  # found first: the slugs are read from them, not scanned again
    assert linked._site_slugs() == slugs_from_links(linked)
    assert linked._links is links


def package_blocks() -> int:
    """The memory blocks allocated by the package's own code and still alive."""
    snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(True, f"{PACKAGE}/*")])
    return sum(stat.count for stat in snapshot.statistics("filename"))


def test_a_graph_keeps_its_edges_and_few_objects_more(tmp_path: Path) -> None:
    """Per story: its edges, their tuples, the slugs read; some 6 blocks more (it was 23)."""
    folder = tmp_path / "corpus"
    write(120, folder, seed=3)
    # a first graph of the same folder, held: its link targets fill the bounded cache of
    # link destinations, and its names are interned, so neither counts below
    warm = rm.load_dir(folder).graph()
    corpus = rm.load_dir(folder)
    gc.collect()
    tracemalloc.start()
    try:
        before = package_blocks()
        graph = corpus.graph()
        kept = package_blocks() - before
    finally:
        tracemalloc.stop()
    edges = len(graph.edges())
    assert edges == len(warm.edges()) > 3 * len(corpus)
    assert kept <= edges + 8 * len(corpus)


def test_vocabulary_is_shared_and_prose_is_not() -> None:
    data = VALID[1].read_bytes()
    first, second = rm.loads(data), rm.loads(bytes(bytearray(data)))
    assert first == second

    def names(story: Story) -> list[str]:
        meta = story.meta
        return [
            *(meta.type or "",),
            *meta.heads,
            *(lens.name for lens in story.lenses),
            *(s for take in story.takes for s in (take.outlet, take.region, take.language)),
            *(entity.name for entity in story.entities),
            *story.related,
            *(str(value) for kind, value in tags(story) if kind == G.HEADING),
        ]

    shared = names(first)
    assert len(shared) > 25
    assert all(a is b for a, b in zip(shared, names(second), strict=True))
    # entities and the usual meta line's counts are shared as whole values
    assert first.entities
    assert first.meta.counts
    assert all(a is b for a, b in zip(first.entities, second.entities, strict=True))
    assert first.meta.counts is second.meta.counts
    assert first.summary is not second.summary  # prose stays each story's own
    assert first.takes[0].summary is not second.takes[0].summary


def tags(story: Story) -> list[tuple[str, object]]:
    smap = source_map(story)
    assert smap is not None
    return list(smap.tags)


def test_the_tables_of_shared_values_keep_only_short_keys() -> None:
    long_name = "E" * 201
    story = rm.loads(
        "# T\n> D\n\n**Meta:** type: story · date: 2026-01-01 · heads: a"
        + " · 1 take" * 3
        + f"\n\n## Across the graph\n- Entities: Short, {long_name}\n"
    )
    assert [entity.name for entity in story.entities] == ["Short", long_name]
    assert _parser._ENTITIES["Short"] is story.entities[0]
    assert long_name not in _parser._ENTITIES  # a hostile file cannot fill them with its bulk
    assert all(len(key) <= _parser._SHARED_KEY_LENGTH for key in _parser._ENTITIES)
    assert all(len(key) <= _parser._SHARED_KEY_LENGTH for key in _parser._COUNTS)
    assert all(len(key) <= _parser._SHARED_KEY_LENGTH for key in _parser._TAKE_NAMES)
