"""Inputs that once broke the library (most found by ``fuzz/fuzz_loads.py``) stay fixed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.test_properties import check_input

REGRESSIONS = sorted((DATA / "regressions").iterdir())


def test_regression_corpus_is_not_empty() -> None:
    assert REGRESSIONS


@pytest.mark.parametrize("path", REGRESSIONS, ids=[p.name for p in REGRESSIONS])
def test_regression_input_parses_exactly_or_fails_cleanly(path: Path) -> None:
    data = path.read_bytes()
    check_input(data)
    check_input(data.decode("utf-8", "surrogateescape"))  # as the fuzzer feeds str input
