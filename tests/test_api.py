"""The public API: what ``rbtfl_model`` exports, and that each export is documented."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

import rbtfl_model as rm


def _isort_order(name: str) -> tuple[int, str]:
    """ruff's order for ``__all__`` (RUF022): constants, then classes, then the rest."""
    if name.isupper():
        return 0, name
    return (1, name) if name[:1].isupper() else (2, name)


def test_all_is_sorted_and_complete() -> None:
    assert list(rm.__all__) == sorted(rm.__all__, key=_isort_order)
    for name in rm.__all__:
        assert hasattr(rm, name), name


def _public_members(obj: object) -> list[tuple[str, object]]:
    members: list[tuple[str, object]] = []
    for name, value in vars(obj).items():
        if name.startswith("_"):
            continue
        if isinstance(value, property):
            value = value.fget
        if inspect.isfunction(value) or isinstance(value, (classmethod, staticmethod)):
            members.append((name, value))
    return members


@pytest.mark.parametrize("name", [n for n in rm.__all__ if n != "__version__"])
def test_every_public_name_has_a_docstring(name: str) -> None:
    obj = getattr(rm, name)
    if not (inspect.isclass(obj) or inspect.isfunction(obj)):
        return  # type aliases and constants are documented where they are defined
    assert inspect.getdoc(obj), name
    if inspect.isclass(obj):
        for member, value in _public_members(obj):
            assert inspect.getdoc(value), f"{name}.{member}"


def test_import_needs_no_optional_dependency() -> None:
    import subprocess
    import sys

    code = (
        "import sys, rbtfl_model\n"
        "print(sorted(m for m in ('pandas', 'networkx', 'jsonschema') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_import_loads_no_heavy_package() -> None:
    """mistletoe, cattrs and pyyaml load on first use of links, interchange or YAML."""
    heavy = ("mistletoe", "cattrs", "yaml", "pandas", "networkx")
    code = f"import sys, rbtfl_model; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_lazy_names_resolve_to_their_modules() -> None:
    """A name that loads on first use is the same object as in its module."""
    from rbtfl_model import corpus, interchange

    assert rm.load_dir is corpus.load_dir
    assert rm.to_json is interchange.to_json
    assert set(rm.__all__) <= set(dir(rm))
    with pytest.raises(AttributeError, match="no_such_name"):
        rm.no_such_name  # noqa: B018  # the lookup is what is tested


def test_max_count_is_exported_and_is_the_bound_loads_enforces() -> None:
    from rbtfl_model import model

    assert "MAX_COUNT" in rm.__all__
    assert rm.MAX_COUNT is model.MAX_COUNT
    head = "# Counts\n> Deck\n\n**Meta:** type: story · "
    story = rm.loads(f"{head}{rm.MAX_COUNT} takes\n")
    assert story.meta.counts[0].number == rm.MAX_COUNT
    with pytest.raises(rm.ParseError, match="count"):
        rm.loads(f"{head}{rm.MAX_COUNT + 1} takes\n")
