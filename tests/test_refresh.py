"""Corpus.refresh and graphs built from a previous graph: what load_dir and graph() give, for less.

Every scenario changes a folder of the bundled stories one way, then checks that the refreshed
corpus and its graph are what a fresh ``load_dir`` and ``graph()`` give, that the change report
names what differs, and that the old corpus and graph are as they were. The work is counted
(files read, files parsed, stories whose links were found), never timed.
"""

from __future__ import annotations

import os
import shutil
import time
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import rbtfl_model as rm
from benchmarks import synthetic
from rbtfl_model import _snapshot, links, model
from tests import workcount
from tests.conftest import INVALID, VALID, read

CRC = "china-rare-earth-controls"
JAPAN = "china-rare-earth-japan-controls"
LYNAS = "lynas-texas-limbo"
NDPR = "ndpr-price-surge-2026"
#: The time the refresh code reads in every test here (see the clock fixture), in ns.
NOW = time.time_ns()
#: Old enough for a file's signature to be trusted, in seconds (what os.utime takes).
HOUR_AGO = NOW / 10**9 - 3600


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stop the clock the refresh code reads at NOW, so that which files count as too young
    to trust depends on their times alone, not on how long a busy machine takes between a
    write and a refresh: a file written during a test is always too young, an aged one never.
    """
    monkeypatch.setattr(_snapshot, "time", types.SimpleNamespace(time_ns=lambda: NOW))


@attrs.define
class Work:
    """What a refresh and a graph did: files read, files parsed, stories scanned for links."""

    read: int = 0
    parsed: int = 0
    linked: int = 0


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Work:
    counts = Work()
    read_bytes = _snapshot.read_bytes
    # what _snapshot and model call: a graph reads a story's slugs, not its links
    loads, find_links, site_slugs = rm.loads, links.find_links, links.site_slugs

    def counting_read(name: str, max_size: int) -> Any:
        counts.read += 1
        return read_bytes(name, max_size)

    def counting_loads(data: bytes) -> rm.Story:
        counts.parsed += 1
        return loads(data)

    def counting_links(story: rm.Story) -> Any:
        counts.linked += 1
        return find_links(story)

    def counting_slugs(story: rm.Story, found: Any) -> Any:
        counts.linked += found is None  # a story whose links are known is not scanned again
        return site_slugs(story, found)

    monkeypatch.setattr(_snapshot, "read_bytes", counting_read)
    monkeypatch.setattr(_snapshot, "loads", counting_loads)
    monkeypatch.setattr(model, "find_links", counting_links)
    monkeypatch.setattr(model, "site_slugs", counting_slugs)
    return counts


def folder_of(tmp_path: Path, paths: list[Path] = VALID) -> Path:
    """A copy of *paths*, its files last changed an hour ago: old enough to be trusted."""
    folder = tmp_path / "stories"
    folder.mkdir()
    for path in paths:
        shutil.copyfile(path, folder / path.name)
    age(folder)
    return folder


def age(folder: Path) -> None:
    for path in folder.rglob("*"):
        os.utime(path, (HOUR_AGO, HOUR_AGO))


def file_of(folder: Path, slug: str) -> Path:
    return folder / f"{slug}.md"


def rewrite(path: Path, change: Callable[[rm.Story], rm.Story]) -> None:
    path.write_text(rm.dumps(change(rm.load(path))), encoding="utf-8")


def errors_of(corpus: rm.Corpus) -> list[tuple[str | None, int, int, str, str]]:
    return [(e.path, e.line, e.column, e.code, e.msg) for e in corpus.errors]


def assert_same_corpus(corpus: rm.Corpus, fresh: rm.Corpus) -> None:
    assert dict(corpus) == dict(fresh)
    assert {slug: corpus.path(slug) for slug in corpus} == {s: fresh.path(s) for s in fresh}
    assert errors_of(corpus) == errors_of(fresh)


def answers(graph: rm.StoryGraph) -> dict[str, object]:
    """Everything a graph answers, for comparing two graphs."""
    nodes = graph.nodes()
    return {
        "nodes": nodes,
        "edges": graph.edges(),
        "back": {node: graph.backlinks(node) for node in nodes},
        "out": {node: graph.outlinks(node) for node in nodes},
        "missing": graph.missing(),
        "orphans": graph.orphans(),
        "components": graph.components(),
        "entities": {slug: graph.entities_of(slug) for slug in graph.corpus},
        "members": {entity: graph.stories_with(entity) for entity in graph.entities()},
        "pairs": graph.cooccurrence(),
    }


# -- scenarios: each changes the folder one way -------------------------------------------


def edit_title(folder: Path) -> None:
    rewrite(file_of(folder, LYNAS), lambda s: attrs.evolve(s, title=s.title + " (updated)"))


def edit_links(folder: Path) -> None:
    rewrite(file_of(folder, LYNAS), lambda s: attrs.evolve(s, related=(CRC, "not-here-yet")))


def edit_entities(folder: Path) -> None:
    path = file_of(folder, NDPR)
    rewrite(path, lambda s: attrs.evolve(s, entities=s.entities[1:]))


def add_a_story(folder: Path) -> None:
    text = read(file_of(folder, LYNAS)).replace(f"/n/{LYNAS}", "/n/not-here-yet")
    (folder / "new.md").write_text(text, encoding="utf-8")


def remove_a_story(folder: Path) -> None:
    file_of(folder, NDPR).unlink()  # the most linked-to story: its links go missing


def rename_a_file(folder: Path) -> None:
    (folder / "sub").mkdir()
    file_of(folder, LYNAS).rename(folder / "sub" / "renamed.md")


def swap_two_files(folder: Path) -> None:
    """The slugs move between files: each file now holds the other's story."""
    first, second = file_of(folder, LYNAS), file_of(folder, CRC)
    first.rename(folder / "swap")
    second.rename(first)
    (folder / "swap").rename(second)


