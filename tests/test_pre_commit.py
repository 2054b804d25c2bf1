"""The hooks of .pre-commit-hooks.yaml, run by pre-commit itself on a temporary repository.

pre-commit would build a virtual environment for ``language: python`` hooks from the
repository; the test runs the same hook entries, file filters and batching as a ``local``
hook with ``language: system``, using the ``rbtfl`` installed beside this Python.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import rbtfl_model as rm
from tests.conftest import DATA, SEED, read

ROOT = Path(__file__).parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
COUNT_WRONG = DATA / "valid" / "us-minerals-price-floor-allies.md"  # CRLF, 3 takes of 2

pytest.importorskip("pre_commit")
if shutil.which("git") is None:
    pytest.skip("pre-commit needs git", allow_module_level=True)


def hooks() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with a config running our hooks as local system hooks."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    local = [{**hook, "language": "system"} for hook in hooks()]
    config = {"repos": [{"repo": "local", "hooks": local}]}
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (root / "stories").mkdir()
    shutil.copy(SEED, root / "stories" / SEED.name)
    (root / "notes.txt").write_text("not a story, and not matched\n", encoding="utf-8")
    return root


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def pre_commit(root: Path, *hook: str) -> subprocess.CompletedProcess[str]:
    git(root, "add", "-A")
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
        "PRE_COMMIT_HOME": str(root.parent / "pre-commit-home"),
        "PRE_COMMIT_COLOR": "never",
    }
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", *hook],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_manifest_offers_check_and_fmt() -> None:
    by_id = {hook["id"]: hook for hook in hooks()}
    assert set(by_id) == {"rbtfl-check", "rbtfl-fmt"}
    assert by_id["rbtfl-check"]["entry"] == "rbtfl check"
    assert by_id["rbtfl-fmt"]["entry"] == "rbtfl fmt"
    assert all(hook["language"] == "python" for hook in hooks())
    assert by_id["rbtfl-check"]["require_serial"] is True


def test_hooks_pass_on_clean_stories(repo: Path) -> None:
    result = pre_commit(repo)
    assert result.returncode == 0, result.stdout
    assert "rbtfl check" in result.stdout
    assert "Passed" in result.stdout


def test_check_hook_fails_on_a_broken_story(repo: Path) -> None:
    (repo / "stories" / "bad.md").write_bytes((DATA / "invalid" / "bad-date.md").read_bytes())
    result = pre_commit(repo, "rbtfl-check")
    assert result.returncode == 1
    assert "stories/bad.md:4:31: RB001 date 2026-02-30 is not a calendar date" in result.stdout


def test_check_hook_finds_duplicate_slugs_across_files(repo: Path) -> None:
    shutil.copy(SEED, repo / "stories" / "copy.md")
    result = pre_commit(repo, "rbtfl-check")
    assert result.returncode == 1
    assert result.stdout.count(": RB603 slug 'china-rare-earth-japan-controls'") == 2


def test_fmt_hook_rewrites_and_keeps_line_endings(repo: Path) -> None:
    target = repo / "stories" / COUNT_WRONG.name
    shutil.copy(COUNT_WRONG, target)
    result = pre_commit(repo, "rbtfl-fmt")
    assert result.returncode == 1  # pre-commit fails a hook that changed files
    assert "files were modified by this hook" in result.stdout
    assert rm.load(target) == rm.recount(rm.load(COUNT_WRONG))
    assert read(target).count("\r\n") == read(COUNT_WRONG).count("\r\n")
    assert pre_commit(repo, "rbtfl-fmt").returncode == 0  # formatted now
