"""load_dir and Corpus: a folder of stories keyed by slug, every problem reported at once."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import attrs
import pytest

import rbtfl_model as rm
from tests.conftest import DATA, INVALID, SEED, VALID, read

SLUGS = [
    "china-rare-earth-controls",
    "china-rare-earth-japan-controls",
    "lynas-texas-limbo",
    "mp-materials-magnet-ramp",
    "ndpr-price-surge-2026",
    "us-minerals-price-floor-allies",
]


def copy(paths: list[Path], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in paths:
        shutil.copyfile(path, folder / path.name)
    return folder


def with_canonical(text: str, url: str) -> str:
    return re.sub(r"Canonical: \S+", f"Canonical: {url}", text)


def test_the_corpus_is_a_mapping_in_slug_order() -> None:
    corpus = rm.load_dir(DATA / "valid")
    assert list(corpus) == SLUGS
    assert len(corpus) == len(VALID)
    assert corpus["lynas-texas-limbo"] == rm.load(DATA / "valid" / "lynas-texas-limbo.md")
    assert "gallium-germanium-controls" not in corpus
    assert corpus.errors == ()


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_each_story_knows_its_path(path: Path) -> None:
    corpus = rm.load_dir(DATA / "valid")
    slug = rm.load(path).slug
    assert slug is not None
    assert corpus.path(slug) == path


def test_the_corpus_is_read_only() -> None:
    corpus = rm.load_dir(DATA / "valid")
    assert not hasattr(corpus, "__setitem__")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        corpus.errors = ()  # type: ignore[misc]
    with pytest.raises(KeyError):
        corpus.path("gallium-germanium-controls")


def test_every_broken_file_is_reported_at_once(tmp_path: Path) -> None:
    copy(VALID + INVALID, tmp_path)
    with pytest.raises(rm.CorpusError) as info:
        rm.load_dir(tmp_path)
    errors = info.value.errors
    assert [Path(e.path or "").name for e in errors] == [path.name for path in INVALID]
    for error in errors:
        with pytest.raises(rm.ParseError) as single:
            rm.load(error.path or "")
        assert (error.line, error.column) == (single.value.line, single.value.column)
    assert str(info.value).startswith(f"{len(INVALID)} files could not be loaded:")
    assert isinstance(info.value, ValueError)


def test_collect_keeps_the_good_files(tmp_path: Path) -> None:
    copy(VALID + INVALID, tmp_path)
    corpus = rm.load_dir(tmp_path, errors="collect")
    assert list(corpus) == SLUGS
    assert len(corpus.errors) == len(INVALID)
    assert all(error.path is not None and error.line >= 1 for error in corpus.errors)


def test_two_files_with_one_slug_name_each_other(tmp_path: Path) -> None:
    copy([SEED], tmp_path / "a")
    copy([SEED], tmp_path / "b")
    first, second = tmp_path / "a" / SEED.name, tmp_path / "b" / SEED.name
    corpus = rm.load_dir(tmp_path, errors="collect")
    assert len(corpus) == 0
    assert [(e.path, e.line, e.column) for e in corpus.errors] == [
        (str(first), 62, 12),
        (str(second), 62, 12),
    ]
    assert str(second) in corpus.errors[0].msg
    assert str(first) in corpus.errors[1].msg


def test_slugs_ignore_the_locale(tmp_path: Path) -> None:
    text = read(SEED)
    (tmp_path / "ko.md").write_text(text, encoding="utf-8")
    english = with_canonical(text, "https://rbtfl.xyz/en/n/china-rare-earth-japan-controls")
    (tmp_path / "en.md").write_text(english, encoding="utf-8")
    with pytest.raises(rm.CorpusError, match="slug 'china-rare-earth-japan-controls' is also"):
        rm.load_dir(tmp_path)


def test_a_story_needs_a_canonical_url(tmp_path: Path) -> None:
    text = read(DATA / "valid" / "lynas-texas-limbo.md")
    (tmp_path / "none.md").write_text(text.split("\n---\n")[0] + "\n", encoding="utf-8")
    (tmp_path / "bad.md").write_text(with_canonical(text, "https://rbtfl.xyz/ko/x"), "utf-8")
    corpus = rm.load_dir(tmp_path, errors="collect")
    assert [(Path(e.path or "").name, e.line, e.column) for e in corpus.errors] == [
        ("bad.md", 49, 12),
        ("none.md", 48, 1),  # the line after the last: where the footer belongs
    ]
    assert "found 'https://rbtfl.xyz/ko/x'" in corpus.errors[0].msg
    assert [e.code for e in corpus.errors] == ["RB001", "RB601"]  # the parser checks URLs


def test_error_codes_say_which_rule(tmp_path: Path) -> None:
    copy([SEED], tmp_path / "a")
    copy([SEED], tmp_path / "b")
    (tmp_path / "broken.md").write_text("no title\n", encoding="utf-8")
    corpus = rm.load_dir(tmp_path, errors="collect")
    assert [(Path(e.path or "").name, e.code) for e in corpus.errors] == [
        (SEED.name, "RB603"),
        (SEED.name, "RB603"),
        ("broken.md", "RB001"),
    ]


def test_symlinked_folders_are_not_followed(tmp_path: Path) -> None:
    root = copy([SEED], tmp_path / "root")
    outside = copy([DATA / "valid" / "lynas-texas-limbo.md"], tmp_path / "outside")
    os.symlink(outside, root / "linked-out", target_is_directory=True)
    os.symlink(root, root / "linked-in", target_is_directory=True)  # would repeat the seed
    os.symlink(outside / "lynas-texas-limbo.md", root / "file-out.md")
    assert list(rm.load_dir(root)) == ["china-rare-earth-japan-controls"]


def test_pattern_and_recursive(tmp_path: Path) -> None:
    copy([SEED], tmp_path)
    copy([DATA / "valid" / "lynas-texas-limbo.md"], tmp_path / "sub")
    (tmp_path / "notes.txt").write_text("not a story", encoding="utf-8")
    assert list(rm.load_dir(tmp_path)) == ["china-rare-earth-japan-controls", "lynas-texas-limbo"]
    assert list(rm.load_dir(tmp_path, recursive=False)) == ["china-rare-earth-japan-controls"]
    assert list(rm.load_dir(tmp_path, pattern="lynas-*.md")) == ["lynas-texas-limbo"]


def test_several_patterns_find_seed_files(tmp_path: Path) -> None:
    """The published seed pages are .txt files: a folder of them loads when asked."""
    seed = next((DATA / "seeds").glob("*.txt"))
    copy([seed], tmp_path)
    copy([DATA / "valid" / "lynas-texas-limbo.md"], tmp_path)
    assert list(rm.load_dir(tmp_path)) == ["lynas-texas-limbo"]
    assert list(rm.load_dir(tmp_path, pattern="*.txt")) == ["china-rare-earth-japan-controls"]
    both = rm.load_dir(tmp_path, pattern=["*.md", "*.txt"])
    assert list(both) == ["china-rare-earth-japan-controls", "lynas-texas-limbo"]
    assert both.path("china-rare-earth-japan-controls") == tmp_path / seed.name


@pytest.mark.parametrize("pattern", [[], [""], ["sub/*.md"]])
def test_patterns_that_cannot_match_a_name_are_refused(tmp_path: Path, pattern: list[str]) -> None:
    with pytest.raises(ValueError, match="pattern"):
        rm.load_dir(tmp_path, pattern=pattern)


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError):
        rm.load_dir(tmp_path / "nowhere")
    with pytest.raises(ValueError, match="errors must be"):
        rm.load_dir(tmp_path, errors="ignore")  # type: ignore[arg-type]


def test_from_stories_keys_by_slug() -> None:
    stories = [rm.load(path) for path in reversed(VALID)]
    corpus = rm.Corpus.from_stories(stories)
    assert list(corpus) == SLUGS
    assert corpus.path(SLUGS[0]) is None
    with pytest.raises(rm.CorpusError) as info:
        rm.Corpus.from_stories([stories[0], stories[0]])
    assert len(info.value.errors) == 2


def test_from_stories_with_paths_collects_clashes(tmp_path: Path) -> None:
    stories = [rm.load(SEED), rm.load(SEED), rm.load(VALID[0])]
    paths = [tmp_path / "a.md", tmp_path / "b.md", VALID[0]]
    corpus = rm.Corpus.from_stories(stories, paths=paths, errors="collect")
    assert list(corpus) == [rm.load(VALID[0]).slug]
    assert corpus.path(SLUGS[0]) == VALID[0]
    assert [(e.path, e.code) for e in corpus.errors] == [
        (str(tmp_path / "a.md"), "RB603"),
        (str(tmp_path / "b.md"), "RB603"),
    ]
    assert str(tmp_path / "b.md") in corpus.errors[0].msg
    with pytest.raises(ValueError, match="shorter"):
        rm.Corpus.from_stories(stories, paths=paths[:2])


def test_load_dir_restores_the_garbage_collector() -> None:
    import gc

    from tests.conftest import DATA

    assert gc.isenabled()
    rm.load_dir(DATA / "valid")
    assert gc.isenabled()
    gc.disable()
    try:
        rm.load_dir(DATA / "valid")
        assert not gc.isenabled()
    finally:
        gc.enable()
