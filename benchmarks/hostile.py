"""Inputs built to stress a parser, at any size; run as a script to print time per KB.

``FINDINGS`` holds stories that parse but give ``validate`` one finding per unit of size
(bad takes, duplicate lenses, bad related slugs, wrong counts): ``validate`` must take time
proportional to the number of findings, which ``tests/test_validate.py`` checks by counting
calls, and ``python benchmarks/hostile.py --validate`` times (target: 4,000 findings cost at
most 12 times 400).

Each shape is a function from a size in characters to a text of about that size. Some
shapes are stories that parse (their hostile part sits in a field, where ``Story.links``
then meets it), others fail to parse (their hostile part breaks the grammar). Both must
take time proportional to their size: ``tests/test_linear_time.py`` checks it by counting
the work each step does, which machine load cannot move; this script prints the times.

    python benchmarks/hostile.py [SHAPE ...]
    python benchmarks/hostile.py --validate

For shapes that parse it also times ``Story.links`` and ``dumps`` after an edit, which merges
the edit into the parsed layout (see :func:`actions`).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import sys
import time
from collections.abc import Callable
from typing import Final, NamedTuple

import attrs

import rbtfl_model as rm
from rbtfl_model._inline import INLINE_BRACKETS, INLINE_LIMIT

HEAD: Final = "# Hostile\n> A story built to stress the parser\n\n**Meta:** type: story\n\n"


def _repeat(unit: str, size: int) -> str:
    """*unit* repeated to about *size* characters."""
    return unit * max(size // len(unit), 1)


def _summary(body: str) -> str:
    """A story whose Summary is *body*."""
    return f"{HEAD}## Summary\n\n{body}\n"


# -- shapes that parse: the hostile text sits in a field ------------------------------------


def open_brackets_summary(size: int) -> str:
    """One enormous Summary line of ``[``."""
    return _summary(_repeat("[", size))


def bracket_pairs_summary(size: int) -> str:
    """``[[[[`` and ``]]]]`` alternating, with link-like targets the parser must try."""
    return _summary(_repeat("[[[[a]]]](", size))


def nested_link_text(size: int) -> str:
    """A link whose text is ``[`` nested as deep as the size allows, then closed."""
    depth = size // 2 - 10
    return _summary("[" * depth + "x" + "]" * depth + "(/ko/n/deep)")


def nested_links(size: int) -> str:
    """Links nested in the text of links: ``[[[x](/a)](/a)](/a)``."""
    depth = size // 6
    return _summary("[" * depth + "x" + "](/a)" * depth)


def paragraphs_at_limit(size: int) -> str:
    """Paragraphs just small enough for mistletoe, each "](" scanning to the paragraph's end."""
    unit = "[a](" + "x" * (INLINE_LIMIT // INLINE_BRACKETS - 4)
    paragraph = unit * INLINE_BRACKETS
    return _summary("\n\n".join([paragraph] * max(size // (len(paragraph) + 2), 1)))


def paragraphs_closed_at_limit(size: int) -> str:
    """The paragraphs above, each ending in ")": its last unit is a link, and each "](" before
    it scans to that end for the ")" that would close it (a paragraph is still 8,192 long)."""
    unit = "[a](" + "x" * (INLINE_LIMIT // INLINE_BRACKETS - 4)
    paragraph = (unit * INLINE_BRACKETS)[:-1] + ")"
    return _summary("\n\n".join([paragraph] * max(size // (len(paragraph) + 2), 1)))


def dead_runs_line(size: int) -> str:
    """One line of "[a](x[a](x[a](x)": runs of two dead ends, each with a ")" after it and
    before the line's end, whose destinations all run to that end (a link closes each run)."""
    return _summary(_repeat("[a](x[a](x[a](x)", size))


def star_runs_summary(size: int) -> str:
    """Runs of ``**`` and ``*`` that open emphasis and never close it."""
    return _summary("[a](/b) " + _repeat("**a *b ", size))


def star_pairs_summary(size: int) -> str:
    """Emphasis delimiters that all close: ``**a** *b*``."""
    return _summary("[a](/b) " + _repeat("**a** *b* ", size))


def backslash_runs_summary(size: int) -> str:
    """Backslash runs before every punctuation mark that means something."""
    return _summary(_repeat("\\\\\\[\\*\\`\\<", size))


def backtick_runs_summary(size: int) -> str:
    """Code span openers of growing length that never close."""
    run = "".join("`" * k + " x " for k in range(1, 40))
    return _summary("[a](/b) " + _repeat(run, size))


def angle_brackets_summary(size: int) -> str:
    """``<`` that may open an autolink or an HTML tag, and do not."""
    return _summary(_repeat("<a href=x <https:/", size))


def many_links_paragraph(size: int) -> str:
    """One Summary paragraph of a link per line: every link's line is counted in one field."""
    return _summary(_repeat("see [a](/ko/n/a)\n", size).rstrip("\n"))


def many_takes(size: int) -> str:
    """Thousands of takes under a few lenses, each summary holding a link."""
    take = "- **Outlet** (Region, ko) — Says [a thing](/ko/n/thing).\n  Source: https://e.com/a\n"
    lenses = "".join(f"### lens {i}\n" + take * 50 for i in range(size // (len(take) * 50) + 1))
    return f"{HEAD}## Regional takes (batched by bias / lens)\n\n{lenses}"


def close_brackets_takes(size: int) -> str:
    """Takes whose summaries are one ``[`` and up to 8,000 ``]``: each fits mistletoe's limits
    on length and on ``[``, and each ``]`` made it search the rest for a code span again."""
    width = min(size, 8_000)
    take = "- **Outlet** (Region, ko) — [" + "]" * width + "\n"
    lens = "### lens\n" + take * max(size // width, 1)
    return f"{HEAD}## Regional takes (batched by bias / lens)\n\n{lens}"


def many_sections(size: int) -> str:
    """Thousands of ``## `` headings of unknown sections."""
    sections = "".join(f"## Section {i}\n\nBody {i}.\n\n" for i in range(size // 28))
    return HEAD + sections


def heading_inner_spaces(size: int) -> str:
    """A section heading whose name is two words with a huge run of spaces between."""
    return f"{HEAD}## a{' ' * size}b\n\nBody.\n"


def lens_inner_spaces(size: int) -> str:
    """A lens heading like the section heading above, then a take."""
    take = "- **Outlet** (Region, ko) — Says [a thing](/ko/n/thing).\n"
    return f"{HEAD}## Regional takes (batched by bias / lens)\n\n### a{' ' * size}b\n{take}"


def many_meta_segments(size: int) -> str:
    """A Meta line of one ``key: value`` segment after another, ``·`` between them."""
    segments = " · ".join(f"k{i}: v" for i in range(size // 10))
    return f"# Hostile\n> Deck\n\n**Meta:** {segments}\n"


def many_meta_counts(size: int) -> str:
    """A Meta line of counts: ``1 takes · 2 takes · ...``."""
    segments = " · ".join(f"{i} takes" for i in range(size // 12))
    return f"# Hostile\n> Deck\n\n**Meta:** {segments}\n"


def usual_meta_counts(size: int) -> str:
    """A usual Meta line (type, date, heads) and then counts: ``1 takes · 2 takes · ...``."""
    segments = "".join(f" · {i} takes" for i in range(size // 12))
    return f"# Hostile\n> Deck\n\n**Meta:** type: story · date: 2026-01-01 · heads: a{segments}\n"


def usual_meta_long_type(size: int) -> str:
    """A Meta line that starts as the usual one, its type running on without a date."""
    return "# Hostile\n> Deck\n\n**Meta:** type: " + _repeat("a ", size) + "\n"


def many_related(size: int) -> str:
    """An Across-the-graph line of thousands of ``[[slug]]`` items."""
    items = ", ".join(f"[[s{i}]]" for i in range(size // 9))
    return f"{HEAD}## Across the graph\n- Related: {items}\n"


# -- shapes that fail: the hostile text breaks the grammar ----------------------------------


def open_brackets_file(size: int) -> str:
    """A file that is one line of ``[``: no title."""
    return _repeat("[", size)


def middle_dots_meta(size: int) -> str:
    """100,000 ``·`` separators with nothing between them."""
    return "# Hostile\n> Deck\n\n**Meta:** " + _repeat(" · ", size) + "\n"


def duplicate_meta_late(size: int) -> str:
    """Unique Meta keys until the very last, which repeats the first."""
    return many_meta_segments(size).rstrip("\n") + " · k0: v\n"


def empty_headings(size: int) -> str:
    """Thousands of ``## `` headings with no name after a long valid part."""
    return many_sections(size // 2) + _repeat("## \n", size // 2)


def unclosed_outlets(size: int) -> str:
    """A take whose bold outlet never closes, after thousands of good takes."""
    return many_takes(size) + "- **" + _repeat("*a", size // 10) + "\n"


def stray_carriage_return(size: int) -> str:
    """CRLF everywhere, then a lone CR on the last line."""
    return many_sections(size).replace("\n", "\r\n") + "## End\rX\r\n"


class Shape(NamedTuple):
    build: Callable[[int], str]
    parses: bool


SHAPES: Final[dict[str, Shape]] = {
    build.__name__.replace("_", "-"): Shape(build, parses)
    for build, parses in [
        (open_brackets_summary, True),
        (bracket_pairs_summary, True),
        (nested_link_text, True),
        (nested_links, True),
        (paragraphs_at_limit, True),
        (paragraphs_closed_at_limit, True),
        (dead_runs_line, True),
        (star_runs_summary, True),
        (star_pairs_summary, True),
        (backslash_runs_summary, True),
        (backtick_runs_summary, True),
        (angle_brackets_summary, True),
        (many_links_paragraph, True),
        (many_takes, True),
        (close_brackets_takes, True),
        (many_sections, True),
        (heading_inner_spaces, True),
        (lens_inner_spaces, True),
        (many_meta_segments, True),
        (many_meta_counts, True),
        (usual_meta_counts, True),
        (usual_meta_long_type, True),
        (many_related, True),
        (open_brackets_file, False),
        (middle_dots_meta, False),
        (duplicate_meta_late, False),
        (empty_headings, False),
        (unclosed_outlets, False),
        (stray_carriage_return, False),
    ]
}

SIZES: Final = (10_000, 100_000, 1_000_000)


# -- stories with many validation findings ----------------------------------------------------

_TAKES_HEAD: Final = HEAD + "## Regional takes (batched by bias / lens)\n\n### lens\n"


def bad_language_takes(count: int) -> str:
    """*count* takes whose language is ``english``, not a language code (RB502 each)."""
    return _TAKES_HEAD + "".join(
        f"- **Outlet {i}** (Region, english) — Says {i}.\n" for i in range(count)
    )


def identical_bad_takes(count: int) -> str:
    """*count* equal takes with a bad Source: each finding is placed at its own block."""
    take = "- **Outlet** (Region, en) — Says.\n  Source: ftp://example.com/x\n"
    return _TAKES_HEAD + take * count


def duplicate_lenses(count: int) -> str:
    """*count* + 1 lenses of one name (RB201 for all but the first)."""
    lens = "### same\n- **Outlet** (Region, en) — Says.\n\n"
    return HEAD + "## Regional takes (batched by bias / lens)\n\n" + lens * (count + 1)


def bad_related_slugs(count: int) -> str:
    """A Related line of *count* slugs that are not well-formed (RB301 each)."""
    items = ", ".join(f"[[Bad_{i:05}]]" for i in range(count))  # one width: size ∝ count
    return f"{HEAD}## Across the graph\n- Related: {items}\n"


def wrong_counts(count: int) -> str:
    """A Meta line of *count* ``9 takes`` segments for a story with none (RB101 each)."""
    segments = " · ".join(["9 takes"] * count)
    return f"# Counts\n> Deck\n\n**Meta:** type: story · {segments}\n"


FINDINGS: Final[dict[str, Callable[[int], str]]] = {
    build.__name__.replace("_", "-"): build
    for build in (
        bad_language_takes,
        identical_bad_takes,
        duplicate_lenses,
        bad_related_slugs,
        wrong_counts,
    )
}
#: The numbers of findings the validate shapes are timed and counted at.
FINDING_COUNTS: Final = (400, 4_000)


def best_time(action: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of *repeat* runs of *action*, in seconds: the least disturbed by others."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def main_validate(rounds: int = 7) -> None:
    """Time validate at 400 and 4,000 findings of each kind; print the ratio.

    The two sizes are timed alternately, round by round, so that a change in the machine's
    load falls on both, and each keeps its fastest round, the least disturbed; each round
    validates a freshly loaded story.
    """
    small, large = FINDING_COUNTS
    print(f"{'findings':<24}{small:>10,}{large:>10,}   ratio (target <= 12)")
    for name, build in FINDINGS.items():
        texts = [build(count) for count in FINDING_COUNTS]
        samples: list[list[float]] = [[], []]
        for _ in range(rounds):
            for times, text in zip(samples, texts, strict=True):
                story = rm.loads(text)  # a fresh story: its source map has answered nothing
                # like timeit, without the collector, whose walks over the story just
                # loaded (young objects all) grow with its size times the findings made
                gc.collect()
                gc.disable()
                try:
                    times.append(best_time(functools.partial(rm.validate, story), repeat=1))
                finally:
                    gc.enable()
        fastest = [min(times) for times in samples]
        ratio = fastest[1] / fastest[0]
        cells = "".join(f"{t * 1e3:>8.1f}ms" for t in fastest)
        print(f"{name:<24}{cells}{ratio:>9.1f}x", flush=True)


def actions(shape: Shape, size: int) -> dict[str, Callable[[], object]]:
    """The steps measured for *shape* at *size*, each ready to run again and again.

    ``loads`` parses the text (or fails to); for a story that parses, ``links`` finds the links
    of a fresh copy, and ``dumps`` writes it after an edit at both ends, which leaves the whole
    story between for the renderer to align with the parsed layout.
    """
    text = shape.build(size)
    steps: dict[str, Callable[[], object]] = {"loads": functools.partial(_try_loads, text)}
    if shape.parses:
        story = rm.loads(text)
        steps["links"] = functools.partial(_fresh_links, story)
        edited = attrs.evolve(story, title="Edited", canonical="https://rbtfl.xyz/ko/n/edited")
        steps["dumps"] = functools.partial(rm.dumps, edited)
    return steps


def main(names: list[str]) -> None:
    if names == ["--validate"]:
        main_validate()
        return
    print(
        f"{'shape':<24}{'step':<7}" + "".join(f"{s // 1000:>9} KB" for s in SIZES) + "   1MB/100KB"
    )
    for name in names or SHAPES:
        shape = SHAPES[name]
        texts = [shape.build(size) for size in SIZES]
        by_size = [actions(shape, size) for size in SIZES]
        for step in by_size[0]:
            times = [best_time(steps[step]) for steps in by_size]
            per_kb = [t / (len(text) / 1000) * 1e6 for t, text in zip(times, texts, strict=True)]
            ratio = times[2] / times[1]
            cells = "".join(f"{us:>9.2f} us" for us in per_kb)
            print(f"{name:<24}{step:<7}{cells}{ratio:>10.1f}x", flush=True)


def parses(text: str) -> bool:
    """Whether *text* is a story."""
    try:
        rm.loads(text)
    except rm.ParseError:
        return False
    return True


def _try_loads(text: str) -> None:
    with contextlib.suppress(rm.ParseError):
        rm.loads(text)


def _fresh_links(story: rm.Story) -> object:
    """Story.links of a fresh copy (the cache of an earlier run does not answer), and where
    each link stands, which is worked out only when asked."""
    return [(link.line, link.column) for link in attrs.evolve(story).links]


if __name__ == "__main__":
    main(sys.argv[1:])
