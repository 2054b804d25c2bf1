"""The model: content equality, derived views, and a story built from constructors."""

from __future__ import annotations

import datetime
import pickle
from pathlib import Path

import attrs
import pytest

import rbtfl_model as rm
from rbtfl_model import Count, Entity, Lens, Meta, Metric, Story, Take
from tests.conftest import SEED, VALID, read

SUMMARY = (
    "China's Ministry of Commerce in January 2026 prohibited the export of all dual-use items "
    "to Japan for military end-users or purposes that could enhance Japan's military "
    "capabilities."
)


def seed_story() -> Story:
    """The seed, rebuilt field by field from the published page."""
    text = read(SEED)

    def section(name: str) -> str:
        body = text.split(f"## {name}\n\n", 1)[1]
        return body.split("\n\n## ", 1)[0]

    return Story(
        title=(
            "China restricts rare earth and magnet exports to Japan, "
            "targeting military-linked end users"
        ),
        deck=text.splitlines()[1][2:],
        meta=Meta(
            type="story",
            date=datetime.date(2026, 1, 1),
            heads=("장기전", "누가 결정하는가"),
            counts=(Count(5, "takes"), Count(4, "lenses"), Count(3, "regions")),
        ),
        summary=section("Summary"),
        split=section("The split"),
        metrics=(
            Metric("~90%", "China's share of NdPr refining and processing in 2024."),
            Metric(
                "98-99%",
                "China's share of heavy rare earth (dysprosium, terbium) refined supply.",
            ),
            Metric(
                "60-70%",
                "Japan's current dependence on Chinese rare earths (down from 90% in 2010).",
            ),
            Metric(
                "6x",
                "approximate ratio of ex-China to in-China rare earth prices at the peak of "
                "the April 2026 supply disruption (European prices vs domestic Chinese prices).",
            ),
            Metric(
                "Up to 130%",
                "year-to-date increase in heavy rare earth prices (dysprosium) by peak.",
            ),
            Metric(
                "2010",
                "last time China restricted rare earth exports to Japan, during the "
                "Senkaku/Diaoyu fishing vessel standoff.",
            ),
        ),
        why_it_matters=section("Why it matters"),
        what_to_watch=tuple(line[2:] for line in section("What to watch").splitlines()),
        lenses=tuple(
            Lens(name, tuple(rm.loads(text).lenses[i].takes))
            for i, name in enumerate(
                [
                    "security-analytical",
                    "geopolitical-technology",
                    "US security think-tank",
                    "unlabelled",
                ]
            )
        ),
        related=("china-rare-earth-controls", "mp-materials-magnet-ramp", "ndpr-price-surge-2026"),
        entities=(Entity("Neodymium"), Entity("Dysprosium"), Entity("Rare Earth Magnets")),
        canonical="https://rbtfl.xyz/ko/n/china-rare-earth-japan-controls",
    )


def test_constructed_seed_dumps_as_the_seed(seed_text: str) -> None:
    story = seed_story()
    assert story._layout is None
    assert rm.dumps(story) == seed_text


def test_constructed_takes_match_the_published_ones() -> None:
    takes = rm.load(SEED).takes
    assert takes[0] == Take(
        outlet="The Diplomat",
        region="Japan/Asia-Pacific",
        language="en",
        summary=takes[0].summary,
        quote=(
            "Export licence reviews to Japanese firms were halted or slowed, effectively "
            "choking off supplies of heavy rare earths and high-performance magnets from "
            "China to Japan."
        ),
        source="https://thediplomat.com/2026/01/how-will-chinas-new-export-controls-impact-japan/",
    )
    assert takes[3] == Take(
        outlet="Amanda Van Dyke (Substack)",
        region="Global",
        language="en",
        summary="",
        quote=None,
        source="https://amandavandyke.substack.com/p/why-china-weaponising-rare-earths-no-longer-scares-japan-or-the-west",
    )
    assert takes[4].outlet == "S&P Global"


def test_seed_fields() -> None:
    story = rm.load(SEED)
    assert story == seed_story()
    assert story.slug == "china-rare-earth-japan-controls"
    assert story.locale == "ko"
    assert story.meta.count("takes") == 5
    assert story.meta.count("sources") is None
    assert [lens.name for lens in story.lenses][:2] == [
        "security-analytical",
        "geopolitical-technology",
    ]
    assert len(story.takes) == 5
    assert story.summary is not None
    assert story.summary.startswith(SUMMARY)
    assert story.sections == ()


def test_layout_does_not_count_for_equality() -> None:
    lf = read(SEED)
    variants = [lf, lf.replace("\n", "\r\n"), lf.rstrip("\n"), "\ufeff" + lf, lf + "\n\n"]
    stories = [rm.loads(text) for text in variants]
    assert all(story == stories[0] for story in stories)
    assert len({hash(story) for story in stories}) == 1
    assert [rm.dumps(story) for story in stories] == variants


def test_model_is_frozen() -> None:
    story = rm.load(SEED)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        story.title = "x"  # type: ignore[misc]


def test_evolve_keeps_layout() -> None:
    story = rm.loads(read(SEED).replace("\n", "\r\n"))
    edited = attrs.evolve(story, title="New title")
    assert rm.dumps(edited).startswith("# New title\r\n")


def test_unknown_sections_are_kept() -> None:
    story = rm.load(VALID[3])
    assert story.slug == "mp-materials-magnet-ramp"
    assert [section.name for section in story.sections] == ["Timeline"]
    assert story.sections[0].body.startswith("- 2017: Mountain Pass")
    assert story.what_to_watch == ()


def test_missing_sections_are_none_or_empty() -> None:
    story = rm.load(VALID[0])
    assert story.split is None
    assert story.metrics == ()
    assert story.lenses == ()
    assert story.takes == ()
    assert story.entities == ()
    assert story.related == (
        "china-rare-earth-japan-controls",
        "ndpr-price-surge-2026",
        "gallium-germanium-controls",
    )


def test_story_without_canonical_has_no_slug() -> None:
    story = Story(title="Title", deck="Deck")
    assert story.slug is None
    assert story.locale is None
    assert rm.dumps(story) == "# Title\n> Deck\n\n**Meta:**"
    assert rm.loads(rm.dumps(story)) == story


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_stories_pickle(path: Path) -> None:
    story = rm.load(path)
    again = pickle.loads(pickle.dumps(story))
    assert again == story
    assert rm.dumps(again) == read(path)


def test_parse_error_pickles() -> None:
    with pytest.raises(rm.ParseError) as info:
        rm.loads("# T\n> d\n\n**Meta:** date: 2026-13-01\n")
    again = pickle.loads(pickle.dumps(info.value))
    assert (again.line, again.column, str(again)) == (4, 17, str(info.value))


def test_new_meta_keys_render_in_their_order() -> None:
    meta = Meta(extra=(("b", "1"), ("a", "2"), ("c", "3")))
    text = rm.dumps(Story(title="T", deck="D", meta=meta))
    assert text.splitlines()[3] == "**Meta:** b: 1 · a: 2 · c: 3"
    assert rm.loads(text).meta == meta
