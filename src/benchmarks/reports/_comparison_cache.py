"""The comparison cache (moved verbatim from report.py; its home will be `benchmarks.cache`)."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import polars as pl

from benchmarks.panel import Bundle

_COMPARISONS: dict[str, pl.DataFrame] = {}
#: Files whose code or content shapes the comparison table (part of its cache key).
_COMPARE_CODE = ("compare.py", "groups.py", "indicators.toml", "partnerships.example.toml")


def comparison_key(bundle: Bundle, group: str, groups_file: Path | None = None) -> str:
    """A digest of what the comparison depends on: the bundle's provenance (every input
    file's sha256, its folder, and when the panel was built, so a rebuilt panel never meets
    an old comparison), the group, the comparison code and catalogue, and polars' version."""
    package = resources.files("benchmarks")
    digest = hashlib.sha256(
        json.dumps([bundle.meta, group, pl.__version__], sort_keys=True, default=str).encode()
    )
    for name in _COMPARE_CODE:
        digest.update(package.joinpath(name).read_bytes())
    if groups_file is not None and groups_file.is_file():
        digest.update(groups_file.read_bytes())
    return digest.hexdigest()


def comparison_for(bundle: Bundle, group: str, groups_file: Path | None = None) -> pl.DataFrame:
    """Every authority's comparison with `group`, computed once per data version and group.

    Kept in this process (a pack's kept-alive kernel computes it once) and as parquet in
    BENCHMARKS_HOME/cache/comparison (a single report in a fresh process reads it back).
    """
    from benchmarks import atomic, datadir
    from benchmarks.compare import comparison_for_bundle

    key = comparison_key(bundle, group, groups_file)
    if key in _COMPARISONS:
        return _COMPARISONS[key]
    cached = datadir.home() / "cache" / "comparison" / f"{key}.parquet"
    try:
        table = pl.read_parquet(cached)
    except (OSError, pl.exceptions.PolarsError):
        table = comparison_for_bundle(bundle, group=group, partnerships=groups_file)
        try:
            atomic.write_frame(table, cached)
        except OSError:
            pass  # an unwritable cache only costs time
    _COMPARISONS.clear()  # one data version and group at a time
    _COMPARISONS[key] = table
    return table
