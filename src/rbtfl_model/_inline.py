"""mistletoe's inline (span-level) parser, used behind one lock.

mistletoe keeps parser state in module globals: the span token list that renderers swap in
``__enter__``/``__exit__``, the current document used to resolve reference links, and the code
spans found by its core-token pass. This module never touches the token list: it passes its
own token classes to the span tokenizer, so a renderer's context (open or not) changes
nothing here and is left as it was. It resolves no reference links (the format has no link
reference definitions). And it keeps its code spans apart: mistletoe's core-token pass runs
here with a private copy of its module namespace, so the code spans it finds go to a list of
ours instead of ``core_tokens._code_matches``, which a mistletoe parse on another thread may be
filling or emptying at the same moment (sharing that list once gave both wrong results).
One lock serialises our own use of that private list.

Only span-level parsing is done: a text field of a story is one inline fragment, never a
``mistletoe.Document``.
"""

from __future__ import annotations

import re
import threading
import types
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

import attrs
from mistletoe import core_tokens, span_token, span_tokenizer

from rbtfl_model import _fastlinks

__all__ = ["InlineLink", "inline_links", "plain_text"]

_LOCK: Final = threading.Lock()
#: Stands in for a mistletoe Document without link reference definitions.
_NO_DEFINITIONS: Final = types.SimpleNamespace(footnotes={})


#: The longest paragraph given to mistletoe's inline parser, and the most "[" it may hold,
#: and the most "]". Its time grows with the product of the length and the brackets: each
#: "](" can scan the rest of the paragraph, copying it first, and each "]" searches the rest
#: for a code span again, opener or not (one "[" and 8,000 "]" took 1.6 s, 200 us per
#: character). Bounding all three keeps the whole linear: a 2 KB paragraph of bracket pairs
#: took 33 ms, about 16 us per character. Real story paragraphs are far inside the limits
#: (the corpus's longest has 1,097 characters).
INLINE_LIMIT: Final = 8192
INLINE_BRACKETS: Final = 64
#: Links in a paragraph over those limits that is not plain (see ``_fastlinks``): no
#: nesting, emphasis, code spans or HTML are understood there, but each alternative scans
#: forward only and stops at a character it cannot hold (a bracket, "<", a space or a line
#: end), so the search takes linear time. Every alternative begins with one literal
#: character, so the search skips all others at C speed instead of trying each position
#: (a pattern whose first alternative is optional, as ``(!)?\[`` was, gets no such skip:
#: 40 ns a character, 40 times what ``loads`` takes on a long line).
LONG_LINK_RE: Final = re.compile(
    r"""
    \\[^\n]                               # an escaped character is text ("\[" opens nothing)
    | \[\[*(?=\[)                         # a run of "[" but its last: none opens a link here
                                          # (its text would hold "["), so take it in one step
    | !(?P<image>\[[^\[\]\n]*\]           # "![...](...)" is an image, not a link: the link's
      \((?:<[^<>\n]*>|[^\s()<>]*)         # pattern below, after its "!"
      (?:[ \t\n]+(?:"[^"\n]*"|'[^'\n]*'))?
      [ \t]*\))
    | \[(?P<text>[^\[\]\n]*)\]             # link text, without brackets
    \((?P<dest><[^<>\n]*>|[^\s()<>]*)       # destination: <...> or no spaces or parens
    (?:[ \t\n]+(?P<title>"[^"\n]*"|'[^'\n]*'))?  # an optional title in quotes
    [ \t]*\)
    | <(?P<auto>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^ <>]*?)>  # an autolink <scheme:...>, as
    | <(?P<email>[A-Za-z0-9.!\#$%&'*+/=?^_`{|}~-]+     # mistletoe reads it, or <address>
      @[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?
      (?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>
    """,
    re.VERBOSE,
)


