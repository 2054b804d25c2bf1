"""Parse story files by the format's own line grammar.

CommonMark block parsing misreads this format (a take's ``Source:`` line is a lazy
continuation of its quote), so blocks are recognised line by line here; inline Markdown
inside text fields is left as text. The grammar, one production per ``_parse_*`` method::

    story    = [BOM] title deck {blank} meta {blank} {section} [footer] {blank}
    section  = heading body
    footer   = "---" {blank} "Canonical: " URL

Every accepted line becomes part of exactly one block, recorded with its kind and value in
the story's source map (see ``_sourcemap``) as it is parsed, so the file can be written back
byte for byte and every value's position is known without parsing again.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from sys import intern
from typing import Any, Final, TypeVar

from rbtfl_model import _grammar as G
from rbtfl_model._files import read_limited
from rbtfl_model._grammar import (
    BOM,
    CANONICAL_GOOD_LINE_RE,
    CANONICAL_LINE_RE,
    COUNT_SEGMENTS_RE,
    ENTITIES_PREFIX,
    ISO_DATE_RE,
    LENS_HEADING_RE,
    LIST_SEP,
    META_PREFIX,
    META_USUAL_RE,
    QUOTE_LINE_RE,
    QUOTE_START_RE,
    RELATED_ITEM_RE,
    RELATED_LIST_RE,
    RELATED_LIST_SEP,
    RELATED_PREFIX,
    RULE_LINE,
    SECTION_HEADING_BARE,
    SECTION_HEADING_STARTS,
    SEGMENT_RE,
    SEGMENT_SEP,
    SOURCE_LINE_RE,
    SOURCE_START_RE,
    SURROGATE_RE,
    TAKE_SEP,
    TAKE_START_RE,
)
from rbtfl_model._sourcemap import Layout, SectionKey, SourceMap
from rbtfl_model.errors import ParseError
from rbtfl_model.model import Count, Entity, Lens, Meta, Metric, Section, Story, Take

__all__ = ["load", "loads"]

#: Lines that end a section without a prefix test: a bare "##" heading and the "---" rule.
_BARE_ENDS: Final = (SECTION_HEADING_BARE, RULE_LINE)
#: Each known section's name, as the one str every story shares, and its key.
_KNOWN_SECTIONS: Final = {name: (name, key) for name, key in G.SECTION_NAMES.items()}
#: The first characters of the lines that end a section.
_END_STARTS: Final = frozenset("#-")
#: The layout's keys of the first meta counts: "#0", "#1", ...
_COUNT_KEYS: Final = tuple(f"#{n}" for n in range(16))
_COUNT_KEY_LIMIT: Final = len(_COUNT_KEYS)
#: The column of the first meta segment, after the prefix and a space.
_META_FIRST_COLUMN: Final = len(META_PREFIX) + 2
_SEGMENT_SEP_LENGTH: Final = len(SEGMENT_SEP)
_TAKE_SEP_LENGTH: Final = len(TAKE_SEP)
#: The default limit on the size of a file ``load`` reads: far above any real story.
MAX_SIZE: Final = 16 * 2**20
#: The outlet, region and language of each take line's start ("- **Outlet** (Region, lang)
#: — "), interned: names from closed vocabularies, so a corpus holds one str for each. A
#: start seen before costs one lookup, less than reading its three names apart. Each table
#: of shared values is filled through _shared, which bounds it.
_TAKE_NAMES: Final[dict[str, tuple[str, ...]]] = {}
#: Entities and the counts of the usual meta line, also closed vocabularies, each shared as
#: one frozen value: a name seen before costs a lookup rather than building an object again.
_ENTITIES: Final[dict[str, Entity]] = {}
_COUNTS: Final[dict[str, tuple[Count, ...]]] = {}
#: How many entries each of those tables may hold, and how long a key: past either, values
#: are built one by one. A table then keeps at most 4,096 short keys, whatever the input.
_SHARED_LIMIT: Final = 4096
_SHARED_KEY_LENGTH: Final = 200
#: The usual meta line's keys, by how many counts it has.
_USUAL_META_ORDERS: Final = tuple(
    ("type", "date", "heads", *_COUNT_KEYS[:n]) for n in range(_COUNT_KEY_LIMIT + 1)
)
_V = TypeVar("_V")


def loads(text: str | bytes) -> Story:
    """Parse a story from *text*; bytes are decoded as UTF-8.

    Raises :class:`ParseError` for anything that is not a story file, and for a str holding
    a lone surrogate (which no file can hold).
    """
    return _loads(text, None)


def load(
    path: str | bytes | os.PathLike[str] | os.PathLike[bytes], *, max_size: int = MAX_SIZE
) -> Story:
    """Read and parse the story file at *path*.

    A file larger than *max_size* bytes raises :class:`ParseError` before it is read.
    """
    name = os.fsdecode(path)  # a ParseError names a bytes path as text too
    status, data = read_limited(path, max_size)
    if data is None:
        size = status.st_size
        found = f"{size:,} bytes" if size > max_size else f"more than {max_size:,} bytes"
        raise _too_large(found, max_size, name)
    return _loads(data, name)


def _too_large(size: str, max_size: int, path: str) -> ParseError:
    return ParseError(
        f"file is too large ({size}): the limit is {max_size:,} bytes, set by max_size=",
        line=1,
        column=1,
        path=path,
    )


def _loads(text: str | bytes, path: str | None) -> Story:
    # The layout keeps the UTF-8 bytes, not the str: for text with any character beyond
    # Latin-1 a str takes 2 or 4 bytes a character, the UTF-8 of story text barely over 1.
    if isinstance(text, str):
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as exc:  # only a lone surrogate cannot be encoded
            raise _surrogate_error(text, exc.start, path) from None
    elif isinstance(text, (bytes, bytearray, memoryview)):
        data = bytes(text)
        text = _decode(data, path)
    else:
        raise TypeError(f"expected str or bytes, got {type(text).__name__}")
    return _Parser(text, data, path).parse()


def _surrogate_error(text: str, at: int, path: str | None) -> ParseError:
    """A lone surrogate has no UTF-8 encoding, so a story holding one could not be written."""
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    line = text[line_start : line_end if line_end >= 0 else len(text)].rstrip("\r")
    return ParseError(
        f"lone surrogate U+{ord(text[at]):04X} cannot be encoded as UTF-8",
        line=text.count("\n", 0, at) + 1,
        column=at - line_start + 1,
        source_line=SURROGATE_RE.sub("\ufffd", line),  # printable, and the columns stay put
        path=path,
    )


def _decode(data: bytes, path: str | None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line_end = data.find(b"\n", exc.start)
        raw_line = data[line_start : line_end if line_end >= 0 else len(data)]
        raise ParseError(
            f"file is not valid UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
            line=data.count(b"\n", 0, exc.start) + 1,
            column=len(data[line_start : exc.start].decode("utf-8", "replace")) + 1,
            source_line=raw_line.decode("utf-8", "replace").rstrip("\r"),
            path=path,
        ) from None


def _is_blank(line: str) -> bool:
    return not line.strip(" \t")


def _ends_section(line: str) -> bool:
    """A '## ' heading or the '---' rule: the line that ends a section's body."""
    return line.startswith(SECTION_HEADING_STARTS) or line in _BARE_ENDS


