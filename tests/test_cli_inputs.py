"""The command line as users meet it: seed files, stdin, streams, folders, pipes, layouts."""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import _rbtfl_cli
import rbtfl_model as rm
from rbtfl_model import _cli, _cli_io
from tests.conftest import DATA, SEED, VALID, read
from tests.test_cli import rbtfl

ROOT = Path(__file__).parent.parent
SEEDS = sorted((DATA / "seeds").glob("*.txt"))
EXAMPLES = ROOT / "examples" / "stories"
CRLF_EXAMPLE = EXAMPLES / "us-minerals-price-floor-allies.md"
LYNAS = DATA / "valid" / "lynas-texas-limbo.md"


def rbtfl_in(stdin: str | bytes, *args: str | Path) -> subprocess.CompletedProcess[bytes]:
    """Run rbtfl with *stdin* as its standard input; output as bytes, endings untouched."""
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "rbtfl_model", *map(str, args)],
        input=data,
        capture_output=True,
        check=False,
    )


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A folder holding the published seed page, a .txt file as every seed is."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, folder / seed.name)
    return folder


def test_the_seed_data_is_here() -> None:
    assert SEEDS
    assert read(SEEDS[0]) == read(SEED)


# -- files named on the command line and folders -------------------------------------------


def test_a_named_file_is_read_whatever_its_name(seeds: Path) -> None:
    result = rbtfl("check", seeds / SEEDS[0].name)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize(
    "args",
    [
        ("check",),
        ("check", "--format", "json"),
        ("fmt", "--check"),
        ("fmt", "--diff"),
        ("fmt",),
        ("graph", "--missing"),
        ("graph",),
    ],
)
def test_a_folder_without_matching_files_is_a_usage_error(seeds: Path, args: tuple[str]) -> None:
    result = rbtfl(*args, seeds)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"rbtfl: error: no story files (*.md) under {seeds}; see --glob\n"


def test_glob_finds_seed_files_in_a_folder(seeds: Path) -> None:
    assert rbtfl("check", "--glob", "*.txt", seeds).returncode == 0
    assert rbtfl("fmt", "--check", "--glob", "*.txt", seeds).returncode == 0
    graph = rbtfl("graph", "--glob", "*.txt", seeds)
    assert graph.returncode == 0
    assert [node["id"] for node in json.loads(graph.stdout)["nodes"]] == [rm.load(SEED).slug]


def test_glob_repeats_and_a_bad_seed_is_found(seeds: Path) -> None:
    shutil.copy(LYNAS, seeds / LYNAS.name)
    bad = seeds / "bad.txt"
    bad.write_text(read(DATA / "invalid" / "bad-date.md"), encoding="utf-8")
    result = rbtfl("check", "--format", "json", "--glob", "*.txt", "--glob", "*.md", seeds)
    assert result.returncode == 1
    findings = json.loads(result.stdout)
    assert {(f["path"], f["code"]) for f in findings} >= {
        (str(bad), "RB001"),
        (str(seeds / LYNAS.name), "RB401"),
    }
    assert rbtfl("check", bad).stdout.startswith(f"{bad}:4:31: RB001 ")


def test_a_glob_with_a_slash_is_a_usage_error(seeds: Path) -> None:
    result = rbtfl("check", "--glob", "sub/*.md", seeds)
    assert result.returncode == 2
    assert "--glob: a pattern matches file names" in result.stderr


def test_symlinks_follow_the_load_dir_rules(tmp_path: Path) -> None:
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    shutil.copy(SEED, root / SEED.name)
    bad = outside / "bad.md"
    bad.write_text("not a story\n", encoding="utf-8")
    os.symlink(outside, root / "linked-out", target_is_directory=True)
    os.symlink(bad, root / "file-out.md")
    assert rbtfl("check", root).returncode == 0  # neither link is followed
    assert rbtfl("graph", root).returncode == 0
    assert rbtfl("check", root / "file-out.md").returncode == 1  # named: read


# -- standard input and streams ------------------------------------------------------------


