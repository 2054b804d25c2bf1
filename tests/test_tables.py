"""The six tables: one fixed schema for any stories, Arrow and pandas from the same rows."""

from __future__ import annotations

import datetime
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import rbtfl_model as rm
from rbtfl_model import Lens, Meta, Metric, Story, Take
from rbtfl_model.frames import frame
from rbtfl_model.tables import TABLES, arrow_table, rows, schema, write_parquet
from tests.conftest import VALID

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

EXAMPLES = Path(__file__).parent.parent / "examples" / "stories"
NAMES = list(TABLES)


@pytest.fixture(scope="module")
def corpus() -> rm.Corpus:
    return rm.load_dir(EXAMPLES)


def bare_story() -> Story:
    """A story with nothing in it: no slug, no date, no takes, no metrics, no links."""
    return Story(title="T", deck="D")


def odd_story() -> Story:
    """A story whose values are all of the awkward kind: a long quantity, a missing one."""
    return Story(
        title="T",
        deck="D",
        meta=Meta(date=datetime.date(2026, 2, 3)),
        metrics=(Metric("1" * 28 + " t", "long"), Metric("Q2", "not a number")),
        lenses=(Lens("L", (Take("O", "R", "en", quote="q"),)),),
        canonical="https://rbtfl.xyz/en/n/odd",
    )


def test_importing_the_library_imports_no_extra() -> None:
    heavy = ["pyarrow", "pandas", "matplotlib", "dask", "duckdb", "numpy"]
    code = f"import sys, rbtfl_model; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_documented_types() -> None:
    assert str(schema("stories").field("date").type) == "date32[day]"
    assert str(schema("metrics").field("low").type) == "decimal128(38, 10)"
    assert str(schema("takes").field("has_quote").type) == "bool"
    assert str(schema("stories").field("heads").type) == "list<element: string>"
    for name in NAMES:
        assert [field.name for field in schema(name)] == [c.name for c in TABLES[name]]
        for field, column in zip(schema(name), TABLES[name], strict=True):
            assert field.metadata == {b"description": column.doc.encode()}


def test_the_guide_lists_every_column() -> None:
    guide = (Path(__file__).parent.parent / "docs" / "guide.md").read_text(encoding="utf-8")
    for name, columns in TABLES.items():
        cells = ", ".join(f"`{c.name}` `{c.type}`" for c in columns)
        assert f"| `{name}` | {cells} |" in guide


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "given",
    ["corpus", "story", "empty", "generator", "bare", "odd"],
)
def test_one_schema_for_any_stories(corpus: rm.Corpus, name: str, given: str) -> None:
    stories: Any = {
        "corpus": corpus,
        "story": corpus["china-rare-earth-japan-controls"],
        "empty": [],
        "generator": (story for story in corpus.values()),
        "bare": bare_story(),
        "odd": [odd_story()],
    }[given]
    table = arrow_table(stories, name)
    assert table.schema.equals(schema(name), check_metadata=True)


@pytest.mark.parametrize("name", NAMES)
def test_tables_of_each_story_concatenate_to_the_corpus(corpus: rm.Corpus, name: str) -> None:
    whole = arrow_table(corpus, name)
    slugs = set(corpus)
    parts = [
        pa.Table.from_pylist(
            [
                dict(zip(whole.column_names, row, strict=True))
                for row in rows(s, name, corpus=slugs)
            ],
            schema=schema(name),
        )
        for s in corpus.values()
    ]
    assert pa.concat_tables(parts).equals(whole)
    assert whole.num_rows > 0


def test_a_corpus_iterates_slugs_but_is_read_as_its_stories(corpus: rm.Corpus) -> None:
    assert arrow_table(corpus, "takes").equals(arrow_table(list(corpus.values()), "takes"))
    slugs: Any = list(corpus)  # mypy refuses this too: a Corpus is no Iterable[Story]
    with pytest.raises(TypeError, match="expected Story objects, got str"):
        arrow_table(slugs, "takes")


def test_unknown_table() -> None:
    for call in (rows, arrow_table):
        with pytest.raises(ValueError, match="no table 'take'; the tables are stories, takes"):
            call([], "take")
    with pytest.raises(ValueError, match="no table 'take'"):
        schema("take")


def test_values_survive_exactly() -> None:
    metrics = arrow_table(odd_story(), "metrics").to_pylist()
    assert metrics[0]["low"] == metrics[0]["high"] == Decimal("1" * 28)
    assert metrics[0]["approximate"] is False
    assert metrics[1]["low"] is None
    assert metrics[1]["approximate"] is None
    assert metrics[0]["date"] == datetime.date(2026, 2, 3)


def test_rows_match_the_model(corpus: rm.Corpus) -> None:
    takes = arrow_table(corpus, "takes").to_pylist()
    expected = [
        (slug, lens.name, take.outlet, take.quote)
        for slug, story in corpus.items()
        for lens in story.lenses
        for take in lens.takes
    ]
    assert [(r["slug"], r["lens"], r["outlet"], r["quote"]) for r in takes] == expected
    stories = arrow_table(corpus, "stories").to_pylist()
    assert [(r["slug"], r["take_count"], r["title"]) for r in stories] == [
        (slug, len(story.takes), story.title) for slug, story in corpus.items()
    ]
    links = arrow_table(corpus, "links").to_pylist()
    assert [(r["slug"], r["target"], r["line"]) for r in links] == [
        (slug, link.target, link.line) for slug, story in corpus.items() for link in story.links
    ]


