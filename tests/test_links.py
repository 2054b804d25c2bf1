"""Inline links, entity slugs and plain text: mistletoe finds them, lazily and under a lock."""

from __future__ import annotations

import concurrent.futures
import re
from pathlib import Path
from typing import Any

import attrs
import mistletoe
import pytest
from hypothesis import given
from hypothesis import strategies as st
from mistletoe import span_token, span_tokenizer
from mistletoe.block_token import Document
from mistletoe.html_renderer import HtmlRenderer

import rbtfl_model as rm
from rbtfl_model.links import is_slug
from tests.conftest import SEED, VALID, read

# -- the seed, pinned ----------------------------------------------------------------------

#: text, target, kind, locale, slug, field, line, column
SEED_LINKS = [
    ("rare earth magnets", "/ko/entity/rare-earth-magnets", "entity", "ko",
     "rare-earth-magnets", "summary", 8, 525),
    ("Neodymium", "/ko/entity/neodymium", "entity", "ko", "neodymium", "summary", 8, 578),
    ("Dysprosium", "/ko/entity/dysprosium", "entity", "ko", "dysprosium", "summary", 8, 616),
    ("Lynas", "/ko/n/lynas-texas-limbo", "story", "ko", "lynas-texas-limbo", "split", 12, 549),
    ("US-Japan-EU coordinated minerals response", "/ko/n/us-minerals-price-floor-allies",
     "story", "ko", "us-minerals-price-floor-allies", "why_it_matters", 25, 590),
]  # fmt: skip


def _row(link: rm.Link) -> tuple[object, ...]:
    return (link.text, link.target, link.kind, link.locale, link.slug, link.field)


def test_seed_links_in_order() -> None:
    story = rm.load(SEED)
    got = [(*_row(link), link.line, link.column) for link in story.links]
    assert got == SEED_LINKS


def test_seed_filters_by_kind() -> None:
    story = rm.load(SEED)
    assert [link.slug for link in story.entity_links] == [
        "rare-earth-magnets",
        "neodymium",
        "dysprosium",
    ]
    assert [link.slug for link in story.story_links] == [
        "lynas-texas-limbo",
        "us-minerals-price-floor-allies",
    ]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_link_positions_point_at_the_link(path: Path) -> None:
    lines = read(path).splitlines()
    story = rm.load(path)
    assert story.links  # every corpus story has some
    for link in story.links:
        assert link.line is not None
        assert link.column is not None
        at = lines[link.line - 1][link.column - 1 :]
        assert at.startswith((f"<{link.target}>", "[")), (link, at)
        assert at.startswith(f"<{link.target}>") or f"]({link.target}" in at


# -- what mistletoe gets right that a regex would not -------------------------------------

#: fragment, then (text, target, title) of each link found
SYNTAX_CASES = {
    "balanced-parens": (
        "see [X](https://en.wikipedia.org/wiki/X_(y)) now",
        [("X", "https://en.wikipedia.org/wiki/X_(y)", None)],
    ),
    "title": (
        '[JOGMEC](/en/entity/jogmec "Japan Organization")',
        [("JOGMEC", "/en/entity/jogmec", "Japan Organization")],
    ),
    "escaped-brackets": (
        r"\[not a link\](/ko/n/a) but [a \[b\]](/ko/n/b)",
        [("a [b]", "/ko/n/b", None)],
    ),
    "code-span": ("`[x](/ko/n/x)` is code", []),
    "autolink": (
        r"\(see <https://rbtfl.xyz/en/n/s>\)",
        [("https://rbtfl.xyz/en/n/s", "https://rbtfl.xyz/en/n/s", None)],
    ),
    "nested-in-emphasis": (
        "*an [emphatic](/ko/entity/e) link* and **[strong](/ko/n/s)**",
        [("emphatic", "/ko/entity/e", None), ("strong", "/ko/n/s", None)],
    ),
    "emphasis-in-text": (
        "[*NdPr* oxide](/en/entity/ndpr-oxide)",
        [("NdPr oxide", "/en/entity/ndpr-oxide", None)],
    ),
    "image-is-not-a-link": ("![a chart](/img/c.png)", []),
    "html-attribute": ('<span title="[x](/ko/n/x)">hi</span>', []),
    "reference-style": ("[x][label] and [label]", []),
    "angle-destination": ("[a](<b c>)", [("a", "b c", None)]),
    "escape-kept-in-target": (r"[a](/ko/n/a\_b)", [("a", r"/ko/n/a\_b", None)]),
}


@pytest.mark.parametrize(("fragment", "expected"), SYNTAX_CASES.values(), ids=SYNTAX_CASES)
def test_link_syntax(fragment: str, expected: list[tuple[str, str, str | None]]) -> None:
    story = rm.Story(title="T", deck="D", summary=fragment)
    assert [(link.text, link.target, link.title) for link in story.links] == expected
    assert all(link.line is None and link.field == "summary" for link in story.links)


