"""Benchmark English local authorities' children's social care.

The public API is small:

>>> import benchmarks
>>> bundle = benchmarks.load("path/to/published")        # or None: fetched, else demo data
>>> table = benchmarks.compare(bundle, la="Leeds", group="sn2025", year=2025)
>>> sentences = benchmarks.findings(table)
>>> benchmarks.profile(bundle, by="ofsted_grade", indicators=["sw_agency_rate"])
>>> benchmarks.write_xlsx(table, "leeds.xlsx", meta=bundle.meta)

`benchmarks.compare` is the `benchmarks.compare` module made callable, so
`benchmarks.compare.comparison_table(...)` (every LA at once) works too.
Heavy modules are imported on first use, so `import benchmarks` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["load", "compare", "findings", "profile", "write_xlsx"]

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


def profile(bundle: Bundle, *args: Any, **kwargs: Any) -> pl.DataFrame:
    """Median and quartiles per group of authorities; see `benchmarks.profiles.profile`."""
    from benchmarks import profiles

    return profiles.profile(bundle, *args, **kwargs)


def write_xlsx(tables: Any, path: str | Path, **kwargs: Any) -> Path:
    """Write a frame, several frames or a bundle to .xlsx; see `benchmarks.export.write_xlsx`."""
    from benchmarks import export

    return export.write_xlsx(tables, path, **kwargs)


def __getattr__(name: str) -> Any:
    if name == "compare":
        import importlib

        return importlib.import_module("benchmarks.compare")
    raise AttributeError(f"module 'benchmarks' has no attribute {name!r}")
