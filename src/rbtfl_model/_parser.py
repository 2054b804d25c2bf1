"""Parse story files by the format's own line grammar.

CommonMark block parsing misreads this format (a take's ``Source:`` line is a lazy
continuation of its quote), so blocks are recognised line by line here; inline Markdown
inside text fields is left as text. The grammar, one production per ``_parse_*`` method::

    story    = [BOM] title deck {blank} meta {blank} {section} [footer] {blank}
    section  = heading body
    footer   = "---" {blank} "Canonical: " URL

Every accepted line becomes part of exactly one block (see ``_layout``), so the file can be
written back byte for byte.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable
from typing import Final

from rbtfl_model import _layout as L
from rbtfl_model._layout import Layout, SectionKey
from rbtfl_model.errors import ParseError
from rbtfl_model.model import (
    CANONICAL_URL_RE,
    MAX_COUNT,
    Count,
    Entity,
    Lens,
    Meta,
    Metric,
    Section,
    Story,
    Take,
)

__all__ = ["load", "loads"]

BOM: Final = "\ufeff"
META_PREFIX: Final = "**Meta:**"
SEGMENT_SEP: Final = " · "  # space, U+00B7 middle dot, space
TAKE_SEP: Final = " — "  # space, U+2014 em dash, space
LIST_SEP: Final = ", "

SECTION_HEADING_RE: Final = re.compile(
    r"""
    \#\#                          # exactly two hashes (a third makes it a lens heading)
    (?:[ \t]+                     # at least one space, then the name: it starts and ends
    (?P<name>[^ \t](?:.*[^ \t])?))? # with a non-blank (not `.*?`, which made "## a   b"
    [ \t]*                        # quadratic in its spaces); trailing blanks are layout
    """,
    re.VERBOSE,
)
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
ISO_DATE_RE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
QUOTE_LINE_RE: Final = re.compile(
    r"""
    [ \t]+>[ ]                    # indented blockquote marker
    "(?P<quote>.*)"               # the quotation, inside double quotes (greedy: the last ")
    [ \t]*
    """,
    re.VERBOSE,
)
NON_SPACE_RE: Final = re.compile(r"\S+")
SOURCE_LINE_RE: Final = re.compile(r"[ \t]+Source:[ ](?P<url>\S+)[ \t]*")
QUOTE_START_RE: Final = re.compile(r"[ \t]+>")
SOURCE_START_RE: Final = re.compile(r"[ \t]+Source:")
RELATED_ITEM_RE: Final = re.compile(r"\[\[(?P<slug>[^\s\[\],]+)\]\]")
CANONICAL_LINE_RE: Final = re.compile(r"Canonical:[ ](?P<url>\S+)[ \t]*")
#: A Meta value may not end in it: before another segment it would start the separator.
DANGLING_SEP: Final = SEGMENT_SEP.rstrip()
#: The most digits of a count: see ``MAX_COUNT``.
MAX_COUNT_DIGITS: Final = len(str(MAX_COUNT))
#: A lone surrogate: a str can hold one, UTF-8 cannot encode it.
SURROGATE_RE: Final = re.compile("[\ud800-\udfff]")
#: The default limit on the size of a file ``load`` reads: far above any real story.
MAX_SIZE: Final = 16 * 2**20


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
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size > max_size:
            raise _too_large(f"{size:,} bytes", max_size, name)
        # Read what fstat saw and one byte more: asking for max_size + 1 bytes up front
        # would allocate the whole limit (16 MiB) for every file. A file that grew since,
        # or a pipe or device (they report no size), is read on to one byte past the limit.
        data = file.read(size + 1)
        if len(data) > size:
            data += file.read(max_size + 1 - len(data))
    if len(data) > max_size:
        raise _too_large(f"more than {max_size:,} bytes", max_size, name)
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
    if isinstance(text, (bytes, bytearray, memoryview)):
        data = bytes(text)
        text = _decode(data, path)
    elif isinstance(text, str):
        if match := SURROGATE_RE.search(text):
            raise _surrogate_error(text, match.start(), path)
        data = text.encode("utf-8")
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


class _Parser:
    """One parse of one text: a cursor over its lines and the blocks found so far."""

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
        self.spans: list[int] = []  # first and end line index of each block, in file order
        self.last_stop = 0  # index of the first line after the last block
        self.fields: dict[str, object] = {}
        self.section_order: list[SectionKey] = []
        self.section_lines: dict[str, int] = {}
        self.meta_order: list[str] = []
        self.graph_order: list[str] = []
        self.extra: list[Section] = []

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

    def emit(self, start: int, stop: int) -> None:
        """Record lines ``[start, stop)`` as one block; the blank lines before are its gap.

        Blocks are emitted in the order of the renderer's canonical blocks of the parsed
        story, which give them their tags (see ``_layout``).
        """
        self.spans += (start, stop)
        self.last_stop = stop

    def skip_blank(self, index: int, stop: int | None = None) -> int:
        stop = len(self.lines) if stop is None else stop
        while index < stop and _is_blank(self.lines[index]):
            index += 1
        return index

    # -- productions -------------------------------------------------------------------

    def parse(self) -> Story:
        """story = [BOM] title deck {blank} meta {blank} {section} [footer] {blank}"""
        self.check_carriage_returns()
        title = self.parse_title()
        deck = self.parse_deck()
        meta = self.parse_meta(self.skip_blank(2))
        index = self.skip_blank(self.last_stop)
        while index < len(self.lines):
            line = self.lines[index]
            if line == "---":
                canonical = self.parse_footer(index)
                self.fields["canonical"] = canonical
                break
            if SECTION_HEADING_RE.fullmatch(line) is None:
                raise self.error(f"expected a '## ' section heading, found {line!r}", index)
            index = self.skip_blank(self.parse_section(index))
        source = Story(
            title,
            deck,
            meta,
            sections=tuple(self.extra),
            **self.fields,  # type: ignore[arg-type]
        )
        layout = Layout(
            data=self.data,
            source=source,
            spans=tuple(self.spans),
            newline=self.newline,
            bom=self.bom,
            final_newline=self.final_newline,
            section_order=tuple(self.section_order),
            meta_order=tuple(self.meta_order),
            graph_order=tuple(self.graph_order),
        )
        return Story(title, deck, meta, sections=source.sections, _layout=layout, **self.fields)  # type: ignore[arg-type]

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
        if not line.startswith("# "):
            raise self.error(f"expected a '# ' title, found {line[:20]!r}", 0, span=2)
        title = line[2:]
        if _is_blank(title):
            raise self.error("expected a title after '# '", 0, 3)
        self.emit(0, 1)
        return title

    def parse_deck(self) -> str:
        """deck = "> " TEXT | ">" """
        line = self.lines[1] if len(self.lines) > 1 else ""
        if line == ">":
            deck = ""
        elif line.startswith("> "):
            deck = line[2:]
        else:
            raise self.error(f"expected a '> ' deck line after the title, found {self.found(1)}", 1)
        self.emit(1, 2)
        return deck

    def parse_meta(self, index: int) -> Meta:
        """meta = "**Meta:**" [" " segment {" · " segment}]"""
        line = self.lines[index] if index < len(self.lines) else ""
        if not line.startswith(META_PREFIX):
            raise self.error(f"expected a '{META_PREFIX} ' line, found {self.found(index)}", index)
        rest = line[len(META_PREFIX) :]
        if rest and not rest.startswith(" "):
            raise self.error(f"expected a space after '{META_PREFIX}'", index, len(META_PREFIX) + 1)
        if rest.endswith(DANGLING_SEP):
            # before another segment it would read as the separator: "x · · 5 takes"
            msg = f"a meta value cannot end in {DANGLING_SEP!r}, the start of a separator"
            raise self.error(msg, index, len(line) - 1, 2)
        values: dict[str, object] = {}
        extra: list[tuple[str, str]] = []
        counts: list[Count] = []
        column = len(META_PREFIX) + 2
        seen: set[str] = set()  # not meta_order: a list lookup per segment is quadratic
        for segment in rest[1:].split(SEGMENT_SEP) if rest[1:] else ():
            key = self.parse_segment(segment, index, column, values, extra, counts)
            if key in seen:
                raise self.error(f"duplicate meta key {key!r}", index, column, len(segment))
            seen.add(key)
            self.meta_order.append(key)
            column += len(segment) + len(SEGMENT_SEP)
        meta = Meta(extra=tuple(extra), counts=tuple(counts), **values)  # type: ignore[arg-type]
        self.emit(index, index + 1)
        return meta

    def parse_segment(
        self,
        segment: str,
        index: int,
        column: int,
        values: dict[str, object],
        extra: list[tuple[str, str]],
        counts: list[Count],
    ) -> str:
        """segment = KEY ": " VALUE | NUMBER " " NOUN; returns its key for the order."""
        if match := COUNT_RE.fullmatch(segment):
            digits = len(match["number"])
            if digits > MAX_COUNT_DIGITS:  # and int() would refuse 4,301 with a ValueError
                msg = f"a count has at most {MAX_COUNT_DIGITS} digits, found {digits:,}"
                raise self.error(msg, index, column, digits)
            counts.append(Count(int(match["number"]), match["noun"]))
            return f"#{len(counts) - 1}"
        match = KEY_VALUE_RE.fullmatch(segment)
        if match is None:
            raise self.error(
                f"meta segment {segment!r} is neither 'key: value' nor a count like '5 takes'",
                index,
                column,
                len(segment),
            )
        key, value = match["key"], match["value"]
        value_column = column + len(key) + 2
        if key == "type":
            values["type"] = value
        elif key == "date":
            values["date"] = self.parse_date(value, index, value_column)
        elif key == "heads":
            values["heads"] = self.parse_list(value, "head", index, value_column)
        else:
            extra.append((key, value))  # parse_meta refuses a duplicate key
        return key

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
        for item in items:
            if _is_blank(item):
                raise self.error(f"empty {what} in a ', ' separated list", index, column)
            column += len(item) + len(LIST_SEP)
        return items

    def parse_section(self, index: int) -> int:
        """section = "## " NAME body; returns the index where the next section starts."""
        match = SECTION_HEADING_RE.fullmatch(self.lines[index])
        assert match is not None  # the caller checked
        name = match["name"] or ""
        if not name:
            raise self.error("expected a section name after '##'", index)
        stop = index + 1
        while stop < len(self.lines) and not self.ends_section(self.lines[stop]):
            stop += 1
        key = L.SECTION_NAMES.get(name)
        self.emit(index, index + 1)
        if key is None:
            self.section_order.append(len(self.extra))
            body = self.parse_text(index + 1, stop)
            self.extra.append(Section(name, body or ""))
            return stop
        if key in self.section_lines:
            first = self.section_lines[key] + 1
            raise self.error(f"duplicate section {name!r} (first at line {first})", index)
        self.section_lines[key] = index
        self.section_order.append(key)
        self.SECTION_PARSERS[key](self, key, index + 1, stop)
        return stop

    def ends_section(self, line: str) -> bool:
        return line == "---" or SECTION_HEADING_RE.fullmatch(line) is not None

    def parse_text(self, start: int, stop: int) -> str | None:
        """body = {LINE}: the lines between the blank lines that surround them"""
        first = self.skip_blank(start, stop)
        if first == stop:
            return None
        last = stop
        while _is_blank(self.lines[last - 1]):
            last -= 1
        text = "\n".join(self.lines[first:last])
        self.emit(first, last)
        return text

    def parse_prose(self, key: str, start: int, stop: int) -> None:
        """prose = {LINE}: inline Markdown paragraphs, kept as text"""
        self.fields[key] = self.parse_text(start, stop) or ""

    def parse_metrics(self, key: str, start: int, stop: int) -> None:
        """metrics = {"- " VALUE ", " DESCRIPTION}"""
        metrics = []
        for index in range(start, stop):
            line = self.lines[index]
            if _is_blank(line):
                continue
            value, sep, description = line[2:].partition(LIST_SEP)
            if not line.startswith("- ") or not sep or _is_blank(value):
                raise self.error(
                    f"expected a metric bullet '- VALUE, DESCRIPTION', found {line!r}", index
                )
            metric = Metric(value, description)
            metrics.append(metric)
            self.emit(index, index + 1)
        self.fields[key] = tuple(metrics)

    def parse_watch(self, key: str, start: int, stop: int) -> None:
        """watch = {"- " TEXT}"""
        items = []
        for index in range(start, stop):
            line = self.lines[index]
            if _is_blank(line):
                continue
            if not line.startswith("- ") or _is_blank(line[2:]):
                raise self.error(f"expected a bullet '- TEXT', found {line!r}", index)
            items.append(line[2:])
            self.emit(index, index + 1)
        self.fields[key] = tuple(items)

    def parse_lenses(self, key: str, start: int, stop: int) -> None:
        """lenses = {"### " NAME {take}}"""
        lenses: list[Lens] = []
        name: str | None = None
        takes: list[Take] = []
        index = start
        while index < stop:
            line = self.lines[index]
            if _is_blank(line):
                index += 1
            elif match := LENS_HEADING_RE.fullmatch(line):
                if name is not None:
                    lenses.append(Lens(name, tuple(takes)))
                name, takes = match["name"] or "", []
                if not name:
                    raise self.error("empty lens name after '###'", index)
                self.emit(index, index + 1)
                index += 1
            elif line.startswith("- "):
                if name is None:
                    raise self.error("take before any '### lens' heading", index)
                take, end = self.parse_take(index, stop)
                takes.append(take)
                self.emit(index, end)
                index = end
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
        self.fields[key] = tuple(lenses)

    def parse_take(self, index: int, stop: int) -> tuple[Take, int]:
        """take = "- **" OUTLET "** (" REGION ", " LANG ") — " SUMMARY [quote] [source]"""
        line = self.lines[index]
        if not line.startswith("- **"):
            raise self.error("take bullet does not start with a **bold** outlet", index, 3)
        close = line.find("**", 4)
        if close < 0:
            raise self.error("outlet bold is not closed: expected '**'", index, 3, 2)
        outlet = line[4:close]
        if _is_blank(outlet):
            raise self.error("empty outlet between '**' and '**'", index, 3, 4)
        if not line.startswith(" (", close + 2):
            raise self.error("expected ' (Region, lang)' after the outlet", index, close + 3)
        open_at = close + 4
        close_paren = line.find(")", open_at)
        region, sep, language = line[open_at:close_paren].rpartition(LIST_SEP)
        if close_paren < 0 or not sep or _is_blank(region) or _is_blank(language):
            raise self.error("expected '(Region, lang)' after the outlet", index, open_at)
        if not line.startswith(TAKE_SEP, close_paren + 1):
            raise self.error("expected ' — ' after '(Region, lang)'", index, close_paren + 2)
        summary = line[close_paren + 1 + len(TAKE_SEP) :]
        quote = source = None
        end = index + 1
        if end < stop and QUOTE_START_RE.match(self.lines[end]):
            match = QUOTE_LINE_RE.fullmatch(self.lines[end])
            if match is None:
                raise self.error('expected a quote line  > "quotation"', end)
            quote, end = match["quote"], end + 1
        if end < stop and SOURCE_START_RE.match(self.lines[end]):
            match = SOURCE_LINE_RE.fullmatch(self.lines[end])
            if match is None:
                raise self.error("expected a source line  Source: URL", end)
            source, end = match["url"], end + 1
        return Take(outlet, region, language, summary, quote, source), end

    def parse_graph(self, key: str, start: int, stop: int) -> None:
        """graph = ["- Related: " "[[" SLUG "]]" {", " ...}] ["- Entities: " NAME {", " NAME}]"""
        for index in range(start, stop):
            line = self.lines[index]
            if _is_blank(line):
                continue
            if line.startswith("- Related:"):
                field, prefix = "related", "- Related:"
            elif line.startswith("- Entities:"):
                field, prefix = "entities", "- Entities:"
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
            parse = self.parse_related if field == "related" else self.parse_entities
            value = parse(rest[1:], index, len(prefix) + 2)
            self.fields[field] = value
            self.emit(index, index + 1)

    def parse_related(self, text: str, index: int, column: int) -> tuple[str, ...]:
        """related = "[[" SLUG "]]" {", " "[[" SLUG "]]"}"""
        slugs = []
        for item in self.parse_list(text.rstrip(" \t"), "related item", index, column):
            match = RELATED_ITEM_RE.fullmatch(item)
            if match is None:
                raise self.error(
                    f"Related item {item!r} is not '[[slug]]'", index, column, len(item)
                )
            slugs.append(match["slug"])
            column += len(item) + len(LIST_SEP)
        return tuple(slugs)

    def parse_entities(self, text: str, index: int, column: int) -> tuple[Entity, ...]:
        """entities = NAME {", " NAME}"""
        return tuple(Entity(name) for name in self.parse_list(text, "entity", index, column))

    def parse_footer(self, index: int) -> str:
        """footer = "---" {blank} "Canonical: " URL {blank}"""
        self.emit(index, index + 1)
        at = self.skip_blank(index + 1)
        line = self.lines[at] if at < len(self.lines) else ""
        match = CANONICAL_LINE_RE.fullmatch(line)
        if match is None:
            raise self.error(f"expected 'Canonical: URL' after '---', found {self.found(at)}", at)
        url = match["url"]
        if CANONICAL_URL_RE.fullmatch(url) is None:
            raise self.error(
                f"expected a canonical URL like https://rbtfl.xyz/ko/n/slug, found {url!r}",
                at,
                12,
                len(url),
            )
        self.emit(at, at + 1)
        after = self.skip_blank(at + 1)
        if after < len(self.lines):
            raise self.error("expected nothing after the 'Canonical:' line", after)
        return url

    SECTION_PARSERS: Final[dict[str, Callable[[_Parser, str, int, int], None]]] = {
        L.SUMMARY: parse_prose,
        L.SPLIT: parse_prose,
        L.METRICS: parse_metrics,
        L.WHY: parse_prose,
        L.WATCH_LIST: parse_watch,
        L.LENSES: parse_lenses,
        L.GRAPH: parse_graph,
    }