#: target, then kind, locale and slug
KIND_CASES = [
    ("/ko/entity/rare-earth-magnets", "entity", "ko", "rare-earth-magnets"),
    ("/en/n/lynas-texas-limbo", "story", "en", "lynas-texas-limbo"),
    ("https://rbtfl.xyz/en/n/ndpr-price-surge-2026", "story", "en", "ndpr-price-surge-2026"),
    ("http://rbtfl.xyz/ko/entity/lynas/", "entity", "ko", "lynas"),
    ("/ko/n/a-story#takes", "story", "ko", "a-story"),
    ("/ko/entity/%EA%B3%A0%EB%A0%A4%EC%95%84%EC%97%B0", "entity", "ko", "고려아연"),
    ("https://example.com/ko/n/x", "external", None, None),
    ("/ko/about", "external", None, None),
    ("/ko/n/a/b", "external", None, None),
    ("mailto:desk@rbtfl.xyz", "external", None, None),
]


@pytest.mark.parametrize(("target", "kind", "locale", "slug"), KIND_CASES)
def test_link_kind(target: str, kind: str, locale: str | None, slug: str | None) -> None:
    link = rm.Link("text", target)
    assert (link.kind, link.locale, link.slug) == (kind, locale, slug)


# -- where links sit -------------------------------------------------------------------------

FIELDS_STORY = """\
# Title\r
> Deck\r
\r
**Meta:** type: story\r
\r
## Why it matters\r
\r
First [w](/ko/n/w).\r
Second line [w2](/ko/n/w2).\r
\r
## Summary\r
\r
[s](/ko/n/s)\r
\r
## By the numbers\r
\r
- 5%, share of [m](/ko/entity/m)\r
\r
## What to watch\r
\r
- Watch [x](/ko/n/x)\r
- Watch [x](/ko/n/x)\r
\r
## Regional takes (batched by bias / lens)\r
\r
### lens\r
- **Outlet** (Korea, ko) — Take [t](https://example.com)\r
"""

#: field, line, column: file order, so "Why it matters" (written first) comes first
FIELDS_EXPECTED = [
    ("why_it_matters", 8, 7),
    ("why_it_matters", 9, 13),
    ("summary", 13, 1),
    ("metrics[0].description", 17, 16),
    ("what_to_watch[0]", 21, 9),
    ("what_to_watch[1]", 22, 9),
    ("lenses[0].takes[0].summary", 27, 33),
]


def test_links_of_every_field_in_file_order() -> None:
    story = rm.loads(FIELDS_STORY)
    assert [(link.field, link.line, link.column) for link in story.links] == FIELDS_EXPECTED


def test_edited_field_loses_its_position_only() -> None:
    story = rm.loads(FIELDS_STORY)
    edited = attrs.evolve(story, summary="New [s](/ko/n/s2)")
    assert edited.links[2].target == "/ko/n/s2"
    assert (edited.links[2].line, edited.links[2].column) == (None, None)
    assert edited.links[:2] == story.links[:2]
    assert edited.links[3:] == story.links[3:]


# -- laziness, caching, locking ----------------------------------------------------------


