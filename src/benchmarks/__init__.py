"""Benchmark English local authorities' children's social care.

The public API is small:

>>> import benchmarks
>>> bundle = benchmarks.load("path/to/published")        # or None: fetched, else demo data
>>> table = benchmarks.compare(bundle, la="Leeds", group="sn2025", year=2025)
>>> sentences = benchmarks.findings(table)
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


def compare(
    bundle: Bundle, la: str, group: str = "sn2025", year: int | None = None
) -> pl.DataFrame:
    """One authority's comparison with a comparator group; see `benchmarks.compare.compare`."""
    from benchmarks import compare as _compare

    return _compare.compare(bundle, la, group=group, year=year)


def findings(comparison: pl.DataFrame, *args: Any, **kwargs: Any) -> pl.DataFrame:
    """Plain-English findings with their numbers; see `benchmarks.narrative.findings`."""
    from benchmarks import narrative

    return narrative.findings(comparison, *args, **kwargs)
