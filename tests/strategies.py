"""Hypothesis strategies for stories: any values, and values the file format can hold."""

from __future__ import annotations

import string
from collections.abc import Callable, Hashable
from typing import TypeVar

import attrs
from hypothesis import strategies as st

from rbtfl_model import Count, Entity, Lens, Meta, Metric, Section, Story, Take
from rbtfl_model._grammar import SECTION_NAMES

Text = st.SearchStrategy[str]
T = TypeVar("T")


@attrs.frozen
class Alphabet:
    """Where each kind of string a story holds comes from."""

    line: Text  # one line of text, never blank
    maybe_empty: Text  # one line, possibly empty (a deck, a take's summary)
    prose: Text  # a multi-line section body
    key: Text  # a meta key
    noun: Text  # a count's noun
    slug: Text  # a related slug
    url: Text  # a take's source
    canonical: Text  # a canonical URL


#: Any string at all (surrogates included): the dict, JSON and YAML forms must carry them.
ANY: Alphabet = Alphabet(*[st.text(st.characters(codec=None, categories=None), max_size=12)] * 8)

# Words of letters and digits, in more than one script, joined by single spaces: lines
# without the format's separators, markers or surrounding blanks.
_word = st.text(string.ascii_letters + string.digits + "éß가나다", min_size=1, max_size=6)
_line = st.lists(_word, min_size=1, max_size=4).map(" ".join)
_slug = st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=12)

#: Strings the file format can hold where they stand, so ``loads(dumps(story)) == story``.
REPRESENTABLE: Alphabet = Alphabet(
    line=_line,
    maybe_empty=st.one_of(st.just(""), _line),
    prose=st.lists(_line, min_size=1, max_size=3).map("\n".join),
    key=st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,8}", fullmatch=True).filter(
        lambda k: k.lower() not in ("type", "date", "heads")
    ),
    noun=st.text(string.ascii_letters + "가나", min_size=1, max_size=8),
    slug=_slug,
    url=_slug.map(lambda s: f"https://example.com/{s}"),
    canonical=st.tuples(st.sampled_from(["ko", "en"]), _slug).map(
        lambda p: f"https://rbtfl.xyz/{p[0]}/n/{p[1]}"
    ),
)


def _tuples(
    elements: st.SearchStrategy[T], unique_by: Callable[[T], Hashable] | None = None
) -> st.SearchStrategy[tuple[T, ...]]:
    return st.lists(elements, max_size=3, unique_by=unique_by).map(tuple)


@st.composite
def stories(draw: st.DrawFn, alphabet: Alphabet = ANY) -> Story:
    """A story whose strings come from *alphabet*."""
    a = alphabet
    optional_line = st.none() | a.line
    meta = Meta(
        type=draw(optional_line),
        date=draw(st.none() | st.dates()),
        heads=draw(_tuples(a.line)),
        extra=draw(_tuples(st.tuples(a.key, a.line), unique_by=lambda pair: pair[0].lower())),
        counts=draw(_tuples(st.builds(Count, st.integers(0, 10**6), a.noun))),
    )
    take = st.builds(
        Take,
        outlet=a.line,
        region=a.line,
        language=a.line,
        summary=a.maybe_empty,
        quote=st.none() | a.maybe_empty,
        source=st.none() | a.url,
    )
    section_name = a.line.filter(lambda name: name not in SECTION_NAMES)
    return Story(
        title=draw(a.line),
        deck=draw(a.maybe_empty),
        meta=meta,
        summary=draw(st.none() | a.prose),
        split=draw(st.none() | a.prose),
        metrics=draw(_tuples(st.builds(Metric, a.line, a.maybe_empty))),
        why_it_matters=draw(st.none() | a.prose),
        what_to_watch=draw(_tuples(a.line)),
        sections=draw(_tuples(st.builds(Section, section_name, st.just("") | a.prose))),
        lenses=draw(_tuples(st.builds(Lens, a.line, _tuples(take)))),
        related=draw(_tuples(a.slug)),
        entities=draw(_tuples(st.builds(Entity, a.line))),
        canonical=draw(st.none() | a.canonical),
    )