def _forbid_mistletoe(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("mistletoe was called")

    monkeypatch.setattr(span_tokenizer, "tokenize", fail)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_loads_never_calls_mistletoe(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _forbid_mistletoe(monkeypatch)
    story = rm.loads(read(path))
    assert rm.dumps(story) == read(path)
    with pytest.raises(AssertionError, match="mistletoe was called"):
        _ = story.links  # the patch is the hook the links go through


def test_links_are_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    tokenize: Any = span_tokenizer.tokenize

    def counting(string: str, token_types: Any) -> Any:
        calls.append(string)
        return tokenize(string, token_types)

    monkeypatch.setattr(span_tokenizer, "tokenize", counting)
    story = rm.load(SEED)
    first = story.links
    count = len(calls)
    assert count > 0
    assert story.links is first
    assert story.entity_slugs == ("neodymium", "dysprosium", "rare-earth-magnets")
    assert len(calls) == count


def test_cache_does_not_survive_an_evolve() -> None:
    story = rm.load(SEED)
    assert len(story.links) == 5
    edited = attrs.evolve(story, summary="No links now.")
    assert [link.field for link in edited.links] == ["split", "why_it_matters"]


def test_cache_takes_no_part_in_equality() -> None:
    text = read(SEED)
    touched, fresh = rm.loads(text), rm.loads(text)
    assert touched.links
    assert touched == fresh
    assert hash(touched) == hash(fresh)
    assert repr(touched) == repr(fresh)


class _Shout(span_token.SpanToken):
    """A span token that claims every [bracketed] text, links included."""

    pattern = re.compile(r"\[([^\]]*)\]")
    parse_inner = False
    precedence = 10


class _ShoutRenderer(HtmlRenderer):
    """An HTML renderer that adds _Shout to mistletoe's global span tokens while it is open."""

    def __init__(self) -> None:
        super().__init__(_Shout)  # type: ignore[no-untyped-call]

    def render_shout(self, token: object) -> str:
        return "!"


def test_works_inside_another_renderer() -> None:
    before = list(span_token._token_types)
    with _ShoutRenderer() as renderer:
        assert _Shout in span_token._token_types
        links = rm.load(SEED).links
        html = renderer.render(Document("[a](/b) `[c](d)`"))
        assert _Shout in span_token._token_types
    assert [link.target for link in links] == [row[1] for row in SEED_LINKS]
    assert html.startswith("<p>!(/b)")  # the renderer's own token state was in force
    assert span_token._token_types == before
    assert mistletoe.markdown("[a](/b)") == '<p><a href="/b">a</a></p>\n'


def test_threads_get_the_same_links() -> None:
    text = read(SEED)

    def links(_: int) -> tuple[rm.Link, ...]:
        return rm.loads(text).links

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(links, range(64)))
    assert all(result == results[0] for result in results)
    assert len(results[0]) == len(SEED_LINKS)


# -- entities ------------------------------------------------------------------------------

ENTITY_SLUGS = {
    "china-rare-earth-controls.md": (),
    "china-rare-earth-japan-controls.md": ("neodymium", "dysprosium", "rare-earth-magnets"),
    "lynas-texas-limbo.md": ("lynas", "dysprosium", "terbium"),
    "mp-materials-magnet-ramp.md": ("mp-materials", "ndfeb-magnets"),
    "ndpr-price-surge-2026.md": ("ndpr-oxide", "mp-materials", "lynas", "neodymium"),
    "us-minerals-price-floor-allies.md": ("minerals-security-partnership", "korea-zinc", "jogmec"),
}


def test_entity_table_covers_the_corpus() -> None:
    assert sorted(ENTITY_SLUGS) == [path.name for path in VALID]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_entity_slugs(path: Path) -> None:
    assert rm.load(path).entity_slugs == ENTITY_SLUGS[path.name]


def test_seed_entity_resolves_through_its_link() -> None:
    story = rm.load(SEED)
    assert story.entities[2] == rm.Entity("Rare Earth Magnets")
    assert story.entity_slugs[2] == "rare-earth-magnets"
    # point the "rare earth magnets" link elsewhere: the slug follows the link, not the name
    assert story.summary is not None
    summary = story.summary.replace("/ko/entity/rare-earth-magnets", "/ko/entity/ree-magnets")
    assert attrs.evolve(story, summary=summary).entity_slugs[2] == "ree-magnets"


def test_entity_link_match_is_nfc_and_case_insensitive() -> None:
    decomposed = "Cafe\u0301 Group"  # e + combining acute
    story = rm.Story(
        title="T",
        deck="D",
        summary="[café group](/ko/entity/cafe-g) and [코리아](/ko/entity/고려아연)",
        entities=(rm.Entity(decomposed), rm.Entity("코리아"), rm.Entity("Other")),
    )
    assert story.entity_slugs == ("cafe-g", "고려아연", "other")


SLUGIFY_CASES = [
    ("Rare Earth Magnets", "rare-earth-magnets"),
    ("NdFeB Magnets", "ndfeb-magnets"),
    ("고려아연", "고려아연"),
    ("Korea Zinc (고려아연)", "korea-zinc-고려아연"),
    ("  S&P   Global ", "s-p-global"),
    ("Cafe\u0301", "café"),
    ("हिन्दी समाचार", "हिन्दी-समाचार"),  # combining vowel signs stay inside the word
    ("---", ""),
]


@pytest.mark.parametrize(("name", "slug"), SLUGIFY_CASES)
def test_entity_slug_from_name(name: str, slug: str) -> None:
    assert rm.Entity(name).slug == slug
    assert rm.slugify(name) == slug


@given(st.text())
def test_slugify_gives_a_slug_or_nothing(text: str) -> None:
    slug = rm.slugify(text)
    assert slug == "" or is_slug(slug)


# -- plain text ----------------------------------------------------------------------------

PLAIN_CASES = [
    ("[rare earth magnets](/ko/entity/rare-earth-magnets) exports", "rare earth magnets exports"),
    ("a *structural* **two-tier** market", "a structural two-tier market"),
    ("the term `reference price` here", "the term reference price here"),
    (r"\(see <https://rbtfl.xyz/en/n/x>\)", "(see https://rbtfl.xyz/en/n/x)"),
    ("R&amp;D ~~old~~ new", "R&D old new"),
    ("one\n\ntwo", "one\n\ntwo"),
    ("![chart](c.png) <b>bold</b>", "chart bold"),
]


@pytest.mark.parametrize(("markdown", "text"), PLAIN_CASES)
def test_plain_text(markdown: str, text: str) -> None:
    assert rm.plain_text(markdown) == text


_WORDS = st.text(alphabet=st.characters(categories=("L", "Nd", "Zs")), max_size=40)


@given(_WORDS)
def test_plain_text_keeps_plain_words(text: str) -> None:
    assert rm.plain_text(text) == text


@given(_WORDS.filter(lambda text: text.strip() == text and text != ""))
def test_plain_text_of_a_link_is_its_text(text: str) -> None:
    assert rm.plain_text(f"[{text}](/ko/n/x)") == text
    assert [
        link.text for link in rm.Story(title="T", deck="D", summary=f"[{text}](/ko/n/x)").links
    ] == [text]
