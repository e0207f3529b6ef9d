"""The notebook-facing API: load, compare, findings -- plain functions with real signatures."""

from __future__ import annotations

import inspect
import subprocess
import sys
import types
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
    sentences = benchmarks.findings(leeds)
    assert sentences.filter(pl.col("indicator") == "sw_turnover_rate")["sentence"][0].startswith(
        "Social worker turnover was 7.0% in 2025"
    )


def test_compare_and_findings_are_the_library_functions_with_their_signatures() -> None:
    from benchmarks import comparison, narrative

    assert benchmarks.compare is comparison.compare
    assert benchmarks.findings is narrative.findings
    assert isinstance(benchmarks.compare, types.FunctionType)
    assert list(inspect.signature(benchmarks.compare).parameters) == [
        "bundle",
        "la",
        "group",
        "year",
        "partnerships",
        "method",
    ]
    assert list(inspect.signature(benchmarks.findings).parameters) == [
        "comparison",
        "la",
        "year",
        "top",
    ]
    assert {"load", "compare", "findings"} <= set(dir(benchmarks))
    with pytest.raises(AttributeError, match="no_such_name"):
        benchmarks.no_such_name  # noqa: B018


def test_import_benchmarks_stays_light() -> None:
    """`import benchmarks` does not import polars, numpy or the comparison engine."""
    code = (
        "import sys, benchmarks; "
        "print(sorted(m for m in ('polars', 'numpy', 'scipy', 'benchmarks.comparison') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_package_is_typed() -> None:
    import importlib.resources

    assert importlib.resources.files("benchmarks").joinpath("py.typed").is_file()
