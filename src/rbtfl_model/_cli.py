"""The ``rbtfl`` command line: check, fmt, convert, graph and export story files.

Results go to stdout, errors to stderr; the exit statuses are listed in ``EXIT_STATUS``
(shown by ``rbtfl --help``). Here: the parser of the command line, ``main``, and the check,
fmt and convert commands; ``_cli_graph`` has graph and export; ``_cli_io`` what they share
(reading the files and folders named, reporting a file's failure, writing stdout).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Final

from rbtfl_model import interchange
from rbtfl_model.__about__ import __version__
from rbtfl_model._cli_graph import add_export_command, add_graph_command
from rbtfl_model._cli_io import (
    FOUND,
    OK,
    STDIN,
    STDIN_NAME,
    USAGE,
    Source,
    UsageError,
    add_glob,
    find_sources,
    load_source,
    read_data,
    report_failure,
    with_progress,
    write_stdout,
)
from rbtfl_model._files import write_atomic
from rbtfl_model._renderer import dumps
from rbtfl_model.corpus import Corpus
from rbtfl_model.errors import DataError, FormatError, ParseError, RbtflError
from rbtfl_model.model import Story
from rbtfl_model.validate import recount, validate

__all__ = ["main"]

#: What a process killed by SIGPIPE reports (128 + 13), as ``grep | head`` does.
CLOSED_PIPE: Final = 128 + getattr(signal, "SIGPIPE", 13)
INTERRUPTED: Final = 128 + signal.SIGINT
EXIT_STATUS: Final = f"""\
exit status:
  {OK:<3}  clean: nothing found, nothing to change
  {FOUND:<3}  a problem in the input: a finding at or above --fail-on, a file that does
       not parse, a story or graph the output format cannot hold, a file that
       fmt --check/--diff would change
  {USAGE:<3}  a usage error: bad arguments, a path that does not exist, a folder with no
       story files matching --glob
  {CLOSED_PIPE:<3}  standard output was closed early (as in `rbtfl check DIR | head -1`)
  {INTERRUPTED:<3}  interrupted (Ctrl-C)
"""
SEVERITY_RANK: Final = {"warning": 1, "error": 2}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help and usage errors: argparse ends the run itself
        return _flushed(exc.code if isinstance(exc.code, int) else USAGE)
    except BrokenPipeError:  # Python 3.10's argparse lets a closed pipe escape from --help
        _silence_stdout()
        return CLOSED_PIPE
    try:
        return _flushed(args.run(args))
    except BrokenPipeError:
        _silence_stdout()
        return CLOSED_PIPE
    except KeyboardInterrupt:
        # one line, no traceback; a file being written is left as it was (write_atomic)
        print("rbtfl: interrupted", file=sys.stderr)
        return INTERRUPTED
    except UsageError as exc:
        print(f"rbtfl: error: {exc}", file=sys.stderr)
        return USAGE
    except (RbtflError, OSError) as exc:
        print(f"rbtfl: error: {exc}", file=sys.stderr)
        return FOUND


def _flushed(status: int) -> int:
    """*status*, once stdout is flushed: a closed pipe shows here, not at the interpreter's exit."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return CLOSED_PIPE
    return status


