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
  :data:`PLAIN_LINK_RE` or a dead end (below), and every such ``]`` closes one, so brackets
  never nest; no link's text holds ``*``, ``_`` (emphasis), ``&`` (character references),
  ``!`` (see above) or a line break, so the text is its own plain text; no link holds a
  backslash, backtick, ``<`` or ``>``, nor its title ``&``;
- every ``<`` opens an autolink of :data:`AUTOLINK_RE`, so nothing is HTML, and each
  autolink lies outside every code span or inside one (where it is code, not a link) and
  holds nothing mistletoe's other passes read (brackets, emphasis, escapes, backticks);
- a fragment with a backtick is at most :data:`CODE_LIMIT` long: finding code spans is
  mistletoe's own pattern, which it runs on such fragments anyway.

A dead end is a ``[text]`` with the text of a plain link that mistletoe cannot make a link
of, so that it reads its brackets as text and nothing else changes: no label is defined, so
it is a link only if ``(`` follows and the destination after it closes (see
:func:`_Destinations.dead_end`). Proving that takes constant time per ``]`` after one pass
over the fragment's parentheses, where mistletoe scans the rest of the paragraph at each
``](`` whose destination does not close.

Emphasis changes nothing: mistletoe pairs the delimiters inside a link's text when it
closes the link, and no delimiter lies inside a code span or an autolink, so an emphasis
either holds a whole link, code span or autolink, or lies outside it.
``tests/test_fastlinks.py`` checks all of this against mistletoe, example by example.

This module imports nothing from the package and nothing outside the standard library.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "AUTOLINK_RE",
    "BRACKETED_RE",
    "CODE_LIMIT",
    "CODE_SPAN_RE",
    "PLAIN_LINK_RE",
    "PlainLink",
    "plain_links",
]

#: A link found here: offset of its "[" or "<", text, destination as written, title or None.
PlainLink = tuple[int, str, str, "str | None"]

#: Anywhere in a fragment, any of these sends it to mistletoe.
NOT_PLAIN: Final = ("~~", "![", "!\\", "!`")

#: The longest fragment with a backtick read here (mistletoe's INLINE_LIMIT): finding code
#: spans can cost the square of the length, as it does in mistletoe.
CODE_LIMIT: Final = 8192

#: A character of a plain destination: no spaces, parentheses, brackets, escapes, backticks,
#: angle brackets or control characters.
_DEST_CHAR: Final = r"[^\s()\[\]\\`<>\x00-\x1f\x7f]"

#: A plain inline link, matched at a "[": each part is what mistletoe reads the same way.
PLAIN_LINK_RE: Final = re.compile(
    rf"""
    \[(?P<text>[^\[\]\n*_&!\\`<>]*)\]  # text: no brackets, emphasis, references, escapes...
    \((?P<dest>                        # the destination follows "(" directly, not empty:
      (?={_DEST_CHAR}|\()
      (?=(?P<run>{_DEST_CHAR}*))(?P=run)  # a run of its characters, taken whole (a lookahead
                                       # is atomic: a failing match gives none of them back)
      (?:\({_DEST_CHAR}*\){_DEST_CHAR}*)*  # then parentheses balanced one deep, as in X_(y)
    )
    (?:[ ]"(?P<title>[^"\n\[\]&\\`<>]*)")?  # an optional title: one space, "double quotes"
    \)                                 # the closing parenthesis, directly
    """,
    re.VERBOSE,
)

#: A link's text as a plain link's, in brackets: a link, or else a dead end (see above).
BRACKETED_RE: Final = re.compile(r"\[[^\[\]\n*_&!\\`<>]*\]")

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
#: What mistletoe's link destinations and titles skip and stop at (its ``whitespace``).
_SPACE_RE: Final = re.compile("[ \t\n\x0b\x0c\r]")
_NOT_SPACE_RE: Final = re.compile("[^ \t\n\x0b\x0c\r]")
_PAREN_RE: Final = re.compile("[()]")
#: ASCII punctuation: what a backslash escapes.
_PUNCTUATION: Final = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def plain_links(fragment: str) -> list[PlainLink] | None:
    """The links of *fragment* in order, or None if mistletoe must read it (see above)."""
    if not _may_link(fragment):
        return []
    for syntax in NOT_PLAIN:  # str.find per string: faster than one pattern's alternation
        if syntax in fragment:
            return None
    code: list[tuple[int, int, int, int]] = []  # each code span: start, end, content span
    if "`" in fragment:
        if len(fragment) > CODE_LIMIT:
            return None
        code = [(m.start(), m.end(), m.start(2), m.end(2)) for m in CODE_SPAN_RE.finditer(fragment)]
    links: list[PlainLink] = []
    destinations = _Destinations(fragment)
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
            if link is not None:
                links.append((at, link["text"], link["dest"], link["title"]))
                found = search(fragment, link.end())
                continue
            bracketed = BRACKETED_RE.match(fragment, at)
            if bracketed is None or not destinations.dead_end(bracketed.end()):
                return None  # a "[" that opens neither a plain link nor a dead end
            found = search(fragment, bracketed.end())  # its brackets are text
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


