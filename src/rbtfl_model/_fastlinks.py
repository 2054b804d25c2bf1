"""The links of a fragment whose only syntax is plain links, found without mistletoe.

mistletoe's inline parser stays the definition of what a link is. Most story fields use
none of its subtler syntax: their links are ``[text](destination)``, sometimes with a
``"title"``, and nothing else in them is markup that could start, end or hide a link. For
such a fragment :func:`plain_links` gives exactly the links mistletoe gives, in time linear
in its length; for any other fragment it answers None, and the caller asks mistletoe.

A fragment is plain when:

- it holds none of ``\\`` (escapes), a backtick (code spans), ``<`` (autolinks and HTML),
  ``~~`` (strikethrough, which mistletoe lets win over a link it overlaps) or ``![``
  (images);
- every ``[`` in it opens a link of :data:`PLAIN_LINK_RE` and every ``]`` closes one, so
  brackets never nest and no reference-style label is left over;
- no link's text holds ``*``, ``_`` (emphasis), ``&`` (character references), ``!`` (before
  ``]`` it leaves mistletoe's image flag set, which can hide the next link) or a line break,
  so the text is its own plain text; no title holds ``&`` either.

Emphasis outside link texts changes nothing: mistletoe pairs the delimiters inside a link's
text when it closes the link, so an emphasis either holds a whole link or lies outside it.
``tests/test_fastlinks.py`` checks all of this against mistletoe, example by example.

This module imports nothing from the package and nothing outside the standard library.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["NOT_PLAIN", "PLAIN_LINK_RE", "PlainLink", "plain_links"]

#: A link found here: offset of its "[", text, destination as written, title or None.
PlainLink = tuple[int, str, str, "str | None"]

#: Anywhere in a fragment, any of these sends it to mistletoe.
NOT_PLAIN: Final = ("\\", "`", "<", "~~", "![")

#: A plain inline link, matched at a "[": each part is what mistletoe reads the same way.
PLAIN_LINK_RE: Final = re.compile(
    r"""
    \[(?P<text>[^\[\]\n*_&!]*)\]      # text: no brackets, emphasis, references, "!" or breaks
    \((?P<dest>                       # the destination follows "(" directly:
      (?:[^\s()\[\]\x00-\x1f\x7f]     #   no spaces, brackets or control characters,
      |\([^\s()\[\]\x00-\x1f\x7f]*\)  #   parentheses balanced one deep, as in X_(y)
      )+)
    (?:[ ]"(?P<title>[^"\n\[\]&]*)")? # an optional title: one space, then "double quotes"
    \)                                # the closing parenthesis, directly
    """,
    re.VERBOSE,
)


def plain_links(fragment: str) -> list[PlainLink] | None:
    """The links of *fragment* in order, or None if mistletoe must read it (see above)."""
    if "](" not in fragment and "<" not in fragment:
        return []  # an inline link needs "](", an autolink "<"; no label is defined
    for syntax in NOT_PLAIN:  # str.find per string: faster than one pattern's alternation
        if syntax in fragment:
            return None
    links: list[PlainLink] = []
    match = PLAIN_LINK_RE.match
    at = fragment.find("[")
    while at >= 0:
        found = match(fragment, at)
        if found is None:
            return None  # a "[" that opens no plain link
        links.append((at, found["text"], found["dest"], found["title"]))
        at = fragment.find("[", found.end())
    # each link holds one "[" and one "]": any other "]" is syntax mistletoe must judge
    return links if fragment.count("]") == len(links) else None
