"""Hostile input of every shape parses, or fails, with work proportional to its size.

Work is counted, not timed, so a busy machine cannot fail these tests: each step runs at two
sizes ten times apart, and the larger may do at most ``MAX_RATIO`` times the work. Two counts,
because each is blind where the other sees (``tests/workcount.py``):

- calls (Python and built-in function calls), always: they catch quadratic Python loops,
  such as ``difflib`` aligning thousands of equal blocks in an edited dump;
- instructions (valgrind), where valgrind runs, as it does in CI: they also catch work inside
  one C call, such as a regular expression that backtracks (the lazy heading name and
  quantity unit), mistletoe rescanning a long paragraph after each ``]``, a ``str.count``
  from the start of a field for each link, ``list.pop(0)`` or a search through a list.

The stand-ins in ``tests/linear_cases.py`` prove that each count fails on the kind of path it
guards. ``python benchmarks/hostile.py`` prints the times themselves.
"""

from __future__ import annotations

import pytest

from benchmarks import hostile
from benchmarks.hostile import FINDING_COUNTS, FINDINGS, SHAPES
from tests import linear_cases, workcount
from tests.linear_cases import CALL_SIZES, INSTRUCTION_SIZES, STAND_INS, STEPS
from tests.workcount import MAX_RATIO


def _ids(cases: list[tuple[str, str]]) -> list[str]:
    return [f"{name}-{step}" for name, step in cases]


def test_shapes_parse_or_fail_as_declared() -> None:
    for name, shape in SHAPES.items():
        for size in {*linear_cases.sizes(name, CALL_SIZES), *INSTRUCTION_SIZES}:
            assert hostile.parses(shape.build(size)) is shape.parses, (name, size)


# -- calls: a sys.setprofile hook -------------------------------------------------------------


@pytest.mark.parametrize(("name", "step"), STEPS, ids=_ids(STEPS))
def test_calls_grow_linearly(name: str, step: str) -> None:
    small, large = (
        hostile.actions(SHAPES[name], size)[step] for size in linear_cases.sizes(name, CALL_SIZES)
    )
    found = workcount.ratio(large, small)
    assert found <= MAX_RATIO, f"{name} {step}: {found:.1f}x the calls at 10x the size"


def test_calls_catch_quadratic_alignment() -> None:
    small, large = (linear_cases.quadratic_alignment(size) for size in CALL_SIZES)
    assert workcount.ratio(large, small) > MAX_RATIO


def test_calls_are_blind_to_backtracking() -> None:
    """Why instructions are counted too: a backtracking regex is one call at any size."""
    small, large = (
        linear_cases.quadratic_heading(size) for size in STAND_INS["quadratic-heading"].sizes
    )
    assert workcount.calls(large) == workcount.calls(small)


# -- instructions: valgrind, in one child process for every case ------------------------------


def ratio(counts: dict[str, int], name: str, step: str) -> float:
    """How many times the instructions of *name*'s *step* at its larger size is the smaller."""
    small, large = (
        counts[f"{name}/{step}/{size}"] for size in linear_cases.sizes(name, INSTRUCTION_SIZES)
    )
    return large / small


@pytest.mark.parametrize(("name", "step"), STEPS, ids=_ids(STEPS))
def test_instructions_grow_linearly(instructions: dict[str, int], name: str, step: str) -> None:
    found = ratio(instructions, name, step)
    assert found <= MAX_RATIO, f"{name} {step}: {found:.1f}x the instructions at 10x the size"


@pytest.mark.parametrize("name", FINDINGS)
def test_validate_instructions_grow_linearly(instructions: dict[str, int], name: str) -> None:
    """Ten times the findings (duplicate lens names, wrong counts, bad Related slugs and
    languages, ...): ``tests/test_validate.py`` counts validate's calls, this its instructions,
    which also see a search from the start of a list or text per finding."""
    small, large = (instructions[f"{name}/validate/{count}"] for count in FINDING_COUNTS)
    found = large / small
    assert found <= MAX_RATIO, f"{name} validate: {found:.1f}x the instructions at 10x findings"


@pytest.mark.parametrize("name", [name for name in STAND_INS if name != "linear-scan"])
def test_instructions_catch_quadratic_stand_in(instructions: dict[str, int], name: str) -> None:
    assert ratio(instructions, name, "-") > MAX_RATIO


def test_instructions_pass_linear_stand_in(instructions: dict[str, int]) -> None:
    assert ratio(instructions, "linear-scan", "-") <= MAX_RATIO