def test_check_reads_standard_input() -> None:
    clean = rbtfl_in(SEED.read_bytes(), "check", "-")
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, b"", b"")
    bad = rbtfl_in((DATA / "invalid" / "bad-date.md").read_bytes(), "check", "-")
    assert bad.returncode == 1
    assert bad.stdout.decode().startswith("<stdin>:4:31: RB001 date 2026-02-30")


def test_dash_may_be_named_once() -> None:
    result = rbtfl_in(SEED.read_bytes(), "check", "-", "-")
    assert result.returncode == 2
    assert b"only once" in result.stderr


@pytest.mark.parametrize("path", [SEED, CRLF_EXAMPLE, DATA / "valid" / CRLF_EXAMPLE.name])
def test_fmt_dash_writes_the_result_to_stdout(path: Path) -> None:
    result = rbtfl_in(path.read_bytes(), "fmt", "-")
    assert (result.returncode, result.stderr) == (0, b"")
    expected = rm.dumps(rm.recount(rm.load(path)), canonical=True)
    if b"\r\n" in path.read_bytes():
        expected = expected.replace("\n", "\r\n")
    if path.read_bytes().endswith(b"\n"):
        expected += "\r\n" if b"\r\n" in path.read_bytes() else "\n"
    assert result.stdout == expected.encode("utf-8")


def test_fmt_dash_check_and_diff_name_stdin() -> None:
    data = (DATA / "valid" / CRLF_EXAMPLE.name).read_bytes()  # its takes count is wrong
    check = rbtfl_in(data, "fmt", "--check", "-")
    assert (check.returncode, check.stdout) == (1, b"<stdin>\n")
    diff = rbtfl_in(data, "fmt", "--diff", "-")
    assert diff.returncode == 1
    assert diff.stdout.startswith(b"--- <stdin>\n")
    assert b"+**Meta:** type: story" in diff.stdout


def test_convert_reads_standard_input_and_takes_from() -> None:
    as_json = rbtfl_in(SEED.read_bytes(), "convert", "-", "--to", "json")
    assert as_json.returncode == 0
    assert json.loads(as_json.stdout)["title"] == rm.load(SEED).title
    back = rbtfl_in(as_json.stdout, "convert", "-", "--from", "json", "--to", "md")
    assert (back.returncode, back.stdout) == (0, SEED.read_bytes())
    refused = rbtfl_in(as_json.stdout, "convert", "-", "--to", "md")  # read as Markdown
    assert refused.returncode == 1
    assert refused.stderr.startswith(b"rbtfl: error: <stdin>:1:1: expected a '# ' title")


def test_convert_seed_txt_and_from_for_any_name(tmp_path: Path) -> None:
    result = rbtfl("convert", SEEDS[0], "--to", "json")
    assert result.returncode == 0
    data = tmp_path / "story.data"
    data.write_text(result.stdout, encoding="utf-8")
    back = rbtfl("convert", data, "--from", "json", "--to", "md")
    assert (back.returncode, back.stdout) == (0, read(SEED))
    as_md = rbtfl("convert", SEEDS[0], "--from", "md", "--to", "yaml")
    assert as_md.returncode == 0
    assert rm.from_yaml(as_md.stdout) == rm.load(SEED)


@pytest.mark.skipif(not Path("/dev/stdin").exists(), reason="no /dev/stdin here")
def test_dev_stdin_is_read_as_a_stream() -> None:
    result = rbtfl_in(LYNAS.read_bytes(), "check", "/dev/stdin")
    assert result.returncode == 0
    assert result.stdout.decode().startswith("/dev/stdin:10:24: RB401 ")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("command", [("check",), ("fmt",), ("convert", "--to", "json")])
