"""Values the format cannot hold are refused by ``dumps``, naming the field."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import attrs
import pytest

import rbtfl_model as rm
from rbtfl_model import Count, Entity, Lens, Meta, Metric, Section, Story, Take
from tests.conftest import SEED

Edit = Callable[[Story], Story]


def take(**changes: Any) -> Edit:
    def edit(story: Story) -> Story:
        lens = story.lenses[0]
        first = attrs.evolve(lens.takes[0], **changes)
        lens = attrs.evolve(lens, takes=(first, *lens.takes[1:]))
        return attrs.evolve(story, lenses=(lens, *story.lenses[1:]))

    return edit


def meta(**changes: Any) -> Edit:
    return lambda story: attrs.evolve(story, meta=attrs.evolve(story.meta, **changes))


def field(**changes: Any) -> Edit:
    return lambda story: attrs.evolve(story, **changes)


def lens_named(name: Any) -> Edit:
    return lambda s: attrs.evolve(s, lenses=(attrs.evolve(s.lenses[0], name=name), *s.lenses[1:]))


CASES: dict[str, tuple[Edit, str]] = {
    "newline in title": (field(title="Two\nlines"), "title"),
    "empty title": (field(title=""), "title"),
    "blank title": (field(title="  "), "title"),
    "title not a str": (field(title=42), "title"),
    "carriage return in deck": (field(deck="a\rb"), "deck"),
    "bold marker in outlet": (take(outlet="A**B"), "lenses[0].takes[0].outlet"),
    "outlet ending in a star": (take(outlet="Star*"), "lenses[0].takes[0].outlet"),
    "empty outlet": (take(outlet=""), "lenses[0].takes[0].outlet"),
    "parenthesis in region": (take(region="a)b"), "lenses[0].takes[0].region"),
    "comma-space in language": (take(language="e, n"), "lenses[0].takes[0].language"),
    "newline in take summary": (take(summary="a\nb"), "lenses[0].takes[0].summary"),
    "newline in quote": (take(quote="a\nb"), "lenses[0].takes[0].quote"),
    "space in source": (take(source="http://x y"), "lenses[0].takes[0].source"),
    "separator inside a head": (meta(heads=("a · b",)), "meta.heads"),
    "comma-space inside a head": (meta(heads=("a, b",)), "meta.heads[0]"),
    "empty head": (meta(heads=("",)), "meta.heads[0]"),
    "separator inside the type": (meta(type="news · story"), "meta.type"),
    "type ending a separator": (meta(type="news ·"), "meta.type"),
    "date not a date": (meta(date="2026-01-01"), "meta.date"),
    "reserved extra key": (meta(extra=(("date", "x"),)), "meta.extra[0]"),
    "extra key with a space": (meta(extra=(("bad key", "x"),)), "meta.extra[0]"),
    "count noun of two words": (meta(counts=(Count(3, "two words"),)), "meta.counts[0]"),
    "negative count": (meta(counts=(Count(-1, "takes"),)), "meta.counts[0]"),
    "lens with no name": (lens_named(""), "lenses[0].name"),
    "lens name with leading blank": (lens_named(" lens"), "lenses[0].name"),
    "comma-space in metric value": (
        field(metrics=(Metric("1, 2", "x"),)),
        "metrics[0].value",
    ),
    "empty metric value": (field(metrics=(Metric("", "x"),)), "metrics[0].value"),
    "empty watch item": (field(what_to_watch=("",)), "what_to_watch[0]"),
    "heading inside prose": (field(summary="text\n## Heading"), "summary"),
    "rule inside prose": (field(split="text\n---"), "split"),
    "prose starting blank": (field(why_it_matters="\ntext"), "why_it_matters"),
    "known name for unknown section": (
        field(sections=(Section("Summary", "x"),)),
        "sections[0].name",
    ),
    "rule inside unknown section": (
        field(sections=(Section("Notes", "a\n---\nb"),)),
        "sections[0].body",
    ),
    "space in related slug": (field(related=("a b",)), "related[0]"),
    "bracket in related slug": (field(related=("a]]",)), "related[0]"),
    "comma-space in entity": (field(entities=(Entity("A, B"),)), "entities[0].name"),
    "entity not an Entity": (field(entities=("Lynas",)), "entities[0]"),
    "canonical not a story URL": (
        field(canonical="https://rbtfl.xyz/about"),
        "canonical",
    ),
}


@pytest.mark.parametrize(("edit", "where"), CASES.values(), ids=list(CASES))
def test_unrepresentable_value_is_refused(edit: Edit, where: str) -> None:
    parsed = rm.load(SEED)
    for story in (parsed, attrs.evolve(parsed, _layout=None)):
        with pytest.raises(rm.FormatError) as info:
            rm.dumps(edit(story))
        assert info.value.field == where
        assert str(info.value).startswith(f"{where}: ")


def test_format_error_is_a_value_error() -> None:
    assert issubclass(rm.FormatError, ValueError)
    assert issubclass(rm.FormatError, rm.RbtflError)


def test_edge_values_that_are_representable() -> None:
    """Values near the limits that must round-trip, not be refused."""
    story = Story(
        title="# not a heading · really — no",
        deck="",
        meta=Meta(
            type="",
            date=datetime.date(1, 1, 1),
            heads=("a,", " b"),
            extra=(("x-key", "a: b"),),
            counts=(Count(0, "출처"),),
        ),
        summary="",
        split="- a list\n\n### not a lens\n\n  two spaces: hard break  ",
        metrics=(Metric("a,", ""), Metric(" x ", "y, z")),
        what_to_watch=("**bold**",),
        sections=(Section("Notes ##", ""), Section("Timeline", "--- not a rule")),
        lenses=(
            Lens("*lens*", ()),
            Lens(
                "x",
                (
                    Take("*A", "Korea, South (x", "e,n", "", '"quoted" "', "u"),
                    Take("A (B) & C", "R", " en", " — — ", "", None),
                ),
            ),
        ),
        related=("고려아연", "a-b"),
        entities=(Entity("A,"), Entity(" B "), Entity("고려아연")),
        canonical="https://rbtfl.xyz/ko/n/x",
    )
    text = rm.dumps(story)
    assert rm.loads(text) == story
    assert rm.dumps(rm.loads(text)) == text
