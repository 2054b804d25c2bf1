"""The hypothesis strategy for stories: one builder, three alphabets of values.

- :data:`ANY`: any string at all, lone surrogates included; the dict, JSON and YAML forms
  must carry them, though a story file cannot hold most.
- :data:`REPRESENTABLE`: plain words in more than one script, so ``loads(dumps(story))``
  gives the story back whatever the field.
- :data:`EDGY`: strings as close to the format's rules as a value may come and still read
  back: the format's own markers and separators, blanks, and characters that trip
  line-splitting code, inside values wherever the format allows them.
"""

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
    """Where each value a story holds comes from."""

    title: Text
    deck: Text  # one line, possibly empty
    meta_value: Text  # the type, and the value of an extra key
    head: Text
    key: Text  # an extra key
    noun: Text  # a count's noun
    outlet: Text
    region: Text
    language: Text
    take_text: Text  # a take's summary and quote: one line, possibly empty
    source: Text
    metric_name: Text
    metric_value: Text
    prose: Text  # a section's body: lines, possibly none
    section_name: Text  # an unknown section's name
    lens_name: Text
    watch: Text  # a What-to-watch item
    entity: Text  # an entity's name
    slug: Text  # a related story
    canonical: Text  # a canonical URL


#: Any string at all (surrogates included): the dict, JSON and YAML forms must carry them.
ANY: Alphabet = Alphabet(*[st.text(st.characters(codec=None, categories=None), max_size=12)] * 20)

# -- plain words ------------------------------------------------------------------------------

# Words of letters and digits, in more than one script, joined by single spaces: lines
# without the format's separators, markers or surrounding blanks.
_word = st.text(string.ascii_letters + string.digits + "éß가나다", min_size=1, max_size=6)
_words = st.lists(_word, min_size=1, max_size=4).map(" ".join)
_maybe_words = st.one_of(st.just(""), _words)
_slug = st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=12)
_key = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,8}", fullmatch=True).filter(
    lambda k: k.lower() not in ("type", "date", "heads")
)
_canonical = st.tuples(st.sampled_from(["ko", "en"]), _slug).map(
    lambda p: f"https://rbtfl.xyz/{p[0]}/n/{p[1]}"
)

#: Strings the file format can hold where they stand, so ``loads(dumps(story)) == story``.
REPRESENTABLE: Alphabet = Alphabet(
    title=_words,
    deck=_maybe_words,
    meta_value=_words,
    head=_words,
    key=_key,
    noun=st.text(string.ascii_letters + "가나", min_size=1, max_size=8),
    outlet=_words,
    region=_words,
    language=_words,
    take_text=_maybe_words,
    source=_slug.map(lambda s: f"https://example.com/{s}"),
    metric_name=_words,
    metric_value=_maybe_words,
    prose=st.lists(_words, min_size=1, max_size=3).map("\n".join),
    section_name=_words,
    lens_name=_words,
    watch=_words,
    entity=_words,
    slug=_slug,
    canonical=_canonical,
)

# -- the format's own characters --------------------------------------------------------------

#: Characters the format gives meaning to, and some that trip line-splitting code.
SPECIAL = [*" \t·—*[](),:#>-_\\`\"'<!&", "장", "é", "😀", "\u2028", "\x0b", "\x85", "\x00"]
#: Any character a UTF-8 file holds, but line breaks; the special ones often.
CHARS = st.one_of(
    st.sampled_from(SPECIAL),
    st.characters(codec="utf-8", exclude_characters="\r\n"),  # no lone surrogates
)


def text(min_size: int = 0, max_size: int = 16) -> Text:
    """One line of :data:`CHARS`."""
    return st.text(CHARS, min_size=min_size, max_size=max_size)


def nonblank(*forbid: str) -> Text:
    """One line that is not all blanks and holds none of *forbid*."""
    return text(1).filter(lambda s: bool(s.strip(" \t")) and not any(f in s for f in forbid))


def _is_heading(line: str) -> bool:
    return line == "##" or line.startswith(("## ", "##\t"))


