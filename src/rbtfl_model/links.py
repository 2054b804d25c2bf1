"""Typed views of a story's inline links, entity slugs and plain text.

Links are found by mistletoe's inline parser, on first use of :attr:`Story.links`; ``loads``
never runs it. A link parsed from a file knows where it stood there: the story field it came
from and its 1-based line and column (columns count characters, not bytes or display cells),
as the story's source map tells.

The model imports this module (``Story.links``, ``Entity.slug``), so it reads stories through
their attributes and names the model's classes for the type checker only; mistletoe, which
takes a third of a second to import, is imported on first use.
"""

from __future__ import annotations

import re
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
    "find_links",
    "is_slug",
    "plain_text",
    "resolve_entity_slugs",
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
_KINDS: Final[dict[str, LinkKind]] = {"entity": "entity", "n": "story"}


@attrs.frozen
class Link:
    """An inline link or autolink in a story's text.

    ``kind``, ``locale`` and ``slug`` are read from ``target``. ``field`` names the story
    value the link sits in, like ``summary`` or ``lenses[0].takes[1].summary``; ``line`` and
    ``column`` are 1-based and None unless that value is unchanged since the story was parsed.
    """

    text: str  # the link text, as plain text
    target: str  # the destination exactly as written
    title: str | None = None
    field: str | None = None
    line: int | None = None
    column: int | None = None

    @property
    def kind(self) -> LinkKind:
        """``"entity"`` or ``"story"`` for the site's pages, else ``"external"``."""
        match = SITE_LINK_RE.fullmatch(self.target)
        return _KINDS[match["kind"]] if match else "external"

    @property
    def locale(self) -> str | None:
        """The locale of a site link (``ko``, ``en``, ...); None for an external link."""
        match = SITE_LINK_RE.fullmatch(self.target)
        return match["locale"] if match else None

    @property
    def slug(self) -> str | None:
        """The slug of a site link, percent-decoded; None for an external link."""
        match = SITE_LINK_RE.fullmatch(self.target)
        return urllib.parse.unquote(match["slug"]) if match else None


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
    by_text: dict[str, str] = {}
    for link in entity_links:
        if link.slug is not None:
            by_text.setdefault(_name_key(link.text), link.slug)
    return tuple(by_text.get(_name_key(entity.name), entity.slug) for entity in entities)


def _name_key(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()


def find_links(story: Story) -> tuple[Link, ...]:
    """Run the inline parser over *story*'s text fields; use :attr:`Story.links` instead."""
    from rbtfl_model import _inline  # deferred: it imports mistletoe, slow to import

    smap = source_map(story)
    # every link starts with "[" or "<": text without either need not be parsed at all
    fields = [field for field in _fields(story, smap) if "[" in field.text or "<" in field.text]
    found = _inline.inline_links([field.text for field in fields])
    where = _Positions(smap)
    links: list[Link] = []
    for field, inline in zip(fields, found, strict=True):
        origin = where.origin(field)
        breaks, last_break, counted = 0, -1, 0  # newlines before offset `counted`
        for link in inline:
            # links come in offset order: count newlines from the last link on, not from
            # the field's start, so a field with many links takes linear time
            if link.start < counted:  # out of order: count again from the start
                breaks, last_break, counted = 0, -1, 0
            breaks += field.text.count("\n", counted, link.start)
            last_break = max(last_break, field.text.rfind("\n", counted, link.start))
            counted = link.start
            line, column = _position(link.start, breaks, last_break, origin)
            links.append(Link(link.text, link.target, link.title, field.name, line, column))
    return tuple(links)


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
    """The story's linkable text fields, section by section in file order."""
    order = smap.section_order if smap else ()
    written = [key for key in order if isinstance(key, str) and key in _LINKED_SECTIONS]
    for key in written + [key for key in _LINKED_SECTIONS if key not in written]:
        yield from _section_fields(story, key)


def _section_fields(story: Story, key: str) -> Iterator[_Field]:
    if key in (G.SUMMARY, G.SPLIT, G.WHY):
        text = getattr(story, key)
        if text:
            yield _Field(key, text, (G.PROSE, (key, text)))
    elif key == G.METRICS:
        for i, metric in enumerate(story.metrics):
            name = f"metrics[{i}].description"
            yield _Field(name, metric.description, (G.METRIC, metric), "description")
    elif key == G.WATCH_LIST:
        for i, item in enumerate(story.what_to_watch):
            yield _Field(f"what_to_watch[{i}]", item, (G.WATCH, item))
    else:
        for i, lens in enumerate(story.lenses):
            for j, take in enumerate(lens.takes):
                name = f"lenses[{i}].takes[{j}].summary"
                yield _Field(name, take.summary, (G.TAKE, take), "summary")


class _Positions:
    """Asks the source map where a field's text starts, by its block's tag.

    A block's tag spells its whole value, so a field edited since parsing finds no block.
    Fields with equal tags (two identical watch items) take the blocks in turn.
    """

    def __init__(self, smap: SourceMap | None) -> None:
        self.smap = smap
        self.taken: dict[Tag, int] = {}

    def origin(self, field: _Field) -> tuple[int, int] | None:
        """The line of the field's text and its column offset on that line."""
        if self.smap is None:
            return None
        nth = self.taken.get(field.tag, 0)
        self.taken[field.tag] = nth + 1
        found = self.smap.where(field.tag, field.part, nth)
        return None if found is None else (found[0], found[1] - 1)


def _position(
    offset: int, breaks: int, last_break: int, origin: tuple[int, int] | None
) -> tuple[int | None, int | None]:
    """The 1-based line and column of *offset* in a field that starts at *origin*.

    *breaks* newlines come before *offset* in the field, the last of them at *last_break*.
    """
    if origin is None:
        return None, None
    line, indent = origin
    if breaks:
        return line + breaks, offset - last_break
    return line, indent + offset + 1
