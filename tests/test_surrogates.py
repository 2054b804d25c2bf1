"""Lone surrogates: loads refuses them at their place, dumps names the field that holds one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rbtfl_model as rm
from rbtfl_model import Entity, Meta, Section, Story
from tests.conftest import SEED, VALID, read

BAD = "\ud800"  # a high surrogate with no low half: a str can hold it, UTF-8 cannot


def _take(story: Story, lens: int, take: int, **changes: str) -> Story:
    """Change take *take* of lens *lens*."""
    lenses = list(story.lenses)
    takes = list(lenses[lens].takes)
    takes[take] = attrs.evolve(takes[take], **changes)
    lenses[lens] = attrs.evolve(lenses[lens], takes=tuple(takes))
    return attrs.evolve(story, lenses=tuple(lenses))


#: field named by FormatError -> an edit of the seed story that puts BAD into that field
EDITS: dict[str, Callable[[Story], Story]] = {
    "title": lambda s: attrs.evolve(s, title=s.title + BAD),
    "deck": lambda s: attrs.evolve(s, deck=BAD + s.deck),
    "meta.type": lambda s: attrs.evolve(s, meta=attrs.evolve(s.meta, type=BAD)),
    "meta.heads[1]": lambda s: attrs.evolve(s, meta=attrs.evolve(s.meta, heads=("a", BAD))),
    "meta.extra[0]": lambda s: attrs.evolve(s, meta=attrs.evolve(s.meta, extra=(("k", BAD),))),
    "summary": lambda s: attrs.evolve(s, summary=f"ok\nstill {BAD} ok"),
    "why_it_matters": lambda s: attrs.evolve(s, why_it_matters=BAD),
    "metrics[2].description": lambda s: attrs.evolve(
        s,
        metrics=tuple(
            attrs.evolve(m, description=BAD) if i == 2 else m for i, m in enumerate(s.metrics)
        ),
    ),
    "what_to_watch[0]": lambda s: attrs.evolve(s, what_to_watch=(BAD, *s.what_to_watch[1:])),
    "sections[0].name": lambda s: attrs.evolve(s, sections=(Section(BAD, "body"),)),
    "sections[0].body": lambda s: attrs.evolve(s, sections=(Section("Notes", BAD),)),
    "lenses[1].name": lambda s: attrs.evolve(
        s, lenses=(s.lenses[0], attrs.evolve(s.lenses[1], name=BAD), *s.lenses[2:])
    ),
    "lenses[3].takes[1].outlet": lambda s: _take(s, 3, 1, outlet=BAD),
    "lenses[3].takes[1].region": lambda s: _take(s, 3, 1, region=BAD),
    "lenses[3].takes[1].language": lambda s: _take(s, 3, 1, language=BAD),
    "lenses[3].takes[1].summary": lambda s: _take(s, 3, 1, summary="a" + BAD),
    "lenses[3].takes[1].quote": lambda s: _take(s, 3, 1, quote=BAD),
    "lenses[3].takes[1].source": lambda s: _take(s, 3, 1, source="https://x/" + BAD),
    "related[1]": lambda s: attrs.evolve(s, related=("a", "b" + BAD)),
    "entities[0].name": lambda s: attrs.evolve(s, entities=(Entity(BAD),)),
    "canonical": lambda s: attrs.evolve(s, canonical="https://rbtfl.xyz/ko/n/x" + BAD),
}


def _layout_free(story: Story) -> Story:
    """The same values with no parsed layout, as a program would build them."""
    return attrs.evolve(story, _layout=None)


@pytest.mark.parametrize("layout", [True, False], ids=["edited-parsed", "layout-free"])
@pytest.mark.parametrize("field", EDITS)
def test_dumps_names_the_field_holding_a_lone_surrogate(field: str, layout: bool) -> None:
    story = rm.load(SEED)
    story = EDITS[field](story if layout else _layout_free(story))
    with pytest.raises(rm.FormatError, match="lone surrogate U\\+D800") as info:
        rm.dumps(story)
    assert info.value.field == field


def test_dump_refuses_a_lone_surrogate_and_leaves_the_file(tmp_path: Path) -> None:
    target = tmp_path / "story.md"
    target.write_bytes(SEED.read_bytes())
    with pytest.raises(rm.FormatError):
        rm.dump(EDITS["title"](rm.load(SEED)), target)
    assert target.read_bytes() == SEED.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["story.md"]


#: (where the surrogate goes in the seed text, its expected line and column)
PLACES = [
    ("# ", 1, 3),  # start of the title
    ("**Meta:** ", 4, 11),  # start of the meta segments
    ("Source: ", 39, 11),  # start of the first take's source URL
]


@pytest.mark.parametrize(("after", "line", "column"), PLACES, ids=[p[0] for p in PLACES])
def test_loads_refuses_a_lone_surrogate_at_its_place(after: str, line: int, column: int) -> None:
    text = read(SEED).replace(after, after + BAD, 1)
    with pytest.raises(rm.ParseError, match="lone surrogate U\\+D800") as info:
        rm.loads(text)
    assert (info.value.line, info.value.column) == (line, column)
    assert "\ufffd" in info.value.source_line  # shown as a replacement character
    str(info.value).encode("utf-8")  # the message itself prints


def test_encoded_surrogate_bytes_are_not_utf8() -> None:
    """The same character as bytes (CESU-style ED A0 80) is refused by the UTF-8 decoder."""
    data = read(SEED).replace("# ", "# " + BAD, 1).encode("utf-8", "surrogatepass")
    with pytest.raises(rm.ParseError, match="not valid UTF-8") as info:
        rm.loads(data)
    assert (info.value.line, info.value.column) == (1, 3)


def test_meta_built_with_surrogate_free_values_still_dumps() -> None:
    """The check is on what is written: a story without surrogates renders as before."""
    story = Story(title="T", deck="D", meta=Meta(type="story"))
    assert rm.dumps(story) == "# T\n> D\n\n**Meta:** type: story"


@given(st.sampled_from(VALID), st.data())
def test_a_lone_surrogate_anywhere_is_refused_where_it_stands(
    path: Path, data: st.DataObject
) -> None:
    text = read(path)
    at = data.draw(st.integers(0, len(text)))
    bad = data.draw(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF))
    with pytest.raises(rm.ParseError) as info:
        rm.loads(text[:at] + bad + text[at:])
    line_start = text.rfind("\n", 0, at) + 1
    assert (info.value.line, info.value.column) == (
        text.count("\n", 0, at) + 1,
        at - line_start + 1,
    )
