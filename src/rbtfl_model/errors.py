"""The library's exceptions: one root, :class:`RbtflError`."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Final

__all__ = ["CorpusError", "DataError", "EditError", "FormatError", "ParseError", "RbtflError"]

# How much of a long source line to show around the error column.
_WINDOW: Final = 72
#: Control characters as their one-column pictures (U+2400-U+2421), so that a carriage
#: return or tab in the shown line neither moves the cursor nor shifts the marker.
_VISIBLE: Final = {code: 0x2400 + code for code in range(0x20)} | {0x7F: 0x2421}


class RbtflError(Exception):
    """Root of every error this library raises on purpose."""


class ParseError(RbtflError, ValueError):
    """A story file does not follow the format.

    ``path`` is None for text given to ``loads``; ``line`` and ``column`` are 1-based.
    ``str(error)`` names the place, says what was expected and shows the line with a marker.
    ``code`` is the rule broken: ``RB001`` for a file that does not parse, ``RB6xx`` for a
    story that cannot join a folder (see ``rbtfl_model.corpus``).
    """

    def __init__(
        self,
        msg: str,
        *,
        line: int,
        column: int,
        source_line: str = "",
        span: int = 1,
        path: str | None = None,
        code: str = "RB001",
    ) -> None:
        self.msg = msg
        self.line = line
        self.column = column
        self.source_line = source_line
        self.span = max(span, 1)
        self.path = path
        self.code = code
        super().__init__(self._format())

    def with_path(self, path: str) -> ParseError:
        """Return the same error, naming *path* as the file it came from."""
        return ParseError(
            self.msg,
            line=self.line,
            column=self.column,
            source_line=self.source_line,
            span=self.span,
            path=path,
            code=self.code,
        )

    def __reduce__(self) -> tuple[object, ...]:
        # keyword-only __init__: teach pickle (and so process pools) to rebuild the error
        return _rebuild_parse_error, (
            self.msg,
            self.line,
            self.column,
            self.source_line,
            self.span,
            self.path,
            self.code,
        )

    def _format(self) -> str:
        where = f"{self.path or '<string>'}:{self.line}:{self.column}"
        text = f"{where}: {self.msg}"
        if not self.source_line:
            return text
        shown, start = _window(self.source_line.translate(_VISIBLE), self.column - 1)
        prefix = f"{self.line:>5} | "
        before = shown[:start]
        marked = shown[start : start + self.span]
        marker = " " * _width(before) + "^" + "~" * max(_width(marked) - 1, 0)
        return f"{text}\n{prefix}{shown}\n{' ' * (len(prefix) - 2)}| {marker}"


def _rebuild_parse_error(
    msg: str,
    line: int,
    column: int,
    source_line: str,
    span: int,
    path: str | None,
    code: str = "RB001",
) -> ParseError:
    return ParseError(
        msg, line=line, column=column, source_line=source_line, span=span, path=path, code=code
    )


class FormatError(RbtflError, ValueError):
    """A story holds a value the file format cannot write back faithfully.

    Raised by ``dumps``: for example a newline in a title or ``**`` in an outlet; and by the
    graph exports, for a character DOT or GraphML cannot hold (``field`` names the node).
    ``field`` names the value, like ``lenses[0].takes[1].outlet``.
    """

    def __init__(self, field: str, msg: str, value: object) -> None:
        self.field = field
        self.msg = msg
        self.value = value
        super().__init__(f"{field}: {msg}, got {value!r}")


class CorpusError(RbtflError, ValueError):
    """Some files of a folder could not be loaded; ``errors`` holds each, sorted by path."""

    def __init__(self, errors: Iterable[ParseError]) -> None:
        self.errors = tuple(errors)
        noun = "file" if len(self.errors) == 1 else "files"
        lines = [f"{len(self.errors)} {noun} could not be loaded:"]
        lines += [str(error) for error in self.errors]
        super().__init__("\n".join(lines))


class DataError(RbtflError, ValueError):
    """Interchange data (a dict, JSON or YAML) does not describe a story.

    ``problems`` holds every problem found, each as ``path: what``, like
    ``$.lenses[0].takes[1].source: expected str``; ``str(error)`` lists them all.
    """

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"invalid story data ({count} problem{'s' if count != 1 else ''}):"
        super().__init__("\n  ".join([head, *self.problems]))

    def __reduce__(self) -> tuple[object, ...]:
        # the message is built from the problems: pickle the problems, not the message
        return DataError, (self.problems,)


def _window(line: str, index: int) -> tuple[str, int]:
    """Cut a long *line* to a window around *index*; return it and the index within it."""
    if len(line) <= _WINDOW:
        return line, index
    start = max(0, min(index - _WINDOW // 3, len(line) - _WINDOW))
    shown = line[start : start + _WINDOW]
    offset = index - start
    if start > 0:
        shown, offset = "…" + shown, offset + 1
    if start + _WINDOW < len(line):
        shown += "…"
    return shown, offset


def _width(text: str) -> int:
    """Terminal columns *text* takes: East Asian wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class EditError(RbtflError, ValueError):
    """An edit (``replace``, ``insert``, ``remove``, ``find_take``) names an item the story
    does not have, or one it has in several places."""
