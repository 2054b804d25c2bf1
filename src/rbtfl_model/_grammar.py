"""The story format's lexical grammar: patterns, separators, prefixes and names.

The parser, the renderer, the source map, validation, interchange and the corpus loader all
spell the format the same way; they read it from here rather than from each other. Like
tomli's ``_re.py``, this module imports nothing from the package, so it sits below every
other module.
"""

from __future__ import annotations

import re
from typing import Final

BOM: Final = "\ufeff"
TITLE_PREFIX: Final = "# "
DECK_PREFIX: Final = "> "
META_PREFIX: Final = "**Meta:**"
SEGMENT_SEP: Final = " · "  # space, U+00B7 middle dot, space
TAKE_SEP: Final = " — "  # space, U+2014 em dash, space
LIST_SEP: Final = ", "
BULLET: Final = "- "
RELATED_PREFIX: Final = "- Related:"
ENTITIES_PREFIX: Final = "- Entities:"
RULE_LINE: Final = "---"
CANONICAL_PREFIX: Final = "Canonical: "

# -- block kinds: the first item of every block's tag ----------------------------------------
# One character each, so that the source map keeps a story's block kinds as one short str.

TITLE: Final = "#"
DECK: Final = ">"
META: Final = "M"
HEADING: Final = "H"
PROSE: Final = "P"
METRIC: Final = "N"
WATCH: Final = "W"
LENS: Final = "L"
TAKE: Final = "T"
RELATED: Final = "R"
ENTITIES: Final = "E"
EXTRA_BODY: Final = "X"
RULE: Final = "-"
CANONICAL: Final = "C"

# -- sections ----------------------------------------------------------------------------------

#: Section keys in canonical order; unknown sections (keyed by index) go before "lenses".
SUMMARY: Final = "summary"
SPLIT: Final = "split"
METRICS: Final = "metrics"
WHY: Final = "why_it_matters"
WATCH_LIST: Final = "what_to_watch"
LENSES: Final = "lenses"
GRAPH: Final = "graph"

#: Known section headings and the key each is stored under.
SECTION_NAMES: Final = {
    "Summary": SUMMARY,
    "The split": SPLIT,
    "By the numbers": METRICS,
    "Why it matters": WHY,
    "What to watch": WATCH_LIST,
    "Regional takes (batched by bias / lens)": LENSES,
    "Across the graph": GRAPH,
}
HEADINGS: Final = {key: name for name, key in SECTION_NAMES.items()}

# -- patterns ----------------------------------------------------------------------------------

