"""Notebook helpers: DataFrames of takes and metrics, and the story's reprs."""

from __future__ import annotations

import datetime
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import rbtfl_model as rm
from rbtfl_model import Lens, Meta, Metric, Story, Take
from rbtfl_model.frames import METRIC_COLUMNS, TAKE_COLUMNS
from tests.conftest import SEED, VALID, read


def _corpus() -> list[Story]:
    return [rm.load(path) for path in VALID]


def test_importing_the_library_does_not_import_pandas() -> None:
    code = "import sys, rbtfl_model; print('pandas' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_takes_frame_has_one_row_per_take() -> None:
    pytest.importorskip("pandas")
    stories = _corpus()
    frame = rm.takes_frame(stories)
    assert (
        list(frame.columns)
        == list(TAKE_COLUMNS)
        == [
            "slug",
            "date",
            "locale",
            "lens",
            "outlet",
            "region",
            "language",
            "has_quote",
            "source",
            "summary",
            "quote",
        ]
    )
    assert len(frame) == sum(len(story.takes) for story in stories)
    takes = [
        (story, lens, take) for story in stories for lens in story.lenses for take in lens.takes
    ]
    expected = [(s.slug, lens.name, t.outlet, t.quote is not None) for s, lens, t in takes]
    columns = ["slug", "lens", "outlet", "has_quote"]
    assert list(frame[columns].itertuples(index=False, name=None)) == expected
    # pandas shows a missing source as its missing value (None or NaN, by version)
    assert frame["source"].isna().tolist() == [t.source is None for _, _, t in takes]
    assert frame["source"].dropna().tolist() == [t.source for _, _, t in takes if t.source]


def test_takes_frame_rows_of_the_seed() -> None:
    pd = pytest.importorskip("pandas")
    frame = rm.takes_frame([rm.load(SEED)])
    assert frame["slug"].unique().tolist() == ["china-rare-earth-japan-controls"]
    assert frame["locale"].unique().tolist() == ["ko"]
    assert (frame["date"] == pd.Timestamp("2026-01-01")).all()
    assert frame["has_quote"].tolist() == [True, True, True, False, False]
    assert frame["lens"].tolist()[-2:] == ["unlabelled", "unlabelled"]


def test_takes_frame_of_a_story_without_date_or_canonical() -> None:
    pd = pytest.importorskip("pandas")
    story = Story(title="T", deck="D", lenses=(Lens("L", (Take("O", "R", "en", quote="q"),)),))
    row = rm.takes_frame([story]).iloc[0]
    assert row["slug"] is pd.NA
    assert row["locale"] is pd.NA
    assert pd.isna(row["date"])
    assert bool(row["has_quote"]) is True


def test_empty_frames_keep_their_columns() -> None:
    pytest.importorskip("pandas")
    assert list(rm.takes_frame([]).columns) == list(TAKE_COLUMNS)
    assert list(rm.metrics_frame([]).columns) == list(METRIC_COLUMNS)


def test_metrics_frame_has_one_row_per_metric() -> None:
    pytest.importorskip("pandas")
    stories = _corpus()
    frame = rm.metrics_frame(iter(stories))  # any iterable, consumed once
    assert list(frame.columns) == [
        "slug",
        "date",
        "locale",
        "value",
        "description",
        "low",
        "high",
        "unit",
        "approximate",
        "bound",
    ]
    expected = [(story.slug, m.value, m.description) for story in stories for m in story.metrics]
    rows = frame[["slug", "value", "description"]].itertuples(index=False, name=None)
    assert list(rows) == expected
    assert len(expected) > 0


def test_metrics_frame_has_quantity_columns() -> None:
    pd = pytest.importorskip("pandas")
    frame = rm.metrics_frame([rm.load(SEED)])
    columns = ["value", "low", "high", "unit", "approximate", "bound"]
    rows = {row[0]: row[1:] for row in frame[columns].itertuples(index=False, name=None)}
    assert rows["~90%"][:4] == (Decimal(90), Decimal(90), "%", True)
    assert rows["98-99%"][:3] == (Decimal(98), Decimal(99), "%")
    assert rows["Up to 130%"][1:] == (Decimal(130), "%", False, "at most")
    assert pd.isna(rows["Up to 130%"][0])
    assert rows["2010"][:2] == (Decimal(2010), Decimal(2010))
    assert pd.isna(rows["2010"][2])


def test_frames_without_pandas_name_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes "import pandas" fail
    with pytest.raises(ImportError, match=r"rbtfl-model\[pandas\]"):
        rm.takes_frame([])


# -- reprs ----------------------------------------------------------------------------------


def test_repr_of_the_seed_is_short() -> None:
    assert repr(rm.load(SEED)) == (
        "Story(title='China restricts rare earth and magnet e…', "
        "slug='china-rare-earth-japan-controls', date=2026-01-01, takes=5, lenses=4)"
    )


@pytest.mark.parametrize(
    ("story", "expected"),
    [
        (Story(title="T", deck="D"), "Story(title='T', slug=None, date=None, takes=0, lenses=0)"),
        (
            Story(
                title="x" * 40,
                deck="D",
                meta=Meta(date=datetime.date(2025, 4, 4)),
                metrics=(Metric("1", ""),),
            ),
            f"Story(title='{'x' * 40}', slug=None, date=2025-04-04, takes=0, lenses=0)",
        ),
        (
            Story(title="x" * 41, deck="D"),
            f"Story(title='{'x' * 39}…', slug=None, date=None, takes=0, lenses=0)",
        ),
    ],
    ids=["bare", "forty-characters", "forty-one-characters"],
)
def test_repr(story: Story, expected: str) -> None:
    assert repr(story) == expected


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_repr_never_holds_the_text(path: Path) -> None:
    story = rm.load(path)
    assert "\n" not in repr(story)
    assert len(repr(story)) < 160
    assert story.summary is None or story.summary[:60] not in repr(story)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_repr_markdown_is_the_story_text(path: Path) -> None:
    assert rm.load(path)._repr_markdown_() == read(path)


def test_repr_markdown_of_a_built_story_is_canonical() -> None:
    story = Story(title="Title", deck="Deck")
    assert story._repr_markdown_() == rm.dumps(story) == "# Title\n> Deck\n\n**Meta:**"
