"""Benchmark English local authorities' children's social care.

The public API is small:

>>> import benchmarks
>>> bundle = benchmarks.load("path/to/published")        # or None: fetched, else demo data
>>> table = benchmarks.compare(bundle, la="Leeds", group="sn2025", year=2025)
>>> sentences = benchmarks.findings(table)

`benchmarks.compare` is the `benchmarks.compare` module made callable, so
`benchmarks.compare.comparison_table(...)` (every LA at once) works too.
Heavy modules are imported on first use, so `import benchmarks` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["load", "compare", "findings"]

if TYPE_CHECKING:
    from pathlib import Path

    import polars as pl

    from benchmarks.panel import Bundle


def load(data_dir: str | Path | None = None) -> Bundle:
    """Load every table for a data folder (cached); see `benchmarks.panel.load`."""
    from benchmarks import panel

    return panel.load(data_dir)


def findings(comparison: pl.DataFrame, *args: Any, **kwargs: Any) -> pl.DataFrame:
    """Plain-English findings with their numbers; see `benchmarks.narrative.findings`."""
    from benchmarks import narrative

    return narrative.findings(comparison, *args, **kwargs)


def __getattr__(name: str) -> Any:
    if name == "compare":
        import importlib

        return importlib.import_module("benchmarks.compare")
    raise AttributeError(f"module 'benchmarks' has no attribute {name!r}")
