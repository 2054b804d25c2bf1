"""The fast path for plain links, against mistletoe, the definition of what a link is.

``_fastlinks.plain_links`` either declines a fragment (None: mistletoe reads it) or gives
exactly mistletoe's links. A property test compares the two on link shapes with special
characters inserted; hand-written cases pin each construct. Under the ``thorough``
profile the property test runs five times that profile's examples (100,000).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mistletoe import span_token, span_tokenizer

import rbtfl_model as rm
from benchmarks import hostile
from rbtfl_model import _fastlinks, _inline, links

Found = list[tuple[int, str, str, str | None]]


def mistletoe_links(fragment: str) -> Found:
    """The links mistletoe's inline parser finds in a fragment small enough to give it."""
    assert _inline._is_small(fragment)
    (found,) = _inline.inline_links([fragment])
    return [(link.start, link.text, link.target, link.title) for link in found]


# -- hand-written: one case per construct ---------------------------------------------------

#: fragment, then whether the fast path reads it itself
CONSTRUCTS = {
    "no-links": ("plain prose, no brackets at all", True),
    "brackets-without-links": ("a [note] and [another]", True),
    "plain-link": ("see [Lynas](/ko/n/lynas-texas-limbo) now", True),
    "two-links": ("[a](/ko/n/a), [b](/ko/entity/b)", True),
    "empty-text": ("[](/ko/n/a)", True),
    "title": ('[JOGMEC](/en/entity/jogmec "Japan Organization")', True),
    "title-single-quotes": ("[a](/b 'c')", False),
    "title-parentheses": ("[a](/b (c))", False),
    "balanced-parens": ("[X](https://en.wikipedia.org/wiki/X_(y))", True),
    "unbalanced-parens": ("[X](a(b)", True),  # no ")" balances the first "(": no link
    "escape-in-text": (r"[a \[b\]](/ko/n/b)", False),
    "escaped-bracket": (r"\[not a link\](/ko/n/a)", True),
    "escape-in-target": (r"[a](/ko/n/a\_b)", False),
    "entity-in-text": ("[caf&eacute;](/en/entity/cafe)", False),
    "entity-in-target": ("[a](/en/entity/caf&#233;)", True),
    "entity-in-title": ('[a](/b "&amp;")', False),
    "code-span": ("`[x](/ko/n/x)` is code", True),
    "code-span-elsewhere": ("`a` then [x](/ko/n/x)", True),
    "autolink": ("<https://rbtfl.xyz/en/n/s>", True),
    "email-autolink": ("write to <me@example.com>", True),
    "raw-html": ('<span title="[x](/ko/n/x)">hi</span>', False),
    "image": ("![a chart](/img/c.png)", False),
    "link-in-image": ("![a [b](/c)](/d)", False),
    "strikethrough-over-target": ("[a](b~~c)~~", False),
    "strikethrough": ("~~[a](/b)~~", False),
    "single-tilde": ("[a~](/b~c)~", True),
    "nested-brackets": ("[a [b](/c)](/d)", False),
    "link-in-brackets": ("[see [b](/c)]", False),
    "emphasis-in-text": ("[*NdPr* oxide](/en/entity/ndpr-oxide)", False),
    "emphasis-around": ("*an [emphatic](/ko/entity/e) link* and **[strong](/ko/n/s)**", True),
    "underscore-in-target": ("[a](/ko/n/a_b_c)", True),
    "bang-before-bracket": ("[a!](b)[c](d)", False),  # mistletoe misses the second link
    "bang-in-title": ('[a](b "c!")[d](e)', True),
    "reference-style": ("[x][label] and [label]", True),  # no "](": no definitions here
    "space-in-parens": ("[a]( b )", False),
    "angle-destination": ("[a](<b c>)", False),
    "line-break-in-text": ("[a\nb](/c)", False),
    "line-break-after": ("[a](/b)\n[c](/d)", True),
    "hard-break": ("x  \n[a](/b)", True),
    "unicode-space-in-target": ("[a](b\xa0c)", False),
    "control-in-target": ("[a](b\x01c)", False),
    "korean": ("[고려아연](/ko/entity/고려아연)", True),
    "percent-encoded": ("[a](/ko/entity/%EA%B3%A0)", True),
    "bracket-in-target": ("[a](b[c])", False),
    "stray-close": ("a] [b](c)", False),
    "escaped-angle": (r"\<span title='[x](/y)'>", False),
    "html-in-code": ("`<!--` [x](/y) -->", False),
    "autolink-in-code": ("`<https://a.b>` [x](/y)", True),
    "autolink-across-code": ("`a <https://a.b` [x](/y)>", False),
    "bang-before-code": ("!`a` [x](/y)", False),
    "bang-before-escape": ("!\\[[x](/y)", False),
    "escaped-backtick": ("\\`[x](/y)`", True),
    # dead ends: "[text]" that mistletoe makes no link of, its brackets then text
    "dead-end-reference": ("[x][label] then [b](/c)", True),
    "dead-end-unclosed": ("[b](/c) [a](/ko/n/a", True),
    "dead-end-at-space": ("[a](xxx and [b](/c)", True),
    "dead-end-unbalanced": ("[a](x(y) [b](/c)", True),
    "dead-end-no-title": ("[a](x y) [b](/c)", True),
    "dead-end-space-first": ("[a]( [b](/c)", True),
    "dead-end-runs": ("[a](xx[a](xx[a](xx)", True),  # paragraphs-at-limit, closed at the end
    "dead-end-paragraphs": ("[a](x[a](x\n\n[b](/c)", True),
    "not-dead-title": ('[a](x[y] "t")', False),  # a link, with a bracket in its destination
    "not-dead-paren": ("[a](x[y] )", False),
    "not-dead-empty": ("[a]() [b](/c)", False),
    "not-dead-angle": ("[a](<x y>", False),
    "not-dead-escape": ("[a](x\\) [b](/c)", False),
    "seed-summary": (
        "the term `reference price` and the [Japan controls](/en/n/japan) "
        "\\(see <https://rbtfl.xyz/en/n/ndpr>\\) and **price floor**",
        True,
    ),
}


