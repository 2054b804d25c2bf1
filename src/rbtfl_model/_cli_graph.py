"""The ``rbtfl graph`` and ``rbtfl export`` commands: a folder's link graph, and tables."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Final

from rbtfl_model._cli_io import (
    FOUND,
    OK,
    Source,
    UsageError,
    add_glob,
    find_sources,
    glob_patterns,
    load_source,
    nothing_found,
    with_progress,
    write_stdout,
)
from rbtfl_model._files import write_atomic
from rbtfl_model.corpus import Corpus, load_dir
from rbtfl_model.errors import ParseError
from rbtfl_model.graph import StoryGraph
from rbtfl_model.model import Story

#: The picture formats of ``rbtfl graph``, drawn by StoryGraph.plot.
PICTURES: Final = ("png", "svg")
LISTING_FORMATS: Final = ("text", "json")
EXPORT_FORMATS: Final = ("json", "dot", "graphml", *PICTURES)


def add_graph_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    add_glob(graph, named_files=False)
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
    patterns = glob_patterns(args.glob)
    corpus = load_dir(args.folder, pattern=patterns, errors="collect")
    if not corpus and not corpus.errors:
        raise UsageError(nothing_found(args.folder, patterns))
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
        write_stdout(_graph_export(graph, form, args.entities))
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


# -- export ------------------------------------------------------------------------------


def add_export_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    add_glob(export)
    export.set_defaults(run=_export)


def _export(args: argparse.Namespace) -> int:
    from rbtfl_model.tables import write_parquet  # imports pyarrow, an extra, when it writes

    output = Path(args.output)
    if output.exists() and not output.is_dir():
        raise UsageError(f"not a folder: {args.output}")
    sources = find_sources(args.paths, args.glob)
    loaded: list[tuple[Story, Source]] = []
    failed = False
    for source in with_progress(sources, sys.stderr):
        try:
            loaded.append((load_source(source), source))
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
