"""Property-based tests: generated stories round-trip; no input makes loads misbehave."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

import rbtfl_model as rm
from rbtfl_model import Count, Entity, Lens, Meta, Metric, Section, Story, Take, _renderer
from tests.conftest import VALID, read

KNOWN_SECTIONS = {
    "Summary",
    "The split",
    "By the numbers",
    "Why it matters",
    "What to watch",
    "Regional takes (batched by bias / lens)",
    "Across the graph",
}
# Characters the format gives meaning to, and some that trip line-splitting code.
SPECIAL = [*" \t·—*[](),:#>-_\\`\"'<!&", "장", "é", "😀", "\u2028", "\x0b", "\x85", "\x00"]
chars = st.one_of(
    st.sampled_from(SPECIAL),
    st.characters(codec="utf-8", exclude_characters="\r\n"),  # no lone surrogates
)


def text(min_size: int = 0, max_size: int = 16) -> st.SearchStrategy[str]:
    return st.text(chars, min_size=min_size, max_size=max_size)


def nonblank(*forbid: str) -> st.SearchStrategy[str]:
    return text(1).filter(lambda s: bool(s.strip(" \t")) and not any(f in s for f in forbid))


def is_heading(line: str) -> bool:
    return line == "##" or line.startswith(("## ", "##\t"))


line = text()
segment_value = line.filter(lambda v: " · " not in f" {v} ")
name = nonblank().filter(lambda s: s == s.strip(" \t"))
prose_line = line.filter(lambda s: s != "---" and not is_heading(s))
prose = st.one_of(
    st.just(""),
    st.lists(prose_line, min_size=1, max_size=4)
    .map("\n".join)
    .filter(lambda s: bool(s.split("\n")[0].strip(" \t") and s.split("\n")[-1].strip(" \t"))),
)
meta = st.builds(
    Meta,
    type=st.none() | segment_value,
    date=st.none() | st.dates(),
    heads=st.lists(nonblank(", "), max_size=3)
    .map(tuple)
    .filter(lambda heads: " · " not in f" {', '.join(heads)} "),
    extra=st.lists(
        st.tuples(st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,8}", fullmatch=True), segment_value),
        max_size=2,
        unique_by=lambda pair: pair[0],
    )
    .filter(lambda pairs: not {k for k, _ in pairs} & {"type", "date", "heads"})
    .map(tuple),
    counts=st.lists(
        st.builds(
            Count,
            st.integers(0, 10**6),
            st.sampled_from(["takes", "lenses", "regions", "출처"])
            | st.from_regex(r"[A-Za-z]{1,8}", fullmatch=True),
        ),
        max_size=3,
    ).map(tuple),
)
take = st.builds(
    Take,
    outlet=nonblank("**").filter(lambda s: not s.endswith("*")),
    region=nonblank(")"),
    language=nonblank(", ", ")"),
    summary=line,
    quote=st.none() | line,
    source=st.none() | st.from_regex(r"\S{1,20}", fullmatch=True),
)
lens = st.builds(Lens, name, st.lists(take, max_size=3).map(tuple))
section = st.builds(Section, name.filter(lambda s: s not in KNOWN_SECTIONS), prose)
stories = st.builds(
    Story,
    title=nonblank(),
    deck=line,
    meta=meta,
    summary=st.none() | prose,
    split=st.none() | prose,
    metrics=st.lists(st.builds(Metric, nonblank(", "), line), max_size=3).map(tuple),
    why_it_matters=st.none() | prose,
    what_to_watch=st.lists(nonblank(), max_size=3).map(tuple),
    sections=st.lists(section, max_size=2).map(tuple),
    lenses=st.lists(lens, max_size=3).map(tuple),
    related=st.lists(st.from_regex(r"[^\s\[\],]{1,12}", fullmatch=True), max_size=3).map(tuple),
    entities=st.lists(st.builds(Entity, nonblank(", ")), max_size=3).map(tuple),
    canonical=st.none()
    | st.builds(
        "https://rbtfl.xyz/{}/n/{}".format,
        st.from_regex(r"[a-z]{2}", fullmatch=True),
        st.from_regex(r"[^/\s?#]{1,12}", fullmatch=True),
    ),
)


@given(stories)
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
        "title": nonblank(),
        "meta": meta,
        "summary": st.none() | prose,
        "metrics": st.lists(st.builds(Metric, nonblank(", "), line), max_size=3).map(tuple),
        "lenses": st.lists(lens, max_size=3).map(tuple),
        "related": st.lists(st.from_regex(r"[^\s\[\],]{1,12}", fullmatch=True), max_size=3).map(
            tuple
        ),
    }
    changes: dict[str, Any] = data.draw(st.fixed_dictionaries({}, optional=optional))
    prepend_take: bool = data.draw(st.booleans())
    if story.lenses and prepend_take:
        first = story.lenses[0]
        new_take = data.draw(take)
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


def check_layout(story: Story, text: str) -> None:
    """The parsed blocks, tagged by the canonical walk of the parsed story, cover the text."""
    layout = story._layout
    assert layout is not None
    blocks = _renderer.parsed_blocks(layout)  # raises if the walk has more or fewer blocks
    body = "".join(part for block in blocks for part in (*block.gap, *block.lines))
    tail = "".join(layout.lines()[layout.spans[-1] :])
    assert ("\ufeff" if layout.bom else "") + body + tail == text


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


MUTATION_CHARS = ["\r", "\n", "\ufeff", "—", "·", "*", "[", "]", ">", "#", " ", ",", "\x00"]


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
            text = text[:at] + draw(st.sampled_from(MUTATION_CHARS) | chars) + text[at:]
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
