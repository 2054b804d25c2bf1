"""load reads bounded input; dump writes atomically, keeps permissions and loses nothing."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

import rbtfl_model as rm
from tests.conftest import SEED

# -- load: bounded input -------------------------------------------------------------------


def test_load_refuses_a_file_over_the_limit_before_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    with path.open("wb") as file:
        file.truncate(1 << 40)  # a sparse terabyte: reading it would not end in time or memory
    with pytest.raises(rm.ParseError) as info:
        rm.load(path)
    error = info.value
    assert (error.line, error.column, error.path) == (1, 1, str(path))
    assert "1,099,511,627,776 bytes" in error.msg
    assert "16,777,216 bytes" in error.msg


@pytest.mark.parametrize(
    ("max_size", "loads"), [(SEED.stat().st_size, True), (SEED.stat().st_size - 1, False)]
)
def test_load_max_size_is_adjustable_and_inclusive(max_size: int, loads: bool) -> None:
    if loads:
        assert rm.dumps(rm.load(SEED, max_size=max_size)) == SEED.read_text("utf-8")
    else:
        with pytest.raises(rm.ParseError, match=f"limit is {max_size:,} bytes"):
            rm.load(SEED, max_size=max_size)


def test_load_bounds_a_file_that_reports_no_size() -> None:
    """/dev/zero has st_size 0 and never ends: only the bounded read stops it."""
    with pytest.raises(rm.ParseError, match="more than 1,000 bytes") as info:
        rm.load("/dev/zero", max_size=1000)
    assert info.value.path == "/dev/zero"


# -- dump: failures leave the original -------------------------------------------------------


class _FailingWriter:
    """A file object that writes part of the data, then raises *error*."""

    def __init__(self, file: Any, error: BaseException) -> None:
        self.file = file
        self.error = error

    def write(self, data: bytes) -> int:
        self.file.write(data[: len(data) // 2])
        self.file.flush()
        raise self.error

    def __getattr__(self, name: str) -> Any:
        return getattr(self.file, name)

    def __enter__(self) -> _FailingWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()


def _fail_write(error: BaseException) -> Callable[[pytest.MonkeyPatch], None]:
    def patch(monkeypatch: pytest.MonkeyPatch) -> None:
        fdopen = os.fdopen
        monkeypatch.setattr(os, "fdopen", lambda *a, **k: _FailingWriter(fdopen(*a, **k), error))

    return patch


def _fail(name: str, error: BaseException) -> Callable[[pytest.MonkeyPatch], None]:
    def patch(monkeypatch: pytest.MonkeyPatch) -> None:
        def fail(*args: object, **kwargs: object) -> None:
            raise error

        monkeypatch.setattr(os, name, fail)

    return patch


#: failure name -> how to make dump fail that way, and the exception it must let through
FAILURES: dict[str, tuple[Callable[[pytest.MonkeyPatch], None], type[BaseException]]] = {
    "write-raises-midway": (_fail_write(OSError(errno.EIO, "I/O error")), OSError),
    "disk-full": (_fail_write(OSError(errno.ENOSPC, "No space left on device")), OSError),
    "interrupted-midway": (_fail_write(KeyboardInterrupt()), KeyboardInterrupt),
    "fsync-fails": (_fail("fsync", OSError(errno.EIO, "I/O error")), OSError),
    "chmod-fails": (_fail("chmod", PermissionError(errno.EPERM, "denied")), PermissionError),
    "rename-fails": (_fail("replace", OSError(errno.EXDEV, "cross-device")), OSError),
}


def _edited_seed() -> rm.Story:
    story = rm.load(SEED)
    return attrs.evolve(story, title="A different title", summary="New summary. " * 500)


@pytest.mark.parametrize("failure", FAILURES)
def test_failed_dump_leaves_the_file_and_no_temporary(
    failure: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "story.md"
    original = SEED.read_bytes()
    target.write_bytes(original)
    story = _edited_seed()
    patch, expected = FAILURES[failure]
    patch(monkeypatch)
    with pytest.raises(expected):
        rm.dump(story, target)
    monkeypatch.undo()
    assert target.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.md"]


@pytest.mark.parametrize("failure", FAILURES)
def test_failed_dump_to_a_new_path_creates_nothing(
    failure: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patch, expected = FAILURES[failure]
    patch(monkeypatch)
    with pytest.raises(expected):
        rm.dump(_edited_seed(), tmp_path / "new.md")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


# -- dump: what a successful write keeps --------------------------------------------------------


@pytest.mark.parametrize("mode", [0o640, 0o600, 0o755, 0o444], ids=oct)
def test_dump_keeps_the_permission_bits(mode: int, tmp_path: Path) -> None:
    target = tmp_path / "story.md"
    target.write_bytes(b"old")
    target.chmod(mode)
    story = _edited_seed()
    rm.dump(story, target)
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_bytes() == rm.dumps(story).encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.md"]


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002], ids=oct)
def test_dump_gives_a_new_file_the_mode_open_would(umask: int, tmp_path: Path) -> None:
    old = os.umask(umask)
    try:
        rm.dump(rm.load(SEED), tmp_path / "dumped.md")
        (tmp_path / "opened.md").write_bytes(b"")
    finally:
        os.umask(old)
    modes = {stat.S_IMODE((tmp_path / name).stat().st_mode) for name in ["dumped.md", "opened.md"]}
    assert modes == {0o666 & ~umask}


def test_dump_to_a_missing_directory_names_it_and_creates_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "no" / "such"
    with pytest.raises(FileNotFoundError, match="no such directory") as info:
        rm.dump(rm.load(SEED), folder / "story.md")
    assert info.value.filename == str(folder)
    assert str(folder / "story.md") in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_load_does_not_allocate_the_size_limit() -> None:
    """Reading is bounded by max_size, but a small file must not cost a max_size buffer."""
    import tracemalloc

    from tests.conftest import SEED

    tracemalloc.start()
    try:
        rm.load(SEED)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * SEED.stat().st_size  # was 16 MiB: the whole default limit


# -- dump: the file the user named -------------------------------------------------------------


def test_dump_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real" / "story.md"
    real.parent.mkdir()
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / "link.md"
    link.symlink_to(Path("real") / "story.md")
    story = _edited_seed()
    rm.dump(story, link)
    assert link.is_symlink()
    assert real.read_bytes() == rm.dumps(story).encode("utf-8")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["story.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.md", "real"]


def test_dump_through_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to("new.md")
    rm.dump(rm.load(SEED), link)
    assert link.is_symlink()
    assert (tmp_path / "new.md").read_bytes() == SEED.read_bytes()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_dump_as_root_keeps_another_users_ownership(tmp_path: Path) -> None:
    target = tmp_path / "story.md"
    target.write_bytes(b"old")
    os.chown(target, 12345, 23456)
    target.chmod(0o6755)  # setuid and setgid survive, as chmod runs after chown
    rm.dump(rm.load(SEED), target)
    status = target.stat()
    assert (status.st_uid, status.st_gid) == (12345, 23456)
    assert stat.S_IMODE(status.st_mode) == 0o6755


def test_dump_keeps_the_group_where_it_cannot_keep_the_owner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user may not give a file away, but may keep its group (one they belong to)."""
    target = tmp_path / "story.md"
    target.write_bytes(b"old")
    calls: list[tuple[int, int]] = []
    real_stat = os.stat

    def chown(path: str, uid: int, gid: int) -> None:
        calls.append((uid, gid))
        if uid != -1:
            raise PermissionError(errno.EPERM, "Operation not permitted", path)

    def stat_(path: str, *args: Any, **kwargs: Any) -> os.stat_result:
        found = real_stat(path, *args, **kwargs)
        if str(path) == os.path.realpath(target):  # the file being replaced: someone else's
            fields = list(found)
            fields[stat.ST_UID], fields[stat.ST_GID] = 12345, 23456
            return os.stat_result(fields)
        return found

    monkeypatch.setattr(os, "chown", chown)
    monkeypatch.setattr(os, "stat", stat_)
    rm.dump(rm.load(SEED), target)
    monkeypatch.undo()
    assert calls == [(12345, 23456), (-1, 23456)]
    assert target.read_bytes() == SEED.read_bytes()


def test_dump_to_a_read_only_folder_names_the_file_not_the_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "story.md"

    def mkstemp(**kwargs: Any) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".rbtfl-x.tmp"))

    monkeypatch.setattr("tempfile.mkstemp", mkstemp)
    with pytest.raises(PermissionError) as info:
        rm.dump(rm.load(SEED), target)
    assert info.value.filename == str(target)
    assert ".rbtfl-" not in str(info.value)


def test_a_failed_rename_names_the_file_not_the_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "story.md"

    def replace(source: str, dest: str) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link", source, dest)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match="Invalid cross-device link") as info:
        rm.dump(rm.load(SEED), target)
    assert info.value.filename == str(target)
    assert ".rbtfl-" not in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_dump_takes_a_bytes_path_as_load_does(tmp_path: Path) -> None:
    target = os.fsencode(tmp_path / "story.md")
    rm.dump(rm.load(SEED), target)
    assert rm.dumps(rm.load(target)) == SEED.read_text("utf-8")
    (tmp_path / "bad.md").write_bytes(b"x")
    with pytest.raises(rm.ParseError) as info:
        rm.load(os.fsencode(tmp_path / "bad.md"))
    assert info.value.path == str(tmp_path / "bad.md")