@pytest.mark.parametrize(("fragment", "fast"), CONSTRUCTS.values(), ids=CONSTRUCTS)
def test_construct(fragment: str, fast: bool) -> None:
    plain = _fastlinks.plain_links(fragment)
    assert (plain is not None) is fast
    if plain is not None:
        assert plain == mistletoe_links(fragment)
    assert links.scan([fragment]) == [mistletoe_links(fragment)]


def test_constructs_find_links() -> None:
    """The cases are not vacuous: most of them hold links, fast or not."""
    found = [mistletoe_links(fragment) for fragment, _ in CONSTRUCTS.values()]
    assert sum(1 for links_found in found if links_found) >= 30


@pytest.mark.parametrize("name", ["paragraphs-at-limit", "paragraphs-closed-at-limit"])
def test_hostile_paragraph_is_read_fast_as_mistletoe_reads_it(name: str) -> None:
    """A paragraph of "[a](xxx..." units, as much as mistletoe is given: it scans to the end at
    each "](" (60 ms); the fast path proves each unit a dead end in constant time."""
    summary = rm.loads(hostile.SHAPES[name].build(8_000)).summary
    assert summary is not None
    (paragraph,) = summary.split("\n\n")
    plain = _fastlinks.plain_links(paragraph)
    assert plain is not None
    assert plain == mistletoe_links(paragraph)


# -- the property: link shapes with special characters inserted --------------------------