def break_a_file(folder: Path) -> None:
    file_of(folder, LYNAS).write_text("no title here\n", encoding="utf-8")


def duplicate_a_slug(folder: Path) -> None:
    shutil.copyfile(file_of(folder, JAPAN), folder / "copy.md")


def lose_a_canonical_url(folder: Path) -> None:
    path = file_of(folder, LYNAS)
    path.write_text(read(path).split("\n---\n")[0] + "\n", encoding="utf-8")


def touch_every_file(folder: Path) -> None:
    for path in folder.iterdir():
        path.write_bytes(path.read_bytes())


def same_size_same_mtime(folder: Path) -> None:
    """A different text of the same size, the modification time put back: the ctime tells."""
    path = file_of(folder, LYNAS)
    text = read(path)
    path.write_text(text.replace("Lynas", "LYNAS", 1), encoding="utf-8")
    os.utime(path, (HOUR_AGO, HOUR_AGO))


def edit_every_story(folder: Path) -> None:
    """Over half the stories change: the graph is built afresh, from nothing old."""
    for path in folder.iterdir():
        rewrite(path, lambda s: attrs.evolve(s, related=s.related[:1]))


def nothing(folder: Path) -> None:
    pass


SCENARIOS: dict[str, Callable[[Path], None]] = {
    f.__name__: f
    for f in [
        nothing,
        edit_title,
        edit_links,
        edit_entities,
        add_a_story,
        remove_a_story,
        rename_a_file,
        swap_two_files,
        break_a_file,
        duplicate_a_slug,
        lose_a_canonical_url,
        touch_every_file,
        same_size_same_mtime,
        edit_every_story,
    ]
}


