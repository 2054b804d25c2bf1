"""What users get: the wheel and sdist (LICENSE, metadata), and a README whose code runs."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"

pytest.importorskip("hatchling")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel and sdist, built from this checkout."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-d", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return out


def wheel_files(dist: Path) -> dict[str, bytes]:
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_license_ships_in_wheel_and_sdist(dist: Path) -> None:
    license_text = (ROOT / "LICENSE").read_bytes()
    assert license_text.startswith(b"MIT License")
    files = wheel_files(dist)
    assert [data for name, data in files.items() if name.endswith("/licenses/LICENSE")] == [
        license_text
    ]
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        (member,) = [m for m in archive.getmembers() if m.name.endswith("/LICENSE")]
        extracted = archive.extractfile(member)
        assert extracted is not None
        assert extracted.read() == license_text


def test_metadata_says_mit_and_the_tested_versions(dist: Path) -> None:
    (metadata,) = [
        data.decode() for name, data in wheel_files(dist).items() if name.endswith("/METADATA")
    ]
    assert "License-Expression: MIT" in metadata.splitlines()
    classifiers = re.findall(r"^Classifier: (.*)$", metadata, re.MULTILINE)
    assert "Programming Language :: Python :: 3.10" in classifiers
    assert "Programming Language :: Python :: 3.11" in classifiers
    assert "Topic :: Text Processing :: Markup :: Markdown" in classifiers
    assert "Requires-Python: >=3.10" in metadata.splitlines()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "3.10" in ci  # the oldest classifier is the version CI also runs


def test_the_installed_wheel_runs_the_command_line(dist: Path, tmp_path: Path) -> None:
    """Unpacked, the wheel alone (not this checkout) provides rbtfl_model and its CLI."""
    (wheel,) = dist.glob("*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    env = {"PYTHONPATH": str(site), "PATH": ""}
    where = subprocess.run(
        [sys.executable, "-c", "import rbtfl_model; print(rbtfl_model.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(site)
    assert (site / "rbtfl_model" / "story.schema.json").is_file()
    stories = str(ROOT / "examples" / "stories")
    script = "import sys, _rbtfl_cli; sys.exit(_rbtfl_cli.main())"  # as the rbtfl script runs
    for command in (["-m", "rbtfl_model"], ["-c", script]):
        check = subprocess.run(
            [sys.executable, *command, "check", stories],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert (check.returncode, check.stderr) == (0, ""), command
    entry_points = [data for name, data in wheel_files(dist).items() if name.endswith(".txt")]
    assert b"rbtfl = _rbtfl_cli:main" in b"".join(entry_points)


def test_readme_paths_exist_in_a_clone_and_the_sdist(dist: Path) -> None:
    text = README.read_text(encoding="utf-8")
    paths = set(re.findall(r"\b((?:examples|tests|docs|benchmarks)/[\w./-]*\w)", text))
    assert "examples/stories/lynas-texas-limbo.md" in paths
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for path in sorted(paths):
        assert (ROOT / path).exists(), path
        assert path in names or any(name.startswith(path + "/") for name in names), path


def test_readme_python_runs_from_a_clone(tmp_path: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) >= 3
    code = "\n".join(blocks).replace('"/tmp/story.md"', repr(str(tmp_path / "story.md")))
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert "RB401 10 24 entity link to 'lynas-malaysia'" in result.stdout
    assert "\n()\n" in result.stdout  # the seed validates clean