def _silence_stdout() -> None:
    """Point stdout at the null device, so Python's flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout without a file descriptor (captured in tests)
        pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rbtfl",
        description="Check, format, convert and graph rbtfl story files.",
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"rbtfl {__version__}")
    commands = parser.add_subparsers(
        title="commands",
        required=True,
        metavar="COMMAND",
        help="see `rbtfl COMMAND --help` for its options",
    )
    paths_help = "story files, folders, or - for standard input"

    check = commands.add_parser(
        "check",
        help="parse and validate story files, and check them as a set",
        description="Parse and validate story files, then check them as a set: every "
        "story needs a Canonical: line, and no two may share a slug (RB601-RB603), so "
        "that a clean check means `rbtfl graph` works. One finding a line: "
        "PATH:LINE:COLUMN: CODE message.",
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help=paths_help)
    check.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text: one finding a line; json: a list of objects with path, line, column, "
        "code, severity and message (default: text)",
    )
    check.add_argument(
        "--fail-on",
        choices=["error", "warning"],
        default="error",
        help="lowest diagnostic severity that makes the exit status 1 (default: error)",
    )
    add_glob(check)
    check.set_defaults(run=_check)

    fmt = commands.add_parser(
        "fmt",
        help="rewrite files in the normal layout, counts recomputed",
        description="Rewrite story files in the normal layout with the Meta counts "
        "recomputed. Each file keeps its line endings (LF or CRLF) and whether it ends "
        "with a newline; --canonical writes the published seed layout instead (LF, no "
        "final newline). Standard input (-) and other streams are written to stdout.",
    )
    fmt.add_argument("paths", nargs="+", metavar="PATH", help=paths_help)
    mode = fmt.add_mutually_exclusive_group()
    mode.add_argument(
        "--check", action="store_true", help="list the files that would change; write nothing"
    )
    mode.add_argument(
        "--diff",
        action="store_true",
        help="print a unified diff of what would change; write nothing",
    )
    fmt.add_argument(
        "--canonical",
        action="store_true",
        help="write the seed layout: LF line endings and no final newline",
    )
    fmt.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="how to list the changed files: one a line, or a JSON list of paths (default: text)",
    )
    add_glob(fmt)
    fmt.set_defaults(run=_fmt)

    convert = commands.add_parser(
        "convert",
        help="convert between Markdown, JSON and YAML",
        description="Convert one story between Markdown (the story format), JSON and YAML.",
    )
    convert.add_argument(
        "path", metavar="PATH", help="the story to convert, or - for standard input"
    )
    convert.add_argument(
        "--from",
        dest="source_format",
        choices=["md", "json", "yaml"],
        help="the input's format (default: json for .json, yaml for .yaml and .yml, "
        "otherwise md, also for standard input)",
    )
    convert.add_argument(
        "--to", required=True, choices=["md", "json", "yaml"], help="the output's format"
    )
    convert.add_argument("-o", "--output", metavar="FILE", help="write here, not to stdout")
    convert.set_defaults(run=_convert)

    add_graph_command(commands)
    add_export_command(commands)
    return parser


# -- check -------------------------------------------------------------------------------


def _check(args: argparse.Namespace) -> int:
    sources = find_sources(args.paths, args.glob)
    findings: list[dict[str, object]] = []
    loaded: list[tuple[Story, Source]] = []
    failed = False
    threshold = SEVERITY_RANK[args.fail_on]
    for source in with_progress(sources, sys.stderr):
        try:
            story = load_source(source)
        except ParseError as exc:
            findings.append(_error_finding(source.name, exc))
            failed = True
            continue
        loaded.append((story, source))
        for diagnostic in validate(story):
            findings.append(
                _finding(
                    source.name,
                    diagnostic.line or 1,
                    diagnostic.column or 1,
                    diagnostic.code,
                    diagnostic.severity,
                    diagnostic.message,
                )
            )
            failed = failed or SEVERITY_RANK[diagnostic.severity] >= threshold
    # the rules of a folder: what would keep a story out of `rbtfl graph`
    corpus = Corpus.from_stories(
        (story for story, _ in loaded),
        paths=[source.name for _, source in loaded],
        errors="collect",
    )
    for error in corpus.errors:
        findings.append(_error_finding(error.path or STDIN_NAME, error))
        failed = True
    order = {source.name: i for i, source in enumerate(sources)}
    findings.sort(key=lambda f: (order.get(str(f["path"]), len(order)), f["line"], f["column"]))
    if args.format == "json":
        print(json.dumps(findings, ensure_ascii=False, indent=2))
    else:
        for f in findings:
            print(f"{f['path']}:{f['line']}:{f['column']}: {f['code']} {f['message']}")
    return FOUND if failed else OK


def _error_finding(name: str, error: ParseError) -> dict[str, object]:
    return _finding(name, error.line, error.column, error.code, "error", error.msg)


def _finding(
    path: str, line: int, column: int, code: str, severity: str, message: str
) -> dict[str, object]:
    return {
        "path": path,
        "line": line,
        "column": column,
        "code": code,
        "severity": severity,
        "message": message,
    }


# -- fmt ---------------------------------------------------------------------------------


def _fmt(args: argparse.Namespace) -> int:
    sources = find_sources(args.paths, args.glob)
    if args.format == "json" and args.diff:
        raise UsageError("--format json lists files; --diff prints a diff")
    writes = not (args.check or args.diff)
    if args.format == "json" and writes and any(not s.regular for s in sources):
        raise UsageError("--format json lists files; a stream's result goes to stdout")
    status = OK
    changed: list[str] = []
    for source in with_progress(sources, sys.stderr):
        try:
            story = load_source(source)
            original = dumps(story)  # a parsed story dumps as the file's text, unchanged
            formatted = _formatted(story, original, canonical=args.canonical)
        except RbtflError as exc:
            report_failure(source.name, exc)
            status = FOUND
            continue
        if writes and not source.regular:
            write_stdout(formatted)  # a stream cannot be rewritten: its result goes to stdout
            continue
        if formatted == original:
            continue
        changed.append(source.name)
        if args.check:
            status = FOUND
        elif args.diff:
            write_stdout("".join(_diff(original, formatted, source.name)))
            _say_if_only_endings(original, formatted, source.name)
            status = FOUND
        else:
            assert source.path is not None  # regular files have one
            try:
                write_atomic(source.path, formatted.encode("utf-8"))
            except OSError as exc:  # this file stays as it was; the others are still formatted
                report_failure(source.name, exc)
                status = FOUND
                continue
            if args.format == "text":
                print(f"formatted {source.name}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(changed, ensure_ascii=False, indent=2))
    elif args.check:
        for name in changed:
            print(name)
    return status


def _formatted(story: Story, original: str, *, canonical: bool) -> str:
    """*story* in the normal layout, with the line endings and final newline of *original*."""
    text = dumps(recount(story), canonical=True)  # LF, no final newline
    if canonical:
        return text
    first_end = original.find("\n")
    newline = "\r\n" if first_end > 0 and original[first_end - 1] == "\r" else "\n"
    if newline != "\n":
        text = text.replace("\n", newline)
    if original.endswith("\n") and text and not text.endswith("\n"):
        text += newline
    return text


def _diff(before: str, after: str, name: str) -> Iterator[str]:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), name, name
    )
    for line in lines:
        yield line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"


def _say_if_only_endings(before: str, after: str, name: str) -> None:
    """Say how many changed lines differ only in their endings: a diff cannot show it."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(
        None, [line.rstrip("\r\n") for line in old], [line.rstrip("\r\n") for line in new]
    )
    count = 0
    for tag, i1, i2, j1, _ in matcher.get_opcodes():
        if tag == "equal":
            count += sum(old[i] != new[j1 + k] for k, i in enumerate(range(i1, i2)))
    if count:
        lines = "line differs" if count == 1 else "lines differ"
        print(
            f"rbtfl: {name}: {count} {lines} only in line endings "
            f"(the file: {_endings(before)}; formatted: {_endings(after)})",
            file=sys.stderr,
        )


