"""Dict, JSON and YAML forms: round trips, the JSON Schema, and errors that name their paths."""

from __future__ import annotations

import copy
import datetime
import json
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings

import rbtfl_model as rm
from rbtfl_model import Count, Entity, Lens, Meta, Metric, Section, Story, Take
from tests.conftest import SEED, VALID, read
from tests.strategies import REPRESENTABLE, stories

Data = dict[str, Any]

# Generated strings are short but many; the default deadline trips on a cold cache.
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _validator() -> jsonschema.Draft202012Validator:
    # format assertion on, so that "format": "date" rejects 2026-02-30 as from_dict does
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    return jsonschema.Draft202012Validator(rm.json_schema(), format_checker=checker)


# -- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_corpus_round_trips(path: Path) -> None:
    story = rm.load(path)
    assert rm.from_dict(rm.to_dict(story)) == story
    assert rm.from_json(rm.to_json(story)) == story
    assert rm.from_json(rm.to_json(story, indent=2)) == story
    assert rm.from_yaml(rm.to_yaml(story)) == story


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_corpus_from_json_renders_in_canonical_layout(path: Path) -> None:
    story = rm.load(path)
    text = rm.dumps(rm.from_json(rm.to_json(story)))
    assert text == rm.dumps(attrs.evolve(story, _layout=None))
    assert rm.loads(text) == story


def test_seed_from_json_renders_as_the_seed(seed_text: str) -> None:
    assert rm.dumps(rm.from_json(rm.to_json(rm.load(SEED)))) == seed_text


@PROPERTY
@given(stories())
def test_any_story_round_trips(story: Story) -> None:
    assert rm.from_dict(rm.to_dict(story)) == story
    assert rm.from_json(rm.to_json(story)) == story
    assert rm.from_yaml(rm.to_yaml(story)) == story


@PROPERTY
@given(stories(REPRESENTABLE))
def test_representable_story_renders_from_json(story: Story) -> None:
    text = rm.dumps(rm.from_json(rm.to_json(story)))
    assert text == rm.dumps(story)
    assert rm.loads(text) == story


# -- the dict form --------------------------------------------------------------------------


def test_dict_form_of_the_seed() -> None:
    data = rm.to_dict(rm.load(SEED))
    assert list(data) == [a.name for a in attrs.fields(Story) if not a.name.startswith("_")]
    assert data["meta"] == {
        "type": "story",
        "date": "2026-01-01",
        "heads": ["장기전", "누가 결정하는가"],
        "extra": [],
        "counts": [
            {"number": 5, "noun": "takes"},
            {"number": 4, "noun": "lenses"},
            {"number": 3, "noun": "regions"},
        ],
    }
    assert data["lenses"][3]["takes"][0] == {
        "outlet": "Amanda Van Dyke (Substack)",
        "region": "Global",
        "language": "en",
        "summary": "",
        "quote": None,
        "source": "https://amandavandyke.substack.com/p/"
        "why-china-weaponising-rare-earths-no-longer-scares-japan-or-the-west",
    }
    assert data["canonical"] == "https://rbtfl.xyz/ko/n/china-rare-earth-japan-controls"


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_dict_form_is_plain_json_data(path: Path) -> None:
    story = rm.load(path)
    data = rm.to_dict(story)
    assert json.loads(rm.to_json(story)) == data  # lists, not tuples; str dates
    assert "_layout" not in json.dumps(data)
    assert "layout" not in data


def test_meta_extra_is_a_list_of_pairs() -> None:
    story = Story(title="T", deck="D", meta=Meta(extra=(("b", "1"), ("a", "2"), ("b", "3"))))
    data = rm.to_dict(story)
    assert data["meta"]["extra"] == [["b", "1"], ["a", "2"], ["b", "3"]]
    assert rm.from_dict(data) == story


def test_missing_fields_take_their_defaults() -> None:
    assert rm.from_dict({"title": "T", "deck": "D"}) == Story(title="T", deck="D")
    take = {"outlet": "O", "region": "R", "language": "en"}
    story = rm.from_dict({"title": "T", "deck": "D", "lenses": [{"name": "L", "takes": [take]}]})
    assert story.takes == (Take("O", "R", "en"),)


def test_tuples_are_accepted_where_lists_are() -> None:
    story = rm.from_dict({"title": "T", "deck": "D", "related": ("a", "b")})
    assert story.related == ("a", "b")


@pytest.mark.parametrize(
    "text",
    [
        "title: T\ndeck: D\nmeta:\n  date: 2026-01-01\n",
        "title: T\ndeck: D\nmeta:\n  date: '2026-01-01'\n",
        'title: T\ndeck: D\nmeta:\n  date: "2026-01-01"\n',
        "{title: T, deck: D, meta: {date: 2026-01-01}}\n",
    ],
    ids=["plain", "single-quoted", "double-quoted", "flow"],
)
def test_yaml_dates_load_quoted_or_not(text: str) -> None:
    assert rm.from_yaml(text).meta.date == datetime.date(2026, 1, 1)