def _may_link(fragment: str) -> bool:
    """Whether a link can end in *fragment*: an inline link needs a ")" after its "](", an
    autolink a ">" after its "<" (and no label is defined, so there are no others)."""
    opened = fragment.find("](")
    if opened >= 0 and fragment.rfind(")") > opened:
        return True
    angle = fragment.find("<")
    return angle >= 0 and fragment.rfind(">") > angle


def _inert_code(fragment: str, start: int, end: int, inner_start: int, inner_end: int) -> bool:
    """Whether each "<" in a code span opens an autolink inside its content (code, then)."""
    at = fragment.find("<", start, end)
    while at >= 0:
        autolink = AUTOLINK_RE.match(fragment, at)
        if autolink is None or autolink.end() > inner_end or at < inner_start:
            return False  # HTML, perhaps, or an autolink across the code span's edge
        at = fragment.find("<", at + 1, end)
    return True


class _Destinations:
    """Where the destinations of a fragment's inline links end, as mistletoe reads them.

    Asked about one ``]`` after another, left to right: each lookup ahead is kept for the
    next question, so a fragment costs one pass, however many links end nowhere.
    """

    __slots__ = ("_backslash", "_closing", "_fragment", "_space", "_title")

    def __init__(self, fragment: str) -> None:
        self._fragment = fragment
        # (where a search began, the first whitespace it found there or after), kept while
        # questions ask from between the two; the same for a backslash
        self._space = (1, 0)
        self._backslash = (1, 0)
        self._title = (-1, -1)  # (a destination's end, the first non-space at or after it)
        self._closing: dict[int, int] | None = None  # each "(" to the ")" that balances it

    def dead_end(self, after: int) -> bool:
        """Whether ``[text]`` ending just before *after* is certainly no link for mistletoe.

        With no label defined, it can only be an inline link, ``(`` directly after. Its
        destination starts after the whitespace that follows; one in ``<>`` or holding a
        backslash is mistletoe's to read. Any other ends at the first whitespace, or at the
        ``)`` that balances the ``(``: that one closes a link (not a plain one, or the
        caller would have taken it). A destination that runs to the end, or to whitespace
        followed by neither the end nor a title or ``)``, makes no link.
        """
        fragment = self._fragment
        size = len(fragment)
        if not fragment.startswith("(", after):
            return True  # "[text]", "[text][label]": references, and no label is defined
        start = self._not_space(after + 1)
        if start == size:
            return True
        if fragment[start] == "<":
            return False
        end = self._next_space(start)
        if self._next_backslash(start) < end:
            return False
        closing = self._balancing(after)
        if closing is not None and closing < end:
            return False  # the destination closes, with an empty title: a link
        if end == size:
            return True
        if self._title[0] != end:
            self._title = (end, self._not_space(end))
        title = self._title[1]
        return title == size or fragment[title] not in "\"'()"

    def _not_space(self, at: int) -> int:
        found = _NOT_SPACE_RE.search(self._fragment, at)
        return len(self._fragment) if found is None else found.start()

    def _next_space(self, at: int) -> int:
        begun, found = self._space
        if not begun <= at <= found:  # else the answer for an earlier start still holds
            space = _SPACE_RE.search(self._fragment, at)
            found = len(self._fragment) if space is None else space.start()
            self._space = (at, found)
        return found

    def _next_backslash(self, at: int) -> int:
        begun, found = self._backslash
        if not begun <= at <= found:
            found = self._fragment.find("\\", at)
            found = len(self._fragment) if found < 0 else found
            self._backslash = (at, found)
        return found

    def _balancing(self, opening: int) -> int | None:
        """The ")" that balances the "(" at *opening*, escapes and code spans not minded."""
        if self._closing is None:
            self._closing = {}
            stack: list[int] = []
            for paren in _PAREN_RE.finditer(self._fragment):
                if paren[0] == "(":
                    stack.append(paren.start())
                elif stack:
                    self._closing[stack.pop()] = paren.start()
        return self._closing.get(opening)
