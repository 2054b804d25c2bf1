"""The ``rbtfl`` command line: check, fmt, convert, graph and export story files.

Results go to stdout, errors to stderr; the exit statuses are listed in ``EXIT_STATUS``
(shown by ``rbtfl --help``). A file named on the command line is read whatever its name
and whatever it is (a regular file, a FIFO, ``/dev/stdin``); ``-`` is standard input; a
folder is searched for the ``--glob`` patterns, ``*.md`` by default.
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
from typing import Final, NamedTuple, TextIO

from rbtfl_model import interchange
from rbtfl_model.__about__ import __version__
from rbtfl_model._files import check_patterns, read_limited, story_files, write_atomic
from rbtfl_model._parser import MAX_SIZE, load, loads
from rbtfl_model._renderer import dumps
from rbtfl_model.corpus import Corpus, load_dir
from rbtfl_model.errors import DataError, FormatError, ParseError, RbtflError
from rbtfl_model.graph import StoryGraph
from rbtfl_model.model import Story
from rbtfl_model.validate import recount, validate

__all__ = ["main"]

OK: Final = 0
FOUND: Final = 1
USAGE: Final = 2
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
DEFAULT_GLOB: Final = "*.md"
STDIN: Final = "-"
STDIN_NAME: Final = "<stdin>"
GLOB_HELP: Final = (
    "file name pattern for the story files in a folder; repeat for several "
    f"(default: {DEFAULT_GLOB!r}; seed files: --glob '*.txt')"
)
NAMED_FILES_HELP: Final = ". Files named on the command line are read whatever their name"


def _add_glob(command: argparse.ArgumentParser, *, named_files: bool = True) -> None:
    """The repeatable --glob option of the commands that search folders."""
    text = GLOB_HELP + NAMED_FILES_HELP if named_files else GLOB_HELP
    command.add_argument("--glob", action="append", metavar="PATTERN", help=text)


class UsageError(Exception):
    """A mistake in the command line itself (exit status 2)."""


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
    _add_glob(check)
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
    _add_glob(fmt)
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

    _add_graph_command(commands)
    _add_export_command(commands)
    return parser


# -- inputs ------------------------------------------------------------------------------


class Source(NamedTuple):
    """One story to read: a file, a stream, or standard input (``path`` None)."""

    name: str
    path: Path | None
    regular: bool


def _sources(names: Sequence[str], globs: Sequence[str] | None) -> list[Source]:
    """The stories named by *names*: files as given, folders searched, ``-`` for stdin."""
    patterns = _patterns(globs)
    sources: dict[str, Source] = {}
    for name in names:
        if name == STDIN:
            if STDIN_NAME in sources:
                raise UsageError("- (standard input) can be named only once")
            sources[STDIN_NAME] = Source(STDIN_NAME, None, regular=False)
            continue
        path = Path(name)
        if path.is_dir():
            found = list(story_files(path, patterns))
            if not found:
                raise UsageError(_nothing_found(name, patterns))
            for file in found:
                sources.setdefault(str(file), Source(str(file), file, regular=True))
        elif path.exists():  # a FIFO or /dev/stdin is read as a stream
            sources.setdefault(str(path), Source(str(path), path, path.is_file()))
        else:
            raise UsageError(f"no such file or folder: {name}")
    return list(sources.values())


def _patterns(globs: Sequence[str] | None) -> tuple[str, ...]:
    try:
        return check_patterns(globs or [DEFAULT_GLOB])
    except ValueError as exc:
        raise UsageError(f"--glob: {exc}") from None


def _nothing_found(folder: str, patterns: Sequence[str]) -> str:
    return f"no story files ({', '.join(patterns)}) under {folder}; see --glob"


def _stdin_bytes() -> bytes | None:
    """Standard input's bytes; None past ``MAX_SIZE``, as for a story file."""
    data = sys.stdin.buffer.read(MAX_SIZE + 1)
    return data if len(data) <= MAX_SIZE else None


def _read_stdin() -> bytes:
    data = _stdin_bytes()
    if data is None:
        msg = f"input is too large: the limit is {MAX_SIZE:,} bytes"
        raise ParseError(msg, line=1, column=1, path=STDIN_NAME)
    return data


def _load(source: Source) -> Story:
    """The story of *source*; a file that cannot be read is a :class:`ParseError` too."""
    try:
        if source.path is not None:
            return load(source.path)
        return loads(_read_stdin())
    except ParseError as exc:
        raise exc.with_path(source.name) from None
    except OSError as exc:
        raise _unreadable(source.name, exc) from None


def _unreadable(name: str, exc: OSError) -> ParseError:
    """*exc* as an error about the file *name*, for a run that goes on with the next."""
    return ParseError(f"cannot read the file: {exc.strerror or exc}", line=1, column=1, path=name)