def test_yaml_timestamps_elsewhere_stay_text() -> None:
    story = rm.from_yaml("title: 2026-01-01\ndeck: 2026-01-01 10:00:00\n")
    assert (story.title, story.deck) == ("2026-01-01", "2026-01-01 10:00:00")


def test_yaml_writes_dates_as_iso_strings() -> None:
    text = rm.to_yaml(Story(title="T", deck="D", meta=Meta(date=datetime.date(2026, 1, 1))))
    assert "  date: '2026-01-01'\n" in text


def test_yaml_keeps_unicode_readable() -> None:
    text = rm.to_yaml(rm.load(SEED))
    assert "- 장기전\n" in text


def test_yaml_and_json_accept_bytes() -> None:
    story = rm.load(SEED)
    assert rm.from_json(rm.to_json(story).encode("utf-8")) == story
    assert rm.from_yaml(rm.to_yaml(story).encode("utf-8")) == story


# -- errors ---------------------------------------------------------------------------------


def _seed_data() -> Data:
    return rm.to_dict(rm.load(SEED))


def _edit(change: Callable[[Data], object]) -> Data:
    data = copy.deepcopy(_seed_data())
    change(data)
    return data


def _set(data: Data, path: tuple[str | int, ...], value: object) -> None:
    target: Any = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


def _many_problems(data: Data) -> None:
    data.pop("deck")
    _set(data, ("metrics", 2, "value"), 60)
    _set(data, ("lenses", 1, "takes", 0, "quote"), ["a"])
    _set(data, ("entities", 0, "slug"), "neodymium")


BAD_DATA: dict[str, tuple[Data | list[object], list[str]]] = {
    "missing-field": (
        _edit(lambda d: d.pop("title")),
        ["$.title: required field missing"],
    ),
    "wrong-type-deep-in-a-take": (
        _edit(lambda d: _set(d, ("lenses", 0, "takes", 0, "source"), 42)),
        ["$.lenses[0].takes[0].source: expected str"],
    ),
    "unknown-key": (
        _edit(lambda d: _set(d, ("meta", "colour"), "red")),
        ["$.meta.colour: unknown key"],
    ),
    "unknown-key-at-top": (
        _edit(lambda d: _set(d, ("_layout",), None)),
        ["$._layout: unknown key"],
    ),
    "missing-in-a-take": (
        _edit(lambda d: d["lenses"][3]["takes"][1].pop("outlet")),
        ["$.lenses[3].takes[1].outlet: required field missing"],
    ),
    "string-for-a-list": (
        _edit(lambda d: _set(d, ("meta", "heads"), "장기전")),
        ["$.meta.heads: expected list"],
    ),
    "number-for-a-string-in-a-list": (
        _edit(lambda d: _set(d, ("related", 1), 7)),
        ["$.related[1]: expected str"],
    ),
    "bool-for-an-int": (
        _edit(lambda d: _set(d, ("meta", "counts", 0, "number"), True)),
        ["$.meta.counts[0].number: expected int"],
    ),
    "string-for-an-int": (
        _edit(lambda d: _set(d, ("meta", "counts", 0, "number"), "5")),
        ["$.meta.counts[0].number: expected int"],
    ),
    "date-not-iso": (
        _edit(lambda d: _set(d, ("meta", "date"), "1 Jan 2026")),
        ["$.meta.date: expected an ISO date string like '2026-01-01'"],
    ),
    "date-not-a-day": (
        _edit(lambda d: _set(d, ("meta", "date"), "2026-02-30")),
        ["$.meta.date: expected a calendar date, got '2026-02-30'"],
    ),
    "extra-not-a-pair": (
        _edit(lambda d: _set(d, ("meta", "extra"), [["region", "asia", "x"]])),
        ["$.meta.extra[0]: expected a list of 2 items, got 3"],
    ),
    "list-for-an-object": (
        _edit(lambda d: _set(d, ("meta",), ["story"])),
        ["$.meta: expected dict"],
    ),
    "null-for-a-required-string": (
        _edit(lambda d: _set(d, ("deck",), None)),
        ["$.deck: expected str"],
    ),
    "many-problems-at-once": (
        _edit(_many_problems),
        [
            "$.deck: required field missing",
            "$.metrics[2].value: expected str",
            "$.lenses[1].takes[0].quote: expected str",
            "$.entities[0].slug: unknown key",
        ],
    ),
    "not-an-object": ([], ["$: expected dict"]),
}


