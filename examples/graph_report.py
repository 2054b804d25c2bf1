"""A report on the link graph of a folder of stories.

Usage:  python examples/graph_report.py [FOLDER]   (default: the bundled example stories)
"""

from __future__ import annotations

import sys
from pathlib import Path

import rbtfl_model as rm

STORIES = Path(__file__).parent / "stories"


def main(argv: list[str]) -> int:
    corpus = rm.load_dir(argv[0] if argv else STORIES, errors="collect")
    for error in corpus.errors:
        print(f"skipped: {error.path}:{error.line}: {error.msg}", file=sys.stderr)
    graph = corpus.graph()
    print(f"{len(corpus)} stories, {len(graph.edges())} links, {len(graph.entities())} entities")

    print("\nMost linked-to stories:")
    ranked = sorted(corpus, key=lambda slug: (-len(graph.backlinks(slug)), slug))
    for slug in ranked[:3]:
        print(f"  {len(graph.backlinks(slug))}  {slug}")

    print("\nBroken links (target not in the folder):")
    for target in graph.missing():
        print(f"  {target.slug}  <- {', '.join(target.sources)}")

    print("\nOne-way Related links:")
    for edge in graph.unreciprocated():
        print(f"  {edge.source} -> {edge.target}")

    print("\nEntities in the most stories:")
    shared = sorted(graph.entities(), key=lambda e: (-len(graph.stories_with(e)), e))
    for entity in shared[:3]:
        print(f"  {len(graph.stories_with(entity))}  {entity}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
