"""The parser's fast paths read exactly what its part-by-part readers read.

A pattern that reads a usual line in one call stands in for several string operations; the
part-by-part reader stays the definition (it is also what says what is wrong with a line).
Wherever the pattern matches, both must give the same parts.
"""

from __future__ import annotations

import datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from rbtfl_model import ParseError
from rbtfl_model._grammar import (
    CANONICAL_GOOD_LINE_RE,
    CANONICAL_LINE_RE,
    CANONICAL_URL_RE,
    META_USUAL_RE,
    RELATED_LIST_RE,
    RELATED_LIST_SEP,
    TAKE_START_RE,
)
from rbtfl_model._parser import _Parser
from rbtfl_model.model import Count, Meta

#: The characters a take line's parts are told apart by, and a few others.
_PIECES = st.sampled_from(
    ["-", " ", "\t", "*", "**", "(", ")", ",", ", ", "—", " — ", "a", "é", "한"]
)
_PART = st.lists(_PIECES, max_size=6).map("".join)


def _parser(line: str) -> _Parser:
    """A parser over *line* alone, to call one of its readers on it."""
    return _Parser(line, line.encode("utf-8", "surrogatepass"), None)


def _by_parts(line: str) -> tuple[str, str, str, str] | None:
    """What the part-by-part reader makes of *line* as a take's first line; None if refused."""
    parser = _parser(line)
    try:
        return parser.take_line(0)
    except ParseError:
        return None


@settings(max_examples=500)  # about one line in nine matches: check some 50 each run
@given(outlet=_PART, region=_PART, language=_PART, summary=_PART)
@example(outlet="A*", region="R", language="l", summary="s")  # "***": first "**" ends it
@example(outlet=" ", region="R", language="l", summary="s")  # a blank outlet
@example(outlet="O", region="a, b", language="c,d", summary="s")  # split at the last ", "
@example(outlet="O", region="R", language="l) — x", summary="s")  # the first ")" ends it
def test_take_start_pattern_reads_as_the_parts_do(
    outlet: str, region: str, language: str, summary: str
) -> None:
    line = f"- **{outlet}** ({region}, {language}) — {summary}"
    match = TAKE_START_RE.match(line)
    if match is not None:
        assert _by_parts(line) == (*match.groups(), line[match.end() :])


@given(st.lists(_PIECES, max_size=16).map("".join))
def test_take_start_pattern_on_any_line(tail: str) -> None:
    line = "- **" + tail
    match = TAKE_START_RE.match(line)
    if match is not None:
        assert _by_parts(line) == (*match.groups(), line[match.end() :])


def test_the_usual_take_line_takes_the_fast_path() -> None:
    line = "- **The Diplomat** (Japan/Asia-Pacific, en) — Analyses the [ban](/en/n/x)."
    match = TAKE_START_RE.match(line)
    assert match is not None
    assert match.groups() == ("The Diplomat", "Japan/Asia-Pacific", "en")
    assert _by_parts(line) == (
        "The Diplomat",
        "Japan/Asia-Pacific",
        "en",
        "Analyses the [ban](/en/n/x).",
    )


#: Pieces of a Related list: items, separators, and what a slug cannot hold.
_RELATED_PIECES = st.sampled_from(
    ["[[", "]]", "a", "b-c", ", ", ",", " ", "\t", "[", "]", "한", "\u3000"]
)


def _items(text: str) -> tuple[str, ...] | None:
    """What the item-by-item reader makes of *text* as a Related list; None if refused."""
    try:
        return _parser(text).related_items(text, 0, 1)
    except ParseError:
        return None


@settings(max_examples=500)
@given(st.lists(st.sampled_from(["a", "b-c", "한", "x.y"]), min_size=1, max_size=4))
def test_related_list_pattern_reads_every_good_list(slugs: list[str]) -> None:
    text = ", ".join(f"[[{slug}]]" for slug in slugs)
    assert RELATED_LIST_RE.fullmatch(text)
    assert tuple(text[2:-2].split(RELATED_LIST_SEP)) == _items(text) == tuple(slugs)


@given(st.lists(_RELATED_PIECES, max_size=12).map("".join))
def test_related_list_pattern_reads_as_the_items_do(text: str) -> None:
    if RELATED_LIST_RE.fullmatch(text):
        assert tuple(text[2:-2].split(RELATED_LIST_SEP)) == _items(text)


_URL_PIECES = st.sampled_from(
    [
        "Canonical: ",
        "https://",
        "http://",
        "rbtfl.xyz",
        "/",
        "ko",
        "en",
        "/n/",
        "slug-a",
        "?",
        "#",
        " ",
        "\t",
        "x",
    ]
)