@pytest.mark.parametrize(("data", "problems"), BAD_DATA.values(), ids=BAD_DATA.keys())
def test_bad_data_lists_every_problem(data: object, problems: list[str]) -> None:
    with pytest.raises(rm.DataError) as info:
        rm.from_dict(data)
    assert list(info.value.problems) == problems
    assert str(info.value).splitlines()[1:] == [f"  {p}" for p in problems]


@pytest.mark.parametrize(("data", "problems"), BAD_DATA.values(), ids=BAD_DATA.keys())
def test_bad_data_fails_the_same_in_json_and_yaml(data: object, problems: list[str]) -> None:
    for read_back in (rm.from_json, rm.from_yaml):
        with pytest.raises(rm.DataError) as info:
            read_back(json.dumps(data))  # JSON text is YAML too
        assert list(info.value.problems) == problems


def test_error_message_counts_problems() -> None:
    with pytest.raises(rm.DataError) as info:
        rm.from_dict({"deck": 1})
    assert str(info.value) == (
        "invalid story data (2 problems):\n"
        "  $.title: required field missing\n"
        "  $.deck: expected str"
    )


def test_data_error_is_a_library_value_error_and_pickles() -> None:
    with pytest.raises(rm.DataError) as info:
        rm.from_dict({})
    error = info.value
    assert isinstance(error, ValueError)
    assert isinstance(error, rm.RbtflError)
    copied = pickle.loads(pickle.dumps(error))
    assert copied.problems == error.problems
    assert str(copied) == str(error)


def test_python_tag_in_yaml_is_refused_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"!!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(rm.DataError) as info:
        rm.from_yaml(text)
    assert info.value.problems == (
        "$: invalid YAML at line 1, column 1: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'",
    )
    assert not marker.exists()


def test_python_tag_deep_in_yaml_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"title: T\ndeck: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(rm.DataError, match=r"line 2, column 7: .*python/object/apply"):
        rm.from_yaml(text)
    assert not marker.exists()


@pytest.mark.parametrize(
    ("read_back", "text", "problem"),
    [
        (rm.from_json, '{"title": "T",', "$: invalid JSON: Expecting property name enclosed"),
        (rm.from_json, '{"title": "T", "title": "U"}', "$: invalid JSON: duplicate key 'title'"),
        (rm.from_yaml, "title: T\ntitle: U\n", "$: invalid YAML at line 2, column 1: found dupl"),
        (rm.from_yaml, "title: [T\n", "$: invalid YAML at line 2, column 1: expected ',' or ']'"),
        (
            rm.from_yaml,
            "a: 1\n---\nb: 2\n",
            "$: invalid YAML at line 2, column 1: "
            "expected a single document in the stream but found another document",
        ),
        (rm.from_yaml, "", "$: expected dict"),
        (
            rm.from_yaml,
            "title: &t T\ndeck: *t\n",
            "$: invalid YAML at line 2, column 7: found alias *t; aliases are not allowed",
        ),
    ],
    ids=[
        "json-syntax",
        "json-duplicate",
        "yaml-duplicate",
        "yaml-syntax",
        "yaml-two-docs",
        "empty",
        "alias",
    ],
)
def test_unreadable_text_is_a_data_error(
    read_back: Callable[[str], Story], text: str, problem: str
) -> None:
    with pytest.raises(rm.DataError) as info:
        read_back(text)
    assert len(info.value.problems) == 1
    assert info.value.problems[0].startswith(problem)


# -- the JSON Schema --------------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(rm.json_schema())


def test_schema_is_a_fresh_copy() -> None:
    rm.json_schema()["properties"].clear()
    assert "title" in rm.json_schema()["properties"]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_corpus_json_matches_the_schema(path: Path) -> None:
    errors = list(_validator().iter_errors(json.loads(rm.to_json(rm.load(path)))))
    assert errors == []


@PROPERTY
@given(stories())
def test_any_story_matches_the_schema(story: Story) -> None:
    assert list(_validator().iter_errors(json.loads(rm.to_json(story)))) == []


@pytest.mark.parametrize(("data", "problems"), BAD_DATA.values(), ids=BAD_DATA.keys())
def test_schema_rejects_what_from_dict_rejects(data: object, problems: list[str]) -> None:
    assert not _validator().is_valid(data)


@pytest.mark.parametrize(
    "cls", [Story, Meta, Count, Metric, Take, Lens, Entity, Section], ids=lambda c: c.__name__
)
def test_schema_names_every_field(cls: type) -> None:
    schema = rm.json_schema()
    part = schema if cls is Story else schema["$defs"][cls.__name__]
    fields = [a for a in attrs.fields(cls) if not a.name.startswith("_")]
    assert list(part["properties"]) == [a.name for a in fields]
    assert part["required"] == [a.name for a in fields if a.default is attrs.NOTHING]
    assert part["additionalProperties"] is False


def test_schema_ships_in_the_package() -> None:
    text = read(Path(rm.__file__).parent / "story.schema.json")
    assert json.loads(text) == rm.json_schema()
