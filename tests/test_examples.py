"""The example scripts run on the bundled stories and print what they promise."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import rbtfl_model as rm

EXAMPLES = Path(__file__).parent.parent / "examples"


def run(script: str, *args: str | Path) -> str:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    assert result.stderr == ""
    return result.stdout


def test_bundled_stories_include_the_seed() -> None:
    names = {path.name for path in (EXAMPLES / "stories").glob("*.md")}
    assert "china-rare-earth-japan-controls.md" in names
    assert len(names) >= 5


def test_quickstart() -> None:
    out = run("quickstart.py")
    assert out.startswith("China restricts rare earth and magnet exports to Japan")
    assert "    The Diplomat (Japan/Asia-Pacific, en) - quote\n" in out
    assert '+  > "A shorter quote."\n' in out
    assert out.endswith("5 takes in 4 lenses; edited lines: 1\n")


def test_rewrite_in_place_on_copies() -> None:
    before = {p.name: p.read_bytes() for p in (EXAMPLES / "stories").glob("*.md")}
    out = run("rewrite_in_place.py")
    assert "+- Entities: Lynas, Dysprosium, Terbium, Malaysian facility\n" in out
    assert out.endswith("1 of 6 files rewritten\n")
    after = {p.name: p.read_bytes() for p in (EXAMPLES / "stories").glob("*.md")}
    assert after == before  # the bundled stories are never touched


def test_rewrite_in_place_on_a_file(tmp_path: Path) -> None:
    target = Path(shutil.copy(EXAMPLES / "stories" / "lynas-texas-limbo.md", tmp_path))
    original = target.read_bytes()
    assert run("rewrite_in_place.py", target).endswith("1 of 1 files rewritten\n")
    story = rm.load(target)
    assert story.entity_slugs[-1] == "lynas-malaysia"
    changed = [
        (a, b)
        for a, b in zip(original.splitlines(), target.read_bytes().splitlines(), strict=True)
        if a != b
    ]
    assert [b for _, b in changed] == [
        b"- Entities: Lynas, Dysprosium, Terbium, Malaysian facility"
    ]
    assert run("rewrite_in_place.py", target).endswith("0 of 1 files rewritten\n")


def test_notebook_analysis() -> None:
    pytest.importorskip("pandas")
    out = run("notebook_analysis.py")
    assert out.startswith("17 takes from 5 stories\n")
    assert "business press             4" in out
    assert "18 metrics, 6 of them in percent:" in out


def test_graph_report() -> None:
    out = run("graph_report.py")
    assert out.startswith("6 stories, 23 links, 12 entities\n")
    assert "  7  china-rare-earth-japan-controls\n" in out
    assert "  gallium-germanium-controls  <- china-rare-earth-controls\n" in out
    assert "  us-minerals-price-floor-allies -> ndpr-price-surge-2026\n" in out
    assert out.endswith(
        "Entities in the most stories:\n  2  dysprosium\n  2  lynas\n  2  mp-materials\n"
    )
