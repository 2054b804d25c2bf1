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
    assert info.value.field == "meta.counts[0].number"
    assert "a count is from 0 to 999,999,999,999,999,999" in str(info.value)