@attrs.frozen
class InlineLink:
    """A link found in a fragment, with its offset there."""

    start: int  # offset of the link's first character ("[" or "<") in the fragment
    text: str  # the link text as plain text
    target: str  # the destination as written, escapes and all
    title: str | None  # the title with escapes resolved, or None when there is none


#: core_tokens' module namespace, copied: our find_core_tokens appends the code spans it
#: finds to this copy's ``_code_matches``, which no other code knows of.
_CORE: Final[dict[str, Any]] = dict(vars(core_tokens))
if not isinstance(_CORE.get("_code_matches"), list):  # pragma: no cover - mistletoe changed
    raise ImportError("mistletoe.core_tokens has no _code_matches list to keep apart")
_find_core_tokens: Final = types.FunctionType(core_tokens.find_core_tokens.__code__, _CORE)


class _CoreTokens(span_token.CoreTokens):
    """Links, images and emphasis, with the match kept and no reference links resolved."""

    @classmethod
    def find(cls, string: str) -> Any:
        # mistletoe reads the current Document from a global to resolve [text][label];
        # a story field is a lone fragment, so pass a document that defines no labels.
        return _find_core_tokens(string, _NO_DEFINITIONS)

    def __new__(cls, match: Any) -> Any:
        token = span_token.CoreTokens.__new__(cls, match)  # type: ignore[no-untyped-call]
        token.rbtfl_match = match  # CoreTokens builds a Link etc., not an instance of cls
        return token


class _InlineCode(span_token.InlineCode):
    """A code span, taken from our own list of those the core-token pass found."""

    @classmethod
    def find(cls, string: str) -> Any:
        matches = _CORE["_code_matches"]
        _CORE["_code_matches"] = []
        return matches


class _AutoLink(span_token.AutoLink):
    """An autolink ``<scheme:...>`` that remembers where its ``<`` stood."""

    def __init__(self, match: Any) -> None:
        super().__init__(match)  # type: ignore[no-untyped-call]
        self.rbtfl_start = match.start(1) - 1


#: The token classes of mistletoe's default span list, in its order, with HtmlSpan (as
#: HtmlRenderer adds it) so that link syntax inside an HTML tag is not a link.
_TOKEN_TYPES: Final = (
    span_token.EscapeSequence,
    span_token.HtmlSpan,
    span_token.Strikethrough,
    _AutoLink,
    _CoreTokens,
    _InlineCode,  # must follow _CoreTokens: it takes the code spans that pass found
    span_token.LineBreak,
    span_token.RawText,  # the fallback token comes last
)


def _tokenize_all(fragments: Sequence[str]) -> list[list[Any]]:
    """Run the span tokenizer over every fragment, holding the lock once."""
    with _LOCK:
        result = []
        for fragment in fragments:
            _CORE["_code_matches"] = []
            tokens = span_tokenizer.tokenize(fragment, list(_TOKEN_TYPES))  # type: ignore[no-untyped-call]
            result.append(tokens)
        return result


def inline_links(fragments: Sequence[str], *, declined: bool = False) -> list[list[InlineLink]]:
    """The links of each fragment, in order: inline links and autolinks, however nested.

    A fragment over :data:`INLINE_LIMIT` is cut into paragraphs, which no link can span; a
    paragraph still over it is searched by :data:`LONG_LINK_RE` instead. *declined* says
    ``_fastlinks.plain_links`` has declined every fragment already, so a paragraph that is
    its whole fragment is not offered to it again (a second pass over a long line).
    """
    pieces = [list(_pieces(fragment)) for fragment in fragments]
    small = [text for fragment in pieces for _, text, is_small in fragment if is_small]
    tokenized = iter(_tokenize_all(small))
    result = []
    for fragment, parts in zip(fragments, pieces, strict=True):
        links: list[InlineLink] = []
        for offset, text, is_small in parts:
            if is_small:
                found: Iterable[InlineLink] = _links(next(tokenized))
            else:
                whole = declined and len(text) == len(fragment)  # a piece of it, so equal
                found = _long_links(text, plain=not whole)
            if offset:
                found = (attrs.evolve(link, start=link.start + offset) for link in found)
            links.extend(found)
        result.append(links)
    return result


