"""The interchange forms agree with the readers people use on them.

The JSON Schema accepts exactly the documents ``from_json`` accepts, checked over mutated
documents with jsonschema (format checking off, as Draft 2020-12 has it by default), and
``to_yaml`` reads back the same with pyyaml's safe loader (YAML 1.1) and ruamel.yaml's
(YAML 1.2).
"""

from __future__ import annotations

import contextlib
import datetime
import io
import itertools
import json
import re
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import rbtfl_model as rm
from rbtfl_model import DataError, Story
from tests.conftest import SEED
from tests.strategies import REPRESENTABLE, stories

ruamel_yaml = pytest.importorskip("ruamel.yaml")

Path = tuple[str | int, ...]

VALIDATOR = jsonschema.Draft202012Validator(rm.json_schema())  # no format checker

DATES = [
    "2026-01-01", "2026-02-28", "2026-02-29", "2024-02-29", "2000-02-29", "1900-02-29",
    "2026-02-30", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32",
    "0000-01-01", "0001-01-01", "9999-12-31", "2026-01-01\n", "\n2026-01-01", " 2026-01-01",
    "2026-1-01", "20260101", "2026-W01-1", "2026-01-01T00:00",
    "\uff12\uff10\uff12\uff16-01-01", "\u0662\u0660\u0662\u0666-01-01",  # other digits
]  # fmt: skip
VALUES: list[object] = [
    None, True, False, 0, 5, -1, 5.0, 5.5, -0.0, 1e20, 1e300, float("inf"), float("nan"),
    "", "x", "5", [], ["x"], ["a", "b"], ["a", "b", "c"], {}, {"name": "n"},
    {"number": 5.0, "noun": "takes"}, *DATES,
]  # fmt: skip


def paths(data: Any, path: Path = ()) -> list[Path]:
    """Every place in *data*: the root, each key's value and each list item."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths(value, (*path, index))
    return found


def replace(data: Any, path: Path, value: object) -> Any:
    if not path:
        return value
    head, *rest = path
    copy: Any = dict(data) if isinstance(data, dict) else list(data)
    # the last key is set, not read: an earlier mutation may have deleted it
    copy[head] = replace(data[head], tuple(rest), value) if rest else value
    return copy


def delete(data: Any, path: Path) -> Any:
    head, *rest = path
    copy: Any = dict(data) if isinstance(data, dict) else list(data)
    if rest:
        copy[head] = delete(data[head], tuple(rest))
    else:
        del copy[head]
    return copy


@st.composite
def documents(draw: st.DrawFn) -> Any:
    """A story's dict form with one to three mutations: a value replaced, a key or item
    removed, a key added, a date or a count rewritten."""
    data: Any = rm.to_dict(draw(stories(REPRESENTABLE)))
    data["meta"]["counts"] = data["meta"]["counts"] or [{"number": 3, "noun": "takes"}]
    data["meta"]["date"] = data["meta"]["date"] or "2026-01-01"
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths(data)))
        how = draw(st.sampled_from(["value", "delete", "add", "date", "count"]))
        if how == "value":
            data = replace(data, path, draw(st.sampled_from(VALUES)))
        elif how == "delete" and path:
            data = delete(data, path)
        elif how == "add" and isinstance(value := replace(data, (), data), dict):
            data = {**value, draw(st.sampled_from(["extra", "title", "Title"])): "x"}
        elif how == "date" and isinstance(data, dict) and isinstance(data.get("meta"), dict):
            data = replace(data, ("meta", "date"), draw(st.sampled_from(DATES)))
        elif how == "count":
            number = draw(st.sampled_from([5.0, 0.0, 1e20, 2.5, True, "5", -3.0]))
            with contextlib.suppress(KeyError, IndexError, TypeError):  # no counts left
                data = replace(data, ("meta", "counts", 0, "number"), number)
    return data


def from_json_accepts(text: str) -> bool:
    try:
        rm.from_json(text)
    except DataError:
        return False
    return True


@settings(max_examples=150)
@given(documents())
def test_the_schema_accepts_exactly_what_from_json_accepts(data: Any) -> None:
    text = json.dumps(data)
    assert VALIDATOR.is_valid(json.loads(text)) == from_json_accepts(text), text


def test_the_mutations_reach_both_answers() -> None:
    good = rm.to_json(rm.load(SEED))
    bad = json.dumps(replace(json.loads(good), ("meta", "date"), "2026-02-30"))
    assert (from_json_accepts(good), from_json_accepts(bad)) == (True, False)
    assert (VALIDATOR.is_valid(json.loads(good)), VALIDATOR.is_valid(json.loads(bad))) == (
        True,
        False,
    )


@pytest.mark.parametrize("date", DATES, ids=repr)
def test_schema_dates_refuse_what_fromisoformat_refuses(date: str) -> None:
    data = {"title": "T", "deck": "", "meta": {"date": date}}
    assert VALIDATOR.is_valid(data) == from_json_accepts(json.dumps(data))


def test_schema_dates_are_exactly_the_calendar_days() -> None:
    schema = rm.json_schema()["$defs"]["Meta"]["properties"]["date"]["anyOf"][0]
    pattern = re.compile(schema["pattern"])
    # every year up to 11, around the century and 400-year leap rules, and the last years
    years = itertools.chain(
        range(0, 12), range(1896, 1905), range(1996, 2005), range(2396, 2405), range(9996, 10000)
    )
    checked = 0
    for year, month, day in itertools.product(years, range(0, 14), range(0, 33)):
        text = f"{year:04}-{month:02}-{day:02}"
        try:
            datetime.date.fromisoformat(text)
            real = True
        except ValueError:
            real = False
        assert (pattern.search(text) is not None) == real, text
        checked += 1
    assert checked > 15_000


@pytest.mark.parametrize("number", [5.0, 1e2, -0.0])
def test_an_integral_float_is_a_count(number: float) -> None:
    data = {"title": "T", "deck": "", "meta": {"counts": [{"number": number, "noun": "takes"}]}}
    story = rm.from_json(json.dumps(data))
    assert story.meta.counts[0].number == int(number)
    assert type(story.meta.counts[0].number) is int
    assert VALIDATOR.is_valid(data)


# -- YAML -----------------------------------------------------------------------------------


def ruamel_load(text: str) -> Any:
    return ruamel_yaml.YAML(typ="safe", pure=True).load(io.StringIO(text))


YAML_STRINGS = [
    "1e3", "0o17", "0b1", "0x1F", "1_000", ".5", "+.inf", ".NaN", "null", "~", "on", "yes",
    "2026-01-01", "12:30", "=", "<<", "", " x ", "a: b", "- x", "#", "\x85",
]  # fmt: skip


@pytest.mark.parametrize("text", YAML_STRINGS, ids=repr)
def test_yaml_strings_stay_strings_in_both_readers(text: str) -> None:
    story = Story(title=text, deck=text, related=(text,))
    data = rm.to_dict(story)
    out = rm.to_yaml(story)
    assert yaml.safe_load(out) == data
    assert ruamel_load(out) == data


@settings(max_examples=100)
@given(st.one_of(stories(), stories(REPRESENTABLE)))
def test_yaml_reads_back_the_same_with_pyyaml_and_ruamel(story: Story) -> None:
    data = rm.to_dict(story)
    text = rm.to_yaml(story)
    assert yaml.safe_load(text) == data
    assert ruamel_load(text) == data