#: Characters and strings that mean something to an inline parser.
SPECIALS = (
    "\\", "\\[", "\\]", "\\\\", "`", "``", "<", ">", "~~", "~", "!", "![", "&amp;", "&#233;",
    "&", ";", "*", "**", "_", "[", "]", "(", ")", '"', "'", " ", "\n", "  \n", "\t", "\xa0",
    "\x01", "#", "%41", "<me@example.com>", "<https://x.y/z>", "<b>", "<!-- c -->", "](",
)  # fmt: skip
_WORD = st.text(alphabet="ab XY가é-/.:?=%", max_size=6)
_PART = st.one_of(_WORD, _WORD, _WORD, st.sampled_from(SPECIALS))
_CHUNK = st.lists(_PART, max_size=4).map("".join)
LINK_FORMS = (
    "[{t}]({d})", "[{t}]({d})", "[{t}]({d})", '[{t}]({d} "{x}")', "[{t}]({d} '{x}')",
    "[{t}]({d} ({x}))", "[{t}](<{d}>)", "![{t}]({d})", "<{d}>", "[{t}][{d}]", "[{t}]",
    "[{t} [{x}]({d})]({d})", "*[{t}]({d})*", "~~[{t}]({d})~~", "`[{t}]({d})`",
    "[{t}]({d}", "[{t}]({d} {x}", "[{t}]({d}({x}) {x}", "[{t}]( {d}[{x}]({d})",
)  # fmt: skip
_LINK = st.builds(
    lambda form, t, d, x: form.format(t=t, d=d, x=x),
    st.sampled_from(LINK_FORMS),
    _CHUNK,
    _CHUNK,
    _CHUNK,
)
#: Any mix of links, text and specials: mostly declined, which must be declined rightly.
MIXED = st.lists(st.one_of(_LINK, _LINK, _PART), max_size=8).map("".join)

_TEXT = st.text(alphabet="ab XY가é-.:?=%'\"()", max_size=6)
_DEST = st.one_of(
    st.text(alphabet="ab가é-/.:?=%#_~*", min_size=1, max_size=8),
    st.builds("{}({}){}".format, _WORD, _WORD, _WORD).map(lambda d: d.replace(" ", "")),
)
_PLAIN_LINK = st.one_of(
    st.builds("[{}]({})".format, _TEXT, _DEST),
    st.builds('[{}]({} "{}")'.format, _TEXT, _DEST, _TEXT.map(lambda x: x.replace('"', ""))),
)
_PLAIN = st.lists(st.one_of(_PLAIN_LINK, _PLAIN_LINK, _TEXT), max_size=6).map("".join)


@st.composite
def _inserted(draw: st.DrawFn) -> str:
    """A fragment of plain links with up to two specials inserted anywhere."""
    fragment = draw(_PLAIN)
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(fragment)))
        fragment = fragment[:at] + draw(st.sampled_from(SPECIALS)) + fragment[at:]
    return fragment


#: Link openings whose destinations may never close, among the characters that close them.
DEAD_ENDS = st.lists(
    st.one_of(
        st.sampled_from(["[a](", "[](", "[a b]( ", "[a]", "](", "[x](y)", "[a](b c)"]),
        st.sampled_from(["(", ")", " ", "\n", "\n\n", '"', "'", "[", "]", "x", "<", ">"]),
        st.sampled_from(["\\", "`", "*", "<a@b.c>", "\t", "\x0b", "\xa0", "\x01"]),
        _PLAIN_LINK,
    ),
    max_size=12,
).map("".join)

#: Runs of dead ends ("[a](x" after "[a](x"), with what ends or breaks a run among them.
DEAD_RUNS = st.lists(
    st.one_of(
        st.sampled_from(["[a](x", "[a](x", "[](", "[a](", "[a b](x", "[(](x", "[a](x(", "[a]"]),
        st.sampled_from([")", ")", " ", "\n\n", ' "t")', " x", "(", "\\", "`", "<", "]"]),
    ),
    max_size=16,
).map("".join)

FRAGMENTS = st.one_of(_inserted(), MIXED, DEAD_ENDS, DEAD_RUNS)


def _examples() -> int:
    """The profile's examples, five times over when it is thorough: 100,000 then."""
    examples = settings().max_examples  # the profile loaded now, not at import
    return 5 * examples if examples >= 20_000 else examples