def _is_small(text: str) -> bool:
    """Whether mistletoe parses *text* in bounded time: see INLINE_LIMIT."""
    return (
        len(text) <= INLINE_LIMIT
        and text.count("[") <= INLINE_BRACKETS
        and text.count("]") <= INLINE_BRACKETS
    )


def _pieces(fragment: str) -> Iterator[tuple[int, str, bool]]:
    """The fragment whole if it is small, else its paragraphs: each with its offset, and
    whether it is small (asked once: each question counts the brackets of a long text)."""
    if _is_small(fragment):
        yield 0, fragment, True
        return
    start = None  # offset of the current paragraph's first line
    offset = 0
    for line in fragment.split("\n"):  # only a blank line ends a paragraph
        if line.strip(" \t"):
            start = offset if start is None else start
        elif start is not None:
            paragraph = fragment[start : offset - 1]
            yield start, paragraph, _is_small(paragraph)
            start = None
        offset += len(line) + 1
    if start is not None:
        paragraph = fragment[start:]
        yield start, paragraph, _is_small(paragraph)


def _long_links(text: str, *, plain: bool = True) -> Iterator[InlineLink]:
    """Links of a paragraph too long for mistletoe, in linear time.

    A plain paragraph (only plain links for syntax) gets exactly mistletoe's links from
    ``_fastlinks``, unless *plain* is false (it has declined *text* already); any other is
    searched by :data:`LONG_LINK_RE`.
    """
    if plain:
        found = _fastlinks.plain_links(text)
        if found is not None:
            yield from (InlineLink(*link) for link in found)
            return
    yield from _searched_links(text)


def _searched_links(text: str) -> Iterator[InlineLink]:
    """The links :data:`LONG_LINK_RE` finds in *text*: not its escapes, runs or images."""
    for match in LONG_LINK_RE.finditer(text):
        if match["text"] is not None:
            dest = match["dest"]
            target = dest[1:-1] if dest.startswith("<") else dest
            title = match["title"][1:-1] if match["title"] else None
            yield InlineLink(match.start(), match["text"], target, title)
            continue
        auto = match["auto"] if match["auto"] is not None else match["email"]
        if auto is not None:
            yield InlineLink(match.start(), auto, auto, None)


def plain_text(markdown: str) -> str:
    """The readable text of an inline Markdown fragment."""
    (tokens,) = _tokenize_all([markdown])
    return _plain(tokens)


def _links(tokens: Iterable[Any]) -> Iterator[InlineLink]:
    for token in tokens:
        if isinstance(token, span_token.Link):
            found: Any = token  # a Link that _CoreTokens built, carrying its match
            match = found.rbtfl_match
            title = token.title if match.title_delimiter is not None else None
            yield InlineLink(match.start(), _plain(_children(token)), match.group(2), title)
        elif isinstance(token, _AutoLink):
            yield InlineLink(token.rbtfl_start, token.target, token.target, None)
        elif not isinstance(token, span_token.Image):  # an image's alt text links nowhere
            yield from _links(_children(token))


def _plain(tokens: Iterable[Any]) -> str:
    return "".join(_plain_token(token) for token in tokens)


def _plain_token(token: Any) -> str:
    if isinstance(token, span_token.RawText):
        return str(token.content)
    if isinstance(token, span_token.LineBreak):
        return "\n"
    if isinstance(token, span_token.HtmlSpan):
        return ""
    # code spans, escapes and autolinks hold one RawText; the rest hold their inline content
    return _plain(_children(token))


def _children(token: Any) -> Iterable[Any]:
    children: Iterable[Any] | None = getattr(token, "children", None)
    return children or ()
