"""The synthetic corpus generator, pickling for process pools, and the parallel example."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import attrs

import rbtfl_model as rm
from benchmarks.synthetic import generate, write
from tests.conftest import VALID, read

ROOT = Path(__file__).resolve().parent.parent


def test_generator_is_deterministic_and_varied() -> None:
    texts = generate(60, seed=3)
    assert texts == generate(60, seed=3)
    assert texts != generate(60, seed=4)
    stories = [rm.loads(text) for text in texts]
    slugs = [story.slug for story in stories]
    assert len(set(slugs)) == len(slugs)
    assert len({story.title for story in stories}) > 30
    for story, text in zip(stories, texts, strict=True):
        assert rm.dumps(story) == text
        assert story.slug not in story.related
        assert {slug for slug in story.related if not slug.startswith("gone-")} <= set(slugs)
        assert {link.slug for link in story.story_links} <= set(slugs)
        assert not [d for d in rm.validate(story) if d.severity == "error"]


def test_generated_sizes_follow_the_bundled_stories() -> None:
    bundled = sum(len(path.read_bytes()) for path in VALID) / len(VALID)
    sizes = [len(text.encode("utf-8")) for text in generate(300, seed=0)]
    assert 0.8 * bundled < sum(sizes) / len(sizes) < 1.3 * bundled


def test_generated_stories_pickle(tmp_path: Path) -> None:
    for path in write(20, tmp_path, seed=5):
        story = rm.load(path)
        again = pickle.loads(pickle.dumps(story))
        assert again == story
        assert rm.dumps(again) == read(path)
        edited = attrs.evolve(again, title="Edited")
        assert rm.dumps(edited) == rm.dumps(attrs.evolve(story, title="Edited"))


def test_parallel_example_gets_the_sequential_results() -> None:
    """The pool's results equal one process's; the links it reports are the stories' own."""
    links = sum(len(rm.loads(text).links) for text in generate(40, seed=1))
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "parallel_load.py"), "40"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith("40 stories, ")
    assert lines[0].endswith(f" worker processes, {links} links: the same results")
    assert links > 40
    assert lines[-1].startswith("speed-up:")


def test_corpora_pickle(tmp_path: Path) -> None:
    """A corpus, its errors and its graph survive a trip to a worker process and back."""
    write(30, tmp_path, seed=7)
    (tmp_path / "broken.md").write_text("# Title\n> deck\n\n**Meta:** date: 2026-02-30\n")
    corpus = rm.load_dir(tmp_path, errors="collect")
    again = pickle.loads(pickle.dumps(corpus))
    assert again == corpus
    assert list(again) == list(corpus)
    assert [again.path(slug) for slug in again] == [corpus.path(slug) for slug in corpus]
    assert [str(error) for error in again.errors] == [str(error) for error in corpus.errors]
    assert len(again.errors) == 1
    assert again.graph().edges() == corpus.graph().edges()
    assert pickle.loads(pickle.dumps(corpus.graph())).edges() == corpus.graph().edges()
