"""The story model: frozen, fully typed attrs classes.

The classes hold content only. How a story was laid out in its file (line endings, blank
lines, section order, a missing final newline) and where each value stood there (its source
map) travel in a private layout object attached to a parsed :class:`Story`; it takes no part
in equality or hashing, and the renderer uses it only for values that are unchanged since
parsing.

What the file format can hold is checked when a story is rendered (``dumps``), not here, so
that parsing never pays for validation twice; see :class:`rbtfl_model.FormatError`.
"""

from __future__ import annotations

import datetime
import operator
import re
from typing import TYPE_CHECKING, Final

import attrs

from rbtfl_model._grammar import CANONICAL_URL_RE, COUNT_DIGITS
from rbtfl_model._sourcemap import Layout
from rbtfl_model.links import (
    Link,
    SiteSlugs,
    find_links,
    resolve_entity_slugs,
    site_slug,
    site_slugs,
    slugify,
)

if TYPE_CHECKING:
    from rbtfl_model.quantity import Quantity

__all__ = [
    "Count",
    "Entity",
    "Lens",
    "Meta",
    "Metric",
    "Section",
    "Story",
    "Take",
]

#: How much of a title ``repr(story)`` shows.
_REPR_TITLE: Final = 40


MAX_COUNT: Final = 10**COUNT_DIGITS - 1
"""The largest count a story may hold: 18 digits, so that every count fits a 64-bit integer.

pandas and Arrow columns hold 64-bit integers, and no count can then cost quadratic time to
read or write (Python's own limit, 4,300 digits, raises ValueError). The parser, the
interchange readers and writers and ``dumps`` all enforce it, each with its own error.
"""


def count_text(number: object) -> str:
    """*number* in digits, or, past 40 of them, how many: ``str`` refuses more than 4,300."""
    if not isinstance(number, int) or number.bit_length() < 133:  # 2**133 has 41 digits
        return str(number)
    return f"a number of about {number.bit_length() * 0.30103:,.0f} digits"  # log10(2)


@attrs.frozen
class Count:
    """A meta count segment such as ``5 takes``, kept as written; 0 to :data:`MAX_COUNT`."""

    number: int
    noun: str


@attrs.frozen
class Meta:
    """The ``**Meta:**`` line: known keys, unknown ``key: value`` pairs and counts."""

    type: str | None = None
    date: datetime.date | None = None
    heads: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()
    counts: tuple[Count, ...] = ()

    def count(self, noun: str) -> int | None:
        """Return the number written for *noun* (``"takes"``, ``"lenses"``, ...), or None."""
        for count in self.counts:
            if count.noun == noun:
                return count.number
        return None


@attrs.frozen
class Metric:
    """A "By the numbers" bullet: ``- VALUE, DESCRIPTION``."""

    value: str
    description: str

    @property
    def quantity(self) -> Quantity | None:
        """The value as a number with its unit, or None when it is not numeric."""
        # deferred: quantity imports decimal, which costs more to import than this module,
        # and only the numbers of metrics need it
        from rbtfl_model.quantity import parse_quantity

        return parse_quantity(self.value)


@attrs.frozen
class Take:
    """One outlet's take: ``- **Outlet** (Region, lang) — summary``, then quote and source."""

    outlet: str
    region: str
    language: str
    summary: str = ""
    quote: str | None = None
    source: str | None = None


@attrs.frozen
class Lens:
    """A ``### lens`` group of takes in the regional takes section."""

    name: str
    takes: tuple[Take, ...] = ()


@attrs.frozen
class Entity:
    """An entity listed on the ``- Entities:`` line.

    The file holds only the name. :attr:`slug` is derived from the name alone; a story can
    say otherwise through an inline entity link, see :attr:`Story.entity_slugs`.
    """

    name: str

    @property
    def slug(self) -> str:
        """The slug made from the name alone (NFC, lower case, ``-`` between words)."""
        return slugify(self.name)


@attrs.frozen
class Section:
    """A ``## Name`` section the format does not know, kept verbatim.

    ``body`` is the section's text with ``\\n`` line breaks, without the blank lines that
    surround it.
    """

    name: str
    body: str = ""


#: Field metadata marking what is not a story's content: interchange leaves such fields out.
NOT_CONTENT: Final = {"rbtfl_model.content": False}


