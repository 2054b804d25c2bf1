"""What a loaded folder remembers of its files, so that a refresh reads only what changed.

Each file is remembered by its *signature* (device, inode, size, modification and status
change times in nanoseconds, as ``os.stat`` gives them) and by a hash of the bytes that were
parsed. On a refresh, the folder is listed again with every file's status (one call a file,
no file opened); a file whose signature is unchanged keeps its story, the same object. Any
other file is read, and parsed only if its bytes hash differently from before (a file
touched, or written again with the same text, is not parsed again; nor is a file renamed or
moved, whose bytes are those of a file that went away).

A signature is trusted only if the file's modification time was at least :data:`RACY_NS`
older than the moment it was read, as git trusts its index: a file written again within the
same tick of a coarse clock (a second on some file systems, two on FAT) could keep its size
and modification time, so such a *racy* file is read and hashed on the next refresh, until
its time is old enough.
"""

from __future__ import annotations

import hashlib
import os
import struct
import time
from collections.abc import Iterable, Mapping
from typing import Final, cast

import attrs

from rbtfl_model._files import read_limited, unreadable
from rbtfl_model._parser import MAX_SIZE, load, loads
from rbtfl_model.errors import ParseError
from rbtfl_model.model import Story

__all__ = ["RACY_NS", "FileRecord", "Signature", "read_files"]

#: How files are read: a name of this module's, so tests can count the reads a refresh makes.
read_bytes = read_limited

#: How old a file's modification time must be, when it is read, for its signature to be
#: trusted on the next refresh: the coarsest clock of common file systems (FAT's) is 2 s.
RACY_NS: Final = 2 * 10**9
#: ``(st_dev, st_ino, st_size, st_mtime_ns, st_ctime_ns)`` packed in one bytes object, or
#: as a tuple when a number does not fit in 64 bits: see :func:`signature`.
Signature = bytes | tuple[int, int, int, int, int]
#: Packs a signature's numbers: sizes and ids unsigned, times signed (they may be before 1970).
_PACK: Final = struct.Struct("=QQQqq").pack


@attrs.frozen
class FileRecord:
    """One file of a folder as last read: what it held, and how to tell if it changed.

    Exactly one of ``story`` and ``error`` is set. ``signature`` is None when it cannot be
    trusted (the file was too young when read, or changed while it was read).
    """

    path: str  # as listed: the key of its record, so one str serves both
    signature: Signature | None
    digest: bytes | None  # a hash of the bytes parsed; None if they were not read whole
    story: Story | None
    error: ParseError | None
    # the story's slug, read from its canonical URL once: a refresh keys every story again
    slug: str | None = attrs.field(init=False, eq=False)

    @slug.default
    def _slug(self) -> str | None:
        return self.story.slug if self.story is not None else None


def signature(status: os.stat_result) -> Signature:
    """The parts of a file's status that change when its content may have.

    Packed in one bytes object: a refresh compares the signature of every file, and as a
    tuple its five ints were six objects apart in memory, which made the comparisons take
    as long as the listing's Python. A number past 64 bits (a 128-bit inode, a time after
    2262) makes it the tuple it was, equal to the same tuple and to no packed signature.
    """
    dev, ino, size = status.st_dev, status.st_ino, status.st_size
    mtime, ctime = status.st_mtime_ns, status.st_ctime_ns
    try:
        return _PACK(dev, ino, size, mtime, ctime)
    except struct.error:
        return (dev, ino, size, mtime, ctime)


def read_files(
    found: Iterable[tuple[str, os.stat_result]], previous: Mapping[str, FileRecord]
) -> tuple[dict[str, FileRecord], list[str]]:
    """A record for each file *found* (by path, with its status), in the order found, and
    the names of the files read: those not kept from *previous*.

    A file whose record in *previous* has the same trusted signature keeps that record; the
    others are read (and parsed, if their bytes are new). A file gone before it could be
    read is left out, as it would not have been listed a moment later.
    """
    now = time.time_ns()  # before any file is read: see RACY_NS
    records: dict[str, FileRecord | None] = {}
    stale: list[str] = []
    for name, status in found:
        old = previous.get(name)
        if old is not None and old.signature == signature(status):
            records[name] = old
        else:
            records[name] = None  # read below, in its place
            stale.append(name)
    if stale:
        gone = _gone(previous, records, stale)
        for name in stale:
            record = _read(name, previous.get(name), gone, now)
            if record is None:
                del records[name]
            else:
                records[name] = record
    # every None was replaced by a record, or removed, above
    return cast("dict[str, FileRecord]", records), stale


def _gone(
    previous: Mapping[str, FileRecord], found: Mapping[str, object], stale: Iterable[str]
) -> dict[bytes, Story]:
    """The stories of the files of *previous* not *found* again, by the hash of their bytes:
    a file renamed or moved keeps its story. Empty at once when every file is found again."""
    new = sum(name not in previous for name in stale)
    if len(found) - new == len(previous):
        return {}
    return {
        record.digest: record.story
        for name, record in previous.items()
        if name not in found and record.digest is not None and record.story is not None
    }


def _read(
    name: str, old: FileRecord | None, gone: Mapping[bytes, Story], now: int
) -> FileRecord | None:
    """Read the file *name*; parse it unless its bytes are those of *old* or of a file gone."""
    path = old.path if old is not None else name
    try:
        status, data = read_bytes(name, MAX_SIZE)
    except FileNotFoundError:
        return None
    except OSError as exc:  # one more problem, not the end of the walk
        return FileRecord(path, None, None, None, unreadable(name, exc))
    whole = data is not None and len(data) == status.st_size
    trusted = whole and status.st_mtime_ns <= now - RACY_NS
    sig = signature(status) if trusted else None
    if data is None:  # too large: load says so in its own words
        try:
            return FileRecord(path, None, None, load(name), None)  # it shrank meanwhile
        except ParseError as error:
            return FileRecord(path, sig, None, None, error)
    digest = hashlib.blake2b(data, digest_size=16).digest()
    if old is not None and old.digest == digest:
        return attrs.evolve(old, signature=sig)
    moved = gone.get(digest)
    if moved is not None:
        return FileRecord(path, sig, digest, moved, None)
    try:
        return FileRecord(path, sig, digest, loads(data), None)
    except ParseError as error:
        return FileRecord(path, sig, digest, None, error.with_path(name))