_edgy_line = text()
_segment_value = _edgy_line.filter(lambda v: " · " not in f" {v} ")
_name = nonblank().filter(lambda s: s == s.strip(" \t"))
_prose_line = _edgy_line.filter(lambda s: s != "---" and not _is_heading(s))
_edgy_prose = st.one_of(
    st.just(""),
    st.lists(_prose_line, min_size=1, max_size=4)
    .map("\n".join)
    .filter(lambda s: bool(s.split("\n")[0].strip(" \t") and s.split("\n")[-1].strip(" \t"))),
)

#: Values holding the format's markers and separators wherever it lets them stand.
EDGY: Alphabet = Alphabet(
    title=nonblank(),
    deck=_edgy_line,
    meta_value=_segment_value,
    head=nonblank(", ").filter(lambda h: " · " not in f" {h} "),
    key=_key,
    noun=st.sampled_from(["takes", "lenses", "regions", "출처"])
    | st.from_regex(r"[A-Za-z]{1,8}", fullmatch=True),
    outlet=nonblank("**").filter(lambda s: not s.endswith("*")),
    region=nonblank(")"),
    language=nonblank(", ", ")"),
    take_text=_edgy_line,
    source=st.from_regex(r"\S{1,20}", fullmatch=True),
    metric_name=nonblank(", "),
    metric_value=_edgy_line,
    prose=_edgy_prose,
    section_name=_name,
    lens_name=_name,
    watch=nonblank(),
    entity=nonblank(", "),
    slug=st.from_regex(r"[^\s\[\],]{1,12}", fullmatch=True),
    canonical=st.builds(
        "https://rbtfl.xyz/{}/n/{}".format,
        st.from_regex(r"[a-z]{2}", fullmatch=True),
        st.from_regex(r"[^/\s?#]{1,12}", fullmatch=True),
    ),
)


# -- the builder ------------------------------------------------------------------------------


def _tuples(
    elements: st.SearchStrategy[T], unique_by: Callable[[T], Hashable] | None = None
) -> st.SearchStrategy[tuple[T, ...]]:
    return st.lists(elements, max_size=3, unique_by=unique_by).map(tuple)


def metas(a: Alphabet) -> st.SearchStrategy[Meta]:
    """A Meta line's values, from *a*."""
    return st.builds(
        Meta,
        type=st.none() | a.meta_value,
        date=st.none() | st.dates(),
        heads=_tuples(a.head).filter(lambda heads: " · " not in f" {', '.join(heads)} "),
        extra=_tuples(st.tuples(a.key, a.meta_value), unique_by=lambda pair: pair[0].lower()),
        counts=_tuples(st.builds(Count, st.integers(0, 10**6), a.noun)),
    )


def takes(a: Alphabet) -> st.SearchStrategy[Take]:
    """A take, from *a*."""
    return st.builds(
        Take,
        outlet=a.outlet,
        region=a.region,
        language=a.language,
        summary=a.take_text,
        quote=st.none() | a.take_text,
        source=st.none() | a.source,
    )


def lenses(a: Alphabet) -> st.SearchStrategy[Lens]:
    """A lens of up to three takes, from *a*."""
    return st.builds(Lens, a.lens_name, _tuples(takes(a)))


def metrics(a: Alphabet) -> st.SearchStrategy[tuple[Metric, ...]]:
    """Up to three metrics, from *a*."""
    return _tuples(st.builds(Metric, a.metric_name, a.metric_value))


@st.composite
def stories(draw: st.DrawFn, alphabet: Alphabet = ANY) -> Story:
    """A story whose values come from *alphabet*."""
    a = alphabet
    section_name = a.section_name.filter(lambda name: name not in SECTION_NAMES)
    return Story(
        title=draw(a.title),
        deck=draw(a.deck),
        meta=draw(metas(a)),
        summary=draw(st.none() | a.prose),
        split=draw(st.none() | a.prose),
        metrics=draw(metrics(a)),
        why_it_matters=draw(st.none() | a.prose),
        what_to_watch=draw(_tuples(a.watch)),
        sections=draw(_tuples(st.builds(Section, section_name, st.just("") | a.prose))),
        lenses=draw(_tuples(lenses(a))),
        related=draw(_tuples(a.slug)),
        entities=draw(_tuples(st.builds(Entity, a.entity))),
        canonical=draw(st.none() | a.canonical),
    )