# repr=False: a story's full repr would be its whole text, see __repr__. kw_only: thirteen
# fields are too many to pass by position.
@attrs.frozen(repr=False, kw_only=True)
class Story:
    """A story page.

    Prose fields (``summary``, ``split``, ``why_it_matters``) hold the section's Markdown text,
    or None when the section is absent. Change a story with :func:`attrs.evolve`. Every
    argument is a keyword: ``Story(title="T", deck="D")``.
    """

    title: str
    deck: str
    meta: Meta = Meta()
    summary: str | None = None
    split: str | None = None
    metrics: tuple[Metric, ...] = ()
    why_it_matters: str | None = None
    what_to_watch: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    lenses: tuple[Lens, ...] = ()
    related: tuple[str, ...] = ()
    entities: tuple[Entity, ...] = ()
    canonical: str | None = None
    # How the parsed file was laid out. init=True so that attrs.evolve carries it over;
    # the renderer reuses its text only for values equal to what was parsed.
    _layout: Layout | None = attrs.field(
        default=None, eq=False, repr=False, alias="_layout", metadata=NOT_CONTENT
    )
    # Views computed on first use and kept: written once each, by object.__setattr__ (a
    # cache on a frozen instance). Slots of the story itself, not an object of their own: a
    # corpus holds many stories. init=False: attrs.evolve does not copy them, so an edited
    # story starts with an empty cache.
    _links: tuple[Link, ...] | None = attrs.field(
        init=False, default=None, eq=False, repr=False, metadata=NOT_CONTENT
    )
    _slugs: SiteSlugs | None = attrs.field(  # what a graph reads: see _site_slugs
        init=False, default=None, eq=False, repr=False, metadata=NOT_CONTENT
    )

    @property
    def takes(self) -> tuple[Take, ...]:
        """Every take, lens by lens, in file order."""
        return tuple(take for lens in self.lenses for take in lens.takes)

    @property
    def slug(self) -> str | None:
        """The story's slug, from its canonical URL, read as a link's is (:func:`site_slug`)."""
        match = self._canonical_match()
        return site_slug(match["slug"]) if match else None

    @property
    def locale(self) -> str | None:
        """The story's locale (``ko``, ``en``, ...), from its canonical URL."""
        match = self._canonical_match()
        return match["locale"] if match else None

    @property
    def links(self) -> tuple[Link, ...]:
        """Every inline link in prose, metric descriptions, watch items and take summaries.

        In file order; found on first access (as mistletoe's inline parser finds them), then
        cached.
        """
        links = self._links
        if links is None:
            links = find_links(self)
            object.__setattr__(self, "_links", links)
        return links

    def _site_slugs(self) -> SiteSlugs:
        """The slugs of the stories this one links to, and its entity slugs; found once.

        What a graph reads. Kept apart from :attr:`links`, which it uses if found already:
        a graph of a large corpus would otherwise hold every story's links, fields and places
        (half the memory it takes) to keep a few slugs.
        """
        slugs = self._slugs
        if slugs is None:
            slugs = site_slugs(self, self._links)
            object.__setattr__(self, "_slugs", slugs)
        return slugs

    @property
    def story_links(self) -> tuple[Link, ...]:
        """The links to other stories (``/{locale}/n/{slug}``)."""
        return tuple(link for link in self.links if link.kind == "story")

    @property
    def entity_links(self) -> tuple[Link, ...]:
        """The links to entity pages (``/{locale}/entity/{slug}``)."""
        return tuple(link for link in self.links if link.kind == "entity")

    @property
    def entity_slugs(self) -> tuple[str, ...]:
        """The slug of each of :attr:`entities`, in order, resolved through the story's links.

        An inline entity link whose text matches the entity's name (case-insensitively, after
        NFC normalisation) gives the slug; otherwise it is :attr:`Entity.slug`.
        """
        return resolve_entity_slugs(self.entities, self.entity_links)

    def __repr__(self) -> str:
        """A one-line summary: shortened title, slug, date and how many takes and lenses."""
        title = (
            self.title if len(self.title) <= _REPR_TITLE else self.title[: _REPR_TITLE - 1] + "…"
        )
        date = self.meta.date.isoformat() if self.meta.date else None
        return (
            f"Story(title={title!r}, slug={self.slug!r}, date={date}, "
            f"takes={len(self.takes)}, lenses={len(self.lenses)})"
        )

    def _repr_markdown_(self) -> str:
        """The story's Markdown, so that a notebook renders it."""
        # The model's one call upward: the renderer checks values against the classes
        # above, so it imports this module and this hook looks it up when a notebook asks.
        from rbtfl_model._renderer import dumps

        return dumps(self)

    def _canonical_match(self) -> re.Match[str] | None:
        if self.canonical is None:
            return None
        return CANONICAL_URL_RE.fullmatch(self.canonical)


#: The names of a story's content fields, in order: those that take part in equality.
CONTENT_FIELDS: Final = tuple(field.name for field in attrs.fields(Story) if field.eq)
#: A story's content as a tuple, in :data:`CONTENT_FIELDS` order: ``content(story)``.
content: Final = operator.attrgetter(*CONTENT_FIELDS)
