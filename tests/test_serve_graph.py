"""examples/serve_graph.py: backlinks over HTTP, answered while the folder is refreshed."""

from __future__ import annotations

import importlib.util
import json
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest

import rbtfl_model as rm

EXAMPLES = Path(__file__).parent.parent / "examples"
LYNAS = "lynas-texas-limbo"
JAPAN = "china-rare-earth-japan-controls"
NDPR = "ndpr-price-surge-2026"


def example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("serve_graph", EXAMPLES / "serve_graph.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for path in (EXAMPLES / "stories").glob("*.md"):
        shutil.copyfile(path, tmp_path / path.name)
    return tmp_path


@pytest.fixture
def url(folder: Path) -> Iterator[str]:
    server = example().serve(folder)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def call(url: str, method: str = "GET") -> tuple[int, Any]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def sources(url: str, slug: str) -> list[str]:
    status, body = call(f"{url}/backlinks/{slug}")
    assert status == 200
    return [link["source"] for link in body]


def test_backlinks_follow_the_folder_on_refresh(url: str, folder: Path) -> None:
    assert sources(url, LYNAS) == [JAPAN, NDPR]
    path = folder / f"{NDPR}.md"
    story = rm.load(path)
    related = tuple(slug for slug in story.related if slug != LYNAS)
    path.write_text(rm.dumps(attrs.evolve(story, related=related)), encoding="utf-8")
    assert sources(url, LYNAS) == [JAPAN, NDPR]  # not until asked to refresh
    status, changes = call(f"{url}/refresh", "POST")
    assert status == 200
    assert changes["changed"] == [NDPR]
    assert changes["gone"] == [[NDPR, LYNAS, "related"]]
    assert changes["appeared"] == []
    assert sources(url, LYNAS) == [JAPAN]


def test_removed_stories_and_unknown_slugs(url: str, folder: Path) -> None:
    (folder / f"{LYNAS}.md").unlink()
    status, changes = call(f"{url}/refresh", "POST")
    assert (status, changes["removed"]) == (200, [LYNAS])
    status, body = call(f"{url}/backlinks/{LYNAS}")
    assert status == 200  # still a link target, now outside the corpus
    assert {link["in_corpus"] for link in body} == {False}
    assert call(f"{url}/backlinks/no-such-story")[0] == 404
    assert call(f"{url}/elsewhere")[0] == 404


def test_a_broken_file_is_reported_and_the_rest_served(url: str, folder: Path) -> None:
    (folder / f"{NDPR}.md").write_text("not a story\n", encoding="utf-8")
    status, changes = call(f"{url}/refresh", "POST")
    assert status == 200
    assert changes["removed"] == [NDPR]
    assert len(changes["errors"]) == 1
    assert changes["errors"][0].startswith(f"{folder / NDPR}.md:1:1: ")
    assert sources(url, LYNAS) == [JAPAN]


def test_readers_see_whole_pairs_while_refreshing(folder: Path) -> None:
    module = example()
    current = module.Current(rm.load_dir(folder))
    stop = threading.Event()
    seen: list[bool] = []

    def read() -> None:
        while not stop.is_set():
            corpus, graph = current.get()
            seen.append(graph.corpus is corpus)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        path = folder / f"{NDPR}.md"
        story = rm.load(path)
        for i in range(20):
            text = rm.dumps(attrs.evolve(story, title=f"{story.title} {i}"))
            path.write_text(text, encoding="utf-8")
            assert current.refresh().changed == (NDPR,)
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert seen
    assert all(seen)
