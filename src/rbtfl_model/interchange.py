"""Stories as plain data: dicts, JSON and YAML, through one cattrs converter.

cattrs and pyyaml are imported on first use, not with the package.

The dict form carries a story's content, never its file layout. Its keys are the attribute
names; sequences are lists; ``meta.date`` is an ISO ``YYYY-MM-DD`` string; ``meta.extra`` is a
list of ``[key, value]`` pairs, in order (a pair list rather than a mapping, so that every
``Meta`` value, duplicates included, survives the trip). Missing fields that have a default
take it. :func:`json_schema` describes the form.

Reading is strict: a value of the wrong type is an error, never coerced, and so is an unknown
key. A count is any integral number: ``5.0`` reads as ``5``, as JSON Schema has it. Every
problem is collected into one :class:`DataError` naming each one's path.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Final

from rbtfl_model.errors import DataError
from rbtfl_model.model import Story

__all__ = [
    "from_dict",
    "from_json",
    "from_yaml",
    "json_schema",
    "to_dict",
    "to_json",
    "to_yaml",
]

SCHEMA_FILE: Final = "story.schema.json"


# -- public API ---------------------------------------------------------------------------


def to_dict(story: Story) -> dict[str, Any]:
    """Return *story*'s content as plain data: dicts, lists, str, int and None.

    Raises :class:`FormatError` for a count outside the format's bound (see ``MAX_COUNT``).
    """
    from rbtfl_model._convert import unstructure  # deferred: cattrs is slow to import

    return unstructure(story)


def from_dict(data: object) -> Story:
    """Build a story from its dict form; raise :class:`DataError` listing every problem."""
    from rbtfl_model._convert import structure  # deferred: cattrs is slow to import

    return structure(data)


def to_json(story: Story, *, indent: int | None = None) -> str:
    """Return *story* as JSON text (non-ASCII characters are written as themselves)."""
    return json.dumps(to_dict(story), ensure_ascii=False, indent=indent)


def from_json(text: str | bytes) -> Story:
    """Read a story from JSON text; raise :class:`DataError` for bad JSON or bad data."""
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except (ValueError, _DuplicateKeyError) as exc:  # JSONDecodeError is a ValueError
        raise DataError([f"$: invalid JSON: {exc}"]) from None
    except RecursionError:
        raise DataError(["$: invalid JSON: nested far deeper than any story"]) from None
    return from_dict(data)


def to_yaml(story: Story) -> str:
    """Return *story* as a YAML document, written with pyyaml's safe dumper."""
    from rbtfl_model import _yaml  # deferred: pyyaml is imported on first use of YAML

    return _yaml.dump(to_dict(story))


def from_yaml(text: str | bytes) -> Story:
    """Read a story from one YAML document with a safe loader.

    Tags that would build Python objects (``!!python/...``) are refused: nothing runs.
    """
    from rbtfl_model import _yaml  # deferred: pyyaml is imported on first use of YAML

    return from_dict(_yaml.load(text))


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the dict form; a fresh copy each call."""
    text = resources.files("rbtfl_model").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


# -- reading JSON and YAML ------------------------------------------------------------------


class _DuplicateKeyError(Exception):
    """A JSON or YAML object names the same key twice; the last one would win silently."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(f"duplicate key {key!r}")
        result[key] = value
    return result
