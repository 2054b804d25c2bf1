"""The API reference lists the public names and renders the docstrings' cross-references."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest

import rbtfl_model as rm

ROOT = Path(__file__).parent.parent
API = ROOT / "docs" / "api.md"
EXTENSION = ROOT / "tools" / "griffe_sphinx_roles.py"


def test_the_reference_lists_every_public_name_once() -> None:
    text = API.read_text(encoding="utf-8")
    table = text.split("## ", 1)[0]
    listed = re.findall(r"\[`(\w+)`\]\[rbtfl_model\.[\w.]+\]", table)
    public = set(rm.__all__) - {"__version__"}
    assert set(listed) == public
    assert len(listed) == len(public) + 1  # CorpusError is under folders and errors


def test_no_private_module_path_heads_an_entry() -> None:
    directives = re.findall(r"^::: (\S+)$", API.read_text(encoding="utf-8"), re.MULTILINE)
    assert "rbtfl_model.loads" in directives
    assert [d for d in directives if "._" in d] == []


@pytest.fixture(scope="module")
def package() -> Any:
    griffe = pytest.importorskip("griffe")
    spec = importlib.util.spec_from_file_location("griffe_sphinx_roles", EXTENSION)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return griffe.load(
        "rbtfl_model",
        search_paths=[str(ROOT / "src")],
        extensions=griffe.load_extensions(module.SphinxRoles()),
    )


def test_no_sphinx_role_is_left_in_a_docstring(package: Any) -> None:
    left = []
    stack = [package]
    while stack:
        obj = stack.pop()
        if obj.docstring is not None and re.search(r":\w+:`", obj.docstring.value):
            left.append(obj.path)
        stack += [m for m in obj.members.values() if not m.is_alias]
    assert left == []


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("_parser.load", "[`ParseError`][rbtfl_model.errors.ParseError]"),
        ("_renderer.dump", "[`dumps`][rbtfl_model.dumps]"),  # the public name
        ("_renderer.dump", "`FileNotFoundError`"),  # not ours: code, no link
        ("corpus.Corpus", "[`from_stories`][rbtfl_model.corpus.Corpus.from_stories]"),
        ("graph", "[`shortest_path`][rbtfl_model.graph.StoryGraph.shortest_path]"),
        ("model.Story", "`attrs.evolve`"),
    ],
)
def test_roles_become_cross_references(package: Any, path: str, expected: str) -> None:
    assert expected in package[path].docstring.value
