"""Stories loaded and their links read on many threads give what one thread gives."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import attrs
import mistletoe
from mistletoe.html_renderer import HtmlRenderer

import rbtfl_model as rm
from rbtfl_model import Link
from tests.conftest import VALID

#: Markdown with everything mistletoe keeps in module globals while it parses: code spans,
#: links, reference links and their definitions, emphasis, HTML.
UNRELATED = (
    "# Other document\n\n"
    + "Some `code`, ``more `code` here``, a [link](https://example.com), a [ref][r],\n" * 20
    + "**strong *and* emphasis**, <span>html</span> and <https://auto.example/>.\n\n"
    + "[r]: https://example.com/ref\n"
)
#: A story whose takes mix code spans and links, as a race over code spans would show.
CODE_TAKES = "".join(
    f"- **O{i}** (R, ko) — `c{i}` [a{i}](/ko/n/b{i}) ``d`` and `[x](/y)` [e](/ko/entity/e)\n"
    for i in range(40)
)
CODE_STORY = (
    f"# T\n> D\n\n**Meta:**\n\n## Regional takes (batched by bias / lens)\n\n### l\n{CODE_TAKES}"
)
ROUNDS = 80  # loads of each story per test


def _work(path: Path) -> tuple[tuple[Link, ...], str]:
    story = rm.load(path)
    return story.links, rm.dumps(story)


def _render() -> str:
    html: str = mistletoe.markdown(UNRELATED, HtmlRenderer)
    return html


def test_threads_get_the_single_threaded_results(tmp_path: Path) -> None:
    code_story = tmp_path / "code-spans.md"
    code_story.write_text(CODE_STORY, encoding="utf-8")
    paths = [*VALID, code_story]
    expected = {path: _work(path) for path in paths}
    expected_html = _render()
    stop = threading.Event()
    html: set[str] = set()

    def render_until_stopped() -> None:
        while not stop.is_set():
            html.add(_render())

    renderer = threading.Thread(target=render_until_stopped)
    renderer.start()
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(_work, paths * ROUNDS))
    finally:
        stop.set()
        renderer.join()
    assert results == [expected[path] for path in paths * ROUNDS]
    assert html == {expected_html}  # and our parsing did not disturb mistletoe's own


def test_readers_of_a_corpus_are_not_disturbed_by_a_refresh(tmp_path: Path) -> None:
    """Threads read an old corpus and graph while another thread edits files and refreshes."""

    for path in VALID:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    corpus = rm.load_dir(tmp_path)
    graph = corpus.graph()
    expected = {
        slug: (corpus[slug], graph.backlinks(slug), graph.outlinks(slug)) for slug in corpus
    }
    refreshed: list[rm.StoryGraph] = []
    done = threading.Event()

    def refresh() -> None:
        current, current_graph = corpus, graph
        try:
            for i in range(ROUNDS // 4):
                path = VALID[i % len(VALID)]
                story = rm.load(path)
                related = story.related if i % 2 else story.related[1:]
                text = rm.dumps(attrs.evolve(story, title=f"{story.title} {i}", related=related))
                (tmp_path / path.name).write_text(text, encoding="utf-8")
                current = current.refresh()
                current_graph = current.graph()
                refreshed.append(current_graph)
        finally:
            done.set()

    def read() -> int:
        reads = 0
        while not done.is_set() or reads == 0:
            for slug in corpus:
                assert (corpus[slug], graph.backlinks(slug), graph.outlinks(slug)) == expected[slug]
                reads += 1
        return reads

    writer = threading.Thread(target=refresh)
    with ThreadPoolExecutor(max_workers=4) as pool:
        readers = [pool.submit(read) for _ in range(4)]
        writer.start()
        writer.join()
        assert all(reader.result() > 0 for reader in readers)
    assert len(refreshed) == ROUNDS // 4
    fresh = rm.load_dir(tmp_path).graph()
    assert refreshed[-1].edges() == fresh.edges()
    assert dict(refreshed[-1].corpus) == dict(fresh.corpus)
