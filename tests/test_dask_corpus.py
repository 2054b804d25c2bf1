"""examples/dask_corpus.py on Dask's local schedulers writes what ``rbtfl export`` writes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rbtfl_model import _cli
from rbtfl_model.tables import TABLES, schema
from tests.conftest import INVALID, VALID

pytest.importorskip("dask.bag")
pq = pytest.importorskip("pyarrow.parquet")

ROOT = Path(__file__).parent.parent
SCRIPT = ROOT / "examples" / "dask_corpus.py"


def run(stories: Path, out: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(stories), str(out), *options],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def rows(path: Path) -> list[Any]:
    """The rows of a Parquet file or folder of files, in a fixed order."""
    return sorted(pq.read_table(path).to_pylist(), key=repr)


def assert_same_tables(partitioned: Path, single: Path) -> None:
    for name in TABLES:
        parts = sorted((partitioned / name).glob("part-*.parquet"))
        assert parts
        for part in parts:
            # the same types and column descriptions; Parquet adds a schema-wide "ARROW:schema"
            assert pq.read_schema(part).remove_metadata().equals(schema(name), check_metadata=True)
        assert rows(partitioned / name) == rows(single / f"{name}.parquet"), name


def test_dask_export_equals_the_single_process_export(tmp_path: Path) -> None:
    stories = ROOT / "examples" / "stories"
    result = run(stories, tmp_path / "dask", "--scheduler", "processes", "--partitions", "4")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("6 files, 6 stories written in 3 partitions\n")  # 2 each
    assert "finding RB401: 1\n" in result.stdout
    assert _cli.main(["export", str(stories), "--to", "parquet", "-o", str(tmp_path / "one")]) == 0
    assert_same_tables(tmp_path / "dask", tmp_path / "one")


def test_dask_leaves_out_what_export_leaves_out(tmp_path: Path) -> None:
    folder = tmp_path / "stories"
    folder.mkdir()
    for path in [*VALID, *INVALID]:
        shutil.copy(path, folder / path.name)
    shutil.copy(VALID[0], folder / "copy.md")  # two files with one slug: both left out
    result = run(folder, tmp_path / "dask", "--scheduler", "synchronous", "--partitions", "3")
    assert result.returncode == 1
    assert result.stdout.count("left out: ") == len(INVALID) + 1
    assert "is shared by 2 files" in result.stdout
    assert _cli.main(["export", str(folder), "--to", "parquet", "-o", str(tmp_path / "one")]) == 1
    assert_same_tables(tmp_path / "dask", tmp_path / "one")
