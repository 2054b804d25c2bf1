"""Property-based tests: generated stories round-trip; no input makes loads misbehave."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rbtfl_model as rm
from rbtfl_model import Story
from tests.conftest import VALID, read
from tests.strategies import CHARS, EDGY, SPECIAL, lenses, metas, metrics, stories, takes


@given(stories(EDGY))
def test_generated_story_round_trips(story: Story) -> None:
    text = rm.dumps(story)
    parsed = rm.loads(text)
    assert parsed == story
    assert rm.dumps(parsed) == text


@given(st.sampled_from(VALID), st.data())
def test_edited_corpus_story_round_trips(path: Path, data: st.DataObject) -> None:
    """Replace some values of a parsed story; the dump reads back as the edited story."""
    story = rm.load(path)
    optional: dict[str, st.SearchStrategy[Any]] = {
        "title": EDGY.title,
        "meta": metas(EDGY),
        "summary": st.none() | EDGY.prose,
        "metrics": metrics(EDGY),
        "lenses": st.lists(lenses(EDGY), max_size=3).map(tuple),
        "related": st.lists(EDGY.slug, max_size=3).map(tuple),
    }
    changes: dict[str, Any] = data.draw(st.fixed_dictionaries({}, optional=optional))
    prepend_take: bool = data.draw(st.booleans())
    if story.lenses and prepend_take:
        first = story.lenses[0]
        new_take = data.draw(takes(EDGY))
        changes["lenses"] = (
            attrs.evolve(first, takes=(new_take, *first.takes)),
            *story.lenses[1:],
        )
    edited = attrs.evolve(story, **changes)
    assert rm.loads(rm.dumps(edited)) == edited


def check_input(data: str | bytes) -> None:
    """loads raises ParseError or parses; what it parses dumps back exactly.

    A parsed story's links and validation must not raise either, and a few edits of it
    must write back as the edited story: the property that ``fuzz/fuzz_loads.py`` checks.
    """
    story: rm.Story | None = None
    error: rm.ParseError | None = None
    try:
        story = rm.loads(data)
    except rm.ParseError as exc:
        error = exc
    if error is not None:
        assert error.line >= 1
        assert error.column >= 1
    else:
        assert story is not None
        text = data if isinstance(data, str) else data.decode("utf-8")
        assert rm.dumps(story) == text
        check_layout(story, text)
        assert all(link.line is not None and link.column is not None for link in story.links)
        assert all(d.code.startswith("RB") for d in rm.validate(story))
        for edited in edits(story):
            assert rm.loads(rm.dumps(edited)) == edited
        check_closure(story)


def check_closure(story: Story) -> None:
    """What loads accepts, recount and a canonical dump keep: no FormatError, and the
    canonical text reads back as the same story."""
    for each in (story, rm.recount(story)):
        assert rm.loads(rm.dumps(each, canonical=True)) == each


def _fields(cls: type) -> list[str]:
    return [field.name for field in attrs.fields(cls) if not field.name.startswith("_")]


def transplants(story: Story, donor: Story) -> list[Story]:
    """*story* with each field, and each Meta field, set to *donor*'s: a value the parser
    accepted, so the format must be able to hold it in any story."""
    edited = [attrs.evolve(story, **{name: getattr(donor, name)}) for name in _fields(Story)]
    meta = [
        attrs.evolve(story.meta, **{name: getattr(donor.meta, name)}) for name in _fields(rm.Meta)
    ]
    return edited + [attrs.evolve(story, meta=m) for m in meta]


def check_layout(story: Story, text: str) -> None:
    """The source map's blocks, with the blank lines between them, cover the text."""
    layout = story._layout
    assert layout is not None
    smap = layout.map
    blocks = smap.blocks()
    body = "".join(part for block in blocks for part in (*block.gap, *block.lines))
    tail = "".join(smap.lines()[smap.stops[-1] :])
    assert ("\ufeff" if smap.bom else "") + body + tail == text


def edits(story: Story) -> list[Story]:
    """Edits any parsed story can take: they exercise the merge into its parsed layout."""
    return [
        attrs.evolve(story, title=story.title + " x"),
        attrs.evolve(story, deck="new deck"),
        rm.recount(story),
    ]


@given(st.text() | st.binary())
def test_random_input_raises_only_parse_error(data: str | bytes) -> None:
    check_input(data)


@given(st.text(st.sampled_from([*SPECIAL, "\n", "\r", "\ufeff", "#", " ", "a", "1"])))
def test_format_like_input_raises_only_parse_error(data: str) -> None:
    check_input("# T\n> d\n\n**Meta:** " + data)
    check_input(data)


MUTATION_CHARS = [
    "\r",
    "\n",
    "\ufeff",
    "—",
    "·",
    "*",
    "[",
    "]",
    ">",
    "#",
    " ",
    ",",
    "\x00",
    " ·",
    ": ",
]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A corpus file with a few characters or lines inserted, deleted or swapped."""
    text = read(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        op = draw(
            st.sampled_from(
                ["insert", "delete", "swap-chars", "dup-line", "drop-line", "swap-lines"]
            )
        )
        at = draw(st.integers(0, max(len(text) - 1, 0)))
        if op == "insert":
            text = text[:at] + draw(st.sampled_from(MUTATION_CHARS) | CHARS) + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + 1 :]
        elif op == "swap-chars" and at + 1 < len(text):
            text = text[:at] + text[at + 1] + text[at] + text[at + 2 :]
        else:
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if op == "dup-line":
                lines.insert(i, lines[j])
            elif op == "drop-line":
                del lines[i]
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


@given(mutated())
def test_mutated_corpus_parses_exactly_or_fails_cleanly(text: str) -> None:
    check_input(text)
    check_input(text.encode("utf-8"))


@given(mutated(), mutated())
def test_every_accepted_value_can_be_set_and_written(text: str, donor_text: str) -> None:
    """Closure: every field of any story set to a value loads accepted for it writes back,
    laid out as parsed and canonically, and reads back as the edited story."""
    try:
        story, donor = rm.loads(text), rm.loads(donor_text)
    except rm.ParseError:
        return
    check_closure(story)
    for edited in transplants(story, donor):
        assert rm.loads(rm.dumps(edited)) == edited
        assert rm.loads(rm.dumps(edited, canonical=True)) == edited


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_corpus_stories_survive_recount_and_a_canonical_dump(path: Path) -> None:
    story = rm.load(path)
    check_closure(story)
    for donor in (rm.load(other) for other in VALID):
        for edited in transplants(story, donor):
            assert rm.loads(rm.dumps(edited, canonical=True)) == edited
