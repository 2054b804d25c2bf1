"""Hostile input at the edges: only the library's own errors, bounds where they are enforced.

Each test here reproduces one finding of an attack on the library (issue 18) and checks what
must hold instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import pytest

import rbtfl_model as rm
from rbtfl_model.model import MAX_COUNT


@pytest.mark.parametrize(("char", "picture"), [("\r", "␍"), ("\t", "␉"), ("\x1b", "␛")])
def test_a_control_character_in_the_shown_line_is_shown_as_its_picture(
    char: str, picture: str
) -> None:
    """A raw carriage return sent the cursor back and the marker under the wrong text."""
    error = rm.ParseError("bad", line=3, column=12, source_line=f"**Meta:** a{char}b: c", span=1)
    shown, marker = str(error).splitlines()[1:]
    assert shown == f"    3 | **Meta:** a{picture}b: c"
    assert marker.index("^") == shown.index(picture)


# -- interchange: only DataError in, only FormatError out ----------------------------------------

BIG: Final = "1" * 4301  # one digit past what Python's int() reads


def _with_count(number: str) -> str:
    return f"title: T\ndeck: d\nmeta:\n  counts:\n  - number: {number}\n    noun: takes\n"


def _json_count(number: str) -> str:
    counts = '[{"number": ' + number + ', "noun": "takes"}]'
    return '{"title": "T", "deck": "d", "meta": {"counts": ' + counts + "}}"


@pytest.mark.parametrize(
    ("read", "text", "problem"),
    [
        (rm.from_json, "[" * 100_000, "$: invalid JSON: nested far deeper than any story"),
        (rm.from_yaml, "[" * 5000 + "]" * 5000, "$: invalid YAML: nested far deeper"),
        (rm.from_yaml, "{a: " * 5000 + "1" + "}" * 5000, "$: invalid YAML: nested far deeper"),
        (rm.from_json, '{"meta": {"counts": [{"number": ' + BIG, "$: invalid JSON: Exceeds"),
        (rm.from_yaml, _with_count(BIG), "$: invalid YAML: a number of more digits"),
        (rm.from_yaml, _with_count("0x" + "f" * 4000), "$.meta.counts[0].number: expected a"),
        (rm.from_yaml, _with_count("1000000000000000000"), "$.meta.counts[0].number: expected"),
        (rm.from_json, _json_count("-1"), "$.meta.counts[0].number: expected a count from 0"),
        (rm.from_json, _json_count("1e300"), "$.meta.counts[0].number: expected a count"),
    ],
    ids=[
        "json-nested",
        "yaml-nested",
        "yaml-nested-maps",
        "json-4301-digits",
        "yaml-4301-digits",
        "yaml-hex-4000-digits",
        "yaml-19-digits",
        "json-negative",
        "json-1e300",
    ],
)
def test_interchange_readers_raise_only_data_error(
    read: Callable[[str], rm.Story], text: str, problem: str
) -> None:
    with pytest.raises(rm.DataError) as info:
        read(text)
    assert info.value.problems[0].startswith(problem), info.value.problems


def test_the_largest_count_is_read_and_written() -> None:
    story = rm.from_yaml(_with_count(str(MAX_COUNT)))
    assert story.meta.counts == (rm.Count(MAX_COUNT, "takes"),)
    assert rm.from_json(rm.to_json(story)) == story
    assert rm.from_yaml(rm.to_yaml(story)) == story


@pytest.mark.parametrize("number", [-1, MAX_COUNT + 1, 16**4000], ids=["-1", "10**18", "16**4000"])
@pytest.mark.parametrize("write", [rm.to_dict, rm.to_json, rm.to_yaml])
def test_interchange_writers_refuse_a_count_out_of_bounds(
    number: int, write: Callable[[rm.Story], object]
) -> None:
    story = rm.Story(title="T", deck="d", meta=rm.Meta(counts=(rm.Count(number, "takes"),)))
    with pytest.raises(rm.FormatError) as info:
        write(story)
    assert info.value.field == "meta.counts[0]"
    assert "a count is from 0 to 999,999,999,999,999,999" in str(info.value)


# -- loads: only ParseError, and nothing accepted that cannot be written back ------------------

HEAD = "# T\n> d\n"


@pytest.mark.parametrize(
    ("text", "where", "msg"),
    [
        (HEAD + f"**Meta:** {'1' * 4301} takes\n", (3, 11), "a count has at most 18 digits"),
        (HEAD + f"**Meta:** {'1' * 19} takes\n", (3, 11), "a count has at most 18 digits"),
        (HEAD + "**Meta:** 3 takes · note: x ·\n", (3, 28), "a meta value cannot end in ' ·'"),
        (HEAD + "**Meta:** type: ·", (3, 16), "a meta value cannot end in ' ·'"),
        (HEAD + "**Meta:** heads: a, b ·\r\n", (3, 22), "a meta value cannot end in ' ·'"),
        (HEAD + "**Meta:**\r", (3, 10), "stray carriage return at the end of the file"),
        ("# T\r\n> d\r\n**Meta:** type: x\r", (3, 18), "stray carriage return at the end"),
        (HEAD, (2, 4), "expected a '**Meta:** ' line, found the end of the file"),
        ("# T\n", (1, 4), "expected a '> ' deck line after the title, found the end of the file"),
        (
            HEAD + "**Meta:**\n\n---\n",
            (5, 4),
            "expected 'Canonical: URL' after '---', found the end",
        ),
    ],
    ids=[
        "count-4301-digits",
        "count-19-digits",
        "extra-value-ending-in-dot",
        "type-value-a-dot",
        "heads-ending-in-dot",
        "lone-cr-at-end",
        "lone-cr-after-crlf-lines",
        "no-meta-line",
        "no-deck",
        "no-canonical-line",
    ],
)
def test_loads_refuses_with_parse_error(text: str, where: tuple[int, int], msg: str) -> None:
    with pytest.raises(rm.ParseError) as info:
        rm.loads(text)
    error = info.value
    assert (error.line, error.column) == where
    assert error.msg.startswith(msg), error.msg
    assert error.line <= text.count("\n") + 1  # never a line past the end
    assert "found ''" not in str(error)


@pytest.mark.parametrize(
    "meta",
    [
        f"{MAX_COUNT} takes",
        "0 takes · 000000000000000007 lenses",
        "note: x ·y",
        "note: x·",
        "a: b ·\t",
    ],
)
def test_meta_at_the_bounds_survives_recount_and_a_canonical_dump(meta: str) -> None:
    story = rm.loads(f"{HEAD}**Meta:** type: story · {meta}\n")
    for each in (story, rm.recount(story)):
        assert rm.loads(rm.dumps(each, canonical=True)) == each


@pytest.mark.parametrize("number", [-1, MAX_COUNT + 1, 16**4000], ids=["-1", "10**18", "16**4000"])
def test_dumps_refuses_a_count_out_of_bounds(number: int) -> None:
    story = rm.Story(title="T", deck="d", meta=rm.Meta(counts=(rm.Count(number, "takes"),)))
    with pytest.raises(rm.FormatError, match="a count is from 0 to 999,999,999,999,999,999"):
        rm.dumps(story)


def test_dumps_refuses_a_meta_value_loads_would_refuse() -> None:
    story = rm.Story(title="T", deck="d", meta=rm.Meta(extra=(("note", "x ·"),)))
    with pytest.raises(rm.FormatError, match="cannot contain ' · '"):
        rm.dumps(story)


def test_validate_reports_a_count_too_long_to_print() -> None:
    """A story built in code can hold any int; validate says how long, without str()."""
    story = rm.Story(title="T", deck="d", meta=rm.Meta(counts=(rm.Count(16**4000, "takes"),)))
    (diagnostic,) = rm.validate(story)
    assert diagnostic.message == "Meta says a number of about 4,817 digits takes, the story has 0"
