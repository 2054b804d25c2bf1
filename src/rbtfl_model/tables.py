"""Stories as six tables with one fixed schema: Arrow, Parquet and pandas.

``stories``, ``takes``, ``metrics``, ``links``, ``entities`` and ``edges`` have the columns
and types listed in :data:`TABLES`, whatever the stories: one story, a
:class:`~rbtfl_model.corpus.Corpus`, any iterable of stories, or none at all. So the
Parquet files of two folders have the same schema and concatenate, and a per-story table
never infers a type from its values.

The rows are made here, in plain Python; :func:`arrow_table` (the ``rbtfl-model[pyarrow]``
extra) and :func:`rbtfl_model.frames.frame` (``[pandas]``) both build on :func:`rows`, so the
Arrow and pandas forms cannot drift apart. pyarrow is imported on first use.

Types: text is ``string``, dates ``date32``, counts and positions ``int32``, flags ``bool``,
lists ``list<string>``, and quantities ``decimal128(38, 10)``, which holds every number
:func:`~rbtfl_model.quantity.parse_quantity` accepts exactly. Every column may be null.
In pandas: ``string``, ``datetime64[ns]``, ``Int32``, ``boolean``, tuples and ``Decimal``
objects (``object``), so an empty frame keeps its dtypes too.

``edges.in_corpus`` says whether the target is one of the stories given, as in
:class:`~rbtfl_model.graph.StoryGraph`; the ``entities`` of a story are those of
:meth:`~rbtfl_model.graph.StoryGraph.entities_of`.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs

from rbtfl_model.graph import story_entities, story_targets
from rbtfl_model.model import Story
from rbtfl_model.quantity import FRACTION_DIGITS, INTEGER_DIGITS

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "DECIMAL_TYPE",
    "TABLES",
    "Column",
    "Stories",
    "arrow_table",
    "arrow_tables",
    "rows",
    "schema",
    "stories_of",
    "write_parquet",
]

#: What the functions here accept: one story, a corpus (or any mapping to stories) or an
#: iterable of stories.
Stories = Story | Mapping[str, Story] | Iterable[Story]
Row = tuple[Any, ...]

#: The quantities' Arrow type: 38 digits (the widest that DuckDB, Spark and pandas read as
#: an exact decimal), 10 of them after the point.
DECIMAL_TYPE: Final = f"decimal128({INTEGER_DIGITS + FRACTION_DIGITS}, {FRACTION_DIGITS})"


@attrs.frozen
class Column:
    """A column of a table: its name, its Arrow type (as pyarrow prints it) and what it holds."""

    name: str
    type: str
    doc: str


def _columns(*specs: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


_SLUG: Final = ("slug", "string", "the story's slug, from its canonical URL")
_DATE: Final = ("date", "date32", "the story's Meta date")
_LOCALE: Final = ("locale", "string", "the story's locale, from its canonical URL")

#: Every table's columns, in order.
TABLES: Final[Mapping[str, tuple[Column, ...]]] = {
    "stories": _columns(
        _SLUG,
        _LOCALE,
        _DATE,
        ("type", "string", "the Meta type"),
        ("title", "string", "the title"),
        ("deck", "string", "the deck"),
        ("heads", "list<string>", "the Meta heads"),
        ("take_count", "int32", "how many takes the story has"),
        ("lens_count", "int32", "how many lenses"),
        ("metric_count", "int32", "how many metrics"),
        ("related", "list<string>", "the Related: slugs, as written"),
        ("what_to_watch", "list<string>", "the watch items, as Markdown"),
        ("canonical", "string", "the canonical URL"),
    ),
    "takes": _columns(
        _SLUG,
        _DATE,
        _LOCALE,
        ("lens", "string", "the lens the take is listed under"),
        ("outlet", "string", "the outlet"),
        ("region", "string", "the outlet's region"),
        ("language", "string", "the outlet's language"),
        ("has_quote", "bool", "whether the take has a quote"),
        ("source", "string", "the source URL"),
        ("summary", "string", "the summary, as Markdown"),
        ("quote", "string", "the quote"),
    ),
    "metrics": _columns(
        _SLUG,
        _DATE,
        _LOCALE,
        ("value", "string", "the value as written"),
        ("description", "string", "the description, as Markdown"),
        ("low", DECIMAL_TYPE, "the quantity's low end; null if none or not a quantity"),
        ("high", DECIMAL_TYPE, "the quantity's high end; null if none or not a quantity"),
        ("unit", "string", "the quantity's unit"),
        ("approximate", "bool", "whether the quantity is approximate; null if not one"),
        ("bound", "string", "'at most', 'at least' or null"),
    ),
    "links": _columns(
        _SLUG,
        ("field", "string", "the story field the link is in"),
        ("line", "int32", "its line in the file, if unchanged since parsing"),
        ("column", "int32", "its column (in characters), likewise"),
        ("kind", "string", "'story', 'entity' or 'external'"),
        ("text", "string", "the link text, as plain text"),
        ("target", "string", "the destination as written"),
        ("target_locale", "string", "the locale of a site link"),
        ("target_slug", "string", "the slug of a site link"),
    ),
    "entities": _columns(
        _SLUG,
        ("entity", "string", "the entity's slug"),
        ("name", "string", "its name on the Entities: line, else its first link's text"),
        ("listed", "bool", "whether it is on the Entities: line"),
        ("linked", "bool", "whether an entity link points to it"),
    ),
    "edges": _columns(
        ("source", "string", "the linking story's slug"),
        ("target", "string", "the linked slug"),
        ("kind", "string", "'related' or 'inline'"),
        ("in_corpus", "bool", "whether the target is one of the stories given"),
    ),
}


def stories_of(stories: Stories) -> list[Story]:
    """*stories* as a list: a story alone, a mapping's values (a corpus's, in slug order), or
    the items of an iterable, consumed once. Raises :class:`TypeError` for anything else."""
    if isinstance(stories, Story):
        return [stories]
    found = list(stories.values() if isinstance(stories, Mapping) else stories)
    for item in found:
        if not isinstance(item, Story):
            raise TypeError(f"expected Story objects, got {type(item).__name__}: {item!r}")
    return found


def rows(stories: Stories, name: str, *, corpus: Collection[str] | None = None) -> list[Row]:
    """The rows of table *name* as tuples in :data:`TABLES` order, stories in the order given.

    *corpus* is the set of slugs that ``edges.in_corpus`` tests targets against; by default
    the slugs of *stories*. Pass the whole corpus's slugs to make the rows of a part of it.
    """
    _check_name(name)
    found = stories_of(stories)
    slugs = corpus if corpus is not None else {s.slug for s in found if s.slug is not None}
    make = _ROWS[name]
    return [row for story in found for row in make(story, slugs)]


def schema(name: str) -> pa.Schema:
    """The Arrow schema of table *name*, each field with its description as metadata."""
    _check_name(name)
    pa = _pyarrow()
    return pa.schema(
        [
            pa.field(c.name, _arrow_type(pa, c.type), metadata={"description": c.doc})
            for c in TABLES[name]
        ]
    )


def arrow_table(stories: Stories, name: str, *, corpus: Collection[str] | None = None) -> pa.Table:
    """Table *name* of *stories* as a ``pyarrow.Table`` of :func:`schema` (``[pyarrow]``).

    *corpus* is as for :func:`rows`: the slugs of the whole corpus when *stories* is a part.
    """
    return _to_arrow(rows(stories, name, corpus=corpus), name)


def arrow_tables(stories: Stories) -> dict[str, pa.Table]:
    """All six tables of *stories*, by name."""
    found = stories_of(stories)
    return {name: arrow_table(found, name) for name in TABLES}


def write_parquet(stories: Stories, folder: str | os.PathLike[str]) -> dict[str, Path]:
    """Write ``<name>.parquet`` for each table into *folder* (which must exist); return the paths.

    Each file is written beside its target and renamed over it, so a reader never sees half
    a file.
    """
    tables = arrow_tables(stories)  # says which extra to install if pyarrow is missing
    import pyarrow.parquet as pq

    written: dict[str, Path] = {}
    for name, table in tables.items():
        path = Path(folder, f"{name}.parquet")
        partial = path.with_name(f".{path.name}.partial")
        pq.write_table(table, partial)
        os.replace(partial, path)
        written[name] = path
    return written


# -- rows -----------------------------------------------------------------------------------


def _check_name(name: str) -> None:
    if name not in TABLES:
        raise ValueError(f"no table {name!r}; the tables are {', '.join(TABLES)}")


def _story_rows(story: Story, corpus: Collection[str]) -> Iterator[Row]:
    yield (
        story.slug,
        story.locale,
        story.meta.date,
        story.meta.type,
        story.title,
        story.deck,
        story.meta.heads,
        sum(len(lens.takes) for lens in story.lenses),
        len(story.lenses),
        len(story.metrics),
        story.related,
        story.what_to_watch,
        story.canonical,
    )


def _take_rows(story: Story, corpus: Collection[str]) -> Iterator[Row]:
    for lens in story.lenses:
        for take in lens.takes:
            yield (
                story.slug,
                story.meta.date,
                story.locale,
                lens.name,
                take.outlet,
                take.region,
                take.language,
                take.quote is not None,
                take.source,
                take.summary,
                take.quote,
            )


def _metric_rows(story: Story, corpus: Collection[str]) -> Iterator[Row]:
    for metric in story.metrics:
        q = metric.quantity
        quantity = (q.low, q.high, q.unit, q.approximate, q.bound) if q else (None,) * 5
        yield (
            story.slug,
            story.meta.date,
            story.locale,
            metric.value,
            metric.description,
            *quantity,
        )


def _link_rows(story: Story, corpus: Collection[str]) -> Iterator[Row]:
    for link in story.links:
        yield (
            story.slug,
            link.field,
            link.line,
            link.column,
            link.kind,
            link.text,
            link.target,
            link.locale,
            link.slug,
        )


def _entity_rows(story: Story, corpus: Collection[str]) -> Iterator[Row]:
    names: dict[str, str] = {}
    for entity, slug in zip(story.entities, story.entity_slugs, strict=True):
        names.setdefault(slug, entity.name)
    listed = set(names)
    linked: set[str] = set()
    for link in story.entity_links:
        if link.slug is not None:
            names.setdefault(link.slug, link.text)
            linked.add(link.slug)
    for slug in story_entities(story):
        yield (story.slug, slug, names[slug], slug in listed, slug in linked)


def _edge_rows(story: Story, corpus: Collection[str]) -> Iterator[Row]:
    for target, kind in story_targets(story):
        yield (story.slug, target, kind, target in corpus)


_ROWS: Final = {
    "stories": _story_rows,
    "takes": _take_rows,
    "metrics": _metric_rows,
    "links": _link_rows,
    "entities": _entity_rows,
    "edges": _edge_rows,
}


# -- Arrow ----------------------------------------------------------------------------------


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError as error:
        raise ImportError(
            "rbtfl_model.tables needs pyarrow: pip install 'rbtfl-model[pyarrow]'"
        ) from error
    return pyarrow


def _arrow_type(pa: Any, name: str) -> Any:
    if name == DECIMAL_TYPE:
        return pa.decimal128(INTEGER_DIGITS + FRACTION_DIGITS, FRACTION_DIGITS)
    return {
        "string": pa.string(),
        "date32": pa.date32(),
        "int32": pa.int32(),
        "bool": pa.bool_(),
        # "element", as Parquet names a list's items, so a table read back is the same
        "list<string>": pa.list_(pa.field("element", pa.string())),
    }[name]


def _to_arrow(table_rows: list[Row], name: str) -> pa.Table:
    pa = _pyarrow()
    table_schema = schema(name)
    columns = list(zip(*table_rows, strict=True)) or [()] * len(table_schema)
    arrays = [
        pa.array(column, type=field.type)
        for column, field in zip(columns, table_schema, strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=table_schema)
