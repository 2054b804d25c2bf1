"""Hostile input of every shape parses, or fails, in time proportional to its size."""

from __future__ import annotations

import gc
from collections.abc import Callable

import attrs
import pytest

import rbtfl_model as rm
from benchmarks.hostile import SHAPES, best_time

#: Ten times the input may take at most this many times as long: linear time with room for
#: a noisy machine, where quadratic time would take a hundred times as long.
MAX_RATIO = 20
#: Sizes compared for each step; the slowest shape's links are compared a size lower, as its
#: 1 MB case alone takes seconds (``python benchmarks/hostile.py`` prints it).
SIZES = (100_000, 1_000_000)
SLOW_LINKS = {"paragraphs-at-limit": (10_000, 100_000)}


def _parse(text: str) -> rm.Story | None:
    try:
        return rm.loads(text)
    except rm.ParseError:
        return None


def _ratio(large: Callable[[], object], small: Callable[[], object]) -> float:
    """How many times as long *large* takes as *small*: the best of a few measurements.

    Another process taking the CPU can only make one run look slower, so a linear step
    soon shows a ratio near ten; a quadratic one stays near a hundred however often it runs.
    """
    ratios = []
    for _ in range(3):
        ratios.append(_timed(large) / _timed(small))
        if ratios[-1] <= MAX_RATIO:
            break
    return min(ratios)


def _timed(action: Callable[[], object]) -> float:
    """Best of a few runs, without the cyclic garbage collector.

    Its passes cost amortised linear time but land at random points, and on the larger
    input also walk everything the test process holds: timing them measures the process,
    not the parser.
    """
    gc.collect()
    gc.disable()
    try:
        best, spent, runs = float("inf"), 0.0, 0
        # at least 3 runs and 0.1 s: a run of a millisecond is easily disturbed
        while runs < 3 or (spent < 0.1 and runs < 50):
            took = best_time(action, repeat=1)
            best, spent, runs = min(best, took), spent + took, runs + 1
        return best
    finally:
        gc.enable()


@pytest.mark.parametrize("name", SHAPES)
def test_loads_takes_linear_time(name: str) -> None:
    shape = SHAPES[name]
    small, large = (shape.build(size) for size in SIZES)
    assert (_parse(small) is not None, _parse(large) is not None) == (shape.parses,) * 2
    assert _ratio(lambda: _parse(large), lambda: _parse(small)) <= MAX_RATIO


@pytest.mark.parametrize("name", [name for name, shape in SHAPES.items() if shape.parses])
def test_links_take_linear_time(name: str) -> None:
    small, large = (rm.loads(SHAPES[name].build(size)) for size in SLOW_LINKS.get(name, SIZES))
    assert len(large.links) >= len(small.links)
    # attrs.evolve gives a copy with an empty links cache, so each run finds them afresh
    ratio = _ratio(lambda: attrs.evolve(large).links, lambda: attrs.evolve(small).links)
    assert ratio <= MAX_RATIO


def test_long_paragraph_links_are_found_in_place() -> None:
    """Past the inline parser's limits, plain links and autolinks are still found exactly."""
    paragraph = "[x" * 100 + ' see [the story](/ko/n/a "T") and <https://e.com/b>.'
    story = rm.loads(f"# T\n> D\n\n**Meta:**\n\n## Summary\n\nfirst [a](/ko/n/b)\n\n{paragraph}\n")
    found = [(link.text, link.target, link.title, link.line, link.column) for link in story.links]
    assert found == [
        ("a", "/ko/n/b", None, 8, 7),
        ("the story", "/ko/n/a", "T", 10, 206),
        ("https://e.com/b", "https://e.com/b", None, 10, 235),
    ]


#: Shapes made of thousands of blocks, which is what aligning an edited story scales with; the
#: others are a few huge blocks, copied in a millisecond, whose ratio measures the CPU cache.
MANY_BLOCKS = [name for name, shape in SHAPES.items() if shape.parses and name.startswith("many-")]


@pytest.mark.parametrize("name", MANY_BLOCKS)
def test_edited_dumps_take_linear_time(name: str) -> None:
    """An edit at both ends leaves the whole story for difflib to align: it must stay linear."""
    small, large = (rm.loads(SHAPES[name].build(size)) for size in SIZES)

    def edit(story: rm.Story) -> rm.Story:
        return attrs.evolve(story, title="Edited", canonical="https://rbtfl.xyz/ko/n/edited")

    small_edit, large_edit = edit(small), edit(large)
    assert rm.loads(rm.dumps(large_edit)) == large_edit
    assert _ratio(lambda: rm.dumps(large_edit), lambda: rm.dumps(small_edit)) <= MAX_RATIO
