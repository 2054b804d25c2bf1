"""Check a story for internal inconsistencies before publishing it; recompute its counts.

Every rule has a stable code. Errors are things a reader would see as wrong (a count that
disagrees with the page, a broken source URL); warnings are things worth a look (an entity
link the ``Entities:`` line does not list).

========  ========  =====================================================================
code      severity  what
========  ========  =====================================================================
RB101     error     the meta ``N takes`` count differs from the number of takes
RB102     error     the meta ``N lenses`` count differs from the number of lenses
RB103     error     the meta ``N regions`` count differs from the distinct take regions
RB201     error     a lens name is used twice
RB301     error     a related slug is not a well-formed slug
RB302     error     a related slug is the story's own
RB401     warning   an inline entity link's entity is missing from ``Entities:``
RB402     warning   a site link's locale differs from the story's
RB501     error     a take's Source is not an http(s) URL
RB502     error     a take's language is not a language code like ``en`` or ``pt-BR``
========  ========  =====================================================================
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Final, Literal

import attrs

from rbtfl_model import _grammar as G
from rbtfl_model._sourcemap import Position, Tag, source_map
from rbtfl_model.links import is_slug
from rbtfl_model.model import Count, Story, Take, count_text

__all__ = ["Diagnostic", "Severity", "recount", "validate"]

Severity = Literal["error", "warning"]

#: A BCP 47 style tag in its usual spelling: language, then optional script and region.
LANGUAGE_RE: Final = re.compile(
    r"""
    [a-z]{2,3}                    # ISO 639 language: en, ko, zh, yue
    (?:-[A-Z][a-z]{3})?           # ISO 15924 script: Hant
    (?:-(?:[A-Z]{2}|[0-9]{3}))?   # ISO 3166 region or UN M.49 area: BR, 419
    """,
    re.VERBOSE,
)


@attrs.frozen
class Diagnostic:
    """One finding of :func:`validate`; ``line`` and ``column`` are 1-based, None if unknown."""

    code: str
    severity: Severity
    message: str
    line: int | None = None
    column: int | None = None


def validate(story: Story) -> tuple[Diagnostic, ...]:
    """Every inconsistency found in *story*, ordered by position (unplaced ones last).

    Positions come from the story's source map, built once, so the work grows with the
    story and its findings, never with their product.
    """
    found = [diagnostic for rule in _RULES for diagnostic in rule(story)]
    return tuple(sorted(found, key=_position_key))


def recount(story: Story) -> Story:
    """The same story with its takes, lenses and regions counts recomputed.

    Only counts already on the Meta line are changed, and their nouns are kept as written;
    no count is added or removed.
    """
    actual = _actual_counts(story)
    counts = tuple(
        Count(actual[count.noun], count.noun) if count.noun in actual else count
        for count in story.meta.counts
    )
    if counts == story.meta.counts:
        return story
    return attrs.evolve(story, meta=attrs.evolve(story.meta, counts=counts))


def _position_key(diagnostic: Diagnostic) -> tuple[bool, int, int]:
    return diagnostic.line is None, diagnostic.line or 0, diagnostic.column or 0


# -- counts --------------------------------------------------------------------------------

#: The count nouns a story's content determines, with the rule code for each.
_COUNT_CODES: Final = {"takes": "RB101", "lenses": "RB102", "regions": "RB103"}
_SINGULAR: Final = {"takes": "take", "lenses": "lens", "regions": "region"}


def _actual_counts(story: Story) -> dict[str, int]:
    """What each count noun, plural or singular, should say for *story*."""
    takes = story.takes
    counts = {
        "takes": len(takes),
        "lenses": len(story.lenses),
        "regions": len({take.region for take in takes}),
    }
    return counts | {_SINGULAR[noun]: number for noun, number in counts.items()}


def _check_counts(story: Story) -> Iterator[Diagnostic]:
    actual = _actual_counts(story)
    meta_line = _Block(story, (G.META, story.meta))
    for i, count in enumerate(story.meta.counts):
        if count.noun not in actual or actual[count.noun] == count.number:
            continue
        plural = next(p for p, s in _SINGULAR.items() if count.noun in (p, s))
        line, column = meta_line.where(f"counts[{i}]")
        yield Diagnostic(
            _COUNT_CODES[plural],
            "error",
            f"Meta says {count_text(count.number)} {count.noun}, "
            f"the story has {actual[count.noun]}",
            line,
            column,
        )


# -- lenses and related --------------------------------------------------------------------


def _check_lenses(story: Story) -> Iterator[Diagnostic]:
    seen: dict[str, int] = {}  # how many lenses so far had each name
    for lens in story.lenses:
        nth = seen.get(lens.name, 0)
        seen[lens.name] = nth + 1
        if nth:
            line, column = _Block(story, (G.LENS, lens.name), nth).where("name")
            message = f"lens name {lens.name!r} is used more than once"
            yield Diagnostic("RB201", "error", message, line, column)


def _check_related(story: Story) -> Iterator[Diagnostic]:
    related_line = _Block(story, (G.RELATED, story.related))
    for i, slug in enumerate(story.related):
        if not is_slug(slug):
            line, column = related_line.where(f"[{i}]")
            message = f"related slug {slug!r} is not a well-formed slug"
            yield Diagnostic("RB301", "error", message, line, column)
        elif slug == story.slug:
            line, column = related_line.where(f"[{i}]")
            message = f"related slug {slug!r} is the story's own"
            yield Diagnostic("RB302", "error", message, line, column)


# -- links ---------------------------------------------------------------------------------


def _check_entity_links(story: Story) -> Iterator[Diagnostic]:
    listed = set(story.entity_slugs)
    for link in story.entity_links:
        if link.slug not in listed:
            message = f"entity link to {link.slug!r} ({link.text!r}) is not in 'Entities:'"
            yield Diagnostic("RB401", "warning", message, link.line, link.column)


def _check_link_locales(story: Story) -> Iterator[Diagnostic]:
    if story.locale is None:
        return
    for link in story.links:
        if link.locale is not None and link.locale != story.locale:
            message = f"link to {link.target!r} is in locale {link.locale!r}, not {story.locale!r}"
            yield Diagnostic("RB402", "warning", message, link.line, link.column)


# -- takes ---------------------------------------------------------------------------------


def _check_takes(story: Story) -> Iterator[Diagnostic]:
    seen: dict[Take, int] = {}  # equal takes stand in the file in turn
    for take in story.takes:
        nth = seen.get(take, 0)
        seen[take] = nth + 1
        if take.source is not None and not _is_http_url(take.source):
            line, column = _Block(story, (G.TAKE, take), nth).where("source")
            message = f"{take.outlet}: Source {take.source!r} is not an http(s) URL"
            yield Diagnostic("RB501", "error", message, line, column)
        if LANGUAGE_RE.fullmatch(take.language) is None:
            line, column = _Block(story, (G.TAKE, take), nth).where("language")
            message = f"{take.outlet}: language {take.language!r} is not a language code"
            yield Diagnostic("RB502", "error", message, line, column)


def _is_http_url(url: str) -> bool:
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:  # e.g. an unclosed "[" in the host: not a URL at all, so RB501
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


# -- positions -----------------------------------------------------------------------------


class _Block:
    """The *nth* parsed block spelling *tag*, found once in the source map.

    Looking a tag up hashes its whole value (a Meta line of thousands of counts), so a rule
    finds a block once and asks it for the place of each finding.
    """

    def __init__(self, story: Story, tag: Tag, nth: int = 0) -> None:
        self.smap = source_map(story)
        blocks = self.smap.find(tag) if self.smap is not None else ()
        self.number = blocks[nth] if nth < len(blocks) else None

    def where(self, field: str) -> Position | tuple[None, None]:
        """Where *field* of the block stood; unknown for a value edited since parsing."""
        if self.smap is None or self.number is None:
            return None, None
        found = self.smap.position(self.number, field)
        return (None, None) if found is None else found


_RULES: Final[tuple[Callable[[Story], Iterator[Diagnostic]], ...]] = (
    _check_counts,
    _check_lenses,
    _check_related,
    _check_entity_links,
    _check_link_locales,
    _check_takes,
)