def _failed(name: str, exc: RbtflError | OSError) -> None:
    """Report one file's failure as ``rbtfl: path: message``."""
    if isinstance(exc, ParseError):
        message = str(exc)  # it starts with path:line:column
    elif isinstance(exc, OSError):
        message = f"{name}: {exc.strerror or exc}"
    else:
        message = f"{name}: {exc}"
    print(f"rbtfl: {message}", file=sys.stderr)


def _progress(sources: Sequence[Source], stream: TextIO) -> Iterator[Source]:
    """Yield *sources*, showing ``[i/n] path`` on *stream* when it is a terminal."""
    show = len(sources) > 1 and stream.isatty()
    for i, source in enumerate(sources, 1):
        if show:
            stream.write(f"\r\x1b[K[{i}/{len(sources)}] {source.name}")
            stream.flush()
        yield source
    if show:
        stream.write("\r\x1b[K")
        stream.flush()


# -- check -------------------------------------------------------------------------------


def _check(args: argparse.Namespace) -> int:
    sources = _sources(args.paths, args.glob)
    findings: list[dict[str, object]] = []
    loaded: list[tuple[Story, Source]] = []
    failed = False
    threshold = SEVERITY_RANK[args.fail_on]
    for source in _progress(sources, sys.stderr):
        try:
            story = _load(source)
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
    sources = _sources(args.paths, args.glob)
    if args.format == "json" and args.diff:
        raise UsageError("--format json lists files; --diff prints a diff")
    writes = not (args.check or args.diff)
    if args.format == "json" and writes and any(not s.regular for s in sources):
        raise UsageError("--format json lists files; a stream's result goes to stdout")
    status = OK
    changed: list[str] = []
    for source in _progress(sources, sys.stderr):
        try:
            story = _load(source)
            original = dumps(story)  # a parsed story dumps as the file's text, unchanged
            formatted = _formatted(story, original, canonical=args.canonical)
        except RbtflError as exc:
            _failed(source.name, exc)
            status = FOUND
            continue
        if writes and not source.regular:
            _write_stdout(formatted)  # a stream cannot be rewritten: its result goes to stdout
            continue
        if formatted == original:
            continue
        changed.append(source.name)
        if args.check:
            status = FOUND
        elif args.diff:
            _write_stdout("".join(_diff(original, formatted, source.name)))
            _say_if_only_endings(original, formatted, source.name)
            status = FOUND
        else:
            assert source.path is not None  # regular files have one
            try:
                write_atomic(source.path, formatted.encode("utf-8"))
            except OSError as exc:  # this file stays as it was; the others are still formatted
                _failed(source.name, exc)
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
            story = interchange.from_json(_read_data(source))
        elif kind == "yaml":
            story = interchange.from_yaml(_read_data(source))
        else:
            story = _load(source)
        if args.to == "md":
            text = dumps(story)
        elif args.to == "json":
            text = interchange.to_json(story, indent=2) + "\n"
        else:
            text = interchange.to_yaml(story)
    except (DataError, FormatError) as exc:  # a ParseError names its file already
        _failed(source.name, exc)
        return FOUND
    if args.output:
        write_atomic(args.output, text.encode("utf-8"))
    else:
        _write_stdout(text)
    return OK


def _read_data(source: Source) -> bytes:
    """JSON or YAML input, refused past ``MAX_SIZE`` as a story file is, before it is parsed."""
    data = _stdin_bytes() if source.path is None else read_limited(source.path, MAX_SIZE)[1]
    if data is None:
        raise DataError([f"$: input is too large: the limit is {MAX_SIZE:,} bytes"])
    return data


# -- graph -------------------------------------------------------------------------------

#: The picture formats of ``rbtfl graph``, drawn by StoryGraph.plot.
PICTURES: Final = ("png", "svg")
LISTING_FORMATS: Final = ("text", "json")
EXPORT_FORMATS: Final = ("json", "dot", "graphml", *PICTURES)


def _add_graph_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    graph = commands.add_parser(
        "graph",
        help="export or inspect the link graph of a folder",
        description="Export the link graph of a folder of stories, or list the link "
        "targets that are missing from it or the stories without links.",
    )
    graph.add_argument("folder", metavar="FOLDER", help="a folder of story files")
    graph.add_argument(
        "--format",
        choices=["text", "json", "dot", "graphml", *PICTURES],
        help="the graph: json (node-link, the default), dot or graphml, or a picture: png "
        "or svg (the plot extra; needs -o); --missing and --orphans: text (the default) or json",
    )
    graph.add_argument("-o", "--output", metavar="FILE", help="write here, not to stdout")
    graph.add_argument(
        "--entities", action="store_true", help="export entities as nodes, linked from stories"
    )
    listing = graph.add_mutually_exclusive_group()
    listing.add_argument(
        "--missing",
        action="store_true",
        help="list link targets not in the folder, with the stories that link there",
    )
    listing.add_argument(
        "--orphans", action="store_true", help="list stories with no links in or out"
    )
    _add_glob(graph, named_files=False)
    graph.set_defaults(run=_graph)