@pytest.mark.parametrize("include_missing", [False, True], ids=["stories", "with-missing"])
@pytest.mark.parametrize("scenario", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_refresh_gives_what_load_dir_gives(
    tmp_path: Path, scenario: Callable[[Path], None], include_missing: bool
) -> None:
    folder = folder_of(tmp_path)
    old = rm.load_dir(folder, errors="collect")
    old_graph = old.graph(include_missing=include_missing)
    before = answers(old_graph), dict(old), errors_of(old)
    scenario(folder)
    new = old.refresh()
    fresh = rm.load_dir(folder, errors="collect")
    assert_same_corpus(new, fresh)
    graph = new.graph(include_missing=include_missing)
    assert answers(graph) == answers(fresh.graph(include_missing=include_missing))
    # the old corpus and graph are as they were
    assert (answers(old_graph), dict(old), errors_of(old)) == before
    # the change report names what differs
    changes = graph.changes_since(old_graph)
    assert changes.added == tuple(sorted(new.keys() - old.keys()))
    assert changes.removed == tuple(sorted(old.keys() - new.keys()))
    assert changes.changed == tuple(s for s in new if s in old and new[s] != old[s])
    old_edges, new_edges = set(old_graph.edges()), set(graph.edges())
    assert changes.appeared == tuple(e for e in graph.edges() if e not in old_edges)
    assert changes.gone == tuple(e for e in old_graph.edges() if e not in new_edges)


def test_an_unchanged_folder_is_listed_not_read(tmp_path: Path, work: Work) -> None:
    corpus = rm.load_dir(folder_of(tmp_path))
    graph = corpus.graph()
    work.read = work.parsed = work.linked = 0
    again = corpus.refresh()
    assert again is not corpus
    assert all(again[slug] is corpus[slug] for slug in corpus)
    assert again.graph() is not graph
    assert (work.read, work.parsed, work.linked) == (0, 0, 0)
    assert not again.graph().changes_since(graph)


def test_a_refresh_reads_the_slug_of_changed_files_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = folder_of(tmp_path)
    corpus = rm.load_dir(folder)
    read: list[str | None] = []
    slug: property = vars(rm.Story)["slug"]

    def counting_slug(story: rm.Story) -> str | None:
        found: str | None = slug.__get__(story)
        read.append(found)
        return found

    monkeypatch.setattr(rm.Story, "slug", property(counting_slug))
    assert dict(corpus.refresh()) == dict(corpus)
    assert read == []  # each file's record keeps the slug read when it was parsed
    edit_title(folder)
    assert corpus.refresh().keys() == corpus.keys()
    assert read == [LYNAS]


def test_one_changed_file_is_read_parsed_and_linked_alone(tmp_path: Path, work: Work) -> None:
    folder = folder_of(tmp_path)
    corpus = rm.load_dir(folder)
    graph = corpus.graph()
    assert work.linked == len(VALID)
    work.read = work.parsed = work.linked = 0
    edit_links(folder)
    new = corpus.refresh()
    new_graph = new.graph()
    assert (work.read, work.parsed, work.linked) == (1, 1, 1)
    assert [slug for slug in new if new[slug] is not corpus[slug]] == [LYNAS]
    changes = new_graph.changes_since(graph)
    assert changes.changed == (LYNAS,)
    assert {(e.target, e.kind) for e in changes.appeared} == {
        (CRC, "related"),
        ("not-here-yet", "related"),
    }
    assert {(e.target, e.kind) for e in changes.gone} == {(JAPAN, "related"), (NDPR, "related")}
    assert changes.affected == tuple(sorted({LYNAS, CRC, JAPAN, NDPR, "not-here-yet"}))


def test_files_too_young_to_trust_are_hashed_not_parsed(tmp_path: Path, work: Work) -> None:
    folder = tmp_path / "new"
    folder.mkdir()
    for path in VALID:
        shutil.copyfile(path, folder / path.name)  # just written: within the racy window
    corpus = rm.load_dir(folder)
    work.read = work.parsed = 0
    again = corpus.refresh()
    assert (work.read, work.parsed) == (len(VALID), 0)
    assert all(again[slug] is corpus[slug] for slug in corpus)


def test_a_renamed_file_keeps_its_story(tmp_path: Path, work: Work) -> None:
    folder = folder_of(tmp_path)
    corpus = rm.load_dir(folder)
    corpus.graph()
    work.parsed = work.linked = 0
    rename_a_file(folder)
    new = corpus.refresh()
    assert new[LYNAS] is corpus[LYNAS]
    assert new.path(LYNAS) == folder / "sub" / "renamed.md"
    new.graph()
    assert (work.parsed, work.linked) == (0, 0)


def test_broken_then_fixed(tmp_path: Path) -> None:
    folder = folder_of(tmp_path)
    text = read(file_of(folder, LYNAS))
    corpus = rm.load_dir(folder)
    break_a_file(folder)
    with pytest.raises(rm.CorpusError) as info:
        corpus.refresh()
    assert [(e.path, e.code) for e in info.value.errors] == [(str(file_of(folder, LYNAS)), "RB001")]
    assert LYNAS in corpus  # the corpus refreshed from is untouched
    file_of(folder, LYNAS).write_text(text, encoding="utf-8")
    fixed = corpus.refresh()
    assert_same_corpus(fixed, rm.load_dir(folder))
    assert fixed[LYNAS] is corpus[LYNAS]  # the same bytes as before: not parsed again


def test_collected_errors_follow_the_folder(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, VALID + INVALID)
    corpus = rm.load_dir(folder, errors="collect")
    assert len(corpus.errors) == len(INVALID)
    for path in INVALID:
        (folder / path.name).unlink()
    assert corpus.refresh().errors == ()
    duplicate_a_slug(folder)
    assert [e.code for e in corpus.refresh().errors] == ["RB603", "RB603"]


def test_a_refreshed_graph_without_its_predecessor_is_built_afresh(tmp_path: Path) -> None:
    folder = folder_of(tmp_path)
    corpus = rm.load_dir(folder)
    corpus.graph()  # dropped at once: nothing to build from
    edit_links(folder)
    new = corpus.refresh()
    assert answers(new.graph()) == answers(rm.load_dir(folder).graph())


def test_graph_returns_the_graph_in_use(tmp_path: Path) -> None:
    corpus = rm.load_dir(folder_of(tmp_path))
    graph = corpus.graph()
    assert corpus.graph() is graph
    assert corpus.graph(include_missing=True) is not graph


def test_a_chain_of_refreshes_keeps_no_old_corpus_alive(tmp_path: Path) -> None:
    import gc
    import weakref

    folder = folder_of(tmp_path)
    corpus = rm.load_dir(folder)
    graph = corpus.graph()
    first = weakref.ref(corpus)
    for title in ("one", "two", "three"):
        path = file_of(folder, LYNAS)
        path.write_text(rm.dumps(attrs.evolve(rm.load(path), title=title)), encoding="utf-8")
        corpus = corpus.refresh()
        graph = corpus.graph()
    gc.collect()
    assert first() is None
    assert graph.corpus is corpus


def test_only_a_loaded_folder_can_be_refreshed(tmp_path: Path) -> None:
    corpus = rm.Corpus.from_stories([rm.load(path) for path in VALID])
    with pytest.raises(ValueError, match="load_dir"):
        corpus.refresh()
    folder = folder_of(tmp_path)
    loaded = rm.load_dir(folder)
    shutil.rmtree(folder)
    with pytest.raises(NotADirectoryError):
        loaded.refresh()


def test_refresh_keeps_the_load_options(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, [VALID[0]])
    shutil.copyfile(VALID[1], folder / "story.txt")
    (folder / "sub").mkdir()
    shutil.copyfile(VALID[2], folder / "sub" / VALID[2].name)
    corpus = rm.load_dir(folder, pattern=["*.md", "*.txt"], recursive=False)
    assert len(corpus) == 2
    assert_same_corpus(corpus.refresh(), corpus)


def test_changes_between_graphs_loaded_apart(tmp_path: Path) -> None:
    """No shared objects: the report compares content, and is still right."""
    folder = folder_of(tmp_path)
    before = rm.load_dir(folder).graph()
    edit_title(folder)
    remove_a_story(folder)
    after = rm.load_dir(folder).graph()
    changes = after.changes_since(before)
    assert (changes.added, changes.removed, changes.changed) == ((), (NDPR,), (LYNAS,))
    assert all(NDPR in (edge.source, edge.target) for edge in changes.gone)
    assert {(e.source, e.target, e.in_corpus) for e in changes.appeared} == {
        (e.source, e.target, False) for e in changes.gone if e.source != NDPR
    }


def test_refresh_and_graph_do_work_in_proportion_to_the_change(tmp_path: Path) -> None:
    """At 300 stories, one changed file costs under 5% of the calls of loading afresh.

    The listing and the indexes' copies are a few calls a file; parsing a story and finding
    its links are thousands. Rebuilding the graph from every story's cached links (not
    from the previous graph) would alone cost about 11%.
    """
    folder = tmp_path / "synthetic"
    synthetic.write(300, folder, seed=3)
    age(folder)
    corpus = rm.load_dir(folder)
    graph = corpus.graph()
    fresh = workcount.calls(lambda: rm.load_dir(folder).graph())
    path = sorted(folder.iterdir())[7]
    rewrite(path, lambda s: attrs.evolve(s, related=s.related[1:]))
    refreshed: list[rm.StoryGraph] = []
    incremental = workcount.calls(lambda: refreshed.append(corpus.refresh().graph()))
    assert incremental < 0.05 * fresh
    assert len(refreshed[0].changes_since(graph).gone) == 1


def test_an_unchanged_file_costs_a_refresh_a_few_calls(tmp_path: Path) -> None:
    """Refresh and graph after one edit make about 15 calls a file (counted at 300 files).

    Listing a file and matching its status are about a dozen; the corpus's and the graph's
    indexes are copied whole, with the changed story put in its place. Keying every story
    again, or following the graph slug by slug, made it 22.
    """
    folder = tmp_path / "synthetic"
    synthetic.write(300, folder, seed=3)
    age(folder)
    corpus = rm.load_dir(folder)
    graph = corpus.graph()  # held: the refreshed graph follows it
    rewrite(sorted(folder.iterdir())[7], lambda s: attrs.evolve(s, related=s.related[1:]))
    refreshed: list[rm.StoryGraph] = []
    assert workcount.calls(lambda: refreshed.append(corpus.refresh().graph())) < 17 * 300
    assert len(refreshed[0].changes_since(graph).gone) == 1


def test_a_signature_is_packed_unless_a_number_is_past_64_bits(tmp_path: Path) -> None:
    status = os.stat(folder_of(tmp_path) / f"{LYNAS}.md")
    packed = _snapshot.signature(status)
    assert isinstance(packed, bytes)
    assert packed == _snapshot.signature(os.stat(tmp_path / "stories" / f"{LYNAS}.md"))
    numbers = (status.st_dev, 2**100, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
    huge: Any = types.SimpleNamespace(  # a 128-bit inode, as ReFS may give
        st_dev=numbers[0],
        st_ino=numbers[1],
        st_size=numbers[2],
        st_mtime_ns=numbers[3],
        st_ctime_ns=numbers[4],
    )
    assert _snapshot.signature(huge) == numbers  # a tuple, which no packed signature equals


def test_a_pickled_corpus_refreshes(tmp_path: Path) -> None:
    import pickle

    folder = folder_of(tmp_path)
    corpus = rm.load_dir(folder)
    corpus.graph()
    copy = pickle.loads(pickle.dumps(corpus))
    edit_title(folder)
    assert_same_corpus(copy.refresh(), rm.load_dir(folder))


def test_a_graph_follows_any_earlier_graph() -> None:
    """previous= is an optimisation only: from an unrelated graph the result is the same."""
    stories = [rm.load(path) for path in VALID]
    small = rm.Corpus.from_stories(stories[:2])
    full = rm.Corpus.from_stories(stories)
    followed = rm.StoryGraph(full, previous=small.graph())
    assert answers(followed) == answers(rm.StoryGraph(full))
    back = rm.StoryGraph(small, previous=followed, include_missing=True)
    assert answers(back) == answers(rm.StoryGraph(small, include_missing=True))


def test_the_walk_is_os_walk_in_order(tmp_path: Path) -> None:
    """The scandir walk finds what os.walk finds, in its order, and skips what it skips."""
    from rbtfl_model._files import story_files

    root = tmp_path / "root"
    for folder in ["", "b", "a", "a/z", "a/c"]:
        (root / folder).mkdir(parents=True, exist_ok=True)
        for name in ["y.md", "x.md", "notes.txt"]:
            (root / folder / name).write_text("x", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.md").write_text("x", encoding="utf-8")
    os.symlink(outside, root / "linked", target_is_directory=True)
    os.symlink(outside / "o.md", root / "out.md")
    os.symlink(root / "x.md", root / "a" / "in.md")
    os.symlink(root / "nowhere.md", root / "dangling.md")
    os.mkfifo(root / "fifo.md")
    expected = [
        Path(folder, name)
        for folder, dirs, names in sorted_walk(root)
        for name in sorted(names)
        if name.endswith(".md")
        and Path(folder, name).is_file()
        and Path(folder, name).resolve().is_relative_to(root.resolve())
    ]
    assert list(story_files(root, ("*.md",))) == expected
    assert len(expected) == 11  # 2 in each of 5 folders, and the link that stays inside


def sorted_walk(root: Path) -> Iterator[tuple[str, list[str], list[str]]]:
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        yield folder, dirs, names
