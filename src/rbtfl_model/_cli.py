"""The ``rbtfl`` command line: check, fmt, convert, graph and export story files.

Results go to stdout, errors to stderr. Exit status: 0 clean, 1 a problem was found in the
input, 2 a usage error (bad arguments, a path that does not exist).
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Final, TextIO

from rbtfl_model import interchange
from rbtfl_model.__about__ import __version__
from rbtfl_model._files import write_atomic
from rbtfl_model._parser import load
from rbtfl_model._renderer import dumps
from rbtfl_model.corpus import Corpus, load_dir
from rbtfl_model.errors import ParseError, RbtflError
from rbtfl_model.graph import StoryGraph
from rbtfl_model.model import Story
from rbtfl_model.validate import recount, validate

__all__ = ["main"]

OK: Final = 0
FOUND: Final = 1
USAGE: Final = 2
#: Code reported by ``check`` for a file that does not parse.
PARSE_CODE: Final = "RB001"
SEVERITY_RANK: Final = {"warning": 1, "error": 2}


class UsageError(Exception):
    """A mistake in the command line itself (exit status 2)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
        return status
    except UsageError as exc:
        print(f"rbtfl: error: {exc}", file=sys.stderr)
        return USAGE
    except (RbtflError, OSError) as exc:
        print(f"rbtfl: error: {exc}", file=sys.stderr)
        return FOUND


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rbtfl", description="Check, format, convert and graph rbtfl story files."
    )
    parser.add_argument("--version", action="version", version=f"rbtfl {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="parse and validate story files")
    check.add_argument("paths", nargs="+", metavar="PATH", help="story files or folders")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.add_argument(
        "--fail-on",
        choices=["error", "warning"],
        default="error",
        help="lowest diagnostic severity that makes the exit status 1 (default: error)",
    )
    check.set_defaults(run=_check)

    fmt = commands.add_parser("fmt", help="rewrite files in canonical layout, counts recomputed")
    fmt.add_argument("paths", nargs="+", metavar="PATH", help="story files or folders")
    mode = fmt.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="list files that would change")
    mode.add_argument("--diff", action="store_true", help="print a unified diff")
    fmt.set_defaults(run=_fmt)

    convert = commands.add_parser("convert", help="convert between Markdown, JSON and YAML")
    convert.add_argument("path", metavar="PATH", help="a .md, .json, .yaml or .yml file")
    convert.add_argument("--to", required=True, choices=["md", "json", "yaml"])
    convert.add_argument("-o", "--output", metavar="FILE", help="write here, not to stdout")
    convert.set_defaults(run=_convert)

    _add_graph_command(commands)
    _add_export_command(commands)
    return parser


# -- files -------------------------------------------------------------------------------


