"""Benchmark English local authorities' children's social care.

The public API is small:

>>> import benchmarks
>>> bundle = benchmarks.load("path/to/published")        # or None: fetched, else demo data
>>> table = benchmarks.compare(bundle, la="Leeds", group="sn2025", year=2025)
>>> sentences = benchmarks.findings(table)
>>> benchmarks.profile(bundle, by="ofsted_grade", indicators=["sw_agency_rate"])
>>> benchmarks.write_xlsx(table, "leeds.xlsx", meta=bundle.meta)
>>> benchmarks.find_partners(bundle, focus="Bradford", n=5)

`compare`, `findings`, `profile`, `write_xlsx` and `find_partners` are the functions of
`benchmarks.comparison`, `.narrative`, `.profiles`, `.export` and `.partners` themselves; `benchmarks.comparison.comparison_table(...)`
compares every authority at once. Heavy modules are imported on first use, so
`import benchmarks` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["load", "compare", "findings", "profile", "write_xlsx", "find_partners"]

if TYPE_CHECKING:
    from pathlib import Path

    from benchmarks.comparison import compare
    from benchmarks.export import write_xlsx
    from benchmarks.narrative import findings
    from benchmarks.panel import Bundle
    from benchmarks.partners import find_partners
    from benchmarks.profiles import profile

#: Public functions that live in heavier modules: `benchmarks.compare` IS
#: `benchmarks.comparison.compare`, a plain function with its real signature.
_LAZY = {
    "compare": "benchmarks.comparison",
    "findings": "benchmarks.narrative",
    "profile": "benchmarks.profiles",
    "write_xlsx": "benchmarks.export",
    "find_partners": "benchmarks.partners",
}


def load(data_dir: str | Path | None = None) -> Bundle:
    """Load every table for a data folder (cached); see `benchmarks.panel.load`."""
    from benchmarks import panel

    return panel.load(data_dir)


def __getattr__(name: str) -> object:
    """The public functions of heavier modules (`_LAZY`), imported on first use."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'benchmarks' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
