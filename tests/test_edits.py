"""Edits stay local: after ``attrs.evolve`` only the lines of the edited value change."""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Callable

import attrs
import pytest

import rbtfl_model as rm
from rbtfl_model import Lens, Metric, Story, Take
from tests.conftest import DATA, read

WITH_TAKES = [
    "china-rare-earth-japan-controls.md",  # the seed: no final newline
    "lynas-texas-limbo.md",
    "mp-materials-magnet-ramp.md",  # unknown section, no final newline
    "ndpr-price-surge-2026.md",
    "us-minerals-price-floor-allies.md",  # CRLF
]
WITH_QUOTES = [name for name in WITH_TAKES if name != "mp-materials-magnet-ramp.md"]


def lines_of(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def changed(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines removed from *before* and added in *after*, as difflib aligns them."""
    a, b = lines_of(before), lines_of(after)
    removed: list[str] = []
    added: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            removed += a[i1:i2]
            added += b[j1:j2]
    return removed, added


def newline_of(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def edit_take(
    story: Story, lens: int, edit: Callable[[tuple[Take, ...]], tuple[Take, ...]]
) -> Story:
    lenses = list(story.lenses)
    lenses[lens] = attrs.evolve(lenses[lens], takes=edit(lenses[lens].takes))
    return attrs.evolve(story, lenses=tuple(lenses))


def load(name: str) -> tuple[str, Story]:
    text = read(DATA / "valid" / name)
    return text, rm.loads(text)


def line_of(text: str, start: str) -> str:
    """The one line of *text* (with its ending) that starts with *start*."""
    found = [line for line in lines_of(text) if line.startswith(start)]
    assert len(found) == 1, found
    return found[0]


def ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :]


@pytest.mark.parametrize("name", WITH_TAKES)
def test_change_one_summary_of_a_take(name: str) -> None:
    text, story = load(name)
    take = story.lenses[0].takes[0]
    edited = edit_take(story, 0, lambda ts: (attrs.evolve(ts[0], summary="New summary."), *ts[1:]))
    old = line_of(text, f"- **{take.outlet}**")
    new = old.replace(take.summary, "New summary.") if take.summary else None
    assert new is not None
    assert changed(text, rm.dumps(edited)) == ([old], [new])


@pytest.mark.parametrize("name", WITH_TAKES)
def test_change_or_add_a_quote(name: str) -> None:
    text, story = load(name)
    nl = newline_of(text)
    lens = next(i for i, lens in enumerate(story.lenses) if lens.takes)
    take = story.lenses[lens].takes[0]
    edited = edit_take(story, lens, lambda ts: (attrs.evolve(ts[0], quote="Short."), *ts[1:]))
    removed, added = changed(text, rm.dumps(edited))
    assert added == [f'  > "Short."{nl}']
    if take.quote is None:
        assert removed == []
    else:
        assert removed == [line_of(text, f'  > "{take.quote}"')]


@pytest.mark.parametrize("name", WITH_QUOTES)
def test_remove_a_quote(name: str) -> None:
    text, story = load(name)
    found = [
        (i, j) for i, lens in enumerate(story.lenses) for j, t in enumerate(lens.takes) if t.quote
    ]
    i, j = found[-1]
    quote = story.lenses[i].takes[j].quote

    def drop(takes: tuple[Take, ...]) -> tuple[Take, ...]:
        return (*takes[:j], attrs.evolve(takes[j], quote=None), *takes[j + 1 :])

    assert changed(text, rm.dumps(edit_take(story, i, drop))) == (
        [line_of(text, f'  > "{quote}"')],
        [],
    )


@pytest.mark.parametrize("name", WITH_TAKES)
def test_replace_one_metric(name: str) -> None:
    text, story = load(name)
    nl = newline_of(text)
    old = story.metrics[1]
    metrics = (story.metrics[0], Metric("42%", "a new figure."), *story.metrics[2:])
    edited = attrs.evolve(story, metrics=metrics)
    assert changed(text, rm.dumps(edited)) == (
        [line_of(text, f"- {old.value}, ")],
        [f"- 42%, a new figure.{nl}"],
    )


@pytest.mark.parametrize("name", WITH_TAKES)
def test_remove_first_metric_keeps_blank_line(name: str) -> None:
    text, story = load(name)
    edited = attrs.evolve(story, metrics=story.metrics[1:])
    out = rm.dumps(edited)
    assert changed(text, out) == ([line_of(text, f"- {story.metrics[0].value}, ")], [])
    assert rm.loads(out) == edited


@pytest.mark.parametrize("name", WITH_TAKES)
def test_change_the_date(name: str) -> None:
    text, story = load(name)
    assert story.meta.date is not None
    meta = attrs.evolve(story.meta, date=datetime.date(2027, 12, 31))
    old = line_of(text, "**Meta:**")
    new = old.replace(story.meta.date.isoformat(), "2027-12-31")
    assert changed(text, rm.dumps(attrs.evolve(story, meta=meta))) == ([old], [new])


@pytest.mark.parametrize("name", WITH_TAKES)
def test_rename_a_lens(name: str) -> None:
    text, story = load(name)
    nl = newline_of(text)
    lenses = (attrs.evolve(story.lenses[-1], name="renamed lens"),)
    edited = attrs.evolve(story, lenses=story.lenses[:-1] + lenses)
    old = line_of(text, f"### {story.lenses[-1].name}")
    assert changed(text, rm.dumps(edited)) == ([old], [f"### renamed lens{nl}"])


@pytest.mark.parametrize("name", WITH_TAKES)
def test_add_a_take(name: str) -> None:
    text, story = load(name)
    nl = newline_of(text)
    take = Take("New Outlet (Blog)", "Korea, South", "ko", "A new take — with a dash.")
    edited = edit_take(story, 0, lambda ts: (*ts, take))
    out = rm.dumps(edited)
    assert changed(text, out) == (
        [],
        [f"- **New Outlet (Blog)** (Korea, South, ko) — A new take — with a dash.{nl}"],
    )
    assert rm.loads(out) == edited
    assert rm.loads(out).lenses[0].takes[-1] == take


@pytest.mark.parametrize("name", WITH_TAKES)
def test_remove_a_take(name: str) -> None:
    text, story = load(name)
    lens = story.lenses[0]
    take = lens.takes[0]
    edited = edit_take(story, 0, lambda ts: ts[1:])
    start = lines_of(text).index(line_of(text, f"- **{take.outlet}**"))
    size = 1 + (take.quote is not None) + (take.source is not None)
    assert changed(text, rm.dumps(edited)) == (lines_of(text)[start : start + size], [])


@pytest.mark.parametrize("name", WITH_TAKES)
def test_add_a_related_slug(name: str) -> None:
    text, story = load(name)
    edited = attrs.evolve(story, related=(*story.related, "new-story"))
    old = line_of(text, "- Related:")
    new = old.rstrip("\r\n") + ", [[new-story]]" + ending(old)
    assert changed(text, rm.dumps(edited)) == ([old], [new])


@pytest.mark.parametrize("name", WITH_TAKES)
def test_add_a_lens(name: str) -> None:
    text, story = load(name)
    nl = newline_of(text)
    lens = Lens("new lens", (Take("Outlet", "Region", "en", "", None, "https://example.com/x"),))
    edited = attrs.evolve(story, lenses=(*story.lenses, lens))
    out = rm.dumps(edited)
    removed, added = changed(text, out)
    assert removed == []
    assert [line for line in added if line.strip()] == [
        f"### new lens{nl}",
        f"- **Outlet** (Region, en) — {nl}",
        f"  Source: https://example.com/x{nl}",
    ]
    assert rm.loads(out) == edited


def test_edit_prose_keeps_crlf_and_neighbours() -> None:
    text, story = load("us-minerals-price-floor-allies.md")
    assert story.why_it_matters is not None
    edited = attrs.evolve(story, why_it_matters="One line.\n\nAnd a second *paragraph*.")
    assert changed(text, rm.dumps(edited)) == (
        [line_of(text, "A floor would be the first")],
        ["One line.\r\n", "\r\n", "And a second *paragraph*.\r\n"],
    )


def test_edit_unknown_section_body() -> None:
    text, story = load("mp-materials-magnet-ramp.md")
    section = attrs.evolve(story.sections[0], body="- 2030: Done.")
    edited = attrs.evolve(story, sections=(section,))
    removed, added = changed(text, rm.dumps(edited))
    assert [line.split(":")[0] for line in removed] == ["- 2017", "- 2024", "- 2026"]
    assert added == ["- 2030: Done.\n"]


def test_edit_last_line_keeps_missing_final_newline() -> None:
    text, story = load("mp-materials-magnet-ramp.md")
    assert not text.endswith("\n")
    edited = attrs.evolve(story, canonical="https://rbtfl.xyz/en/n/renamed")
    out = rm.dumps(edited)
    assert changed(text, out) == (
        ["Canonical: https://rbtfl.xyz/en/n/mp-materials-magnet-ramp"],
        ["Canonical: https://rbtfl.xyz/en/n/renamed"],
    )
    assert rm.loads(out).slug == "renamed"


def test_edit_before_last_line_keeps_missing_final_newline() -> None:
    text, story = load("mp-materials-magnet-ramp.md")
    edited = attrs.evolve(story, title="Another title")
    out = rm.dumps(edited)
    assert changed(text, out) == ([line_of(text, "# ")], ["# Another title\n"])
    assert out.endswith("mp-materials-magnet-ramp")


def test_edit_keeps_bom_and_trailing_blank_lines() -> None:
    text = "\ufeff" + read(DATA / "valid" / "lynas-texas-limbo.md") + "\n\n"
    story = rm.loads(text)
    out = rm.dumps(attrs.evolve(story, deck="New deck"))
    assert out.startswith("\ufeff# ")
    assert out.endswith("lynas-texas-limbo\n\n\n")
    assert changed(text, out) == ([line_of(text, "> ")], ["> New deck\n"])


def test_edit_then_undo_gives_original_text() -> None:
    text, story = load("us-minerals-price-floor-allies.md")
    edited = attrs.evolve(story, title="x")
    assert rm.dumps(attrs.evolve(edited, title=story.title)) == text


def test_stale_layout_never_writes_old_text() -> None:
    """evolve copies the hidden layout; every value must still come from the new story."""
    story = rm.load(DATA / "valid" / "china-rare-earth-japan-controls.md")
    other = rm.load(DATA / "valid" / "lynas-texas-limbo.md")
    fields = {
        f.name: getattr(other, f.name)
        for f in attrs.fields(Story)
        if f.init and f.alias != "_layout"
    }
    hybrid = attrs.evolve(story, **fields)
    assert rm.loads(rm.dumps(hybrid)) == other