def _graph(args: argparse.Namespace) -> int:
    if not Path(args.folder).is_dir():
        raise UsageError(f"not a folder: {args.folder}")
    listing = args.missing or args.orphans
    allowed = LISTING_FORMATS if listing else EXPORT_FORMATS
    form = args.format or allowed[0]
    if form not in allowed:
        what = "--missing and --orphans list" if listing else "the graph is written"
        raise UsageError(f"{what} as {' or '.join(allowed)}, not --format {form}")
    if form in PICTURES and not args.output:
        raise UsageError(f"--format {form} needs -o FILE")
    patterns = _patterns(args.glob)
    corpus = load_dir(args.folder, pattern=patterns, errors="collect")
    if not corpus and not corpus.errors:
        raise UsageError(_nothing_found(args.folder, patterns))
    for error in corpus.errors:
        print(f"rbtfl: {error}", file=sys.stderr)
    graph = corpus.graph()
    if args.missing:
        targets = graph.missing()
        if form == "json":
            rows = [{"slug": t.slug, "sources": list(t.sources)} for t in targets]
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            print("missing\tlinked from")
            for target in targets:
                print(f"{target.slug}\t{', '.join(target.sources)}")
    elif args.orphans:
        orphans = list(graph.orphans())
        if form == "json":
            print(json.dumps(orphans, ensure_ascii=False, indent=2))
        else:
            for slug in orphans:
                print(slug)
    elif form in PICTURES:
        write_atomic(args.output, _picture(graph, form))
    elif args.output:
        write_atomic(args.output, _graph_export(graph, form, args.entities).encode("utf-8"))
    else:
        _write_stdout(_graph_export(graph, form, args.entities))
    return FOUND if corpus.errors else OK


def _picture(graph: StoryGraph, fmt: str) -> bytes:
    """The graph drawn as PNG or SVG, on a figure of its own: no pyplot, no window."""
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise UsageError(
            f"--format {fmt} needs matplotlib: pip install 'rbtfl-model[plot]'"
        ) from exc
    import io

    from rbtfl_model._graph_plot import figure_size

    figure = Figure(figsize=figure_size(len(graph.nodes()) + len(graph.missing())))
    graph.plot(figure.add_subplot())
    buffer = io.BytesIO()
    # no creation date in an SVG, so the same stories give the same file
    metadata = {"Date": None} if fmt == "svg" else {}
    figure.savefig(buffer, format=fmt, dpi=100, bbox_inches="tight", metadata=metadata)
    return buffer.getvalue()


def _graph_export(graph: StoryGraph, fmt: str, include_entities: bool) -> str:
    """The whole export as text, made before anything is written: a refusal leaves no output."""
    if fmt == "json":
        data = graph.to_node_link(include_entities=include_entities)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "dot":
        return graph.to_dot(include_entities=include_entities)
    return graph.to_graphml(include_entities=include_entities)


def _write_stdout(text: str) -> None:
    """Write *text* to stdout as UTF-8 bytes, exactly: no newline translation, no re-encoding."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


# -- export ------------------------------------------------------------------------------


def _add_export_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser(
        "export",
        help="write story files as Parquet tables",
        description="Write the stories as six Parquet files (stories, takes, metrics, links, "
        "entities, edges) with the fixed schema of rbtfl_model.tables; needs pyarrow. Files "
        "that do not load, and stories without a slug or sharing one, are reported and left "
        "out, as graph leaves them out.",
    )
    export.add_argument(
        "paths", nargs="+", metavar="PATH", help="story files or folders, or - for standard input"
    )
    export.add_argument("--to", required=True, choices=["parquet"], help="the files' format")
    export.add_argument(
        "-o", "--output", required=True, metavar="DIR", help="the folder to write (made if missing)"
    )
    _add_glob(export)
    export.set_defaults(run=_export)


def _export(args: argparse.Namespace) -> int:
    from rbtfl_model.tables import write_parquet  # imports pyarrow, an extra, when it writes

    output = Path(args.output)
    if output.exists() and not output.is_dir():
        raise UsageError(f"not a folder: {args.output}")
    sources = _sources(args.paths, args.glob)
    loaded: list[tuple[Story, Source]] = []
    failed = False
    for source in _progress(sources, sys.stderr):
        try:
            loaded.append((_load(source), source))
        except ParseError as exc:
            print(f"rbtfl: {exc}", file=sys.stderr)
            failed = True
    corpus = Corpus.from_stories(
        (story for story, _ in loaded),
        paths=[source.name for _, source in loaded],
        errors="collect",
    )
    for error in corpus.errors:
        print(f"rbtfl: {error}", file=sys.stderr)
        failed = True
    output.mkdir(parents=True, exist_ok=True)
    try:
        write_parquet(corpus, output)
    except ImportError as exc:  # pyarrow is not installed: the message names the extra
        raise UsageError(str(exc)) from exc
    print(f"exported {len(corpus)} stories to {output}", file=sys.stderr)
    return FOUND if failed else OK
