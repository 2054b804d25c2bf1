"""``replace``, ``insert``, ``remove`` and ``find_take``: one call, only the edited lines change."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

import rbtfl_model as rm
from rbtfl_model import EditError, Entity, Lens, Metric, Section, Story, Take
from tests.test_edits import WITH_TAKES, changed, line_of, load, newline_of


@pytest.mark.parametrize("name", WITH_TAKES)
def test_replace_a_take_found_by_outlet(name: str) -> None:
    text, story = load(name)
    lens, take = rm.find_takes(story)[-1]
    assert rm.find_take(story, take.outlet, lens=lens.name) == (lens, take)
    edited = rm.replace(story, take, attrs.evolve(take, summary="New summary."))
    assert edited.lenses[story.lenses.index(lens)].takes[-1].summary == "New summary."
    removed, added = changed(text, rm.dumps(edited))
    assert removed == [line_of(text, f"- **{take.outlet}**")]
    assert len(added) == 1
    assert added[0].startswith(f"- **{take.outlet}**")
    assert added[0].rstrip("\r\n").endswith("— New summary.")
    # the same story as three nested attrs.evolve calls and an index search
    i = story.lenses.index(lens)
    j = lens.takes.index(take)
    new_lens = attrs.evolve(
        lens,
        takes=(*lens.takes[:j], attrs.evolve(take, summary="New summary."), *lens.takes[j + 1 :]),
    )
    assert edited == attrs.evolve(
        story, lenses=(*story.lenses[:i], new_lens, *story.lenses[i + 1 :])
    )


def test_replace_with_a_function_of_the_old_take() -> None:
    text, story = load("china-rare-earth-japan-controls.md")
    _, take = rm.find_take(story, "The Diplomat")
    edited = rm.replace(story, take, lambda t: attrs.evolve(t, quote="A shorter quote."))
    removed, added = changed(text, rm.dumps(edited))
    assert (removed, added) == (
        [line_of(text, f'  > "{take.quote}"')],
        ['  > "A shorter quote."\n'],
    )


@pytest.mark.parametrize("name", WITH_TAKES)
def test_insert_a_take_after_another(name: str) -> None:
    text, story = load(name)
    nl = newline_of(text)
    lens, first = rm.find_takes(story)[0]
    new = Take("New Outlet", "Korea", "ko", "Says so.")
    edited = rm.insert(story, new, after=first)
    assert edited.lenses[story.lenses.index(lens)].takes[1:2] == (new,)
    assert changed(text, rm.dumps(edited)) == ([], [f"- **New Outlet** (Korea, ko) — Says so.{nl}"])


def test_insert_a_take_last_in_a_lens_by_name() -> None:
    text, story = load("lynas-texas-limbo.md")
    new = Take("Nikkei", "Japan", "ja", "Japan watches.")
    edited = rm.insert(story, new, lens="business press")
    lens, found = rm.find_take(edited, "Nikkei")
    assert (lens.name, lens.takes[-1], found) == ("business press", new, new)
    assert changed(text, rm.dumps(edited)) == ([], ["- **Nikkei** (Japan, ja) — Japan watches.\n"])
    assert rm.insert(story, new, lens=story.lenses[0]) == edited


def test_insert_before() -> None:
    _, story = load("lynas-texas-limbo.md")
    _, take = rm.find_take(story, "The West Australian")
    new = Take("X", "Y", "en")
    edited = rm.insert(story, new, before=take)
    assert [t.outlet for _, t in rm.find_takes(edited)][:3] == [
        "Australian Financial Review",
        "X",
        "The West Australian",
    ]


@pytest.mark.parametrize("name", WITH_TAKES)
def test_remove_a_take(name: str) -> None:
    text, story = load(name)
    _, take = rm.find_takes(story)[0]
    edited = rm.remove(story, take)
    assert len(edited.takes) == len(story.takes) - 1
    removed, added = changed(text, rm.dumps(edited))
    assert added == []
    assert removed[0] == line_of(text, f"- **{take.outlet}**")
    assert len(removed) == 1 + (take.quote is not None) + (take.source is not None)


def test_metric_edits() -> None:
    text, story = load("lynas-texas-limbo.md")
    metric = story.metrics[1]
    edited = rm.replace(story, metric, Metric("1 t", "tonnes now."))
    assert changed(text, rm.dumps(edited)) == (
        ["- 0, tonnes of heavy rare earths separated in Texas to date.\n"],
        ["- 1 t, tonnes now.\n"],
    )
    assert changed(text, rm.dumps(rm.remove(story, metric)))[1] == []
    added = rm.insert(story, Metric("2", "two."), after=story.metrics[-1])
    assert changed(text, rm.dumps(added)) == ([], ["- 2, two.\n"])
    assert rm.insert(story, Metric("2", "two.")) == added  # last by default


def test_lens_edits() -> None:
    text, story = load("lynas-texas-limbo.md")
    lens = story.lenses[1]
    renamed = rm.replace(story, lens, lambda old: attrs.evolve(old, name="think-tanks"))
    assert changed(text, rm.dumps(renamed)) == (
        ["### US security think-tank\n"],
        ["### think-tanks\n"],
    )
    gone = rm.remove(story, lens)
    assert gone.lenses == story.lenses[:1]
    assert changed(text, rm.dumps(gone))[1] == []
    new = rm.insert(story, Lens("new lens", (Take("A", "B", "en"),)), before=story.lenses[0])
    assert [lens.name for lens in new.lenses] == [
        "new lens",
        "business press",
        "US security think-tank",
    ]
    assert changed(text, rm.dumps(new))[0] == []


def test_watch_item_and_related_edits() -> None:
    text, story = load("lynas-texas-limbo.md")
    old = story.what_to_watch[0]
    edited = rm.replace(story, old, "A decision in 2027.", field="what_to_watch")
    assert changed(text, rm.dumps(edited)) == ([f"- {old}\n"], ["- A decision in 2027.\n"])
    added = rm.insert(story, "Water permits.", field="what_to_watch", after=old)
    assert added.what_to_watch == (old, "Water permits.", story.what_to_watch[1])
    assert changed(text, rm.dumps(added)) == ([], ["- Water permits.\n"])
    assert rm.remove(story, old, field="what_to_watch").what_to_watch == story.what_to_watch[1:]
    fewer = rm.remove(story, "ndpr-price-surge-2026", field="related")
    assert fewer.related == ("china-rare-earth-japan-controls",)


def test_entity_edits() -> None:
    text, story = load("lynas-texas-limbo.md")
    edited = rm.insert(story, Entity("Malaysian facility"))
    assert changed(text, rm.dumps(edited)) == (
        ["- Entities: Lynas, Dysprosium, Terbium\n"],
        ["- Entities: Lynas, Dysprosium, Terbium, Malaysian facility\n"],
    )
    assert rm.remove(edited, Entity("Malaysian facility")) == story
    assert rm.replace(story, Entity("Terbium"), Entity("Tb")).entities[-1] == Entity("Tb")


def test_section_edits() -> None:
    _, story = load("mp-materials-magnet-ramp.md")
    section = story.sections[0]
    edited = rm.replace(story, section, attrs.evolve(section, body="New body."))
    assert edited.sections == (Section(section.name, "New body."),)


# -- what is refused ------------------------------------------------------------------------

#: The library, for calls that mypy already refuses (a text without field=, a number).
untyped: Any = rm


def two_equal_takes() -> Story:
    take = Take("Same", "R", "en")
    return Story(
        title="T", deck="D", lenses=(Lens("a", (take,)), Lens("b", (Take("Same", "R", "en"),)))
    )


def test_equal_items_in_two_places_need_the_one_from_the_story() -> None:
    story = two_equal_takes()
    with pytest.raises(EditError, match="2 items equal to Take 'Same'; pass the one taken"):
        rm.remove(story, Take("Same", "R", "en"))
    _, take = rm.find_take(story, "Same", lens="b")
    assert rm.remove(story, take).lenses == (story.lenses[0], Lens("b", ()))
    with pytest.raises(EditError, match=r"2 takes by 'Same' \(lenses 'a', 'b'\); pass lens="):
        rm.find_take(story, "Same")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda s: rm.remove(s, Take("Nobody", "R", "en")),
            EditError,
            "takes of the story have no Take 'Nobody'",
        ),
        (lambda s: rm.find_take(s, "Nobody"), EditError, "no take by 'Nobody'"),
        (lambda s: rm.find_take(s, "CSIS", lens="x"), EditError, "no take by 'CSIS' in lens 'x'"),
        (lambda s: untyped.remove(s, "item"), TypeError, "needs field="),
        (
            lambda s: untyped.remove(s, Metric("1", "x"), field="related"),
            TypeError,
            "field= is for text",
        ),
        (lambda s: untyped.remove(s, 5), TypeError, "cannot edit a int"),
        (lambda s: rm.insert(s, Take("A", "B", "en")), TypeError, "a take needs lens="),
        (
            lambda s: rm.insert(s, Take("A", "B", "en"), lens="nope"),
            EditError,
            "0 lenses named 'nope'",
        ),
        (lambda s: rm.insert(s, Metric("1", "x"), lens="L"), TypeError, "lens= is for a take"),
        (
            lambda s: rm.insert(s, Metric("1", "x"), before=s.metrics[0], after=s.metrics[0]),
            TypeError,
            "not both",
        ),
        (
            lambda s: rm.insert(s, Metric("1", "x"), after=s.takes[0]),
            TypeError,
            "expected a Metric for metrics, got Take",
        ),
        (lambda s: rm.replace(s, s.metrics[0], Entity("x")), TypeError, "got Entity"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_refusals(call: Any, error: type[Exception], message: str) -> None:
    _, story = load("china-rare-earth-japan-controls.md")
    with pytest.raises(error, match=message):
        call(story)


def test_edits_leave_the_story_unchanged() -> None:
    text, story = load("china-rare-earth-japan-controls.md")
    rm.remove(story, story.takes[0])
    rm.insert(story, Metric("1", "x"))
    assert rm.dumps(story) == text
