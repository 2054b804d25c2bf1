"""What the ``rbtfl`` commands share: their inputs, how a file's failure is told, stdout.

A file named on the command line is read whatever its name and whatever it is (a regular
file, a FIFO, ``/dev/stdin``); ``-`` is standard input; a folder is searched for the
``--glob`` patterns, ``*.md`` by default. Standard input is refused past ``MAX_SIZE``, as a
story file is.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Final, NamedTuple, TextIO

from rbtfl_model._files import check_patterns, read_limited, story_files, unreadable
from rbtfl_model._parser import MAX_SIZE, load, loads
from rbtfl_model.errors import DataError, ParseError, RbtflError
from rbtfl_model.model import Story

#: Exit statuses; ``_cli.EXIT_STATUS`` lists them all.
OK: Final = 0
FOUND: Final = 1
USAGE: Final = 2

DEFAULT_GLOB: Final = "*.md"
STDIN: Final = "-"
STDIN_NAME: Final = "<stdin>"
GLOB_HELP: Final = (
    "file name pattern for the story files in a folder; repeat for several "
    f"(default: {DEFAULT_GLOB!r}; seed files: --glob '*.txt')"
)
NAMED_FILES_HELP: Final = ". Files named on the command line are read whatever their name"


def add_glob(command: argparse.ArgumentParser, *, named_files: bool = True) -> None:
    """The repeatable --glob option of the commands that search folders."""
    text = GLOB_HELP + NAMED_FILES_HELP if named_files else GLOB_HELP
    command.add_argument("--glob", action="append", metavar="PATTERN", help=text)


class UsageError(Exception):
    """A mistake in the command line itself (exit status 2)."""


class Source(NamedTuple):
    """One story to read: a file, a stream, or standard input (``path`` None)."""

    name: str
    path: Path | None
    regular: bool


def find_sources(names: Sequence[str], globs: Sequence[str] | None) -> list[Source]:
    """The stories named by *names*: files as given, folders searched, ``-`` for stdin."""
    patterns = glob_patterns(globs)
    sources: dict[str, Source] = {}
    for name in names:
        if name == STDIN:
            if STDIN_NAME in sources:
                raise UsageError("- (standard input) can be named only once")
            sources[STDIN_NAME] = Source(STDIN_NAME, None, regular=False)
            continue
        path = Path(name)
        if path.is_dir():
            found = list(story_files(path, patterns))
            if not found:
                raise UsageError(nothing_found(name, patterns))
            for file in found:
                sources.setdefault(str(file), Source(str(file), file, regular=True))
        elif path.exists():  # a FIFO or /dev/stdin is read as a stream
            sources.setdefault(str(path), Source(str(path), path, path.is_file()))
        else:
            raise UsageError(f"no such file or folder: {name}")
    return list(sources.values())


def glob_patterns(globs: Sequence[str] | None) -> tuple[str, ...]:
    try:
        return check_patterns(globs or [DEFAULT_GLOB])
    except ValueError as exc:
        raise UsageError(f"--glob: {exc}") from None


def nothing_found(folder: str, patterns: Sequence[str]) -> str:
    return f"no story files ({', '.join(patterns)}) under {folder}; see --glob"


def stdin_bytes() -> bytes | None:
    """Standard input's bytes; None past ``MAX_SIZE``, as for a story file."""
    data = sys.stdin.buffer.read(MAX_SIZE + 1)
    return data if len(data) <= MAX_SIZE else None


def read_stdin() -> bytes:
    data = stdin_bytes()
    if data is None:
        msg = f"input is too large: the limit is {MAX_SIZE:,} bytes"
        raise ParseError(msg, line=1, column=1, path=STDIN_NAME)
    return data


def load_source(source: Source) -> Story:
    """The story of *source*; a file that cannot be read is a :class:`ParseError` too."""
    try:
        if source.path is not None:
            return load(source.path)
        return loads(read_stdin())
    except ParseError as exc:
        raise exc.with_path(source.name) from None
    except OSError as exc:
        raise unreadable(source.name, exc) from None


def report_failure(name: str, exc: RbtflError | OSError) -> None:
    """Report one file's failure as ``rbtfl: path: message``."""
    if isinstance(exc, ParseError):
        message = str(exc)  # it starts with path:line:column
    elif isinstance(exc, OSError):
        message = f"{name}: {exc.strerror or exc}"
    else:
        message = f"{name}: {exc}"
    print(f"rbtfl: {message}", file=sys.stderr)


def with_progress(sources: Sequence[Source], stream: TextIO) -> Iterator[Source]:
    """Yield *sources*, showing ``[i/n] path`` on *stream* when it is a terminal."""
    show = len(sources) > 1 and stream.isatty()
    for i, source in enumerate(sources, 1):
        if show:
            stream.write(f"\r\x1b[K[{i}/{len(sources)}] {source.name}")
            stream.flush()
        yield source
    if show:
        stream.write("\r\x1b[K")
        stream.flush()


def read_data(source: Source) -> bytes:
    """JSON or YAML input, refused past ``MAX_SIZE`` as a story file is, before it is parsed."""
    data = stdin_bytes() if source.path is None else read_limited(source.path, MAX_SIZE)[1]
    if data is None:
        raise DataError([f"$: input is too large: the limit is {MAX_SIZE:,} bytes"])
    return data


def write_stdout(text: str) -> None:
    """Write *text* to stdout as UTF-8 bytes, exactly: no newline translation, no re-encoding."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
