"""Files on disk: finding story files in a folder, reading them within a size limit, and
writing files atomically."""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import operator
import os
import re
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Final

from rbtfl_model.errors import ParseError

__all__ = ["check_patterns", "read_limited", "scan", "story_files", "unreadable", "write_atomic"]


def read_limited(
    path: str | bytes | os.PathLike[str] | os.PathLike[bytes], max_size: int
) -> tuple[os.stat_result, bytes | None]:
    """The file's status when opened and its bytes; None for the bytes if over *max_size*.

    The status comes from the open file, so it describes the bytes read (a file replaced by
    a rename meanwhile is the old file still). A file larger than *max_size* by its status
    is not read at all.
    """
    with open(path, "rb") as file:
        status = os.fstat(file.fileno())
        if status.st_size > max_size:
            return status, None
        # Read what fstat saw and one byte more: asking for max_size + 1 bytes up front
        # would allocate the whole limit (16 MiB) for every file. A file that grew since,
        # or a pipe or device (they report no size), is read on to one byte past the limit.
        data = file.read(status.st_size + 1)
        if len(data) > status.st_size:
            data += file.read(max_size + 1 - len(data))
    return status, data if len(data) <= max_size else None


def unreadable(name: str, exc: OSError) -> ParseError:
    """*exc*, met reading the file *name*, as an error about that file: for a walk over many
    files (``load_dir``, the command line) that goes on with the next."""
    return ParseError(f"cannot read the file: {exc.strerror or exc}", line=1, column=1, path=name)


def write_atomic(path: str | bytes | os.PathLike[str] | os.PathLike[bytes], data: bytes) -> None:
    """Replace the file at *path* with *data*, or leave it as it was.

    A failure midway leaves any existing file untouched and no temporary file behind. An
    existing file keeps its permission bits and, where the process may set them, its owner
    and group; a new one gets the mode ``open()`` would give it. A symlink is followed, as
    an editor or ``open()`` follows it: its target is replaced, the link stays a link. A
    missing directory raises :class:`FileNotFoundError` naming it, and creates nothing; any
    other error names *path*, never the temporary file.
    """
    name = os.fsdecode(path)
    target = os.path.realpath(name)  # the file a symlink (or a chain of them) leads to
    folder = os.path.dirname(target)
    try:
        status: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        status = None
    mode = stat.S_IMODE(status.st_mode) if status else 0o666 & ~_umask()  # not mkstemp's 0o600
    import tempfile  # deferred: only writing needs it, and loads should not pay for it

    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".rbtfl-", suffix=".tmp")
    except FileNotFoundError:
        # mkstemp would name its random temporary file; the caller's mistake is the folder
        raise FileNotFoundError(
            errno.ENOENT, f"cannot write {name!r}: no such directory", folder
        ) from None
    except OSError as exc:  # a read-only folder, say: name the file asked for
        raise OSError(exc.errno, exc.strerror, name) from None
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if status is not None:
            _keep_owner(temp, status)  # before chmod: a change of owner clears setuid bits
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        if isinstance(exc, OSError) and exc.filename in (temp, None) and exc.errno:
            raise OSError(exc.errno, exc.strerror, name) from None
        raise
    _fsync_directory(folder)


def _keep_owner(temp: str, status: os.stat_result) -> None:
    """Give *temp* the owner and group of the file it replaces, as far as the process may.

    Root may give any owner; anyone may give a group they belong to; otherwise the new file
    is the writer's own, as it would be after any editor's save-by-rename.
    """
    if not hasattr(os, "chown"):  # pragma: no cover - Windows has no owners to keep
        return
    current = os.stat(temp)
    if (current.st_uid, current.st_gid) == (status.st_uid, status.st_gid):
        return
    for uid, gid in ((status.st_uid, status.st_gid), (-1, status.st_gid)):
        try:
            os.chown(temp, uid, gid)
        except PermissionError:
            continue
        return


