"""validate(): one story that triggers each rule and one near miss that does not; recount()."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rbtfl_model as rm
from benchmarks.hostile import FINDING_COUNTS, FINDINGS
from tests.conftest import VALID, read
from tests.workcount import MAX_RATIO, calls

BASE = """\
# Title
> Deck

**Meta:** type: story · 2 takes · 2 lenses · 2 regions

## Summary

About [Korea Zinc](/ko/entity/korea-zinc) and [a story](/ko/n/other-story).

## Regional takes (batched by bias / lens)

### left
- **Outlet A** (Korea, ko) — Says a thing.
  Source: https://example.com/a

### right
- **Outlet B** (Japan, ja) — Says another.
  Source: https://example.com/b

## Across the graph
- Related: [[other-story]]
- Entities: Korea Zinc

---
Canonical: https://rbtfl.xyz/ko/n/base-story
"""

Edit = tuple[str, str]


@attrs.frozen
class Rule:
    """An edit of BASE that triggers a rule, where it is reported, and a near miss."""

    trigger: Edit
    line: int
    column: int
    near_miss: Edit


RULES: dict[str, Rule] = {
    "RB101": Rule(("· 2 takes", "· 3 takes"), 4, 25, ("· 2 takes", "· 2 take")),
    "RB102": Rule(("2 lenses", "1 lenses"), 4, 35, ("2 lenses", "2 lens")),
    "RB103": Rule(("(Japan, ja)", "(Korea, ja)"), 4, 46, ("(Japan, ja)", "(Japan , ja)")),
    "RB201": Rule(("### right", "###  left"), 16, 6, ("### right", "### Left")),
    "RB301": Rule(("[[other-story]]", "[[Other-Story]]"), 21, 14, ("story]]", "story-2]]")),
    "RB302": Rule(("[[other-story]]", "[[base-story]]"), 21, 14, ("[[other-", "[[base-st-")),
    "RB401": Rule(("s: Korea Zinc", "s: Zinc"), 8, 7, ("s: Korea Zinc", "s: KOREA ZINC")),
    "RB402": Rule(
        ("(/ko/n/other", "(/en/n/other"), 8, 47, ("(/ko/n/o", "(https://rbtfl.xyz/ko/n/o")
    ),
    "RB501": Rule(
        ("https://example.com/a", "ftp://example.com/a"),
        14,
        11,
        ("https://example.com/a", "http://e.com/a"),
    ),
    "RB502": Rule(("(Korea, ko)", "(Korea, Korean)"), 13, 24, ("(Korea, ko)", "(Korea, zh-Hant)")),
}


def _edited(edit: Edit) -> rm.Story:
    old, new = edit
    assert BASE.count(old) == 1, old
    return rm.loads(BASE.replace(old, new))


def test_base_story_is_clean() -> None:
    assert rm.validate(rm.loads(BASE)) == ()


@pytest.mark.parametrize("code", RULES)
def test_rule_triggers(code: str) -> None:
    rule = RULES[code]
    found = [(d.code, d.line, d.column) for d in rm.validate(_edited(rule.trigger))]
    assert found == [(code, rule.line, rule.column)]


@pytest.mark.parametrize("code", RULES)
def test_rule_near_miss_is_clean(code: str) -> None:
    assert rm.validate(_edited(RULES[code].near_miss)) == ()


def test_severities_and_messages() -> None:
    (count,) = rm.validate(_edited(RULES["RB101"].trigger))
    assert (count.severity, count.message) == ("error", "Meta says 3 takes, the story has 2")
    (link,) = rm.validate(_edited(RULES["RB401"].trigger))
    assert link.severity == "warning"
    assert "'korea-zinc'" in link.message


def test_edited_story_has_no_stale_positions() -> None:
    story = _edited(RULES["RB101"].trigger)
    edited = attrs.evolve(story, meta=attrs.evolve(story.meta, type="analysis"))
    (diagnostic,) = rm.validate(edited)
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("RB101", None, None)


def test_built_story_validates_without_positions() -> None:
    story = rm.Story(
        title="T",
        deck="D",
        meta=rm.Meta(counts=(rm.Count(1, "lenses"),)),
        lenses=(rm.Lens("a", (rm.Take("O", "R", "xx-yy-zz", source="file:///x"),)),),
    )
    found = [(d.code, d.line) for d in rm.validate(story)]
    assert found == [("RB501", None), ("RB502", None)]


@pytest.mark.parametrize(
    "source", ["https://www[.example.com/a", "https://[::1/a", "http://a]b/"], ids=repr
)
def test_source_urlsplit_rejects_is_not_a_url(source: str) -> None:
    """urlsplit raises ValueError on these (found by the fuzzer); validate reports RB501."""
    story = rm.Story(
        title="T",
        deck="D",
        meta=rm.Meta(),
        lenses=(rm.Lens("a", (rm.Take("O", "R", "ko", source=source),)),),
    )
    assert [d.code for d in rm.validate(story)] == ["RB501"]


#: What validate finds in the valid corpus: (code, line, column) per file.
CORPUS_DIAGNOSTICS: dict[str, list[tuple[str, int, int]]] = {
    "china-rare-earth-controls.md": [],
    "china-rare-earth-japan-controls.md": [],
    "lynas-texas-limbo.md": [("RB401", 10, 24)],  # [Malaysian facility] is not listed
    "mp-materials-magnet-ramp.md": [],
    "ndpr-price-surge-2026.md": [],
    "us-minerals-price-floor-allies.md": [("RB101", 4, 62)],  # says 3 takes, has 2
}


def test_corpus_table_covers_the_corpus() -> None:
    assert sorted(CORPUS_DIAGNOSTICS) == [path.name for path in VALID]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_corpus_diagnostics(path: Path) -> None:
    found = [(d.code, d.line, d.column) for d in rm.validate(rm.load(path))]
    assert found == CORPUS_DIAGNOSTICS[path.name]


# -- recount -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_recount_changes_only_the_meta_line(path: Path) -> None:
    text = read(path)
    story = rm.loads(text)
    recounted = rm.recount(story)
    before, after = text.splitlines(keepends=True), rm.dumps(recounted).splitlines(keepends=True)
    assert len(before) == len(after)
    changed = [i for i, (old, new) in enumerate(zip(before, after, strict=True)) if old != new]
    assert changed in ([], [3])
    assert attrs.evolve(recounted, meta=story.meta) == story
    assert not [d for d in rm.validate(recounted) if d.code.startswith("RB10")]


def test_recount_fixes_the_corpus_mismatch() -> None:
    (path,) = [path for path in VALID if path.name == "us-minerals-price-floor-allies.md"]
    recounted = rm.recount(rm.load(path))
    assert rm.dumps(recounted).splitlines()[3].endswith(" · 2 takes · 2 lenses · 2 regions")


def test_recount_keeps_nouns_and_other_counts() -> None:
    story = rm.loads(BASE.replace("2 takes · 2 lenses", "9 take · 7 sources · 2 lenses"))
    counts = rm.recount(story).meta.counts
    assert counts == (rm.Count(2, "take"), rm.Count(7, "sources"), rm.Count(2, "lenses"),
                      rm.Count(2, "regions"))  # fmt: skip


@given(st.integers(min_value=0, max_value=99), st.integers(min_value=0, max_value=99))
def test_recount_then_validate_finds_no_count_errors(takes: int, lenses: int) -> None:
    story = rm.loads(BASE.replace("2 takes · 2 lenses", f"{takes} takes · {lenses} lenses"))
    codes = {d.code for d in rm.validate(rm.recount(story))}
    assert codes.isdisjoint({"RB101", "RB102", "RB103"})


def test_regions_count_distinct_regions() -> None:
    story = rm.loads(BASE.replace("(Japan, ja)", "(Korea, ja)").replace("2 regions", "1 regions"))
    assert [take.region for take in story.takes] == ["Korea", "Korea"]
    assert rm.validate(story) == ()


_CODES = {"RB101", "RB102", "RB103", "RB201", "RB301", "RB302", "RB401", "RB402", "RB501", "RB502"}


@given(
    summary=st.text(),
    watch=st.lists(st.text(), max_size=3),
    language=st.text(),
    source=st.none() | st.text(),
    related=st.lists(st.text(), max_size=3),
)
def test_validate_never_raises(
    summary: str, watch: list[str], language: str, source: str | None, related: list[str]
) -> None:
    take = rm.Take("Outlet", "Region", language, summary, source=source)
    story = rm.Story(
        title="T",
        deck="D",
        meta=rm.Meta(counts=(rm.Count(2, "takes"),)),
        summary=summary,
        what_to_watch=tuple(watch),
        lenses=(rm.Lens("l", (take,)), rm.Lens("l")),
        related=tuple(related),
        canonical="https://rbtfl.xyz/ko/n/s",
    )
    codes = {diagnostic.code for diagnostic in rm.validate(story)}
    assert {"RB101", "RB201"} <= codes <= _CODES


#: The issue's target for ten times the findings: within workcount's bound for linear work.
FINDINGS_RATIO = min(12.0, MAX_RATIO)


@pytest.mark.parametrize("shape", FINDINGS)
def test_validate_work_grows_linearly_with_findings(shape: str) -> None:
    """Ten times the findings cost at most FINDINGS_RATIO times the calls, not a hundred."""
    small, large = (rm.loads(FINDINGS[shape](count)) for count in FINDING_COUNTS)
    found = [len(rm.validate(rm.loads(FINDINGS[shape](count)))) for count in FINDING_COUNTS]
    assert found == list(FINDING_COUNTS)  # one finding per unit of size, as the shape says
    ratio = calls(lambda: rm.validate(large)) / calls(lambda: rm.validate(small))
    assert ratio <= FINDINGS_RATIO
