"""Writing files atomically: a temporary file beside the target, then a rename."""

from __future__ import annotations

import contextlib
import errno
import os
import stat

__all__ = ["write_atomic"]


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace the file at *path* with *data*, or leave it as it was.

    A failure midway leaves any existing file untouched and no temporary file behind. An
    existing file keeps its permission bits; a new one gets those ``open()`` would give it.
    A missing directory raises :class:`FileNotFoundError` naming it, and creates nothing.
    """
    target = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(target))
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()  # mkstemp's own 0o600 would hide the file from others
    import tempfile  # deferred: only writing needs it, and loads should not pay for it

    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".rbtfl-", suffix=".tmp")
    except FileNotFoundError:
        # mkstemp would name its random temporary file; the caller's mistake is the folder
        raise FileNotFoundError(
            errno.ENOENT, f"cannot write {target!r}: no such directory", folder
        ) from None
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    _fsync_directory(folder)


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
