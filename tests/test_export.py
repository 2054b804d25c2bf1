"""``rbtfl export --to parquet``, its files queried back with DuckDB, a real SQL engine."""

from __future__ import annotations

import collections
import io
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

import rbtfl_model as rm
from rbtfl_model import _cli
from rbtfl_model.tables import TABLES, arrow_table
from tests.conftest import INVALID, VALID

duckdb = pytest.importorskip("duckdb")
pq = pytest.importorskip("pyarrow.parquet")

EXAMPLES = Path(__file__).parent.parent / "examples" / "stories"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "tables"  # made by the command
    assert _cli.main(["export", str(EXAMPLES), "--to", "parquet", "-o", str(out)]) == 0
    return out


def query(folder: Path, sql: str) -> list[tuple[Any, ...]]:
    """Run *sql* with each table of *folder* as a view of its name."""
    with duckdb.connect() as db:
        for name in TABLES:
            path = str(folder / f"{name}.parquet").replace("'", "''")
            db.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
        rows: list[tuple[Any, ...]] = db.execute(sql).fetchall()
        return rows


def test_export_writes_the_six_tables(exported: Path) -> None:
    assert sorted(path.name for path in exported.iterdir()) == sorted(
        f"{name}.parquet" for name in TABLES
    )
    corpus = rm.load_dir(EXAMPLES)
    for name in TABLES:
        assert pq.read_table(exported / f"{name}.parquet").equals(arrow_table(corpus, name))


def test_takes_per_lens(exported: Path) -> None:
    corpus = rm.load_dir(EXAMPLES)
    expected = collections.Counter(
        lens.name for story in corpus.values() for lens in story.lenses for _ in lens.takes
    )
    found = query(exported, "SELECT lens, count(*) FROM takes GROUP BY lens")
    assert dict(found) == expected
    assert len(expected) > 3


def test_entity_cooccurrence(exported: Path) -> None:
    graph = rm.load_dir(EXAMPLES).graph()
    found = query(
        exported,
        """
        SELECT a.entity, b.entity, list(a.slug ORDER BY a.slug)
        FROM entities a JOIN entities b ON a.slug = b.slug AND a.entity < b.entity
        GROUP BY a.entity, b.entity
        ORDER BY count(*) DESC, a.entity, b.entity
        """,
    )
    assert found == [(p.first, p.second, list(p.stories)) for p in graph.cooccurrence()]
    assert len(found) > 10


def test_missing_targets_and_quantities(exported: Path) -> None:
    graph = rm.load_dir(EXAMPLES).graph()
    found = query(
        exported,
        """
        SELECT target, list(DISTINCT source ORDER BY source) FROM edges
        WHERE NOT in_corpus GROUP BY target ORDER BY target
        """,
    )
    assert found == [(m.slug, list(m.sources)) for m in graph.missing()]
    # quantities stay exact decimals in SQL, not doubles
    [(kind,)] = query(exported, "SELECT DISTINCT typeof(low) FROM metrics")
    assert kind == "DECIMAL(38,10)"
    [(total,)] = query(exported, "SELECT sum(high) FROM metrics WHERE unit = '%'")
    metrics = rm.metrics_frame(rm.load_dir(EXAMPLES))
    assert total == sum(metrics[metrics["unit"] == "%"]["high"].dropna())


def test_export_of_broken_files_reports_them_and_writes_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in [*VALID, *INVALID]:
        shutil.copy(path, tmp_path / path.name)
    out = tmp_path / "out"
    assert _cli.main(["export", str(tmp_path), "--to", "parquet", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("rbtfl: ") == len(rm.load_dir(tmp_path, errors="collect").errors) > 0
    stories = pq.read_table(out / "stories.parquet")
    assert stories.num_rows == len(rm.load_dir(tmp_path, errors="collect"))


def test_export_of_files(tmp_path: Path) -> None:
    files = [str(path) for path in sorted(EXAMPLES.glob("*.md"))[:2]]
    assert _cli.main(["export", *files, "--to", "parquet", "-o", str(tmp_path)]) == 0
    assert pq.read_table(tmp_path / "stories.parquet").num_rows == 2


@pytest.mark.parametrize("problem", ["missing-input", "output-is-a-file"])
def test_export_usage_errors(tmp_path: Path, problem: str) -> None:
    (tmp_path / "file").write_text("x")
    args = {
        "missing-input": [str(tmp_path / "nowhere"), "-o", str(tmp_path / "out")],
        "output-is-a-file": [str(EXAMPLES), "-o", str(tmp_path / "file")],
    }[problem]
    assert _cli.main(["export", *args, "--to", "parquet"]) == 2
    assert not (tmp_path / "out").exists()


def test_export_without_pyarrow_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    assert _cli.main(["export", str(EXAMPLES), "--to", "parquet", "-o", str(tmp_path)]) == 2
    assert "rbtfl-model[pyarrow]" in capsys.readouterr().err


def test_export_reads_a_folder_with_glob_and_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for path in sorted(EXAMPLES.glob("*.md"))[:2]:
        shutil.copy(path, seeds / f"{path.stem}.txt")
    out = tmp_path / "out"
    args = ["export", str(seeds), "--glob", "*.txt", "--to", "parquet", "-o", str(out)]
    assert _cli.main(args) == 0
    assert pq.read_table(out / "stories.parquet").num_rows == 2
    # without --glob the folder holds no story files: a usage error, nothing written
    assert _cli.main(["export", str(seeds), "--to", "parquet", "-o", str(tmp_path / "x")]) == 2
    assert not (tmp_path / "x").exists()
    stdin = io.TextIOWrapper(io.BytesIO((EXAMPLES / "lynas-texas-limbo.md").read_bytes()))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert _cli.main(["export", "-", "--to", "parquet", "-o", str(tmp_path / "one")]) == 0
    slugs = pq.read_table(tmp_path / "one" / "stories.parquet").column("slug").to_pylist()
    assert slugs == ["lynas-texas-limbo"]
