"""The links of a fragment whose only syntax is plain links, found without mistletoe.

mistletoe's inline parser stays the definition of what a link is. Most story fields use
none of its subtler syntax: their links are ``[text](destination)``, sometimes with a
``"title"``, and the rest of the field is prose, perhaps with emphasis, a code span, a
backslash escape or an autolink that no link overlaps. For such a fragment
:func:`plain_links` gives exactly the links mistletoe gives, in time linear in its length;
for any other fragment it answers None, and the caller asks mistletoe.

A fragment is plain when:

- it holds no ``~~`` (strikethrough, which mistletoe lets win over a link it overlaps), no
  ``![`` (images) and no ``!`` before a backslash or backtick (mistletoe's image flag
  survives those and then hides the next link);
- every ``[`` that no backslash escapes and no code span holds opens a link of
  :data:`PLAIN_LINK_RE`, and every such ``]`` closes one, so brackets never nest and no
  reference-style label is left over; no link's text holds ``*``, ``_`` (emphasis),
  ``&`` (character references), ``!`` (see above) or a line break, so the text is its own
  plain text; no link holds a backslash, backtick, ``<`` or ``>``, nor its title ``&``;
- every ``<`` opens an autolink of :data:`AUTOLINK_RE`, so nothing is HTML, and each
  autolink lies outside every code span or inside one (where it is code, not a link) and
  holds nothing mistletoe's other passes read (brackets, emphasis, escapes, backticks);
- a fragment with a backtick is at most :data:`CODE_LIMIT` long: finding code spans is
  mistletoe's own pattern, which it runs on such fragments anyway.

Emphasis changes nothing: mistletoe pairs the delimiters inside a link's text when it
closes the link, and no delimiter lies inside a code span or an autolink, so an emphasis
either holds a whole link, code span or autolink, or lies outside it.
``tests/test_fastlinks.py`` checks all of this against mistletoe, example by example.

This module imports nothing from the package and nothing outside the standard library.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["AUTOLINK_RE", "CODE_LIMIT", "CODE_SPAN_RE", "PLAIN_LINK_RE", "PlainLink", "plain_links"]

#: A link found here: offset of its "[" or "<", text, destination as written, title or None.
PlainLink = tuple[int, str, str, "str | None"]

#: Anywhere in a fragment, any of these sends it to mistletoe.
NOT_PLAIN: Final = ("~~", "![", "!\\", "!`")

#: The longest fragment with a backtick read here (mistletoe's INLINE_LIMIT): finding code
#: spans can cost the square of the length, as it does in mistletoe.
CODE_LIMIT: Final = 8192

#: A plain inline link, matched at a "[": each part is what mistletoe reads the same way.
PLAIN_LINK_RE: Final = re.compile(
    r"""
    \[(?P<text>[^\[\]\n*_&!\\`<>]*)\]  # text: no brackets, emphasis, references, escapes...
    \((?P<dest>                        # the destination follows "(" directly:
      (?:[^\s()\[\]\\`<>\x00-\x1f\x7f] #   no spaces, brackets, escapes or control characters,
      |\([^\s()\[\]\\`<>\x00-\x1f\x7f]*\)  # parentheses balanced one deep, as in X_(y)
      )+)
    (?:[ ]"(?P<title>[^"\n\[\]&\\`<>]*)")?  # an optional title: one space, "double quotes"
    \)                                 # the closing parenthesis, directly
    """,
    re.VERBOSE,
)

#: mistletoe's code span, exactly (``mistletoe.core_tokens.code_pattern``).
CODE_SPAN_RE: Final = re.compile(r"(?<!\\|`)(?:\\\\)*(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)

#: mistletoe's autolink (``mistletoe.span_token.AutoLink``), matched at its "<", with no
#: backslash before it, and nothing inside that another pass would read.
AUTOLINK_RE: Final = re.compile(
    r"""
    (?<!\\)<(?P<target>
      [A-Za-z][A-Za-z0-9+.-]{1,31}:[^ <>]*?       # scheme:anything but spaces and angles
      | [A-Za-z0-9.!\#$%&'*+/=?^_`{|}~-]+          # or an e-mail address
        @[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?
        (?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*
    )>
    """,
    re.VERBOSE,
)
#: What an autolink may not hold here: another pass of mistletoe's would read it.
_AUTOLINK_INERT_RE: Final = re.compile(r"[\[\]*_!\\`\n]")

#: Where the scan stops: brackets, escapes, code span openers and autolink openers.
_SYNTAX_RE: Final = re.compile(r"[\[\]\\`<]")
#: ASCII punctuation: what a backslash escapes.
_PUNCTUATION: Final = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def plain_links(fragment: str) -> list[PlainLink] | None:
    """The links of *fragment* in order, or None if mistletoe must read it (see above)."""
    if "](" not in fragment and "<" not in fragment:
        return []  # an inline link needs "](", an autolink "<"; no label is defined
    for syntax in NOT_PLAIN:  # str.find per string: faster than one pattern's alternation
        if syntax in fragment:
            return None
    code: list[tuple[int, int, int, int]] = []  # each code span: start, end, content span
    if "`" in fragment:
        if len(fragment) > CODE_LIMIT:
            return None
        code = [(m.start(), m.end(), m.start(2), m.end(2)) for m in CODE_SPAN_RE.finditer(fragment)]
    links: list[PlainLink] = []
    next_code = 0  # the first code span not yet passed
    search = _SYNTAX_RE.search
    found = search(fragment)
    while found is not None:
        at = found.start()
        char = fragment[at]
        while next_code < len(code) and code[next_code][1] <= at:
            next_code += 1
        if next_code < len(code) and code[next_code][0] <= at:
            start, end, inner_start, inner_end = code[next_code]
            if at != start:  # only an autolink's "<" can lie inside and still be seen
                return None
            if not _inert_code(fragment, start, end, inner_start, inner_end):
                return None
            found = search(fragment, end)
            continue
        if char == "\\":
            escaped = fragment[at + 1 : at + 2]
            if escaped == "<":
                return None  # mistletoe's HTML pattern does not see the backslash
            found = search(fragment, at + 2 if escaped in _PUNCTUATION else at + 1)
            continue
        if char == "[":
            link = PLAIN_LINK_RE.match(fragment, at)
            if link is None:
                return None  # a "[" that opens no plain link
            links.append((at, link["text"], link["dest"], link["title"]))
            found = search(fragment, link.end())
            continue
        if char == "<":
            autolink = AUTOLINK_RE.match(fragment, at)
            if autolink is None or _AUTOLINK_INERT_RE.search(autolink["target"]):
                return None  # HTML, or an autolink that other passes would also read
            if next_code < len(code) and code[next_code][0] < autolink.end():
                return None  # it runs into a code span
            target = autolink["target"]
            links.append((at, target, target, None))
            found = search(fragment, autolink.end())
            continue
        if char == "]":
            return None  # a "]" that closes no plain link
        found = search(fragment, at + 1)  # a backtick that opens no code span
    return links


def _inert_code(fragment: str, start: int, end: int, inner_start: int, inner_end: int) -> bool:
    """Whether each "<" in a code span opens an autolink inside its content (code, then)."""
    at = fragment.find("<", start, end)
    while at >= 0:
        autolink = AUTOLINK_RE.match(fragment, at)
        if autolink is None or autolink.end() > inner_end or at < inner_start:
            return False  # HTML, perhaps, or an autolink across the code span's edge
        at = fragment.find("<", at + 1, end)
    return True