@given(st.lists(_URL_PIECES, max_size=10).map("".join))
@example("Canonical: https://rbtfl.xyz/ko/n/slug-a/ \t")
@example("Canonical: https://rbtfl.xyz/ko/n/slug-a x")
def test_canonical_line_pattern_is_line_and_url_patterns_together(line: str) -> None:
    _same_canonical_reading(line)


def _same_canonical_reading(line: str) -> None:
    whole = CANONICAL_GOOD_LINE_RE.fullmatch(line)
    parts = CANONICAL_LINE_RE.fullmatch(line)
    url_ok = parts is not None and CANONICAL_URL_RE.fullmatch(parts["url"]) is not None
    assert (whole is not None) == url_ok
    if whole is not None and parts is not None:
        assert whole["url"] == parts["url"]


_PART_OF_URL = st.sampled_from(["ko", "slug-a", "", "a b", "a?b", "a#b", "a/b", "한"])


@given(
    st.sampled_from(["https://", "http://", "ftp://"]),
    _PART_OF_URL,
    _PART_OF_URL,
    _PART_OF_URL,
    st.sampled_from(["", "/", " ", "/ \t", " x", "//"]),
)
def test_canonical_line_pattern_on_url_shapes(
    scheme: str, host: str, locale: str, slug: str, tail: str
) -> None:
    _same_canonical_reading(f"Canonical: {scheme}{host}/{locale}/n/{slug}{tail}")


#: Pieces of a meta value: separators, digits, letters, blanks and dates good and bad.
_META_PIECES = st.sampled_from(
    ["·", " · ", " ", "\t", ", ", ",", ":", "a", "é", "한", "5", "2026-02-19", "2026-02-30"]
)
_META_VALUE = st.one_of(
    st.sampled_from(["story", "", "a b", "price shock, who pays", "장기전, 공급망"]),
    st.lists(_META_PIECES, max_size=5).map("".join),
)


def _by_segments(line: str) -> tuple[Meta, tuple[str, ...]] | None:
    """What the segment-by-segment reader makes of *line*, and its keys; None if refused."""
    parser = _parser(line)
    try:
        return parser.meta_segments(line, 0), tuple(parser.meta_order)
    except ParseError:
        return None


def _usual(line: str) -> tuple[Meta, tuple[str, ...]] | None:
    parser = _parser(line)
    meta = parser.usual_meta(line)
    return None if meta is None else (meta, tuple(parser.meta_order))


@settings(max_examples=500)
@given(
    type_=_META_VALUE,
    date=st.sampled_from(["2026-02-19", "2026-02-19", "2026-02-30", "2026-2-19", "x"]),
    heads=_META_VALUE,
    counts=st.lists(
        st.tuples(
            st.sampled_from(["0", "5", "007", "1" * 19]), st.sampled_from(["takes", "é", "a1"])
        ),
        max_size=3,
    ),
    tail=st.sampled_from(["", "", "", "", "", "", " ", " · ", " · k: v", "·"]),
)
@example(type_="story", date="2026-02-19", heads="a, , b", counts=[], tail="")  # empty head
@example(type_="story", date="2026-02-30", heads="a", counts=[], tail="")  # no such day
@example(type_="s ", date="2026-02-19", heads=" \t", counts=[("5", "takes")], tail="")
def test_usual_meta_pattern_reads_as_the_segments_do(
    type_: str, date: str, heads: str, counts: list[tuple[str, str]], tail: str
) -> None:
    segments = "".join(f" · {number} {noun}" for number, noun in counts)
    line = f"**Meta:** type: {type_} · date: {date} · heads: {heads}{segments}{tail}"
    usual = _usual(line)
    if usual is not None:  # the pattern read it: it must read what the segments read
        assert usual == _by_segments(line)
    elif META_USUAL_RE.fullmatch(line) is None:
        return
    else:  # matched, then refused for a bad value: the segments' reader must refuse it too
        assert _by_segments(line) is None


def test_a_meta_line_of_many_counts_is_read_by_segments() -> None:
    line = "**Meta:** type: story · date: 2026-02-19 · heads: a" + " · 1 take" * 17
    assert META_USUAL_RE.fullmatch(line)
    assert _usual(line) is None  # its keys past "#15" are not in the table of usual keys
    read = _by_segments(line)
    assert read is not None
    assert len(read[0].counts) == 17
    assert read[1][-1] == "#16"


def test_the_usual_meta_line_takes_the_fast_path() -> None:
    line = "**Meta:** type: story · date: 2026-02-19 · heads: 장기전, 공급망 · 3 takes · 2 lenses"
    expected = Meta(
        "story",
        datetime.date(2026, 2, 19),
        ("장기전", "공급망"),
        (),
        (Count(3, "takes"), Count(2, "lenses")),
    )
    assert _usual(line) == _by_segments(line) == (expected, ("type", "date", "heads", "#0", "#1"))
