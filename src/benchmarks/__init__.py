"""Benchmark English local authorities' children's social care.

The public API is small:

>>> import benchmarks
>>> bundle = benchmarks.load("path/to/published")        # or None: fetched, else demo data
>>> table = benchmarks.compare(bundle, la="Leeds", group="sn2025", year=2025)
>>> sentences = benchmarks.findings(table)

`compare` and `findings` are `benchmarks.comparison.compare` and
`benchmarks.narrative.findings` themselves; `benchmarks.comparison.comparison_table(...)`
compares every authority at once. Heavy modules are imported on first use, so
`import benchmarks` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["load", "compare", "findings"]

if TYPE_CHECKING:
    from pathlib import Path

    from benchmarks.comparison import compare
    from benchmarks.narrative import findings
    from benchmarks.panel import Bundle

#: Public functions that live in heavier modules: `benchmarks.compare` IS
#: `benchmarks.comparison.compare`, a plain function with its real signature.
_LAZY = {"compare": "benchmarks.comparison", "findings": "benchmarks.narrative"}


def load(data_dir: str | Path | None = None) -> Bundle:
    """Load every table for a data folder (cached); see `benchmarks.panel.load`."""
    from benchmarks import panel

    return panel.load(data_dir)


def __getattr__(name: str) -> object:
    """`compare` and `findings` are the library's own functions, imported on first use."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'benchmarks' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
