"""Shared fixtures: the bundled corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.workcount import CannotCount, Counting

#: CI sets this, so that a machine without valgrind fails instead of skipping.
REQUIRE_VALGRIND = os.environ.get("RBTFL_REQUIRE_VALGRIND") == "1"

# `pytest --hypothesis-profile=thorough` runs the property tests much longer.
settings.register_profile(
    "default", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=20_000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("default")

DATA = Path(__file__).parent / "data"
VALID = sorted((DATA / "valid").glob("*.md"))
INVALID = sorted((DATA / "invalid").glob("*.md"))
SEED = DATA / "valid" / "china-rare-earth-japan-controls.md"


def read(path: Path) -> str:
    """The file's text exactly as stored (no newline translation)."""
    return path.read_bytes().decode("utf-8")


@pytest.fixture
def seed_text() -> str:
    return read(SEED)


#: What ``test_linear_time`` counts instructions of, in a child process under valgrind.
COUNTED_CASES = "tests.linear_cases:counted_cases"
COUNTING = pytest.StashKey["Counting | CannotCount"]()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start counting instructions as soon as a test needs them: the child then counts on
    one core while the other tests run, instead of holding up the test that waits for it."""
    if any("instructions" in getattr(item, "fixturenames", ()) for item in session.items):
        try:
            session.config.stash[COUNTING] = Counting(COUNTED_CASES)
        except CannotCount as reason:
            session.config.stash[COUNTING] = reason


@pytest.fixture(scope="session")
def instructions(request: pytest.FixtureRequest) -> dict[str, int]:
    """Instructions of every counted case (``tests/linear_cases.py``), by name."""
    counting = request.config.stash.get(COUNTING, None)
    try:
        if counting is None:  # not started: a plugin reordered or filtered the tests
            counting = Counting(COUNTED_CASES)
        if isinstance(counting, CannotCount):
            raise counting
        return counting.result()
    except CannotCount as reason:
        if REQUIRE_VALGRIND:
            raise
        pytest.skip(f"instructions not counted: {reason}")
