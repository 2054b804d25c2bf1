"""Typed views of a story's inline links, entity slugs and plain text.

Links are found on first use of :attr:`Story.links`; ``loads`` never looks for them.
mistletoe's inline parser defines what a link is: a field whose only syntax is plain
``[text](url)`` links is read by ``_fastlinks``, which gives what mistletoe gives, and every
other field by mistletoe itself. A link parsed from a file knows where it stood there: the
story field it came from and, when asked, its 1-based line and column (columns count
characters, not bytes or display cells), as the story's source map tells.

The model imports this module (``Story.links``, ``Entity.slug``), so it reads stories through
their attributes and names the model's classes for the type checker only; mistletoe, which
takes a third of a second to import, is imported on first use.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
import urllib.parse
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Final, Literal

import attrs

from rbtfl_model import _grammar as G
from rbtfl_model._sourcemap import SourceMap, Tag, source_map

if TYPE_CHECKING:
    from rbtfl_model.model import Entity, Story

__all__ = [
    "Link",
    "LinkKind",
    "SiteSlugs",
    "find_links",
    "is_slug",
    "plain_text",
    "resolve_entity_slugs",
    "resolve_url",
    "site_slug",
    "site_slugs",
    "slugify",
]

LinkKind = Literal["entity", "story", "external"]

#: A link to a page of the site: ``/{locale}/entity/{slug}`` or ``/{locale}/n/{slug}``.
SITE_LINK_RE: Final = re.compile(
    r"""
    (?:https?://(?i:rbtfl\.xyz))?            # the site's own URL, or a site-absolute path
    /(?P<locale>[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)  # locale: ko, en, pt-BR, ...
    /(?P<kind>entity|n)                     # entity page or story page
    /(?P<slug>[^/?\#\s]+)                   # slug, possibly percent-encoded
    /?                                      # an optional trailing slash
    (?:[?\#]\S*)?                           # a query or fragment does not change the page
    """,
    re.VERBOSE,
)
#: A run of ASCII letters and digits: a word of an ASCII name's slug.
_ASCII_WORD_RE: Final = re.compile("[a-z0-9]+")
_KINDS: Final[dict[str, LinkKind]] = {"entity": "entity", "n": "story"}


@attrs.frozen
class Link:
    """An inline link or autolink in a story's text.

    ``target`` is the destination exactly as written; :attr:`url` is where a browser goes,
    with backslash escapes and character references decoded as CommonMark defines.
    ``kind``, ``locale`` and ``slug`` are read from :attr:`url`. ``field`` names the story
    value the link sits in, like ``summary`` or ``lenses[0].takes[1].summary``.

    :attr:`line` and :attr:`column` (1-based) say where the link stood in its file, and are
    None unless its value is unchanged since the story was parsed; they are worked out when
    first asked for. Where a link stood is not part of its value: links compare by text,
    target, title and field.
    """

    text: str  # the link text, as plain text
    target: str  # the destination exactly as written
    title: str | None = None
    field: str | None = None
    # where the link's field stands in the file, and the link's offset in the field
    _place: _FieldPlace | None = attrs.field(
        default=None, eq=False, repr=False, kw_only=True, alias="_place"
    )
    _offset: int = attrs.field(default=0, eq=False, repr=False, kw_only=True, alias="_offset")
    # url, kind, locale and slug: read once, when the link is made (links share them)
    _site: tuple[str, LinkKind, str | None, str | None] = attrs.field(
        init=False, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_site", _site(self.target))

    @property
    def url(self) -> str:
        """The destination resolved: escapes and character references decoded."""
        return self._site[0]

    @property
    def kind(self) -> LinkKind:
        """``"entity"`` or ``"story"`` for the site's pages, else ``"external"``."""
        return self._site[1]

    @property
    def locale(self) -> str | None:
        """The locale of a site link (``ko``, ``en``, ...); None for an external link."""
        return self._site[2]

    @property
    def slug(self) -> str | None:
        """The slug of a site link, as :func:`site_slug` reads it; None for an external link."""
        return self._site[3]

    @property
    def line(self) -> int | None:
        """The 1-based line the link starts on, if its value is unchanged since parsing."""
        return None if self._place is None else self._place.position(self._offset)[0]

    @property
    def column(self) -> int | None:
        """The 1-based column (in characters) the link starts at, as :attr:`line`."""
        return None if self._place is None else self._place.position(self._offset)[1]


#: A backslash escape or a character reference, as CommonMark reads them in a destination.
_REFERENCE_RE: Final = re.compile(
    r"""
    \\(?P<escaped>[!-/:-@\[-`{-~])   # a backslash before ASCII punctuation
    | &(?:\#(?P<decimal>[0-9]{1,7})  # &#233;
    | \#[xX](?P<hex>[0-9A-Fa-f]{1,6})  # &#xE9;
    | (?P<name>[A-Za-z][A-Za-z0-9]{0,31}));  # &eacute;, if HTML5 names it
    """,
    re.VERBOSE,
)


def resolve_url(destination: str) -> str:
    """A link destination as a browser follows it: escapes and references decoded.

    One pass from left to right, as CommonMark defines it: a backslash before ASCII
    punctuation stands for that character (so ``\\&amp;`` is ``&amp;``), ``&name;`` for
    the character HTML5 names so, ``&#N;`` and ``&#xH;`` for that code point (U+FFFD for
    0, a surrogate or past U+10FFFF). Anything else, unknown names included, stays as
    written. Percent-encoding is kept: a URL carries it.
    """
    if "\\" not in destination and "&" not in destination:
        return destination
    return _REFERENCE_RE.sub(_resolve_one, destination)


def _resolve_one(match: re.Match[str]) -> str:
    if match["escaped"] is not None:
        return match["escaped"]
    if match["name"] is not None:
        import html.entities  # deferred: its table of 2,231 names costs a millisecond

        return html.entities.html5.get(match["name"] + ";", match[0])
    code = int(match["decimal"]) if match["decimal"] is not None else int(match["hex"], 16)
    if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return "\ufffd"
    return chr(code)


def site_slug(written: str) -> str:
    """A slug as written in a site URL, as the site means it: percent-decoded, then NFC.

    ``%EA%B3%A0%EB%A0%A4%EC%95%84%EC%97%B0``, ``고려아연`` and its decomposed (NFD) form
    are one slug. Links, entity slugs, story slugs and the graph all use this reading.
    """
    if "%" in written:
        written = urllib.parse.unquote(written)
    return written if written.isascii() else unicodedata.normalize("NFC", written)


@functools.lru_cache(maxsize=4096)
def _site(target: str) -> tuple[str, LinkKind, str | None, str | None]:
    """A destination's resolved URL, kind, locale and slug.

    Cached: a corpus links to the same pages from many stories, and their links then share
    one tuple (at 10,000 stories this saves some 7 MB and the matching).
    """
    url = resolve_url(target)
    match = SITE_LINK_RE.fullmatch(url)
    if match is None:
        return url, "external", None, None
    locale = sys.intern(match["locale"])
    return url, _KINDS[match["kind"]], locale, site_slug(match["slug"])


def plain_text(markdown: str) -> str:
    """The readable text of an inline Markdown fragment.

    Link and image text is kept, emphasis markers, code ticks, escapes and HTML tags go,
    character references are decoded. Block syntax (``- `` bullets, ``#`` headings) is
    left as it stands: story fields are inline text.
    """
    from rbtfl_model import _inline  # deferred: it imports mistletoe, slow to import

    return _inline.plain_text(markdown)


def slugify(text: str) -> str:
    """Make a slug: NFC, lower case, runs of anything but letters and digits become ``-``.

    Letters of every script are kept as they are (``고려아연`` stays Korean); combining marks
    count as letters, so scripts that write vowels with them keep their words whole.
    """
    if text.isascii():  # ASCII letters and digits are the only ASCII letters, marks, numbers
        return "-".join(_ASCII_WORD_RE.findall(text.lower()))
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).lower())
    words: list[str] = []
    word: list[str] = []
    for char in text:
        if unicodedata.category(char)[0] in "LMN":
            word.append(char)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return "-".join(words)


def is_slug(text: str) -> bool:
    """Whether *text* is a well-formed slug: non-empty and its own :func:`slugify`."""
    return bool(text) and slugify(text) == text


def resolve_entity_slugs(
    entities: Sequence[Entity], entity_links: Sequence[Link]
) -> tuple[str, ...]:
    """The slug of each entity: from the first entity link whose text matches its name."""
    return _resolve(entities, [(link.text, link.slug) for link in entity_links])


def _resolve(
    entities: Sequence[Entity], entity_links: Sequence[tuple[str, str | None]]
) -> tuple[str, ...]:
    """:func:`resolve_entity_slugs` over the entity links' ``(text, slug)`` pairs."""
    by_text: dict[str, str] = {}
    for text, slug in entity_links:
        if slug is not None:
            by_text.setdefault(_name_key(text), slug)
    return tuple(by_text.get(_name_key(entity.name), entity.slug) for entity in entities)


def _name_key(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()


def find_links(story: Story) -> tuple[Link, ...]:
    """Find the links in *story*'s text fields; use :attr:`Story.links` instead."""
    smap = source_map(story)
    fields = list(_fields(story, smap))
    found = scan([field.text for field in fields])
    taken: dict[Tag, int] = {}  # fields with equal tags take their blocks in turn
    links: list[Link] = []
    for field, inline in zip(fields, found, strict=True):
        if not inline:
            continue
        nth = taken.get(field.tag, 0)
        taken[field.tag] = nth + 1
        place = _FieldPlace(smap, field, nth)
        for start, text, target, title in inline:
            links.append(Link(text, target, title, field.name, _place=place, _offset=start))
    return tuple(links)


def scan(fragments: Sequence[str]) -> list[list[tuple[int, str, str, str | None]]]:
    """The links of each inline fragment: ``(offset, text, destination, title)`` in order.

    The library's one entry to link finding: a fragment whose only syntax is plain links is
    read by :mod:`rbtfl_model._fastlinks`, every other one by mistletoe (through ``_inline``,
    imported only then: mistletoe takes a third of a second to import).
    """
    from rbtfl_model import _fastlinks  # deferred: its patterns compile on first use

    result = [_fastlinks.plain_links(fragment) for fragment in fragments]
    hard = [i for i, links in enumerate(result) if links is None]
    if hard:
        from rbtfl_model import _inline  # deferred: it imports mistletoe, slow to import

        found = _inline.inline_links([fragments[i] for i in hard], declined=True)
        for i, inline in zip(hard, found, strict=True):
            result[i] = [(link.start, link.text, link.target, link.title) for link in inline]
    return [links or [] for links in result]


@attrs.frozen
class _Field:
    """A text field of a story that may hold links: its path, its text, its block's tag.

    ``part`` names the field inside its block, as the source map knows it.
    """

    name: str
    text: str
    tag: Tag
    part: str = ""


#: Sections whose text is searched for links, in canonical order.
_LINKED_SECTIONS: Final = (G.SUMMARY, G.SPLIT, G.METRICS, G.WHY, G.WATCH_LIST, G.LENSES)


def _fields(story: Story, smap: SourceMap | None) -> Iterator[_Field]:
    """The story's text fields that may hold links, section by section in file order.

    Every link starts with "[" or "<": a field without either is not looked at further.
    """
    order = smap.section_order if smap else ()
    written = [key for key in order if isinstance(key, str) and key in _LINKED_SECTIONS]
    for key in written + [key for key in _LINKED_SECTIONS if key not in written]:
        yield from _section_fields(story, key)


def _may_link(text: str) -> bool:
    return "[" in text or "<" in text


def _section_fields(story: Story, key: str) -> Iterator[_Field]:
    if key in (G.SUMMARY, G.SPLIT, G.WHY):
        text = getattr(story, key)
        if text and _may_link(text):
            yield _Field(key, text, (G.PROSE, (key, text)))
    elif key == G.METRICS:
        for i, metric in enumerate(story.metrics):
            if _may_link(metric.description):
                name = f"metrics[{i}].description"
                yield _Field(name, metric.description, (G.METRIC, metric), "description")
    elif key == G.WATCH_LIST:
        for i, item in enumerate(story.what_to_watch):
            if _may_link(item):
                yield _Field(f"what_to_watch[{i}]", item, (G.WATCH, item))
    else:
        for i, lens in enumerate(story.lenses):
            for j, take in enumerate(lens.takes):
                if _may_link(take.summary):
                    name = f"lenses[{i}].takes[{j}].summary"
                    yield _Field(name, take.summary, (G.TAKE, take), "summary")


class _FieldPlace:
    """Where a field's text stands in its file, asked of the source map when first needed.

    A block's tag spells its whole value, so a field edited since parsing finds no block.
    Fields with equal tags (two identical watch items) take the blocks in turn: *nth*.
    The field's line breaks are found once, so each link's position is a binary search.
    """

    __slots__ = ("_breaks", "_field", "_nth", "_origin", "_smap")

    def __init__(self, smap: SourceMap | None, field: _Field, nth: int) -> None:
        self._smap = smap
        self._field = field
        self._nth = nth
        self._origin: tuple[int, int] | None = None
        self._breaks: list[int] | None = None

    def position(self, offset: int) -> tuple[int | None, int | None]:
        """The 1-based line and column of *offset* in the field's text, if it was parsed."""
        from bisect import bisect_left  # deferred: positions are rarely asked for

        if self._breaks is None:  # first question: two threads asking both get one answer
            if self._smap is None:
                return None, None
            found = self._smap.where(self._field.tag, self._field.part, self._nth)
            if found is None:
                self._smap = None
                return None, None
            text = self._field.text
            breaks, at = [], text.find("\n")
            while at >= 0:
                breaks.append(at)
                at = text.find("\n", at + 1)
            self._origin = found[0], found[1] - 1
            self._breaks = breaks
        assert self._origin is not None
        line, indent = self._origin
        before = bisect_left(self._breaks, offset)  # line breaks before the offset
        if before:
            return line + before, offset - self._breaks[before - 1]
        return line, indent + offset + 1


#: What a graph reads of a story's links: the slugs of the stories it links to, and its
#: entity slugs (``Entities:`` resolved as :attr:`Story.entity_slugs`, and entity links'),
#: each sorted, without repeats.
SiteSlugs = tuple[tuple[str, ...], tuple[str, ...]]


def site_slugs(story: Story, links: Sequence[Link] | None = None) -> SiteSlugs:
    """The slugs of the stories *story* links to, and its entity slugs, as a graph reads them.

    Read from *links* (the story's links) if they were found already; else from its fields,
    scanned as :func:`find_links` scans them but without making a :class:`Link`, its field
    or its place: a graph keeps only these slugs, not the links. The slugs are interned: a
    corpus links to the same stories and names the same entities from many stories.
    """
    if links is not None:
        found = [(link.text, link._site) for link in links]
    else:
        texts = [field.text for field in _fields(story, source_map(story))]
        found = [(text, _site(target)) for inline in scan(texts) for _, text, target, _ in inline]
    stories: set[str] = set()
    entity_links: list[tuple[str, str | None]] = []
    for text, (_, kind, _, slug) in found:
        if kind == "story" and slug is not None:
            stories.add(slug)
        elif kind == "entity":
            entity_links.append((text, slug))
    entities = set(_resolve(story.entities, entity_links))
    entities.update(slug for _, slug in entity_links if slug is not None)
    return tuple(sorted(map(sys.intern, stories))), tuple(sorted(map(sys.intern, entities)))