def test_edges_and_entities_are_the_graphs(corpus: rm.Corpus) -> None:
    graph = corpus.graph()
    edges = arrow_table(corpus, "edges").to_pylist()
    assert [tuple(edge.values()) for edge in edges] == [
        (e.source, e.target, e.kind, e.in_corpus) for e in graph.edges()
    ]
    entities = arrow_table(corpus, "entities").to_pylist()
    for slug in corpus:
        assert tuple(r["entity"] for r in entities if r["slug"] == slug) == graph.entities_of(slug)
    lynas = {r["entity"]: r for r in entities if r["slug"] == "lynas-texas-limbo"}
    assert lynas["lynas-malaysia"]["name"] == "Malaysian facility"
    assert (lynas["lynas-malaysia"]["listed"], lynas["lynas-malaysia"]["linked"]) == (False, True)


def test_in_corpus_is_relative_to_the_stories_given(corpus: rm.Corpus) -> None:
    alone = arrow_table(corpus["china-rare-earth-japan-controls"], "edges").to_pylist()
    assert alone
    assert not any(edge["in_corpus"] for edge in alone)


# -- pandas ---------------------------------------------------------------------------------


def normalised(value: Any) -> Any:
    """A cell of either form as plain Python: no NA, no Timestamp, lists as tuples."""
    pd = pytest.importorskip("pandas")
    if isinstance(value, list | tuple):
        return tuple(value)
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):  # a numpy scalar
        return value.item()
    return value


def cells(records: Iterator[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [tuple(normalised(v) for v in record) for record in records]


@pytest.mark.parametrize("name", NAMES)
def test_frames_and_tables_hold_the_same_rows(corpus: rm.Corpus, name: str) -> None:
    pytest.importorskip("pandas")
    stories = [*corpus.values(), odd_story(), bare_story()]
    built = frame(stories, name)
    table = arrow_table(stories, name)
    assert list(built.columns) == table.column_names
    from_arrow = cells(tuple(row.values()) for row in table.to_pylist())
    assert cells(built.itertuples(index=False, name=None)) == from_arrow


@pytest.mark.parametrize("name", NAMES)
def test_frames_keep_their_dtypes_when_empty(corpus: rm.Corpus, name: str) -> None:
    pd = pytest.importorskip("pandas")
    full = frame(corpus, name)
    empty = frame([], name)
    bare = frame(bare_story(), name)
    assert full.dtypes.to_dict() == empty.dtypes.to_dict() == bare.dtypes.to_dict()
    # so per-story frames concatenate to the corpus's frame, with the same dtypes
    parts = [frame(story, name) for story in corpus.values()]
    joined = pd.concat([empty, *parts], ignore_index=True)
    assert joined.dtypes.to_dict() == full.dtypes.to_dict()


def test_frame_dtypes() -> None:
    pytest.importorskip("pandas")
    dtypes = {k: str(v) for k, v in rm.metrics_frame([]).dtypes.items()}
    assert dtypes == {
        "slug": "string",
        "date": "datetime64[ns]",
        "locale": "string",
        "value": "string",
        "description": "string",
        "low": "object",
        "high": "object",
        "unit": "string",
        "approximate": "boolean",
        "bound": "string",
    }


def test_frames_take_a_story_a_corpus_or_an_iterable(corpus: rm.Corpus) -> None:
    pytest.importorskip("pandas")
    story = corpus["china-rare-earth-japan-controls"]
    assert len(rm.takes_frame(story)) == len(story.takes)
    assert len(rm.takes_frame(corpus)) == sum(len(s.takes) for s in corpus.values())
    assert len(rm.metrics_frame(iter([story, story]))) == 2 * len(story.metrics)


# -- Parquet --------------------------------------------------------------------------------


def test_write_parquet_reads_back(corpus: rm.Corpus, tmp_path: Path) -> None:
    written = write_parquet(corpus, tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        f"{name}.parquet" for name in NAMES
    )
    for name, path in written.items():
        read = pq.read_table(path)
        assert read.equals(arrow_table(corpus, name))
        # field for field, descriptions included; Parquet adds a schema-wide "ARROW:schema"
        assert read.schema.remove_metadata().equals(schema(name), check_metadata=True)


def test_two_folders_give_one_schema(tmp_path: Path) -> None:
    """The complaint: decimal128(10, 1) in one file, decimal256(68, 27) in another."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_parquet([rm.load(path) for path in VALID], tmp_path / "a")
    write_parquet(odd_story(), tmp_path / "b")
    for name in NAMES:
        a = pq.read_schema(tmp_path / "a" / f"{name}.parquet")
        b = pq.read_schema(tmp_path / "b" / f"{name}.parquet")
        assert a.equals(b)


def test_without_pyarrow_the_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # makes "import pyarrow" fail
    with pytest.raises(ImportError, match=r"rbtfl-model\[pyarrow\]"):
        arrow_table([], "takes")