def test_a_fifo_is_read_as_a_stream(tmp_path: Path, command: tuple[str, ...]) -> None:
    fifo = tmp_path / "story.fifo"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "wb") as pipe:
            pipe.write(SEED.read_bytes())

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        result = rbtfl(command[0], fifo, *command[1:])
    finally:
        if writer.is_alive():  # the command failed before opening the FIFO: unblock
            with open(fifo, "rb") as pipe:
                pipe.read()
        writer.join()
    assert (result.returncode, result.stderr) == (0, "")
    if command[0] == "fmt":  # a stream cannot be rewritten: the result goes to stdout
        assert result.stdout == read(SEED)
    if command[0] == "convert":
        assert json.loads(result.stdout)["title"] == rm.load(SEED).title
    assert fifo.exists()


# -- folder-level checks ---------------------------------------------------------------------


def test_check_names_each_file_of_a_duplicate_slug(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / SEED.name, tmp_path / "b" / SEED.name
    shutil.copy(SEED, first)
    shutil.copy(SEED, second)
    result = rbtfl("check", tmp_path)
    assert result.returncode == 1
    slug = rm.load(SEED).slug
    assert result.stdout.splitlines() == [
        f"{first}:62:12: RB603 slug {slug!r} is also the slug of {str(second)!r}",
        f"{second}:62:12: RB603 slug {slug!r} is also the slug of {str(first)!r}",
    ]
    as_json = json.loads(rbtfl("check", "--format", "json", tmp_path).stdout)
    assert [(f["code"], f["severity"]) for f in as_json] == [("RB603", "error")] * 2


def test_check_needs_a_canonical_line_also_for_one_file(tmp_path: Path) -> None:
    story = tmp_path / "none.md"
    story.write_text(read(LYNAS).split("\n---\n")[0] + "\n", encoding="utf-8")
    result = rbtfl("check", story)
    assert result.returncode == 1
    assert f"{story}:48:1: RB601 expected a 'Canonical: " in result.stdout


def test_check_clean_means_graph_works() -> None:
    check = rbtfl("check", EXAMPLES)
    assert check.returncode == 0
    graph = rbtfl("graph", EXAMPLES)
    assert (graph.returncode, graph.stderr) == (0, "")
    assert len(json.loads(graph.stdout)["nodes"]) == len(list(EXAMPLES.glob("*.md")))


def test_check_does_not_warn_about_links_outside_the_set() -> None:
    result = rbtfl("check", EXAMPLES / "china-rare-earth-controls.md")
    assert (result.returncode, result.stdout) == (0, "")


# -- closed pipes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [("check", DATA / "invalid"), ("graph", DATA / "valid"), ("--help",)]
)
def test_a_closed_pipe_ends_quietly(args: tuple[str | Path, ...]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "rbtfl_model", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # the reader is gone before anything is written, like `| head -0`
    stderr = process.stderr.read()
    process.stderr.close()
    status = process.wait()
    assert stderr == b""
    if args == ("--help",):  # argparse writes the help itself: Python 3.11 ignores the closed
        assert status in (0, _cli.CLOSED_PIPE)  # pipe there (0), 3.10 raises (we say 141)
    else:
        assert status == _cli.CLOSED_PIPE


def test_a_shell_pipe_into_head_prints_no_error(tmp_path: Path) -> None:
    shutil.copytree(DATA / "invalid", tmp_path / "big")
    for i in range(100):  # findings of over 64 KiB, more than a pipe buffers
        for path in (DATA / "invalid").glob("*.md"):
            shutil.copy(path, tmp_path / "big" / f"{i}-{path.name}")
    result = subprocess.run(
        f'"{sys.executable}" -m rbtfl_model check --format json "{tmp_path / "big"}" | head -1',
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stderr == ""
    assert result.stdout == "[\n"


# -- fmt keeps line endings and the final newline ----------------------------------------------


def test_fmt_check_is_clean_on_the_examples() -> None:
    """They are check-clean; only --canonical would change their endings."""
    result = rbtfl("fmt", "--check", EXAMPLES)
    assert (result.returncode, result.stdout) == (0, "")
    canonical = rbtfl("fmt", "--check", "--canonical", EXAMPLES)
    assert canonical.returncode == 1
    assert str(CRLF_EXAMPLE) in canonical.stdout.splitlines()


@pytest.mark.parametrize(("newline", "final"), [("\n", True), ("\r\n", True), ("\r\n", False)])
def test_fmt_keeps_endings_and_final_newline(tmp_path: Path, newline: str, final: bool) -> None:
    path = DATA / "valid" / CRLF_EXAMPLE.name  # its takes count needs fixing
    lines = read(path).replace("\r\n", "\n").rstrip("\n").split("\n")
    target = tmp_path / "story.md"
    target.write_bytes((newline.join(lines) + (newline if final else "")).encode("utf-8"))
    result = rbtfl("fmt", target)
    assert result.returncode == 0
    assert result.stderr == f"formatted {target}\n"
    text = read(target)
    assert text.endswith(newline) == final
    assert text.count(newline) == len(lines) - (not final)
    if newline == "\r\n":
        assert "\n" not in text.replace("\r\n", "")
    assert rm.loads(text) == rm.recount(rm.load(path))
    assert rbtfl("fmt", "--check", target).returncode == 0  # idempotent


def test_fmt_diff_says_when_lines_differ_only_in_endings(tmp_path: Path) -> None:
    result = rbtfl("fmt", "--diff", "--canonical", CRLF_EXAMPLE)
    assert result.returncode == 1
    assert result.stderr == (
        f"rbtfl: {CRLF_EXAMPLE}: 42 lines differ only in line endings "
        "(the file: CRLF; formatted: LF, no final newline)\n"
    )
    real_change = rbtfl("fmt", "--diff", DATA / "valid" / CRLF_EXAMPLE.name)
    assert real_change.returncode == 1
    assert real_change.stderr == ""  # endings kept: only the count line differs
    assert sum(line.startswith("-") for line in real_change.stdout.splitlines()) == 2


# -- help, JSON listings and the exit status table -----------------------------------------------


def _options() -> list[tuple[str, argparse.Action]]:
    parser = _cli._parser()
    found = [("rbtfl", action) for action in parser._actions]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += [(name, sub_action) for sub_action in sub._actions]
    return found


def test_every_option_has_help_text() -> None:
    options = _options()
    assert len(options) > 20
    for command, action in options:
        assert action.help, (command, action.dest)
        assert action.help != argparse.SUPPRESS, (command, action.dest)


@pytest.mark.parametrize("command", ["check", "fmt", "convert", "graph"])
def test_help_shows_every_options_text(command: str) -> None:
    result = rbtfl(command, "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for name, action in _options():
        if name == command and action.option_strings:
            assert action.option_strings[-1] in text
            assert " ".join(str(action.help).split()[:4]) in text


def test_help_shows_the_exit_status_table_and_the_docs_hold_the_same() -> None:
    result = rbtfl("--help")
    assert result.returncode == 0
    assert _cli.EXIT_STATUS in result.stdout
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert _cli.EXIT_STATUS in docs


def test_listings_as_json(tmp_path: Path) -> None:
    missing = rbtfl("graph", DATA / "valid", "--missing", "--format", "json")
    assert missing.returncode == 0
    rows = json.loads(missing.stdout)
    graph = rm.load_dir(DATA / "valid").graph()
    assert rows == [{"slug": t.slug, "sources": list(t.sources)} for t in graph.missing()]
    orphans = rbtfl("graph", DATA / "valid", "--orphans", "--format", "json")
    assert (orphans.returncode, json.loads(orphans.stdout)) == (0, [])
    for path in VALID:
        shutil.copy(path, tmp_path / path.name)
    fmt_check = rbtfl("fmt", "--check", "--format", "json", tmp_path)
    assert fmt_check.returncode == 1
    assert json.loads(fmt_check.stdout) == [str(tmp_path / CRLF_EXAMPLE.name)]
    fmt = rbtfl("fmt", "--format", "json", tmp_path)
    assert (fmt.returncode, fmt.stderr) == (0, "")
    assert json.loads(fmt.stdout) == [str(tmp_path / CRLF_EXAMPLE.name)]


@pytest.mark.parametrize(
    "args",
    [
        ("--missing", "--format", "dot"),
        ("--orphans", "--format", "graphml"),
        ("--format", "text"),
    ],
)
def test_graph_format_that_does_not_fit_is_a_usage_error(args: tuple[str, ...]) -> None:
    result = rbtfl("graph", DATA / "valid", *args)
    assert (result.returncode, result.stdout) == (2, "")
    assert "Traceback" not in result.stderr


def test_an_interrupt_ends_with_status_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C cannot be timed into a subprocess reliably; the handler is tested in-process."""

    def interrupted(args: argparse.Namespace) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(_cli, "_check", interrupted)
    assert _cli.main(["check", str(SEED)]) == _cli.INTERRUPTED == 130
    assert capsys.readouterr() == ("", "rbtfl: interrupted\n")


#: The console script, run as its wrapper runs it, but with an import hook that sends this
#: process SIGINT (a Ctrl-C) while the package is still being imported, and says so in a file.
#: Python's own SIGINT handler first, as a terminal's shell leaves it: a process started in
#: the background of a script inherits SIGINT ignored, and Python then keeps ignoring it.
INTERRUPTED_START = """
import signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == "rbtfl_model._parser":
            open(sys.argv[1], "w").close()
            signal.raise_signal(signal.SIGINT)
        return None
sys.meta_path.insert(0, Interrupt())
from {module} import {function}
sys.exit({function}())
"""


def _start_interrupted(entry_point: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    module, function = entry_point.split(":")
    code = INTERRUPTED_START.format(module=module, function=function)
    marker = tmp_path / "interrupted"
    result = subprocess.run(
        [sys.executable, "-c", code, str(marker), "check", str(SEED)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert marker.exists()  # the interrupt came while the package was being imported
    return result


def test_an_interrupt_while_the_command_starts_ends_with_one_line(tmp_path: Path) -> None:
    (script,) = importlib.metadata.entry_points(group="console_scripts", name="rbtfl")
    assert script.value == "_rbtfl_cli:main", "installed before pyproject.toml: pip install -e ."
    result = _start_interrupted(script.value, tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (130, "", "rbtfl: interrupted\n")
    assert (_rbtfl_cli.INTERRUPTED, _rbtfl_cli.INTERRUPTED_MESSAGE) == (
        _cli.INTERRUPTED,
        "rbtfl: interrupted",
    )


def test_an_interrupt_while_the_package_imports_escapes_its_own_main(tmp_path: Path) -> None:
    """Why the entry point is outside the package: ``_cli.main`` is not running yet."""
    result = _start_interrupted("rbtfl_model._cli:main", tmp_path)
    assert result.returncode != 130
    assert "Traceback" in result.stderr
    assert result.stderr.rstrip().endswith("KeyboardInterrupt")


def test_an_interrupt_while_fmt_writes_leaves_the_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    story = tmp_path / "story.md"
    original = SEED.read_bytes().replace(b"5 takes", b"9 takes")
    story.write_bytes(original)
    fdopen = os.fdopen

    class Interrupted:
        def __init__(self, *args: object) -> None:
            self.file = fdopen(*args)  # type: ignore[call-overload]

        def __enter__(self) -> Interrupted:
            return self

        def __exit__(self, *exc: object) -> None:
            self.file.close()

        def write(self, data: bytes) -> int:
            self.file.write(data[: len(data) // 2])
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "fdopen", Interrupted)
    assert _cli.main(["fmt", str(story)]) == 130
    monkeypatch.undo()
    assert story.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["story.md"]
    assert capsys.readouterr().err == "rbtfl: interrupted\n"


def _two_stories(tmp_path: Path) -> list[Path]:
    paths = [tmp_path / "a.md", tmp_path / "b.md"]
    for path in paths:
        path.write_bytes(SEED.read_bytes().replace(b"5 takes", b"9 takes"))
    return paths


def test_fmt_goes_on_after_a_file_it_cannot_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = _two_stories(tmp_path)
    from rbtfl_model._files import write_atomic

    def refuse_first(path: Path, data: bytes) -> None:
        if path == first:
            raise PermissionError(13, "Permission denied", str(path))
        write_atomic(path, data)

    monkeypatch.setattr("rbtfl_model._cli.write_atomic", refuse_first)
    assert _cli.main(["fmt", str(tmp_path)]) == 1
    assert b"9 takes" in first.read_bytes()
    assert b"5 takes" in second.read_bytes()
    err = capsys.readouterr().err.splitlines()
    assert err == [f"rbtfl: {first}: Permission denied", f"formatted {second}"]


def test_fmt_and_check_go_on_after_a_file_they_cannot_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = _two_stories(tmp_path)
    load = rm.load

    def refuse_first(path: Path) -> rm.Story:
        if path == first:
            raise PermissionError(13, "Permission denied", str(path))
        return load(path)

    monkeypatch.setattr("rbtfl_model._cli_io.load", refuse_first)
    assert _cli.main(["fmt", str(tmp_path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"rbtfl: {first}:1:1: cannot read the file: Permission denied",
        f"formatted {second}",
    ]
    assert _cli.main(["check", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{first}:1:1: RB001 cannot read the file: Permission denied"
    ]


def test_load_dir_collects_a_file_it_cannot_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = _two_stories(tmp_path)
    second = tmp_path / "b.md"
    second.write_bytes(read(LYNAS).encode("utf-8"))
    from rbtfl_model._snapshot import read_bytes

    def refuse_first(name: str, max_size: int) -> tuple[os.stat_result, bytes | None]:
        if name == str(first):
            raise PermissionError(13, "Permission denied", name)
        return read_bytes(name, max_size)

    monkeypatch.setattr("rbtfl_model._snapshot.read_bytes", refuse_first)
    corpus = rm.load_dir(tmp_path, errors="collect")
    assert len(corpus) == 1
    assert [(e.path, e.msg) for e in corpus.errors] == [
        (str(first), "cannot read the file: Permission denied")
    ]
    first.write_bytes(first.read_bytes() + b"\n")  # changed: refresh reads it again
    refreshed = corpus.refresh()
    assert [(e.path, e.msg) for e in refreshed.errors] == [
        (str(first), "cannot read the file: Permission denied")
    ]
    monkeypatch.undo()
    assert (len(refreshed.refresh()), refreshed.refresh().errors) == (2, ())


def test_fmt_names_the_file_of_a_format_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = _two_stories(tmp_path)
    second.write_bytes(second.read_bytes().replace(b"# ", b"# Other: ", 1))
    formatted = _cli._formatted

    def refuse_first(story: rm.Story, original: str, *, canonical: bool) -> str:
        if not story.title.startswith("Other: "):
            raise rm.FormatError("meta.extra[0]", "cannot contain ' · '", "x ·")
        return formatted(story, original, canonical=canonical)

    monkeypatch.setattr(_cli, "_formatted", refuse_first)
    assert _cli.main(["fmt", str(tmp_path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"rbtfl: {first}: meta.extra[0]: cannot contain ' · ', got 'x ·'",
        f"formatted {second}",
    ]


def test_convert_refuses_json_over_the_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "story.json"
    data.write_text(rm.to_json(rm.load(SEED)), encoding="utf-8")
    monkeypatch.setattr(_cli_io, "MAX_SIZE", 1000)
    assert _cli.main(["convert", str(data), "--to", "md"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"rbtfl: {data}: invalid story data (1 problem):\n")
    assert "$: input is too large: the limit is 1,000 bytes" in err


def test_fmt_json_cannot_list_a_stream_it_writes() -> None:
    result = rbtfl_in(SEED.read_bytes(), "fmt", "--format", "json", "-")
    assert (result.returncode, result.stdout) == (2, b"")
    assert rbtfl("fmt", "--diff", "--format", "json", SEED).returncode == 2