def test_fast_path_agrees_with_mistletoe() -> None:
    """300 examples by default (a few seconds); 100,000 under the thorough profile."""
    tally = {"fast": 0, "declined": 0, "links": 0}

    @settings(max_examples=_examples())
    @given(FRAGMENTS)
    def check(fragment: str) -> None:
        plain = _fastlinks.plain_links(fragment)
        if plain is None:
            tally["declined"] += 1
            return
        tally["fast"] += 1
        tally["links"] += len(plain)
        assert plain == mistletoe_links(fragment)

    check()
    print(f"fast path: {tally}")  # shown with -s: the thorough run's figures
    # the property is not vacuous: the fast path reads many examples, links among them
    assert tally["fast"] >= tally["declined"] // 4
    assert tally["links"] >= tally["fast"] // 4


def _one_at_a_time(fragment: str) -> list[_fastlinks.PlainLink] | None:
    """plain_links with each dead end proven alone, as before runs were read whole."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_fastlinks._Destinations, "dead_run", lambda self, at: at)
        return _fastlinks.plain_links(fragment)


#: fragment, then how many "[" of it begin dead ends proven a run at a time
RUNS = {
    "open": ("[a](x[a](x[a](x", 3),  # all three: the last is asked alone, as its own run
    "closed": ("[a](x[a](x[a](x)", 1),  # the ")" may balance the second's "(": one proven
    "closed-twice": ("[a](x[a](x[a](x))", 0),  # two ")" may balance the first
    "closed-after-space": ("[a](x[a](x[a](x y)", 2),  # the destination ends at the space
    "title-after": ('[a](x[a](x[a](x "t")', 0),  # a title may follow: mistletoe decides
    "paragraphs": ("[a](x[a](x)\n\n[a](x[a](x)", 0),  # ")" before each run's whitespace
    "backslash-after": ("[a](x[a](x\\ [b](c)", 0),  # mistletoe reads it
    "parenthesis-in-text": ("[(](x[a](x[a](x [b](c)", 1),  # "(" in text: no run there
}


@pytest.mark.parametrize(("fragment", "proven"), RUNS.values(), ids=RUNS)
def test_dead_runs(fragment: str, proven: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run of dead ends is proven as each of its units would be alone, and as mistletoe
    reads it; *proven* counts the units the run step itself proves."""
    asked: list[int] = []
    dead_end = _fastlinks._Destinations.dead_end

    def counted(self: Any, after: int) -> bool:
        asked.append(after)
        return dead_end(self, after)

    monkeypatch.setattr(_fastlinks._Destinations, "dead_end", counted)
    found = _fastlinks.plain_links(fragment)
    monkeypatch.undo()
    units = fragment.count("[")
    assert found == _one_at_a_time(fragment)
    if found is not None:
        assert found == mistletoe_links(fragment)
        assert units - len(found) - len(asked) == proven


def test_dead_runs_agree_with_one_at_a_time() -> None:
    """The run step changes no answer: 300 examples; 100,000 under the thorough profile."""
    tally = {"fast": 0, "links": 0}

    @settings(max_examples=_examples())
    @given(st.one_of(DEAD_RUNS, DEAD_ENDS))
    def check(fragment: str) -> None:
        found = _fastlinks.plain_links(fragment)
        assert found == _one_at_a_time(fragment)
        if found is not None:
            tally["fast"] += 1
            tally["links"] += len(found)

    check()
    print(f"dead runs: {tally}")
    assert tally["links"] >= tally["fast"] // 4


# -- the resolved URL ---------------------------------------------------------------------

#: destination as written, the URL it resolves to (as mistletoe resolves it too)
RESOLVED = {
    "plain": ("/en/n/a-b", "/en/n/a-b"),
    "escaped-hyphen": (r"/en/n/china\-rare\-earth", "/en/n/china-rare-earth"),
    "escaped-backslash": (r"/a\\b", "/a\\b"),
    "not-punctuation": (r"/a\b", "/a\\b"),
    "decimal": ("/en/entity/caf&#233;", "/en/entity/café"),
    "hex": ("/en/entity/caf&#xE9;", "/en/entity/café"),
    "named": ("/f&ouml;&ouml;", "/föö"),
    "amp": ("/a?b=1&amp;c=2", "/a?b=1&c=2"),
    "unknown-name": ("/a&bogus;b", "/a&bogus;b"),
    "no-semicolon": ("/a&amp", "/a&amp"),
    "percent-kept": ("/ko/entity/%EA%B3%A0", "/ko/entity/%EA%B3%A0"),
    "zero": ("/a&#0;", "/a\ufffd"),
}


