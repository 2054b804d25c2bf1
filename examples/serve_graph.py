"""Serve the backlinks of a folder of stories over HTTP, and follow the folder on demand.

Run from the project root:  python examples/serve_graph.py examples/stories [--port 8000]

    GET  /backlinks/SLUG   the links to SLUG: [{"source", "kind", "in_corpus"}, ...]
    POST /refresh          read what changed on disk; answers what changed in the graph

The standard library only: ``http.server`` answers each request on its own thread. The
corpus and its graph are immutable, so readers need no lock: :class:`Current` hands out the
pair being served, and a refresh builds the next pair aside (reading only the files that
changed) and swaps it in with one assignment. A reader holding the old pair keeps a
consistent view until it lets go.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import rbtfl_model as rm


class Current:
    """The corpus and graph being served: read without a lock, replaced whole by refresh."""

    def __init__(self, corpus: rm.Corpus) -> None:
        self._pair = (corpus, corpus.graph())
        self._refreshing = threading.Lock()  # one refresh at a time; readers never wait

    def get(self) -> tuple[rm.Corpus, rm.StoryGraph]:
        """The pair being served (one attribute read: a refresh cannot split it)."""
        return self._pair

    def refresh(self) -> rm.GraphChanges:
        """Follow the folder; return what changed in the graph since the pair served."""
        with self._refreshing:
            corpus, graph = self._pair
            new = corpus.refresh()
            new_graph = new.graph()  # built from `graph`, still held here
            self._pair = (new, new_graph)
        return new_graph.changes_since(graph)


def backlinks(current: Current, slug: str) -> list[dict[str, Any]] | None:
    """The links to *slug* as JSON-ready dicts; None if no story has or links to that slug."""
    _, graph = current.get()
    try:
        edges = graph.backlinks(slug)
    except KeyError:
        return None
    return [{"source": e.source, "kind": e.kind, "in_corpus": e.in_corpus} for e in edges]


def changes_json(changes: rm.GraphChanges, corpus: rm.Corpus) -> dict[str, Any]:
    def edges(found: Sequence[rm.Edge]) -> list[list[str]]:
        return [[edge.source, edge.target, edge.kind] for edge in found]

    return {
        "added": list(changes.added),
        "removed": list(changes.removed),
        "changed": list(changes.changed),
        "appeared": edges(changes.appeared),
        "gone": edges(changes.gone),
        "affected": list(changes.affected),
        "errors": [str(error).splitlines()[0] for error in corpus.errors],
    }


def handler(current: Current) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to *current*."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            prefix = "/backlinks/"
            if not self.path.startswith(prefix):
                self.reply(HTTPStatus.NOT_FOUND, {"error": f"no such page: {self.path!r}"})
                return
            slug = unquote(self.path[len(prefix) :])
            found = backlinks(current, slug)
            if found is None:
                self.reply(HTTPStatus.NOT_FOUND, {"error": f"no story or link {slug!r}"})
            else:
                self.reply(HTTPStatus.OK, found)

        def do_POST(self) -> None:
            if self.path != "/refresh":
                self.reply(HTTPStatus.NOT_FOUND, {"error": f"no such page: {self.path!r}"})
                return
            try:
                changes = current.refresh()
            except (rm.CorpusError, OSError) as error:  # keep serving what was served
                self.reply(HTTPStatus.CONFLICT, {"error": str(error)})
                return
            self.reply(HTTPStatus.OK, changes_json(changes, current.get()[0]))

        def reply(self, status: HTTPStatus, body: object) -> None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: a service logs its own way

    return Handler


def serve(folder: Path, port: int = 0) -> ThreadingHTTPServer:
    """A server for *folder* on localhost (port 0: any free port); call serve_forever()."""
    current = Current(rm.load_dir(folder, errors="collect"))
    return ThreadingHTTPServer(("127.0.0.1", port), handler(current))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    server = serve(args.folder, args.port)
    host, port = server.server_address[:2]
    print(f"serving {args.folder} on http://{host!s}:{port}/backlinks/SLUG", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