def _endings(text: str) -> str:
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    style = "CRLF" if crlf and not lf else "LF" if lf and not crlf else "mixed"
    return style + ("" if text.endswith("\n") else ", no final newline")


# -- convert -----------------------------------------------------------------------------

SUFFIX_FORMATS: Final = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}


def _convert(args: argparse.Namespace) -> int:
    if args.path == STDIN:
        source = Source(STDIN_NAME, None, regular=False)
    else:
        path = Path(args.path)
        if path.is_dir():
            raise UsageError(f"convert takes one story file, not a folder: {args.path}")
        if not path.exists():
            raise UsageError(f"no such file: {args.path}")
        source = Source(args.path, path, path.is_file())
    kind = args.source_format
    if kind is None and source.path is not None:
        kind = SUFFIX_FORMATS.get(source.path.suffix.lower())
    try:
        if kind == "json":
            story = interchange.from_json(read_data(source))
        elif kind == "yaml":
            story = interchange.from_yaml(read_data(source))
        else:
            story = load_source(source)
        if args.to == "md":
            text = dumps(story)
        elif args.to == "json":
            text = interchange.to_json(story, indent=2) + "\n"
        else:
            text = interchange.to_yaml(story)
    except (DataError, FormatError) as exc:  # a ParseError names its file already
        report_failure(source.name, exc)
        return FOUND
    if args.output:
        write_atomic(args.output, text.encode("utf-8"))
    else:
        write_stdout(text)
    return OK
