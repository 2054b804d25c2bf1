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
from collections.abc import Callable, Hashable, Iterator
from typing import Final, Literal

import attrs

from rbtfl_model import _layout as L
from rbtfl_model._layout import RawBlock
from rbtfl_model._parser import META_PREFIX, SEGMENT_SEP
from rbtfl_model._renderer import parsed_blocks
from rbtfl_model.links import is_slug
from rbtfl_model.model import Count, Story, Take

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
    """Every inconsistency found in *story*, ordered by position (unplaced ones last)."""
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
    for count in story.meta.counts:
        if count.noun not in actual or actual[count.noun] == count.number:
            continue
        plural = next(p for p, s in _SINGULAR.items() if count.noun in (p, s))
        line, column = _meta_segment(story, f"{count.number} {count.noun}")
        yield Diagnostic(
            _COUNT_CODES[plural],
            "error",
            f"Meta says {count.number} {count.noun}, the story has {actual[count.noun]}",
            line,
            column,
        )


def _meta_segment(story: Story, segment: str) -> tuple[int | None, int | None]:
    block = _block(story, (L.META, story.meta))
    if block is None:
        return None, None
    line = block.texts[0]
    start = len(META_PREFIX) + 1  # the prefix and one space
    column = start + 1
    for written in line[start:].split(SEGMENT_SEP):
        if written == segment:
            return block.line, column
        column += len(written) + len(SEGMENT_SEP)
    return block.line, None


# -- lenses and related --------------------------------------------------------------------


def _check_lenses(story: Story) -> Iterator[Diagnostic]:
    seen: set[str] = set()
    for index, lens in enumerate(story.lenses):
        if lens.name in seen:
            blocks = _blocks(story, (L.LENS, lens.name))
            nth = sum(1 for other in story.lenses[:index] if other.name == lens.name)
            line = column = None
            if nth < len(blocks):
                heading = blocks[nth].texts[0]
                line, column = blocks[nth].line, heading.find(lens.name, 3) + 1
            message = f"lens name {lens.name!r} is used more than once"
            yield Diagnostic("RB201", "error", message, line, column)
        seen.add(lens.name)


def _check_related(story: Story) -> Iterator[Diagnostic]:
    block = _block(story, (L.RELATED, story.related))
    for slug in story.related:
        line = column = None
        if block is not None:
            line, column = block.line, block.texts[0].find(f"[[{slug}]]") + 3
        if not is_slug(slug):
            message = f"related slug {slug!r} is not a well-formed slug"
            yield Diagnostic("RB301", "error", message, line, column)
        elif slug == story.slug:
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
    seen: dict[Take, int] = {}
    for take in story.takes:
        nth = seen.get(take, 0)
        seen[take] = nth + 1
        bad_source = take.source is not None and not _is_http_url(take.source)
        bad_language = LANGUAGE_RE.fullmatch(take.language) is None
        if not (bad_source or bad_language):
            continue  # where the take stood is worth finding only for a diagnostic
        blocks = _blocks(story, (L.TAKE, take))
        block = blocks[nth] if nth < len(blocks) else None
        if bad_source:
            assert take.source is not None
            line, column = None, None
            if block is not None:
                source_line = block.texts[-1]
                line = block.line + len(block.lines) - 1
                column = source_line.rfind(take.source) + 1
            message = f"{take.outlet}: Source {take.source!r} is not an http(s) URL"
            yield Diagnostic("RB501", "error", message, line, column)
        if bad_language:
            line, column = None, None
            if block is not None:
                first = block.texts[0]
                line, column = block.line, first.find(f", {take.language}) — ") + 3
            message = f"{take.outlet}: language {take.language!r} is not a language code"
            yield Diagnostic("RB502", "error", message, line, column)


def _is_http_url(url: str) -> bool:
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:  # e.g. an unclosed "[" in the host: not a URL at all, so RB501
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


# -- layout --------------------------------------------------------------------------------


def _blocks(story: Story, tag: tuple[Hashable, ...]) -> list[RawBlock]:
    """The parsed blocks that spell *tag*: positions hold only for unchanged values."""
    layout = story._layout
    return [b for b in parsed_blocks(layout, (tag[0],)) if b.tag == tag] if layout else []


def _block(story: Story, tag: tuple[Hashable, ...]) -> RawBlock | None:
    blocks = _blocks(story, tag)
    return blocks[0] if blocks else None


_RULES: Final[tuple[Callable[[Story], Iterator[Diagnostic]], ...]] = (
    _check_counts,
    _check_lenses,
    _check_related,
    _check_entity_links,
    _check_link_locales,
    _check_takes,
)
