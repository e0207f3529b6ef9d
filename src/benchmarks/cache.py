"""One fingerprint for every cached result, and the two caches that use it.

`fingerprint(inputs, **parameters)` is the only cache key in the package. It is the
sha256 of:

* the code: every file of the installed `benchmarks` package -- modules, catalogues,
  templates and whatever else it ships, but not bytecode or hidden files
  (`code_fingerprint()`, hashed once per process) -- the versions of the libraries in
  `LIBRARIES` and Python's version;
* the inputs: a mapping of names to the sha256 of each input file (`sha256_file`);
* the parameters: any JSON-able keyword values (a comparator group, a format number).

Nothing else enters it: not a file's path or modification time, not the time of day.
So a change to any code file or any input file gives a new key, and a result is never
read back for code or data it was not computed from.

The caches, both under `BENCHMARKS_HOME/cache`:

* the panel cache (`read_frames` / `write_frames`): the bundle's tables as parquet, one
  folder per data folder, used by `benchmarks.panel.load`;
* the comparison cache (`folder() / "comparison"`): `benchmarks.comparison.comparison_for`
  keeps every authority's comparison with one group there as parquet (and in its process),
  shared by a pack and its kernels; the analysis floor calls down to this one.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

PACKAGE = Path(__file__).resolve().parent
#: Files of the package that are not code: bytecode (hidden files are skipped too).
NOT_CODE_SUFFIXES = frozenset({".pyc", ".pyo"})
#: Libraries whose version can change a result (the runtime dependencies, and jinja2).
LIBRARIES = (
    "polars",
    "fastexcel",
    "pyarrow",
    "odfpy",
    "scipy",
    "altair",
    "vl-convert-python",
    "great-tables",
    "jinja2",
    "papermill",
    "nbclient",
    "nbconvert",
    "nbformat",
    "ipykernel",
)


# ------------------------------------------------------------------ the fingerprint


#: sha256 by (path, inode, size, modification time in ns): a kept kernel rendering many
#: reports reads its input files once, and any change to a file is a new entry.
_DIGESTS: dict[tuple[str, int, int, int], str] = {}
#: A file modified less than this long ago is hashed every time: a file system's clock
#: ticks coarsely, so a same-size rewrite within one tick keeps its modification time.
SETTLED_NS = 2_000_000_000


def sha256_file(path: str | Path) -> str:
    """The sha256 of one file's bytes (kept in the process while the file is unchanged)."""
    path = Path(path)
    stat = path.stat()
    key = (str(path.resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns)
    if key in _DIGESTS:
        return _DIGESTS[key]
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    if time.time_ns() - stat.st_mtime_ns > SETTLED_NS:
        _DIGESTS[key] = digest.hexdigest()
    return digest.hexdigest()


def code_files(package: Path = PACKAGE) -> list[Path]:
    """Every file of the package except bytecode (`__pycache__`, .pyc) and hidden files
    (an editor's swap file), sorted."""
    return sorted(
        p
        for p in package.rglob("*")
        if p.suffix not in NOT_CODE_SUFFIXES
        and "__pycache__" not in p.parts
        and not any(part.startswith(".") for part in p.relative_to(package).parts)
        and p.is_file()
    )


def code_digest(package: Path = PACKAGE) -> str:
    """sha256 over the package's code files (each named by its path inside the package),
    the LIBRARIES' versions and Python's version. Not cached: see `code_fingerprint`."""
    digest = hashlib.sha256()
    for path in code_files(package):
        name = path.relative_to(package).as_posix()
        digest.update(f"{name}\0{sha256_file(path)}\n".encode())
    for library in LIBRARIES:
        try:
            version = importlib.metadata.version(library)
        except importlib.metadata.PackageNotFoundError:
            version = "not installed"
        digest.update(f"{library}=={version}\n".encode())
    digest.update(f"python {sys.version}\n".encode())
    return digest.hexdigest()


@cache
def code_fingerprint() -> str:
    """`code_digest()` of the installed package, computed once per process."""
    return code_digest(PACKAGE)


def fingerprint(inputs: Mapping[str, str] | None = None, /, **parameters: Any) -> str:
    """The cache key of a result: the code, its input files and its parameters.

    `inputs` maps a name to the sha256 of an input file (`sha256_file`); the order of the
    mapping does not matter. `parameters` are JSON-able values (dicts, lists, text,
    numbers, None).
    """
    payload = json.dumps(
        {"inputs": dict(sorted((inputs or {}).items())), "parameters": parameters},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(f"{code_fingerprint()}\n{payload}".encode()).hexdigest()


def bundle_inputs(meta: Mapping[str, Any]) -> dict[str, str]:
    """source id -> sha256 of every input file a bundle was built from (its `meta`)."""
    return {str(s.get("id")): str(s.get("sha256")) for s in meta.get("sources", [])}


def optional_file(path: str | Path | None) -> str:
    """The sha256 of an optional input file ("" when there is none)."""
    if path is None or str(path) == "" or not Path(path).is_file():
        return ""
    return sha256_file(path)


def folder() -> Path:
    """BENCHMARKS_HOME/cache."""
    from benchmarks import datadir

    return datadir.home() / "cache"


# ------------------------------------------------------------------ the panel cache


def frames_dir(data_dir: Path) -> Path:
    """The panel cache folder of one data folder."""
    return folder() / hashlib.sha256(str(data_dir).encode()).hexdigest()[:16]


def read_frames(
    where: Path, key: Any, names: tuple[str, ...]
) -> tuple[dict[str, pl.DataFrame], dict[str, Any]] | None:
    """(frames by name, meta) stored in `where` under `key`, or None (absent, other key,
    unreadable)."""
    import polars as pl

    try:
        stored = json.loads((where / "key.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    if not isinstance(stored, dict) or stored.get("key") != key:
        return None
    try:
        frames = {name: pl.read_parquet(where / f"{name}.parquet") for name in names}
    except (OSError, pl.exceptions.PolarsError):
        return None
    return frames, stored.get("meta", {})


def write_frames(
    where: Path, key: Any, frames: Mapping[str, pl.DataFrame], meta: Mapping[str, Any]
) -> None:
    """Store frames and meta under `key`, atomically: a fresh folder renamed into place.
    A cache that cannot be written is not an error (the result is still good)."""
    where.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=where.parent))
    try:
        for name, frame in frames.items():
            frame.write_parquet(tmp / f"{name}.parquet")
        (tmp / "key.json").write_text(json.dumps({"key": key, "meta": meta}), encoding="utf-8")
        old = where.with_name(where.name + ".old")
        if where.exists():
            os.replace(where, old)
        os.replace(tmp, where)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
