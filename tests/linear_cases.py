"""What ``test_linear_time`` counts: each hostile shape's steps at two sizes, and stand-ins.

Kept apart from the tests, without pytest, because :func:`counted_cases` also runs in the
child interpreter that valgrind counts instructions in, where every import costs seconds.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterator
from typing import Final, NamedTuple

from benchmarks import hostile
from benchmarks.hostile import FINDING_COUNTS, FINDINGS, SHAPES
from rbtfl_model import _inline, loads, parse_quantity, validate

Action = Callable[[], object]

#: The sizes compared by calls, in characters: ten times apart.
CALL_SIZES: Final = (10_000, 100_000)
#: The sizes compared by instructions: smaller, as valgrind runs code some 75 times slower.
INSTRUCTION_SIZES: Final = (10_000, 100_000)
#: Shapes compared at sizes of their own: a take summary of one "[" and many "]" is given to
#: mistletoe whole only while it is short, so it grows within that bound, from 800 to 8,000.
OWN_SIZES: Final = {"close-brackets-takes": (800, 8_000)}


def sizes(name: str, by: tuple[int, int]) -> tuple[int, int]:
    """The two sizes *name* (a shape or a stand-in) is compared at, *by* unless it says."""
    if name in STAND_INS:
        return STAND_INS[name].sizes
    return OWN_SIZES.get(name, by)


def _steps() -> Iterator[tuple[str, str]]:
    for name, shape in SHAPES.items():
        for step in ("loads", "links", "dumps") if shape.parses else ("loads",):
            yield name, step


#: Every (shape, step) pair: each is compared by calls and by instructions.
STEPS: Final = list(_steps())


def counted_cases() -> dict[str, Action]:
    """Every counted step at both sizes, and every stand-in: ``name/step/size`` to action."""
    cases: dict[str, Action] = {}
    for name, shape in SHAPES.items():
        for size in sizes(name, INSTRUCTION_SIZES):
            steps = hostile.actions(shape, size)
            for step, action in steps.items():
                cases[f"{name}/{step}/{size}"] = action
    for name, build in FINDINGS.items():
        for count in FINDING_COUNTS:
            # loaded here, outside the count: only validate's own work is compared
            cases[f"{name}/validate/{count}"] = functools.partial(validate, loads(build(count)))
    for name, unit in QUANTITY_UNITS.items():
        for size in INSTRUCTION_SIZES:
            cases[f"{name}/parse/{size}"] = functools.partial(parse_quantity, unit(size))
    for name, stand_in in STAND_INS.items():
        for size in stand_in.sizes:
            cases[f"{name}/-/{size}"] = stand_in.build(size)
    return cases


#: Metric values whose units made the quantity pattern backtrack: each "/" retried "/per".
QUANTITY_UNITS: Final[dict[str, Callable[[int], str]]] = {
    "units-slashes-then-digit": lambda size: "5 a" + "/a" * (size // 2) + "1",
    "units-slashes": lambda size: "5 a" + "/a" * (size // 2),
    "units-spaced": lambda size: "5 a" + " /a" * (size // 3),
}


# -- stand-ins: deliberately quadratic versions of paths fixed so far, and a linear one ------

#: The section heading pattern before it was fixed: its lazy name is retried against the
#: trailing blanks at every space, so ``## a<spaces>b`` backtracks quadratically.
OLD_HEADING_RE: Final = re.compile(r"\#\#(?:[ \t]+(?P<name>.*?))?[ \t]*")


def quadratic_heading(size: int) -> Action:
    """The old heading pattern on a heading of *size* inner spaces."""
    line = hostile.heading_inner_spaces(size).splitlines()[5]
    return lambda: OLD_HEADING_RE.fullmatch(line)


def quadratic_line_numbers(size: int) -> Action:
    """A line number for each heading counted from the start of the text, not onwards."""
    text = hostile.many_sections(size)
    starts = [found.start() for found in re.finditer("^## ", text, re.MULTILINE)]
    return lambda: [text.count("\n", 0, start) + 1 for start in starts]


def quadratic_queue(size: int) -> Action:
    """Lines taken in turn from the front of a list, not of a deque."""
    lines = hostile.many_sections(size).splitlines()

    def drain(queue: list[str]) -> None:
        while queue:
            queue.pop(0)

    return lambda: drain(lines.copy())


def unbounded_mistletoe(size: int) -> Action:
    """mistletoe given a whole paragraph of bracket pairs: it rescans after each ``]``.

    Given to ``_inline`` directly: the fast path knows this paragraph holds no link (no ")"
    follows its "]("), so ``Story.links`` would not ask mistletoe.
    """
    paragraph = hostile._repeat("[[[[a]]]](", size)

    def unbounded() -> object:
        limits = _inline.INLINE_LIMIT, _inline.INLINE_BRACKETS
        _inline.INLINE_LIMIT = _inline.INLINE_BRACKETS = 10**9  # type: ignore[misc]
        try:
            return _inline.inline_links([paragraph])
        finally:
            _inline.INLINE_LIMIT, _inline.INLINE_BRACKETS = limits  # type: ignore[misc]

    return unbounded


def quadratic_alignment(size: int) -> Action:
    """difflib aligning equal blocks with its autojunk off, as edited dumps once did."""
    old, new = ["take"] * (size // 100), ["title", *["take"] * (size // 100)]
    return lambda: difflib.SequenceMatcher(None, old, new, False).get_opcodes()


def linear_scan(size: int) -> Action:
    """The fixed counterpart of the line numbers above: a guard must let it pass."""
    text = hostile.many_sections(size)
    return lambda: text.count("\n")


class StandIn(NamedTuple):
    build: Callable[[int], Action]
    #: small, as the larger size of a quadratic stand-in costs a hundred times the smaller
    sizes: tuple[int, int]


#: The stand-ins whose instructions are counted.
STAND_INS: Final = {
    "quadratic-heading": StandIn(quadratic_heading, (200, 2_000)),
    "quadratic-line-numbers": StandIn(quadratic_line_numbers, (1_000, 10_000)),
    "quadratic-queue": StandIn(quadratic_queue, (1_000, 10_000)),
    "unbounded-mistletoe": StandIn(unbounded_mistletoe, (150, 1_500)),
    "linear-scan": StandIn(linear_scan, (1_000, 10_000)),
}
