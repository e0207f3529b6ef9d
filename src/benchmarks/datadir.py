"""Where the data comes from: a user folder, the fetch cache, or the demonstration set.

Resolution order (first that exists wins):
1. an explicit `--data-dir` / `data_dir=` argument, or the BENCHMARKS_DATA variable;
2. the folder `benchmarks fetch` fills (BENCHMARKS_HOME/published, default ./data/published);
3. the demonstration dataset (BENCHMARKS_HOME/demo, default ./data/demo).

Resolving never writes anything. When it falls back to the demonstration folder that
folder may not exist yet: the loader (`benchmarks.panel.load`) writes it then, saying so
(`benchmarks.demo.ensure`), or `benchmarks demo-data` writes it explicitly.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from benchmarks.errors import BenchmarksError
from benchmarks.schema import DEMO_MARKER

__all__ = ["DEMO_MARKER", "DataDir", "has_data", "home", "registry", "resolve", "source_file"]


@dataclass(frozen=True)
class DataDir:
    """A resolved data folder and whether it is demonstration data."""

    path: Path
    demo: bool
    origin: str  # "argument", "environment", "fetched", "demo"

    @property
    def missing_demo(self) -> bool:
        """True when this is the demonstration fallback and it has not been written yet."""
        return self.origin == "demo" and not (self.path / DEMO_MARKER).exists()


def home() -> Path:
    """The tool's working folder for fetched data, caches and demo data."""
    return Path(os.environ.get("BENCHMARKS_HOME", "data")).resolve()


@cache
def registry() -> dict[str, dict[str, Any]]:
    """The source registry (sources.toml), or the user's override in BENCHMARKS_SOURCES."""
    override = os.environ.get("BENCHMARKS_SOURCES")
    if override:
        return tomllib.loads(Path(override).read_text(encoding="utf-8"))
    text = resources.files("benchmarks").joinpath("sources.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def resolve(data_dir: str | Path | None = None) -> DataDir:
    """Pick the data folder by the resolution order in this module's docstring.

    Reads only: the demonstration folder it may return need not exist yet (see
    `DataDir.missing_demo`).
    """
    if data_dir is not None:
        path = Path(data_dir).expanduser().resolve()
        if not path.is_dir():
            raise BenchmarksError(f"Data folder {path} does not exist.")
        return DataDir(path, (path / DEMO_MARKER).exists(), "argument")
    env = os.environ.get("BENCHMARKS_DATA")
    if env:
        path = Path(env).expanduser().resolve()
        if not path.is_dir():
            raise BenchmarksError(f"BENCHMARKS_DATA={env} is not a folder.")
        return DataDir(path, (path / DEMO_MARKER).exists(), "environment")
    fetched = home() / "published"
    if has_data(fetched):
        return DataDir(fetched, False, "fetched")
    return DataDir(home() / "demo", True, "demo")


def has_data(folder: Path) -> bool:
    """True when `folder` holds at least one registered source file (not just a manifest)."""
    return folder.is_dir() and any(
        next(folder.glob(entry["path_glob"]), None) is not None for entry in registry().values()
    )


def source_file(data_dir: Path, source_id: str) -> Path:
    """The file for one source inside a data folder (the newest match of its path_glob)."""
    entry = registry()[source_id]
    matches = sorted(data_dir.glob(entry["path_glob"]))
    if not matches:
        raise BenchmarksError(
            f"No file for {entry['title']!r} in {data_dir}: expected {entry['path_glob']} "
            f"(download it from {entry['landing_page']} or run `benchmarks fetch`)."
        )
    return matches[-1]
