"""The bundled corpus: valid files round-trip byte for byte, invalid ones fail where expected."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import NamedTuple

import pytest

import rbtfl_model as rm
from rbtfl_model import _lines
from tests.conftest import DATA, INVALID, VALID, read


def test_corpus_is_present() -> None:
    assert len(VALID) >= 6
    assert len(INVALID) >= 8


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_file_round_trips(path: Path) -> None:
    text = read(path)
    assert rm.dumps(rm.loads(text)) == text


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_dump_writes_identical_bytes(path: Path, tmp_path: Path) -> None:
    target = tmp_path / path.name
    rm.dump(rm.load(path), target)
    assert target.read_bytes() == path.read_bytes()


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_bytes_and_str_parse_alike(path: Path) -> None:
    assert rm.loads(path.read_bytes()) == rm.loads(read(path))


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_parsed_blocks_carry_the_tags_of_their_lines(path: Path) -> None:
    """The tag the parser recorded for each block renders to that block's own lines."""
    story = rm.load(path)
    assert story._layout is not None
    blocks = story._layout.map.blocks()
    assert blocks
    for block in blocks:
        rendered = _lines.render(_lines.Block(block.tag, "", 0), story._layout)
        assert [line.rstrip("\r\n") for line in block.lines] == rendered


class Expected(NamedTuple):
    """A row of ``invalid/expected.tsv``: where the error points and what it says."""

    line: int
    what_is_wrong: str
    #: The key phrase of *what_is_wrong* (quotes as the library writes them: ``'``) that the
    #: error message must contain.
    message_says: str


def _expected() -> dict[str, Expected]:
    with open(DATA / "invalid" / "expected.tsv", encoding="utf-8", newline="") as file:
        rows = csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {
            row["file"]: Expected(int(row["line"]), row["what is wrong"], row["message says"])
            for row in rows
        }


def test_every_invalid_file_has_an_expectation() -> None:
    assert sorted(_expected()) == [p.name for p in INVALID]


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_file_points_at_its_line(path: Path) -> None:
    line = _expected()[path.name].line
    with pytest.raises(rm.ParseError) as info:
        rm.load(path)
    error = info.value
    assert error.line == line
    assert error.path == str(path)
    assert error.column >= 1
    message = str(error)
    assert message.startswith(f"{path}:{line}:{error.column}: ")
    if path.stat().st_size:  # the offending line is shown, with a marker under it
        shown, marker = message.splitlines()[1:3]
        assert shown.startswith(f"{line:>5} | ")
        assert "^" in marker


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_loads_error_has_no_path(path: Path) -> None:
    with pytest.raises(rm.ParseError) as info:
        rm.loads(path.read_bytes())
    assert info.value.path is None
    assert str(info.value).startswith("<string>:")


def test_parse_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="expected a '# ' title"):
        rm.loads("no title\n")


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_message_says_what_is_wrong(path: Path) -> None:
    """The message says what the ``what is wrong`` column says, in its key phrase."""
    expected = _expected()[path.name]
    assert expected.message_says in expected.what_is_wrong.replace('"', "'")
    with pytest.raises(rm.ParseError) as info:
        rm.load(path)
    assert expected.message_says in info.value.msg


def test_quote_after_source_says_where_it_belongs() -> None:
    text = read(DATA / "valid" / "lynas-texas-limbo.md")
    quote = '  > "We are not going to pour concrete without a permit."\n'
    source = "  Source: https://www.afr.com/companies/mining/lynas-texas-2026\n"
    with pytest.raises(rm.ParseError) as info:
        rm.loads(text.replace(quote + source, source + quote))
    assert info.value.line == 36
    assert info.value.msg == (
        "quote line does not belong to a take: it must come before the Source line"
    )
