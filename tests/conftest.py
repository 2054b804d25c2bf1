"""Shared fixtures: the bundled corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

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