class _Parser:
    """One parse of one text: a cursor over its lines and the source map recorded so far."""

    __slots__ = (
        "blocks",
        "bom",
        "data",
        "emit",
        "final_newline",
        "graph_order",
        "lines",
        "meta_order",
        "newline",
        "path",
        "section_lines",
        "section_order",
        "text",
    )

    def __init__(self, text: str, data: bytes, path: str | None) -> None:
        self.text = text
        self.data = data
        self.path = path
        self.bom = text.startswith(BOM)
        body = text[1:] if self.bom else text
        self.lines = body.split("\n")
        if not self.lines[-1]:
            self.lines.pop()  # the empty string after the final newline is not a line
        end = body.find("\n")
        self.newline = "\r\n" if end > 0 and body[end - 1] == "\r" else "\n"
        if "\r" in body:
            self.lines = [line.removesuffix("\r") for line in self.lines]
        self.final_newline = body.endswith("\n") or not body
        # The source map, block by block in file order: kind, value, first and end line
        # index; the blank lines before a block are its gap. self.emit(block) records one,
        # its four items in a row: four slices then give the map's four columns.
        self.blocks: list[Any] = []  # str, Hashable, int, int, str, ...
        self.emit = self.blocks.extend
        self.section_order: list[SectionKey] = []
        self.section_lines: dict[str, int] = {}
        self.meta_order: Sequence[str] = ()
        self.graph_order: list[str] = []

    # -- helpers -----------------------------------------------------------------------

    def error(self, msg: str, index: int, column: int = 1, span: int = 1) -> ParseError:
        if index >= len(self.lines) and self.lines:
            # past the last line: point just after the end of the file's last line
            index = len(self.lines) - 1
            column = len(self.lines[index]) + 1
        source = self.lines[index] if index < len(self.lines) else ""
        return ParseError(
            msg, line=index + 1, column=column, source_line=source, span=span, path=self.path
        )

    def found(self, index: int) -> str:
        """What stands at line *index*, for a message: the line quoted, or the end."""
        return repr(self.lines[index]) if index < len(self.lines) else "the end of the file"

    def skip_blank(self, index: int, stop: int | None = None) -> int:
        lines = self.lines
        stop = len(lines) if stop is None else stop
        # _is_blank, inlined: hot; most blank lines are empty, which needs no call
        while index < stop and (not lines[index] or not lines[index].strip(" \t")):
            index += 1
        return index

    # -- productions -------------------------------------------------------------------

    def parse(self) -> Story:
        """story = [BOM] title deck {blank} meta {blank} {section} [footer] {blank}"""
        self.check_carriage_returns()
        title = self.parse_title()
        deck = self.parse_deck()
        meta = self.parse_meta(self.skip_blank(2))
        summary = split = why = canonical = None
        metrics: tuple[Metric, ...] = ()
        watch: tuple[str, ...] = ()
        lenses: tuple[Lens, ...] = ()
        related: tuple[str, ...] = ()
        entities: tuple[Entity, ...] = ()
        sections: list[Section] = []
        index = self.skip_blank(self.blocks[-1])  # after the meta line: its end
        count = len(self.lines)
        if index < count and not _ends_section(self.lines[index]):
            found = self.lines[index]
            raise self.error(f"expected a '## ' section heading, found {found!r}", index)
        # Each body is parsed up to the line that ends it (see _ends_section), found as its
        # lines are read: blank lines, then that line or the end of the file. So every
        # section starts at such a line: a heading, or the rule before the footer.
        while index < count:
            if self.lines[index] == RULE_LINE:
                canonical = self.parse_footer(index)
                break
            name, key = self.parse_heading(index, len(sections))
            start = index + 1
            match key:
                case None:
                    body, index = self.parse_text(start, None)
                    sections.append(Section(name, body))
                case G.SUMMARY:
                    summary, index = self.parse_text(start, key)
                case G.SPLIT:
                    split, index = self.parse_text(start, key)
                case G.WHY:
                    why, index = self.parse_text(start, key)
                case G.METRICS:
                    metrics, index = self.parse_metrics(start)
                case G.WATCH_LIST:
                    watch, index = self.parse_watch(start)
                case G.LENSES:
                    lenses, index = self.parse_lenses(start)
                case G.GRAPH:
                    related, entities, index = self.parse_graph(start)
        extra = tuple(sections)
        blocks = self.blocks  # the four columns, interleaved
        # Built as SourceMap(...) and Story(...) would build them, but without type.__call__
        # packing the keywords into a dict for __init__ to unpack: 5,000 instructions for
        # Story's fourteen, 6% of a short story's loads.
        smap = object.__new__(SourceMap)
        SourceMap.__init__(
            smap,
            data=self.data,
            bom=self.bom,
            kinds="".join(blocks[0::4]),
            values=tuple(blocks[1::4]),
            starts=tuple(blocks[2::4]),
            stops=tuple(blocks[3::4]),
            line_count=len(self.lines),
            section_order=tuple(self.section_order),
            meta_order=tuple(self.meta_order),
            graph_order=tuple(self.graph_order),
        )
        # in the order of model.CONTENT_FIELDS, so that dumps knows an unchanged story
        content = (
            title,
            deck,
            meta,
            summary,
            split,
            metrics,
            why,
            watch,
            extra,
            lenses,
            related,
            entities,
            canonical,
        )
        layout = Layout(smap, content, self.newline, self.final_newline)  # by position: see above
        story = object.__new__(Story)  # see smap above
        Story.__init__(
            story,
            title=title,
            deck=deck,
            meta=meta,
            summary=summary,
            split=split,
            metrics=metrics,
            why_it_matters=why,
            what_to_watch=watch,
            sections=extra,
            lenses=lenses,
            related=related,
            entities=entities,
            canonical=canonical,
            _layout=layout,
        )
        return story

    def check_carriage_returns(self) -> None:
        """A carriage return is only allowed as the first half of a CRLF line ending."""
        if "\r" not in self.text:
            return
        for index, line in enumerate(self.lines):
            column = line.find("\r")
            if column >= 0:
                raise self.error("stray carriage return inside a line", index, column + 1)
        if self.text.endswith("\r"):  # split as if a "\n" followed: no CRLF without it
            index = len(self.lines) - 1
            msg = "stray carriage return at the end of the file"
            raise self.error(msg, index, len(self.lines[index]) + 1)

    def parse_title(self) -> str:
        """title = "# " TEXT"""
        if not self.lines:
            raise self.error("empty file: expected a '# ' title on line 1", 0)
        line = self.lines[0]
        if not line.startswith(G.TITLE_PREFIX):
            raise self.error(f"expected a '# ' title, found {line[:20]!r}", 0, span=2)
        title = line[2:]
        if _is_blank(title):
            raise self.error("expected a title after '# '", 0, 3)
        self.emit((G.TITLE, title, 0, 1))
        return title

    def parse_deck(self) -> str:
        """deck = "> " TEXT | ">" """
        line = self.lines[1] if len(self.lines) > 1 else ""
        if line == ">":
            deck = ""
        elif line.startswith(G.DECK_PREFIX):
            deck = line[2:]
        else:
            raise self.error(f"expected a '> ' deck line after the title, found {self.found(1)}", 1)
        self.emit((G.DECK, deck, 1, 2))
        return deck

    def parse_meta(self, index: int) -> Meta:
        """meta = "**Meta:**" [" " segment {" · " segment}]"""
        line = self.lines[index] if index < len(self.lines) else ""
        # the usual line is read by one pattern, any other segment by segment, which also
        # says what is wrong with it (tests/test_parser_fast_paths.py checks both read alike)
        meta = self.usual_meta(line)
        if meta is None:
            meta = self.meta_segments(line, index)
        self.emit((G.META, meta, index, index + 1))
        return meta

    def usual_meta(self, line: str) -> Meta | None:
        """The meta of a line META_USUAL_RE matches; None for any other, or a bad value."""
        match = META_USUAL_RE.fullmatch(line)
        if match is None:
            return None
        type_, date_text, heads_text, counts_text = match.groups()
        heads = tuple(heads_text.split(LIST_SEP)) if heads_text else ()
        for head in heads:
            if not head.strip(" \t"):  # an empty head: the segments' reader says so
                return None
        try:
            date = datetime.date.fromisoformat(date_text)
        except ValueError:  # not a calendar date: the segments' reader says so
            return None
        counts = _COUNTS.get(counts_text)
        if counts is None:
            if counts_text.count(SEGMENT_SEP) > _COUNT_KEY_LIMIT:
                return None  # more counts than _USUAL_META_ORDERS has keys for
            found = COUNT_SEGMENTS_RE.findall(counts_text)
            counts = _shared(_COUNTS, counts_text, tuple([Count(int(n), w) for n, w in found]))
        self.meta_order = _USUAL_META_ORDERS[len(counts)]
        return Meta(intern(type_), date, tuple(map(intern, heads)), (), counts)

    def meta_segments(self, line: str, index: int) -> Meta:
        """The meta of any line, read segment by segment; says what is wrong with a bad one."""
        if not line.startswith(META_PREFIX):
            raise self.error(f"expected a '{META_PREFIX} ' line, found {self.found(index)}", index)
        rest = line[len(META_PREFIX) :]
        if rest and not rest.startswith(" "):
            raise self.error(f"expected a space after '{META_PREFIX}'", index, len(META_PREFIX) + 1)
        if rest.endswith(G.DANGLING_SEP):
            # before another segment it would read as the separator: "x · · 5 takes"
            msg = f"a meta value cannot end in {G.DANGLING_SEP!r}, the start of a separator"
            raise self.error(msg, index, len(line) - 1, 2)
        type_: str | None = None
        date: datetime.date | None = None
        heads: tuple[str, ...] = ()
        extra: list[tuple[str, str]] = []
        counts: list[Count] = []
        column = _META_FIRST_COLUMN
        order: list[str] = []
        seen: set[str] = set()  # not order: a list lookup per segment is quadratic
        for segment in rest[1:].split(SEGMENT_SEP) if rest[1:] else ():
            # segment = KEY ": " VALUE | NUMBER " " NOUN
            match = SEGMENT_RE.fullmatch(segment)
            if match is None:
                raise self.error(
                    f"meta segment {segment!r} is neither 'key: value' nor a count like '5 takes'",
                    index,
                    column,
                    len(segment),
                )
            number, noun, key, value = match.groups()
            # the keys are kept in the layout of every story: share one str for each
            if number is not None:
                if len(number) > G.COUNT_DIGITS:  # int() would refuse 4,301 with ValueError
                    msg = f"a count has at most {G.COUNT_DIGITS} digits, found {len(number):,}"
                    raise self.error(msg, index, column, len(number))
                n = len(counts)
                key = _COUNT_KEYS[n] if n < _COUNT_KEY_LIMIT else intern(f"#{n}")
                counts.append(Count(int(number), noun))
            else:
                key = intern(key)
                if key == "type":
                    type_ = intern(value)
                elif key == "date":
                    date = self.parse_date(value, index, column + len(key) + 2)
                elif key == "heads":
                    heads = self.parse_list(value, "head", index, column + len(key) + 2)
                    heads = tuple(map(intern, heads))  # tags, shared across a corpus
                else:
                    extra.append((key, value))
                if key in seen:
                    raise self.error(f"duplicate meta key {key!r}", index, column, len(segment))
            seen.add(key)
            order.append(key)
            column += len(segment) + _SEGMENT_SEP_LENGTH
        self.meta_order = order
        return Meta(type_, date, heads, tuple(extra), tuple(counts))

    def parse_date(self, value: str, index: int, column: int) -> datetime.date:
        """date = YYYY "-" MM "-" DD, a calendar date"""
        if ISO_DATE_RE.fullmatch(value) is None:
            raise self.error(
                f"expected an ISO date yyyy-mm-dd, found {value!r}", index, column, len(value)
            )
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise self.error(
                f"date {value} is not a calendar date", index, column, len(value)
            ) from None

    def parse_list(self, value: str, what: str, index: int, column: int) -> tuple[str, ...]:
        """list = [ITEM {", " ITEM}]"""
        if not value:
            return ()
        items = tuple(value.split(LIST_SEP))
        for n, item in enumerate(items):
            if not item.strip(" \t"):  # blank
                column += sum(len(before) + len(LIST_SEP) for before in items[:n])
                raise self.error(f"empty {what} in a ', ' separated list", index, column)
        return items

    def parse_heading(self, index: int, extras: int) -> tuple[str, str | None]:
        """heading = "## " NAME; returns the name and its section key.

        The line at *index* is one that ends a section (see _ends_section), not the rule.
        *extras* is how many unknown sections came before: an unknown one is keyed by it.
        """
        line = self.lines[index]  # ends a section and is not the rule: "##", "## " or "##\t"
        name = line[2:].strip(" \t")  # what SECTION_HEADING_RE calls the name
        known = _KNOWN_SECTIONS.get(name)
        if known is not None:
            name, key = known  # the one str of that name, shared by every story
            if key in self.section_lines:
                first = self.section_lines[key] + 1
                raise self.error(f"duplicate section {name!r} (first at line {first})", index)
            self.section_lines[key] = index
            self.section_order.append(key)
        elif not name:
            raise self.error("expected a section name after '##'", index)
        else:
            name, key = intern(name), None
            self.section_order.append(extras)
        self.emit((G.HEADING, name, index, index + 1))
        return name, key

    def parse_text(self, start: int, key: str | None) -> tuple[str, int]:
        """body = {LINE}: the lines between the blank lines that surround them

        Prose of the known section *key*, kept as inline Markdown text, or the body of an
        unknown section (*key* None); "" when there are no lines. Also returns where the
        body ends.
        """
        lines = self.lines
        stop = len(lines)
        for index in range(start, stop):
            line = lines[index]
            if line[:1] in _END_STARTS and _ends_section(line):  # most lines start otherwise
                stop = index
                break
        first = self.skip_blank(start, stop)
        if first == stop:
            return "", stop
        last = stop
        while not lines[last - 1].strip(" \t"):  # blank
            last -= 1
        text = "\n".join(lines[first:last])
        if key is None:
            self.emit((G.EXTRA_BODY, text, first, last))
        else:
            self.emit((G.PROSE, (key, text), first, last))
        return text, stop

    def parse_metrics(self, start: int) -> tuple[tuple[Metric, ...], int]:
        """metrics = {"- " VALUE ", " DESCRIPTION}; also returns where they end"""
        metrics = []
        lines = self.lines
        stop = len(lines)
        for index in range(start, stop):
            line = lines[index]
            if not line or not line.strip(" \t"):  # blank (_is_blank, inlined: per line)
                continue
            value, sep, description = line[2:].partition(LIST_SEP)
            if not line.startswith(G.BULLET) or not sep or not value.strip(" \t"):
                if _ends_section(line):
                    stop = index
                    break
                raise self.error(
                    f"expected a metric bullet '- VALUE, DESCRIPTION', found {line!r}", index
                )
            metric = Metric(value, description)
            metrics.append(metric)
            self.emit((G.METRIC, metric, index, index + 1))
        return tuple(metrics), stop

    def parse_watch(self, start: int) -> tuple[tuple[str, ...], int]:
        """watch = {"- " TEXT}; also returns where the items end"""
        items = []
        lines = self.lines
        stop = len(lines)
        for index in range(start, stop):
            line = lines[index]
            if not line or not line.strip(" \t"):  # blank (_is_blank, inlined: per line)
                continue
            if not line.startswith(G.BULLET) or not line[2:].strip(" \t"):
                if _ends_section(line):
                    stop = index
                    break
                raise self.error(f"expected a bullet '- TEXT', found {line!r}", index)
            item = line[2:]
            items.append(item)
            self.emit((G.WATCH, item, index, index + 1))
        return tuple(items), stop

    def parse_lenses(self, start: int) -> tuple[tuple[Lens, ...], int]:
        """lenses = {"### " NAME {take}}; also returns where they end"""
        lenses: list[Lens] = []
        name: str | None = None
        takes: list[Take] = []
        index = start
        lines = self.lines
        stop = len(lines)
        while index < stop:
            line = lines[index]
            if not line or not line.strip(" \t"):  # blank (_is_blank, inlined: per line)
                index += 1
            elif line.startswith(G.BULLET):  # first: most lines of the section are takes
                if name is None:
                    raise self.error("take before any '### lens' heading", index)
                take, end = self.parse_take(index)
                takes.append(take)
                self.emit((G.TAKE, take, index, end))
                index = end
            elif match := LENS_HEADING_RE.fullmatch(line):
                if name is not None:
                    lenses.append(Lens(name, tuple(takes)))
                name, takes = intern(match["name"] or ""), []
                if not name:
                    raise self.error("empty lens name after '###'", index)
                self.emit((G.LENS, name, index, index + 1))
                index += 1
            elif _ends_section(line):
                stop = index
            elif QUOTE_START_RE.match(line):
                after_source = index > 0 and SOURCE_START_RE.match(self.lines[index - 1])
                where = ": it must come before the Source line" if after_source else ""
                raise self.error(f"quote line does not belong to a take{where}", index)
            elif SOURCE_START_RE.match(line):
                raise self.error("Source line does not belong to a take", index)
            else:
                raise self.error(
                    "expected a '### lens' heading or a take "
                    f"'- **Outlet** (Region, lang) — summary', found {line[:30]!r}",
                    index,
                )
        if name is not None:
            lenses.append(Lens(name, tuple(takes)))
        return tuple(lenses), stop

    def parse_take(self, index: int) -> tuple[Take, int]:
        """take = "- **" OUTLET "** (" REGION ", " LANG ") — " SUMMARY [quote] [source]"""
        # the usual line is read by one pattern; any other part by part, which also says what
        # is wrong with it (tests/test_parser_fast_paths.py checks that the two read alike)
        line = self.lines[index]
        if match := TAKE_START_RE.match(line):
            names = _TAKE_NAMES.get(start := match[0])  # one lookup for the three names
            if names is None:
                names = _shared(_TAKE_NAMES, start, tuple(map(intern, match.groups())))
            outlet, region, language = names
            summary = line[match.end() :]
        else:
            outlet, region, language, summary = self.take_line(index)
            outlet, region, language = intern(outlet), intern(region), intern(language)
        quote = source = None
        end = index + 1
        stop = len(self.lines)  # a quote or source line is indented: it never ends a section
        # the whole line's pattern first: it matches most quote and source lines, and only
        # a line it refuses is tested for the start that would make it a broken one
        if end < stop:
            if match := QUOTE_LINE_RE.fullmatch(self.lines[end]):
                quote, end = match["quote"], end + 1
            elif QUOTE_START_RE.match(self.lines[end]):
                raise self.error('expected a quote line  > "quotation"', end)
        if end < stop:
            if match := SOURCE_LINE_RE.fullmatch(self.lines[end]):
                source, end = match["url"], end + 1
            elif SOURCE_START_RE.match(self.lines[end]):
                raise self.error("expected a source line  Source: URL", end)
        return Take(outlet, region, language, summary, quote, source), end

    def take_line(self, index: int) -> tuple[str, str, str, str]:
        """A take's first line: its outlet, region, language and summary."""
        line = self.lines[index]
        if not line.startswith("- **"):
            raise self.error("take bullet does not start with a **bold** outlet", index, 3)
        close = line.find("**", 4)
        if close < 0:
            raise self.error("outlet bold is not closed: expected '**'", index, 3, 2)
        outlet = line[4:close]
        if not outlet.strip(" \t"):  # blank
            raise self.error("empty outlet between '**' and '**'", index, 3, 4)
        if not line.startswith(" (", close + 2):
            raise self.error("expected ' (Region, lang)' after the outlet", index, close + 3)
        open_at = close + 4
        close_paren = line.find(")", open_at)
        region, sep, language = line[open_at:close_paren].rpartition(LIST_SEP)
        if close_paren < 0 or not sep or not region.strip(" \t") or not language.strip(" \t"):
            raise self.error("expected '(Region, lang)' after the outlet", index, open_at)
        if not line.startswith(TAKE_SEP, close_paren + 1):
            raise self.error("expected ' — ' after '(Region, lang)'", index, close_paren + 2)
        return outlet, region, language, line[close_paren + 1 + _TAKE_SEP_LENGTH :]

    def parse_graph(self, start: int) -> tuple[tuple[str, ...], tuple[Entity, ...], int]:
        """graph = ["- Related: " "[[" SLUG "]]" {", " ...}] ["- Entities: " NAME {", " NAME}]

        Also returns where the lines end.
        """
        related: tuple[str, ...] = ()
        entities: tuple[Entity, ...] = ()
        lines = self.lines
        stop = len(lines)
        for index in range(start, stop):
            line = lines[index]
            if not line or not line.strip(" \t"):  # blank (_is_blank, inlined: per line)
                continue
            if line.startswith(RELATED_PREFIX):
                field, prefix = "related", RELATED_PREFIX
            elif line.startswith(ENTITIES_PREFIX):
                field, prefix = "entities", ENTITIES_PREFIX
            elif _ends_section(line):
                stop = index
                break
            else:
                raise self.error(
                    "expected '- Related: [[slug]], ...' or '- Entities: Name, ...', "
                    f"found {line[:30]!r}",
                    index,
                )
            if field in self.graph_order:
                raise self.error(f"duplicate {prefix!r} line", index)
            self.graph_order.append(field)
            rest = line[len(prefix) :]
            if rest and not rest.startswith(" "):
                raise self.error(f"expected a space after {prefix!r}", index, len(prefix) + 1)
            if field == "related":
                related = self.parse_related(rest[1:], index, len(prefix) + 2)
                self.emit((G.RELATED, related, index, index + 1))
            else:
                entities = self.parse_entities(rest[1:], index, len(prefix) + 2)
                self.emit((G.ENTITIES, entities, index, index + 1))
        return related, entities, stop

    def parse_related(self, text: str, index: int, column: int) -> tuple[str, ...]:
        """related = "[[" SLUG "]]" {", " "[[" SLUG "]]"}"""
        text = text.rstrip(" \t")
        if RELATED_LIST_RE.fullmatch(text):  # the usual list, read in one match
            return tuple(map(intern, text[2:-2].split(RELATED_LIST_SEP)))
        return self.related_items(text, index, column)

    def related_items(self, text: str, index: int, column: int) -> tuple[str, ...]:
        """A Related list read item by item, which also says which item is wrong."""
        slugs = []
        for item in self.parse_list(text, "related item", index, column):
            match = RELATED_ITEM_RE.fullmatch(item)
            if match is None:
                raise self.error(
                    f"Related item {item!r} is not '[[slug]]'", index, column, len(item)
                )
            slugs.append(intern(match["slug"]))
            column += len(item) + len(LIST_SEP)
        return tuple(slugs)

    def parse_entities(self, text: str, index: int, column: int) -> tuple[Entity, ...]:
        """entities = NAME {", " NAME}"""
        names = self.parse_list(text, "entity", index, column)
        return tuple(
            [
                _ENTITIES.get(name) or _shared(_ENTITIES, name, Entity(intern(name)))
                for name in names
            ]
        )

    def parse_footer(self, index: int) -> str:
        """footer = "---" {blank} "Canonical: " URL {blank}"""
        self.emit((G.RULE, None, index, index + 1))
        at = self.skip_blank(index + 1)
        line = self.lines[at] if at < len(self.lines) else ""
        match = CANONICAL_GOOD_LINE_RE.fullmatch(line)
        if match is None:
            raise self.canonical_error(line, at)
        url = match["url"]
        self.emit((G.CANONICAL, url, at, at + 1))
        after = self.skip_blank(at + 1)
        if after < len(self.lines):
            raise self.error("expected nothing after the 'Canonical:' line", after)
        return url

    def canonical_error(self, line: str, at: int) -> ParseError:
        """What is wrong with *line*, which is not 'Canonical: ' and a canonical URL."""
        match = CANONICAL_LINE_RE.fullmatch(line)
        if match is None:
            return self.error(f"expected 'Canonical: URL' after '---', found {self.found(at)}", at)
        url = match["url"]
        msg = f"expected a canonical URL like https://rbtfl.xyz/ko/n/slug, found {url!r}"
        return self.error(msg, at, len(G.CANONICAL_PREFIX) + 1, len(url))


def _shared(table: dict[str, _V], key: str, value: _V) -> _V:
    """*value*, kept in *table* under *key* while the table has room and the key is short."""
    if len(table) < _SHARED_LIMIT and len(key) <= _SHARED_KEY_LENGTH:
        table[key] = value
    return value