SECTION_HEADING_RE: Final = re.compile(
    r"""
    \#\#                          # exactly two hashes (a third makes it a lens heading)
    (?:[ \t]+                     # at least one space, then the name: it starts and ends
    (?P<name>[^ \t](?:.*[^ \t])?))? # with a non-blank (not `.*?`, which made "## a   b"
    [ \t]*                        # quadratic in its spaces); trailing blanks are layout
    """,
    re.VERBOSE,
)
#: With ``##`` alone, the lines SECTION_HEADING_RE matches: two hashes, then a blank or
#: nothing. Tested with str.startswith, they find the ends of sections without the pattern.
SECTION_HEADING_STARTS: Final = ("## ", "##\t")
SECTION_HEADING_BARE: Final = "##"
LENS_HEADING_RE: Final = re.compile(r"\#\#\#(?:[ \t]+(?P<name>[^ \t](?:.*[^ \t])?))?[ \t]*")
META_KEY_RE: Final = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
KEY_VALUE_RE: Final = re.compile(
    r"""
    (?P<key>[A-Za-z][A-Za-z0-9_-]*)   # a key: ASCII word, not starting with a digit
    :[ ]                              # colon and one space
    (?P<value>.*)                     # the value, to the end of the segment
    """,
    re.VERBOSE,
)
COUNT_RE: Final = re.compile(
    r"""
    (?P<number>[0-9]+)            # a count
    [ ]                           # one space
    (?P<noun>[^\W\d_]+)           # a noun of letters, in any script
    """,
    re.VERBOSE,
)
#: A meta segment: COUNT_RE or KEY_VALUE_RE in one pattern, so a segment is matched once.
SEGMENT_RE: Final = re.compile(
    r"""
    (?P<number>[0-9]+)[ ](?P<noun>[^\W\d_]+)      # a count, as COUNT_RE
    | (?P<key>[A-Za-z][A-Za-z0-9_-]*):[ ](?P<value>.*)  # or key: value, as KEY_VALUE_RE
    """,
    re.VERBOSE,
)
#: The most digits a count may have (``MAX_COUNT`` in ``model``): every count then fits a
#: 64-bit integer, and none reaches Python's int() limit of 4,300 digits.
COUNT_DIGITS: Final = 18
#: A Meta value may not end in it: before another segment it would start the separator.
DANGLING_SEP: Final = SEGMENT_SEP.rstrip()
#: The usual meta line: type, date and heads, in that order, then counts, no value holding a
#: "·". Whatever it matches, ``_parser`` reads alike segment by segment (split at " · ",
#: each segment read by SEGMENT_RE), which stays the definition and reads any other line.
META_USUAL_RE: Final = re.compile(
    rf"""
    \*\*Meta:\*\*
    [ ]type:[ ](?P<type>[^·]*)
    [ ]·[ ]date:[ ](?P<date>[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}})
    [ ]·[ ]heads:[ ](?P<heads>[^·]*)
    (?P<counts>(?:[ ]·[ ][0-9]{{1,{COUNT_DIGITS}}}[ ][^\W\d_]+)*)  # " · 5 takes" ...
    """,
    re.VERBOSE,
)
#: The count segments META_USUAL_RE's ``counts`` holds, number and noun of each.
COUNT_SEGMENTS_RE: Final = re.compile(r"[ ]·[ ]([0-9]+)[ ]([^\W\d_]+)")
ISO_DATE_RE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
QUOTE_LINE_RE: Final = re.compile(
    r"""
    [ \t]+>[ ]                    # indented blockquote marker
    "(?P<quote>.*)"               # the quotation, inside double quotes (greedy: the last ")
    [ \t]*
    """,
    re.VERBOSE,
)
#: The usual take line up to its summary: an outlet without "*", a region and a language
#: without a comma, each starting with a non-blank. Whatever it matches, ``_parser`` reads
#: alike part by part (outlet to the first "**", region and language split at the last ", "
#: before the first ")"); a line it refuses is read part by part. Its repeats are of one
#: character class each, which the regex engine runs fastest.
TAKE_START_RE: Final = re.compile(
    r"""
    -[ ]\*\*(?P<outlet>[^ \t*][^*]*)\*\*
    [ ]\((?P<region>[^ \t)][^)]*),[ ](?P<language>[^ \t),][^),]*)\)
    [ ]\u2014[ ]
    """,
    re.VERBOSE,
)
NON_SPACE_RE: Final = re.compile(r"\S+")
SOURCE_LINE_RE: Final = re.compile(r"[ \t]+Source:[ ](?P<url>\S+)[ \t]*")
QUOTE_START_RE: Final = re.compile(r"[ \t]+>")
SOURCE_START_RE: Final = re.compile(r"[ \t]+Source:")
RELATED_ITEM_RE: Final = re.compile(r"\[\[(?P<slug>[^\s\[\],]+)\]\]")
#: A whole Related list of RELATED_ITEM_RE items, read in one match: a slug holds no "]",
#: so splitting the list at "]], [[" gives the slugs.
RELATED_LIST_RE: Final = re.compile(r"\[\[[^\s\[\],]+\]\](?:,[ ]\[\[[^\s\[\],]+\]\])*")
RELATED_LIST_SEP: Final = "]], [["
CANONICAL_LINE_RE: Final = re.compile(r"Canonical:[ ](?P<url>\S+)[ \t]*")
_CANONICAL_URL: Final = r"""
    https?://[^/\s]+/            # scheme and host
    (?P<locale>[^/\s?#]+)        # locale, e.g. ko or en
    /n/
    (?P<slug>[^/\s?#]+)          # story slug
    /?                           # an optional trailing slash
"""
#: ``https://rbtfl.xyz/{locale}/n/{slug}``: where a story's slug and locale come from.
CANONICAL_URL_RE: Final = re.compile(_CANONICAL_URL, re.VERBOSE)
#: A Canonical line whose URL is one: CANONICAL_LINE_RE and CANONICAL_URL_RE in one match
#: (the URL holds no blank, so it is all of CANONICAL_LINE_RE's ``url``).
CANONICAL_GOOD_LINE_RE: Final = re.compile(
    r"Canonical:[ ](?P<url>" + _CANONICAL_URL + r")[ \t]*", re.VERBOSE
)
#: A lone surrogate: a str can hold one, UTF-8 cannot encode it.
SURROGATE_RE: Final = re.compile("[\ud800-\udfff]")