def _mistletoe_target(destination: str) -> str:
    tokens: Any = span_tokenizer.tokenize(  # type: ignore[no-untyped-call]
        f"[x]({destination})",
        [span_token.EscapeSequence, span_token.CoreTokens, span_token.RawText],
    )
    assert isinstance(tokens[0], span_token.Link)
    return str(tokens[0].target)


@pytest.mark.parametrize(("written", "url"), RESOLVED.values(), ids=RESOLVED)
def test_resolved_url(written: str, url: str) -> None:
    assert links.resolve_url(written) == url
    assert rm.Link("x", written).url == url
    assert _mistletoe_target(written) == url


#: where mistletoe's html.unescape departs from CommonMark, which the URL follows
DEPARTURES = {
    "escaped-ampersand": (r"/a\&amp;b", "/a&amp;b", "/a&b"),  # mistletoe decodes twice
    "legacy-prefix": ("/a&copyx;", "/a&copyx;", "/a©x;"),  # no such name; HTML's old rule
}


@pytest.mark.parametrize(("written", "url", "theirs"), DEPARTURES.values(), ids=DEPARTURES)
def test_resolved_url_follows_commonmark(written: str, url: str, theirs: str) -> None:
    assert links.resolve_url(written) == url
    assert _mistletoe_target(written) == theirs


# -- paragraphs too long to give mistletoe -------------------------------------------------

_FILLER = "Prices rose again, and the talks went on. " * 220  # past INLINE_LIMIT

#: what sits at the end of a long paragraph: mistletoe, asked anyway, finds these links
LONG_CASES = {
    "plain-links": '[a](/ko/n/a) and [b](/ko/entity/b "B")',
    "image": "![chart](/c.png) and [a](/ko/n/a)",
    "email-autolink": "write to <me@example.com> or <https://rbtfl.xyz/en/n/x>",
    "escaped-bracket": r"\[not a link](/ko/n/a) but [a](/ko/n/b)",
    "code-span-apart": "`code` then [a](/ko/n/a)",
    "html-apart": "<b>bold</b> then [a](/ko/n/a)",
    "angle-destination": "[a](<b c>) and [d](/e 'f')",
}


def _mistletoe_unbounded(fragment: str) -> Found:
    """mistletoe's own links of *fragment*, however long: only for inputs it is fast on."""
    (tokens,) = _inline._tokenize_all([fragment])
    return [(link.start, link.text, link.target, link.title) for link in _inline._links(tokens)]


@pytest.mark.parametrize("tail", LONG_CASES.values(), ids=LONG_CASES)
def test_long_paragraph_links_are_mistletoes(tail: str) -> None:
    paragraph = _FILLER + tail
    assert not _inline._is_small(paragraph)
    (found,) = _inline.inline_links([paragraph])
    assert [(link.start, link.text, link.target, link.title) for link in found] == (
        _mistletoe_unbounded(paragraph)
    )
    assert found  # every case holds a link


# -- the search that defines links in paragraphs over the limits ----------------------------

#: ``LONG_LINK_RE`` as issue 14 wrote it, the definition of an over-limit paragraph's links.
#: The library's pattern is rewritten so that each alternative begins with one literal (the
#: search then skips other characters at C speed) and takes a run of "[" in one step; this
#: one, with its optional "!" first, tries every position, and stays the reference.
REFERENCE_LONG_LINK_RE = re.compile(
    r"""
    \\[^\n]
    | (?P<image>!)?
    \[(?P<text>[^\[\]\n]*)\]
    \((?P<dest><[^<>\n]*>|[^\s()<>]*)
    (?:[ \t\n]+(?P<title>"[^"\n]*"|'[^'\n]*'))?
    [ \t]*\)
    | <(?P<auto>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^ <>]*?)>
    | <(?P<email>[A-Za-z0-9.!\#$%&'*+/=?^_`{|}~-]+
      @[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?
      (?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>
    """,
    re.VERBOSE,
)


