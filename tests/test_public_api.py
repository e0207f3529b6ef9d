"""The notebook-facing API: load, compare (callable module), findings."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import benchmarks


@pytest.mark.published
def test_load_compare_findings_on_the_published_files(
    published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BENCHMARKS_HOME", str(tmp_path))
    bundle = benchmarks.load(published)
    leeds = benchmarks.compare(bundle, la="leeds", group="sn2025", year=2025)
    turnover = leeds.filter(pl.col("indicator") == "sw_turnover_rate").row(0, named=True)
    assert (turnover["la_code"], turnover["value"], turnover["group"]) == ("383", 7.0, "sn2025")
    # The module stays usable for the all-LA table after the call above.
    assert callable(benchmarks.compare.comparison_table)
    sentences = benchmarks.findings(leeds)
    assert sentences.filter(pl.col("indicator") == "sw_turnover_rate")["sentence"][0].startswith(
        "Social worker turnover was 7.0% in 2025"
    )
