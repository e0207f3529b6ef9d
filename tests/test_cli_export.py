"""`benchmarks export` writes the tables analysts check our figures with."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from benchmarks.cli import main

pytestmark = pytest.mark.published


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCHMARKS_HOME", str(tmp_path / "home"))


def test_panel_csv_has_exactly_the_panel_columns(published: Path, tmp_path: Path) -> None:
    out = tmp_path / "panel.csv"
    assert (
        main(["export", "--data-dir", str(published), "--table", "panel", "--out", str(out)]) == 0
    )
    with out.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == [
            "la_code",
            "la_name",
            "year",
            "indicator",
            "value",
            "status",
            "source",
        ]
        leeds = [
            r
            for r in reader
            if r["la_code"] == "383"
            and r["year"] == "2025"
            and r["indicator"] == "sw_turnover_rate"
        ]
    assert [(r["value"], r["status"], r["source"]) for r in leeds] == [("7.0", "", "csww")]


@pytest.mark.parametrize("table", ["inspections", "authorities", "neighbours", "flags"])
def test_other_tables_export_as_parquet(published: Path, tmp_path: Path, table: str) -> None:
    out = tmp_path / f"{table}.parquet"
    assert main(["export", "--data-dir", str(published), "--table", table, "--out", str(out)]) == 0
    assert pl.read_parquet(out).height > 0


def test_suppressed_value_exports_as_its_marker_not_zero(published: Path, tmp_path: Path) -> None:
    out = tmp_path / "panel.parquet"
    main(["export", "--data-dir", str(published), "--table", "panel", "--out", str(out)])
    # MANIFEST: Kensington and Chelsea (207) CSWW 2025 is entirely x.
    kc = pl.read_parquet(out).filter(
        (pl.col("la_code") == "207")
        & (pl.col("year") == 2025)
        & (pl.col("indicator") == "sw_turnover_rate")
    )
    assert kc.select("value", "status").rows() == [(None, "x")]


def test_unknown_output_format_is_a_clear_error_and_writes_nothing(
    published: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "panel.ods"  # .xlsx is supported since issue 11 (tests/test_export.py)
    assert (
        main(["export", "--data-dir", str(published), "--table", "panel", "--out", str(out)]) == 1
    )
    assert ".csv, .parquet or .xlsx" in capsys.readouterr().err
    assert not out.exists()
    assert list(tmp_path.glob(".panel.ods*")) == []


def test_missing_data_folder_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "export",
            "--data-dir",
            str(tmp_path / "nope"),
            "--table",
            "panel",
            "--out",
            str(tmp_path / "p.csv"),
        ]
    )
    assert code == 1
    assert "does not exist" in capsys.readouterr().err


def test_comparison_export_has_the_documented_columns_for_all_las(published: Path, tmp_path: Path) -> None:
    out = tmp_path / "comparison.parquet"
    args = ["export", "--data-dir", str(published), "--table", "comparison", "--group", "sn2025"]
    assert main([*args, "--out", str(out)]) == 0
    table = pl.read_parquet(out)
    required = [
        "la_code", "year", "indicator", "group", "value",
        "comparator_mean", "comparator_median", "comparator_pooled",
        "england", "rank", "rank_of", "band", "change_1y", "change_3y",
        "ci_low", "ci_high", "significant", "flags",
    ]  # fmt: skip
    assert [c for c in required if c not in table.columns] == []
    turnover_2025 = table.filter((pl.col("indicator") == "sw_turnover_rate") & (pl.col("year") == 2025))
    assert turnover_2025["la_code"].n_unique() >= 151  # every LA with a 2025 workforce return
    leeds = turnover_2025.filter(pl.col("la_code") == "383").row(0, named=True)
    assert (leeds["value"], leeds["england"]) == (7.0, 11.8)
