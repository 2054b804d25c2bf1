"""The ``rbtfl`` command line, run as a subprocess over the corpus."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import rbtfl_model as rm
from rbtfl_model import _cli, _cli_io
from tests.conftest import DATA, INVALID, SEED, VALID, read

CRLF = DATA / "valid" / "us-minerals-price-floor-allies.md"


def rbtfl(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rbtfl_model", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        check=False,
    )


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A folder of every valid and every invalid corpus file."""
    for path in [*VALID, *INVALID]:
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_version() -> None:
    result = rbtfl("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"rbtfl {rm.__version__}")


@pytest.mark.parametrize("command", ["check", "fmt", "convert", "graph", "export"])
def test_every_command_has_help(command: str) -> None:
    result = rbtfl(command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: rbtfl {command}")


def test_usage_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    for args in [(), ("check",), ("frobnicate",), ("check", tmp_path / "nowhere.md")]:
        result = rbtfl(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr
        assert result.stdout == ""


def test_check_clean_file_exits_0() -> None:
    result = rbtfl("check", SEED)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_check_reports_each_problem_on_a_line(mixed: Path) -> None:
    result = rbtfl("check", mixed)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{mixed / 'bad-date.md'}:4:31: RB001 date 2026-02-30 is not a calendar date" in lines
    assert f"{mixed / 'us-minerals-price-floor-allies.md'}:4:62: RB101 " in "\n".join(lines)
    assert {line.split(":")[0] for line in lines} == {str(mixed / p.name) for p in INVALID} | {
        str(mixed / "us-minerals-price-floor-allies.md"),
        str(mixed / "lynas-texas-limbo.md"),
    }
    assert result.stderr == ""  # no progress indicator when stderr is not a terminal


def test_check_fail_on_warning() -> None:
    lynas = DATA / "valid" / "lynas-texas-limbo.md"  # one warning, no error
    assert rbtfl("check", lynas).returncode == 0
    result = rbtfl("check", "--fail-on", "warning", lynas)
    assert result.returncode == 1
    assert ": RB401 " in result.stdout


def test_check_json(mixed: Path) -> None:
    result = rbtfl("check", "--format", "json", mixed)
    assert result.returncode == 1
    findings = json.loads(result.stdout)
    latin1 = [f for f in findings if f["path"].endswith("latin1.md")]
    assert latin1 == [
        {
            "path": str(mixed / "latin1.md"),
            "line": 4,
            "column": 23,
            "code": "RB001",
            "severity": "error",
            "message": "file is not valid UTF-8: byte 0xb7 cannot be decoded",
        }
    ]


def test_progress_shows_only_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    files = [_cli_io.Source(str(path), path, regular=True) for path in VALID[:3]]
    terminal, pipe = Terminal(), io.StringIO()
    assert list(_cli_io.with_progress(files, terminal)) == files
    assert list(_cli_io.with_progress(files, pipe)) == files
    assert f"[3/3] {files[2].name}" in terminal.getvalue()
    assert pipe.getvalue() == ""


def test_fmt_check_on_canonical_file_touches_nothing(tmp_path: Path) -> None:
    target = tmp_path / SEED.name
    shutil.copy(SEED, target)
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    result = rbtfl("fmt", "--check", target)
    assert (result.returncode, result.stdout) == (0, "")
    assert target.read_bytes() == SEED.read_bytes()
    assert target.stat().st_mtime_ns == 1_000_000_000
    assert rbtfl("fmt", target).returncode == 0  # nothing to do: not even rewritten
    assert target.stat().st_mtime_ns == 1_000_000_000


def test_fmt_check_on_crlf_file(tmp_path: Path) -> None:
    target = tmp_path / CRLF.name
    shutil.copy(CRLF, target)
    result = rbtfl("fmt", "--check", target)
    assert (result.returncode, result.stdout) == (1, f"{target}\n")
    assert target.read_bytes() == CRLF.read_bytes()


def test_fmt_diff_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / CRLF.name
    shutil.copy(CRLF, target)
    result = rbtfl("fmt", "--diff", target)
    assert result.returncode == 1
    assert (
        "-**Meta:** type: story · date: 2026-06-30 · heads: 누가 결정하는가 · 3 takes"
        in result.stdout
    )
    assert (
        "+**Meta:** type: story · date: 2026-06-30 · heads: 누가 결정하는가 · 2 takes"
        in result.stdout
    )
    assert target.read_bytes() == CRLF.read_bytes()


def test_fmt_canonical_rewrites_to_the_seed_layout_and_skips_broken_files(
    mixed: Path,
) -> None:
    before = {path.name: path.read_bytes() for path in mixed.iterdir()}
    result = rbtfl("fmt", "--canonical", mixed)
    assert result.returncode == 1  # the invalid files
    for path in INVALID:
        assert (mixed / path.name).read_bytes() == before[path.name]
        assert str(mixed / path.name) in result.stderr
    for path in VALID:
        text = read(mixed / path.name)
        story = rm.loads(text)
        assert story == rm.recount(rm.load(path))
        assert rm.dumps(story, canonical=True) == text  # canonical: fmt is idempotent
    assert "\r" not in read(mixed / CRLF.name)
    assert rbtfl("fmt", "--check", *(mixed / p.name for p in VALID)).returncode == 0
    assert rbtfl("fmt", "--check", "--canonical", mixed / CRLF.name).returncode == 0


@pytest.mark.parametrize("to", ["json", "yaml"])
def test_convert_round_trip(to: str, tmp_path: Path) -> None:
    out = tmp_path / f"story.{to}"
    result = rbtfl("convert", SEED, "--to", to, "-o", out)
    assert (result.returncode, result.stdout) == (0, "")
    back = rbtfl("convert", out, "--to", "md")
    assert back.returncode == 0
    assert back.stdout == read(SEED)  # the seed is in canonical layout


def test_convert_to_stdout() -> None:
    result = rbtfl("convert", SEED, "--to", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["title"] == rm.load(SEED).title


def test_convert_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"title": 1}', encoding="utf-8")
    result = rbtfl("convert", bad, "--to", "md")
    assert result.returncode == 1
    assert "$.title: expected str" in result.stderr
    assert "Traceback" not in result.stderr
    unknown = tmp_path / "story.txt"  # read as a story, the format of any other name
    unknown.write_text("x", encoding="utf-8")
    result = rbtfl("convert", unknown, "--to", "md")
    assert result.returncode == 1
    assert f"{unknown}:1:1: expected a '# ' title, found 'x'" in result.stderr
    assert rbtfl("convert", tmp_path / "nowhere.md", "--to", "md").returncode == 2
    assert rbtfl("convert", tmp_path, "--to", "md").returncode == 2
    broken = rbtfl("convert", DATA / "invalid" / "bad-date.md", "--to", "json")
    assert broken.returncode == 1
    assert "bad-date.md:4:31: date 2026-02-30" in broken.stderr


def test_graph_json(mixed: Path) -> None:
    result = rbtfl("graph", DATA / "valid")
    assert (result.returncode, result.stderr) == (0, "")
    data = json.loads(result.stdout)
    assert {node["id"] for node in data["nodes"]} == {rm.load(p).slug for p in VALID}
    assert len(data["links"]) == len(rm.load_dir(DATA / "valid").graph().to_node_link()["links"])


def test_graph_reports_broken_files_and_still_exports(mixed: Path) -> None:
    result = rbtfl("graph", mixed, "--format", "dot")
    assert result.returncode == 1
    assert result.stdout.startswith("digraph")
    assert f"{mixed / 'bad-date.md'}:4:31: date 2026-02-30" in result.stderr
    assert "Traceback" not in result.stderr


def test_graph_missing_and_orphans() -> None:
    missing = rbtfl("graph", DATA / "valid", "--missing")
    assert missing.returncode == 0
    lines = missing.stdout.splitlines()
    assert lines[0] == "missing\tlinked from"
    assert "gallium-germanium-controls\tchina-rare-earth-controls" in lines
    orphans = rbtfl("graph", DATA / "valid", "--orphans")
    assert (orphans.returncode, orphans.stdout) == (0, "")  # the corpus is all connected


def test_graph_graphml() -> None:
    networkx = pytest.importorskip("networkx")
    result = rbtfl("graph", DATA / "valid", "--format", "graphml")
    assert result.returncode == 0
    graph = networkx.parse_graphml(result.stdout)
    assert set(graph.nodes) == {rm.load(p).slug for p in VALID}


def test_graph_graphml_needs_no_networkx(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    monkeypatch.setitem(sys.modules, "networkx", None)  # makes "import networkx" fail
    status = _cli.main(["graph", str(DATA / "valid"), "--format", "graphml"])
    assert status == 0
    graphml = rm.load_dir(DATA / "valid").graph().to_graphml()
    assert capsysbinary.readouterr().out == graphml.encode()


def test_graph_of_a_file_is_a_usage_error() -> None:
    assert rbtfl("graph", SEED).returncode == 2
