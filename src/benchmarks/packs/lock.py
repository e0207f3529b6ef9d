"""The output folder's lock: one pack run at a time writes to a folder.

`OutputLock(out)` takes `<out>/.pack.lock` without waiting, through the filelock package
(as `benchmarks fetch` does): an `flock` on POSIX, which the operating system releases
when the process ends however it ends, so a killed run never leaves a stale lock. Kernels
do not inherit the descriptor (Python opens files non-inheritable). The holder writes its
pid and start time into the file, for the message a refused run prints; a refused run
writes nothing (the lock file is opened without truncating it).
"""

from __future__ import annotations

import os
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.errors import BenchmarksError

EXIT_LOCKED = 75  # EX_TEMPFAIL: another pack run holds the output folder; try again later
LOCK_NAME = ".pack.lock"


class PackLocked(BenchmarksError):
    """Another pack run holds the output folder's lock."""


class OutputLock:
    """An exclusive lock on `<out>/.pack.lock`, taken without waiting."""

    def __init__(self, out_dir: str | Path) -> None:
        self.path = Path(out_dir) / LOCK_NAME
        self._lock: Any = None

    def acquire(self) -> None:
        """Take the lock or raise PackLocked (having written nothing)."""
        from filelock import FileLock, Timeout

        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.path), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            raise PackLocked(
                f"another report pack is writing to {self.path.parent} "
                f"({_holder(self.path) or 'holder unknown'}); this run stopped without "
                "writing anything. Try again when it has finished."
            ) from None
        self._lock = lock
        try:
            _write_holder(self.path)
        except OSError:
            pass  # the holder's note is informational only

    def release(self) -> None:
        """Release the lock (the file stays; its content is only informational)."""
        if self._lock is not None:
            with suppress(OSError):
                self._lock.release()
            self._lock = None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


def _write_holder(path: Path) -> None:
    """Replace the lock file's content with this process's pid and start time."""
    fd = os.open(path, os.O_WRONLY)
    try:
        os.ftruncate(fd, 0)
        now = datetime.now(UTC)
        os.write(fd, f"pid {os.getpid()}, started {now:%Y-%m-%d %H:%M:%S} UTC\n".encode())
    finally:
        os.close(fd)


def _holder(path: Path) -> str:
    """What the holder wrote into the lock file ("" when unreadable)."""
    try:
        with path.open("rb") as fh:
            return fh.read(200).decode("utf-8", "replace").strip()
    except OSError:
        return ""