def reference_searched(text: str) -> Found:
    """The links the reference pattern finds, read as ``_inline._long_links`` read them."""
    found: Found = []
    for match in REFERENCE_LONG_LINK_RE.finditer(text):
        if match["image"] is not None or match[0].startswith("\\"):
            continue
        auto = match["auto"] if match["auto"] is not None else match["email"]
        if auto is not None:
            found.append((match.start(), auto, auto, None))
        elif match["text"] is not None:
            dest = match["dest"]
            target = dest[1:-1] if dest.startswith("<") else dest
            title = match["title"][1:-1] if match["title"] else None
            found.append((match.start(), match["text"], target, title))
    return found


def searched(text: str) -> Found:
    return [(k.start, k.text, k.target, k.title) for k in _inline._searched_links(text)]


#: text, then the links the search finds in it
SEARCHED = {
    "run-then-link": ("[[[x](/a)", [(2, "x", "/a", None)]),
    "nested-links": ("[[[x](/a)](/b)](/c)", [(2, "x", "/a", None)]),
    "nested-text": ("[[[x]]](/a)", []),
    "bang-before-run": ("![[x](/a)", [(2, "x", "/a", None)]),
    "image": ("![x](/a) [y](/b)", [(9, "y", "/b", None)]),
    "image-then-run": ("![x](/a)[[y](/b)", [(9, "y", "/b", None)]),
    "escaped-run": ("\\[[x](/a)", [(2, "x", "/a", None)]),
    "escaped-bracket": ("\\[x](/a)", []),
    "run-in-destination": ("[a](b[[c)", [(0, "a", "b[[c", None)]),
    "run-in-title": ('[a](b "[[c")', [(0, "a", "b", "[[c")]),
    "angle-destination": ("[[a](<b c>)", [(1, "a", "b c", None)]),
    "autolink-after-run": ("[[<https://x.y>", [(2, "https://x.y", "https://x.y", None)]),
    "email": ("[[<me@example.com>]", [(2, "me@example.com", "me@example.com", None)]),
    "line-break-in-text": ("[[a\nb](/c)", []),
}


@pytest.mark.parametrize(("text", "expected"), SEARCHED.values(), ids=SEARCHED)
def test_searched_links(text: str, expected: Found) -> None:
    assert searched(text) == expected
    assert reference_searched(text) == expected


@pytest.mark.parametrize(
    "name", ["nested-link-text", "nested-links", "backtick-runs-summary", "bracket-pairs-summary"]
)
def test_hostile_shapes_searched_as_the_reference_searches(name: str) -> None:
    text = hostile.SHAPES[name].build(20_000)
    assert searched(text) == reference_searched(text)


#: The characters of over-limit paragraphs' syntax, and strings that make matches likely.
_SEARCH_ALPHABET = [
    *"[]()!<>\\` x/\"\n",
    "](", "[x](y)", "[[", "\t", "'", "<a@b.c>", "<h:x>", "(<", ">)", ' "t"', "\\[", "![",
]  # fmt: skip
SEARCH_TEXTS = st.lists(st.sampled_from(_SEARCH_ALPHABET), max_size=40).map("".join)


def test_search_agrees_with_the_reference() -> None:
    """300 examples by default; 100,000 under the thorough profile."""
    tally = {"texts": 0, "links": 0}

    @settings(max_examples=_examples())
    @given(SEARCH_TEXTS)
    def check(text: str) -> None:
        expected = reference_searched(text)
        assert searched(text) == expected
        tally["texts"] += 1
        tally["links"] += len(expected)

    check()
    print(f"search: {tally}")
    # not vacuous: links are found (about one for every two texts; the bound leaves room
    # for the spread of random runs, one of which fell under a quarter)
    assert tally["links"] >= tally["texts"] // 20