def _umask() -> int:
    """The process umask, read without setting it where the system allows."""
    status_file = "/proc/self/status"  # Linux 4.7 and later show the umask there
    with (
        contextlib.suppress(OSError, ValueError),
        open(status_file, encoding="utf-8", errors="replace") as status,
    ):
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    # elsewhere os.umask is the only way to read it, by setting it and putting it back
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def _fsync_directory(folder: str) -> None:
    """Make the rename durable; best effort, as not every system can open a directory."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def story_files(root: Path, patterns: Sequence[str], *, recursive: bool = True) -> Iterator[Path]:
    """The regular files under *root* whose names match one of *patterns*, sorted.

    The files :func:`scan` finds, without their status.
    """
    for name, _ in scan(root, patterns, recursive=recursive):
        yield Path(name)


def scan(
    root: Path, patterns: Sequence[str], *, recursive: bool = True
) -> Iterator[tuple[str, os.stat_result]]:
    """The regular files under *root* whose names match one of *patterns*, with their status.

    The one folder walk of the package, for ``load_dir``, ``Corpus.refresh`` and the command
    line alike: a folder is read only from what lies inside it, so symlinked folders are not
    entered (they could lead out, or back in and repeat files) and symlinked files that lead
    out are skipped. Files that are not regular (FIFOs, devices) are skipped, as reading one
    could block. Order: a folder's files by name, then its subfolders by name, each whole (as
    ``os.walk`` goes). The status comes with the listing (``os.scandir``), one call a file,
    which is what lets a refresh tell unchanged files without opening them.
    """
    real_root = root.resolve()
    # one pattern for all, compiled once: fnmatch per name and pattern is most of the walk
    matches = re.compile("|".join(fnmatch.translate(os.path.normcase(p)) for p in patterns)).match
    folders = [os.fspath(root)]
    while folders:
        subfolders: list[str] = []
        for entry in _listing(folders.pop()):
            if _is_dir(entry):
                if recursive and not _is_symlink(entry):
                    subfolders.append(entry.path)
            elif matches(entry.name if _SAME_CASE else os.path.normcase(entry.name)):
                try:
                    # on Windows a listing's status has no inode: ask the file itself there
                    status = os.stat(entry.path) if _NO_INODE else entry.stat()
                except OSError:  # gone since the listing, or a symlink leading nowhere
                    continue
                if stat.S_ISREG(status.st_mode) and (
                    not _is_symlink(entry) or _leads_into(entry.path, real_root)
                ):
                    yield entry.path, status
        folders.extend(reversed(subfolders))  # popped from the end: the first comes next


#: Whether ``normcase`` leaves names as they are (everywhere but Windows): then a name is
#: matched as it is, without a call of it for each file.
_SAME_CASE: Final = os.path.normcase("A") == "A"
#: Whether a listing's status lacks the inode (Windows), so that each file must be asked.
_NO_INODE: Final = os.name == "nt"
_by_name: Final = operator.attrgetter("name")


def _listing(folder: str) -> list[os.DirEntry[str]]:
    """The entries of *folder*, by name; none if it cannot be listed (as ``os.walk``)."""
    try:
        with os.scandir(folder) as listing:
            return sorted(listing, key=_by_name)
    except OSError:
        return []


def _leads_into(link: str, real_root: Path) -> bool:
    """Whether the symlink *link* leads to a file inside *real_root* (resolved)."""
    return Path(link).resolve().is_relative_to(real_root)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_symlink(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def check_patterns(patterns: Sequence[str]) -> tuple[str, ...]:
    """*patterns* as a tuple, refusing what could never match a file name."""
    if not patterns:
        raise ValueError("expected at least one file name pattern, like '*.md'")
    for pattern in patterns:
        if not pattern or "/" in pattern or os.sep in pattern:
            raise ValueError(
                f"a pattern matches file names, not paths: expected one like '*.md', "
                f"found {pattern!r}"
            )
    return tuple(patterns)
