"""Atomic writes: write a temporary file beside the target, then rename over it.

A reader never sees a half-written file, and a failure leaves the old file untouched.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success rename it over `target`."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a written file gets normal modes
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_bytes(target: str | Path, data: bytes) -> Path:
    """Atomically write bytes to `target`."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text(target: str | Path, text: str) -> Path:
    """Atomically write UTF-8 text to `target`."""
    return write_bytes(target, text.encode("utf-8"))


def write_frame(frame: pl.DataFrame, target: str | Path) -> Path:
    """Atomically write a frame as .csv or .parquet (by the target's suffix)."""
    target = Path(target)
    writers: dict[str, Callable[[Path], None]] = {
        ".csv": lambda p: frame.write_csv(p),
        ".parquet": lambda p: frame.write_parquet(p),
    }
    suffix = target.suffix.lower()
    if suffix not in writers:
        raise ValueError(f"Cannot write {target}: use a .csv or .parquet file name")
    with atomic_path(target) as tmp:
        writers[suffix](tmp)
    return target