def _story_files(paths: Sequence[str]) -> list[Path]:
    """The ``*.md`` files named by *paths*, folders searched recursively, in sorted order."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.md") if p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"no such file or folder: {name}")
    return files


def _progress(files: Sequence[Path], stream: TextIO) -> Iterator[Path]:
    """Yield *files*, showing ``[i/n] path`` on *stream* when it is a terminal."""
    show = len(files) > 1 and stream.isatty()
    for i, path in enumerate(files, 1):
        if show:
            stream.write(f"\r\x1b[K[{i}/{len(files)}] {path}")
            stream.flush()
        yield path
    if show:
        stream.write("\r\x1b[K")
        stream.flush()


def _write_text(text: str, path: str) -> None:
    """Write *text* to *path* atomically, as ``dump`` does for stories."""
    write_atomic(path, text.encode("utf-8"))


# -- check -------------------------------------------------------------------------------


def _check(args: argparse.Namespace) -> int:
    findings: list[dict[str, object]] = []
    failed = False
    threshold = SEVERITY_RANK[args.fail_on]
    for path in _progress(_story_files(args.paths), sys.stderr):
        try:
            story = load(path)
        except ParseError as exc:
            findings.append(_finding(path, exc.line, exc.column, PARSE_CODE, "error", exc.msg))
            failed = True
            continue
        for diagnostic in validate(story):
            findings.append(
                _finding(
                    path,
                    diagnostic.line or 1,
                    diagnostic.column or 1,
                    diagnostic.code,
                    diagnostic.severity,
                    diagnostic.message,
                )
            )
            failed = failed or SEVERITY_RANK[diagnostic.severity] >= threshold
    if args.format == "json":
        print(json.dumps(findings, ensure_ascii=False, indent=2))
    else:
        for f in findings:
            print(f"{f['path']}:{f['line']}:{f['column']}: {f['code']} {f['message']}")
    return FOUND if failed else OK


def _finding(
    path: Path, line: int, column: int, code: str, severity: str, message: str
) -> dict[str, object]:
    return {
        "path": str(path),
        "line": line,
        "column": column,
        "code": code,
        "severity": severity,
        "message": message,
    }


# -- fmt ---------------------------------------------------------------------------------


def _fmt(args: argparse.Namespace) -> int:
    status = OK
    for path in _progress(_story_files(args.paths), sys.stderr):
        try:
            story = load(path)
            original = dumps(story)  # a parsed story dumps as the file's text, unchanged
            formatted = dumps(recount(story), canonical=True)
        except RbtflError as exc:
            print(f"rbtfl: {exc}", file=sys.stderr)
            status = FOUND
            continue
        if formatted == original:
            continue
        if args.check:
            print(path)
            status = FOUND
        elif args.diff:
            sys.stdout.writelines(_diff(original, formatted, str(path)))
            status = FOUND
        else:
            write_atomic(path, formatted.encode("utf-8"))
            print(f"formatted {path}", file=sys.stderr)
    return status


def _diff(before: str, after: str, name: str) -> Iterator[str]:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), name, name
    )
    for line in lines:
        yield line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"


# -- convert -----------------------------------------------------------------------------

READERS: Final = {".json": interchange.from_json, ".yaml": interchange.from_yaml}


def _convert(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    suffix = ".yaml" if path.suffix == ".yml" else path.suffix
    if suffix == ".md":
        story: Story = load(path)
    elif suffix in READERS:
        story = READERS[suffix](path.read_bytes())
    else:
        raise UsageError(f"cannot tell the format of {path}: expected .md, .json or .yaml")
    if args.to == "md":
        text = dumps(story)
    elif args.to == "json":
        text = interchange.to_json(story, indent=2) + "\n"
    else:
        text = interchange.to_yaml(story)
    if args.output:
        _write_text(text, args.output)
    else:
        sys.stdout.write(text)
    return OK


# -- graph -------------------------------------------------------------------------------


def _add_graph_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    graph = commands.add_parser("graph", help="export or inspect the link graph of a folder")
    graph.add_argument("folder", metavar="FOLDER", help="a folder of story files")
    graph.add_argument(
        "--format",
        choices=["json", "dot", "graphml", *PICTURES],
        default="json",
        help="png and svg draw the graph (the plot extra) and need -o",
    )
    graph.add_argument("-o", "--output", metavar="FILE", help="write here, not to stdout")
    graph.add_argument(
        "--entities", action="store_true", help="export entities as nodes, linked from stories"
    )
    listing = graph.add_mutually_exclusive_group()
    listing.add_argument(
        "--missing", action="store_true", help="list link targets not in the folder"
    )
    listing.add_argument(
        "--orphans", action="store_true", help="list stories with no links in or out"
    )
    graph.set_defaults(run=_graph)


#: The picture formats of ``rbtfl graph``, drawn by StoryGraph.plot.
PICTURES: Final = ("png", "svg")


def _graph(args: argparse.Namespace) -> int:
    if not Path(args.folder).is_dir():
        raise UsageError(f"not a folder: {args.folder}")
    if args.format in PICTURES and not args.output:
        raise UsageError(f"--format {args.format} needs -o FILE")
    corpus = load_dir(args.folder, errors="collect")
    for error in corpus.errors:
        print(f"rbtfl: {error}", file=sys.stderr)
    graph = corpus.graph()
    if args.missing:
        for target in graph.missing():
            print(f"{target.slug}\t{', '.join(target.sources)}")
    elif args.orphans:
        for slug in graph.orphans():
            print(slug)
    elif args.format in PICTURES:
        write_atomic(args.output, _picture(graph, args.format))
    elif args.output:
        _write_text(_graph_export(graph, args.format, args.entities), args.output)
    else:
        _write_stdout(_graph_export(graph, args.format, args.entities))
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
    export = commands.add_parser("export", help="write story files as Parquet tables")
    export.add_argument("paths", nargs="+", metavar="PATH", help="story files or folders")
    export.add_argument("--to", required=True, choices=["parquet"])
    export.add_argument(
        "-o", "--output", required=True, metavar="DIR", help="the folder to write (made if missing)"
    )
    export.set_defaults(run=_export)


def _export(args: argparse.Namespace) -> int:
    """Write the six tables of rbtfl_model.tables; files that do not load are reported and
    left out, as ``graph`` does, and make the exit status 1."""
    from rbtfl_model.tables import write_parquet  # imports pyarrow, an extra, when it writes

    output = Path(args.output)
    if output.exists() and not output.is_dir():
        raise UsageError(f"not a folder: {args.output}")
    stories: list[Story] = []
    failed = False
    for name in args.paths:
        path = Path(name)
        if path.is_dir():
            corpus = load_dir(path, errors="collect")
            stories.extend(corpus.values())
            for error in corpus.errors:
                print(f"rbtfl: {error}", file=sys.stderr)
            failed = failed or bool(corpus.errors)
        elif path.is_file():
            try:
                stories.append(load(path))
            except ParseError as exc:
                print(f"rbtfl: {exc}", file=sys.stderr)
                failed = True
        else:
            raise UsageError(f"no such file or folder: {name}")
    corpus = Corpus.from_stories(stories)  # slugs shared across PATHs: CorpusError, exit 1
    output.mkdir(parents=True, exist_ok=True)
    try:
        write_parquet(corpus, output)
    except ImportError as exc:  # pyarrow is not installed: the message names the extra
        raise UsageError(str(exc)) from exc
    print(f"exported {len(corpus)} stories to {output}", file=sys.stderr)
    return FOUND if failed else OK
