"""The assembled bundle on the real published files (expected values are published figures)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import polars as pl
import pytest

from benchmarks import panel
from benchmarks.errors import DataError
from benchmarks.schema import PANEL_SCHEMA

pytestmark = pytest.mark.published


@pytest.fixture(scope="module")
def bundle(published_bundle: panel.Bundle) -> panel.Bundle:
    return published_bundle


def value(b: panel.Bundle, la: str, year: int, ind: str) -> float | None:
    row = b.panel.filter(
        (pl.col("la_code") == la) & (pl.col("year") == year) & (pl.col("indicator") == ind)
    )
    assert row.height == 1, f"{la} {year} {ind}: {row.height} rows"
    return row["value"][0]


def test_panel_has_exactly_the_contract_columns(bundle: panel.Bundle) -> None:
    assert bundle.panel.schema == PANEL_SCHEMA
    assert not bundle.demo


def test_leeds_turnover_2025_is_the_published_7_0(bundle: panel.Bundle) -> None:
    assert value(bundle, "383", 2025, "sw_turnover_rate") == 7.0


def test_barnsley_2025_workforce_present_despite_new_ons_code(
    bundle: panel.Bundle, published: Path
) -> None:
    # CSWW 2025 carries Barnsley as E08000038 / 370, inpost_fte published in the file.
    row = _csww_row(published, "2025", "370")
    assert value(bundle, "370", 2025, "sw_fte") == float(row["inpost_fte"])


def test_kingston_and_richmond_share_the_joint_turnover_and_are_flagged(
    bundle: panel.Bundle, published: Path
) -> None:
    joint = _csww_row(published, "2025", "314 / 318")
    assert value(bundle, "314", 2025, "sw_turnover_rate") == float(joint["turnover_rate_fte"])
    assert value(bundle, "318", 2025, "sw_turnover_rate") == float(joint["turnover_rate_fte"])
    flagged = bundle.flags.filter(
        (pl.col("flag") == "joint_return")
        & (pl.col("year") == 2025)
        & (pl.col("indicator") == "sw_turnover_rate")
    )
    assert sorted(flagged["la_code"].to_list()) == ["314", "318", "940", "941"]


def test_england_turnover_from_la_rows_counting_joint_returns_once(bundle: panel.Bundle) -> None:
    # LA codes are below 970 (England 970, regions 980-990). Count each joint return once
    # by dropping the second partner of each pair (318 Richmond, 941 West Northamptonshire).
    la = bundle.panel.filter(
        (pl.col("year") == 2025)
        & pl.col("indicator").is_in(["sw_leavers_fte", "sw_fte"])
        & (pl.col("la_code").cast(pl.Int32) < 970)
        & ~pl.col("la_code").is_in(["318", "941"])
    )
    s = dict(la.group_by("indicator").agg(pl.col("value").sum()).iter_rows())
    published = value(bundle, "970", 2025, "sw_turnover_rate")
    assert published == 11.8
    assert round(s["sw_leavers_fte"] / s["sw_fte"] * 100, 1) == published


def test_cin_rate_recomputed_for_every_la_in_2025(bundle: panel.Bundle) -> None:
    rates = bundle.panel.filter(
        (pl.col("year") == 2025)
        & (pl.col("indicator") == "cin_rate_per_10k")
        & (pl.col("la_code").cast(pl.Int32) < 970)
    )
    assert rates.height == 153
    assert rates["value"].null_count() == 0
    assert value(bundle, "970", 2025, "cin_rate_per_10k") == 330.3  # MANIFEST §3, DfE's figure


def test_cumbria_is_in_the_history_but_not_current(bundle: panel.Bundle) -> None:
    cumbria = bundle.authorities.filter(pl.col("la_code") == "909").row(0, named=True)
    assert cumbria["current"] is False
    assert cumbria["successors"] == ["942", "943"]
    assert bundle.inspections.filter(pl.col("la_code") == "909").height >= 1
    assert bundle.panel.filter((pl.col("la_code") == "909") & (pl.col("year") == 2022)).height > 0
    current = bundle.authorities.filter(pl.col("current"))
    assert current.height == 153
    assert "909" not in current["la_code"].to_list()


def test_cache_is_rebuilt_when_an_input_changes(
    published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(published, data)
    monkeypatch.setenv("BENCHMARKS_HOME", str(tmp_path / "home"))
    first = panel.load(data)
    assert panel.load(data).meta["built_at"] == first.meta["built_at"]  # served from cache
    csww = next((data / "workforce").glob("csww_indicators_*.csv"))
    text = csww.read_text(encoding="utf-8")
    leeds_2025 = next(
        line for line in text.splitlines() if line.startswith("2025,") and ",383," in line
    )
    fields = next(csv.reader([leeds_2025]))
    fields[16] = "9.9"  # turnover_rate_fte
    edited = ",".join(f'"{f}"' if "," in f else f for f in fields)
    csww.write_text(text.replace(leeds_2025, edited), encoding="utf-8")
    rebuilt = panel.load(data)
    assert value(rebuilt, "383", 2025, "sw_turnover_rate") == 9.9


def _csww_row(published: Path, year: str, code: str) -> dict[str, str]:
    path = next((published / "workforce").glob("csww_indicators_*.csv"))
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return next(
            r for r in csv.DictReader(fh) if r["time_period"] == year and r["old_la_code"] == code
        )


def test_an_unknown_la_code_is_a_clear_error(published: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(published, data)
    csww = next((data / "workforce").glob("csww_indicators_*.csv"))
    text = csww.read_text(encoding="utf-8")
    # Leeds' 2019 row with its code mistyped as 999 (no other Leeds row that year).
    line = next(ln for ln in text.splitlines() if ln.startswith("2019,") and ",383,E08000035," in ln)
    csww.write_text(text.replace(line, line.replace(",383,E08000035,", ",999,E08000035,")), encoding="utf-8")
    with pytest.raises(DataError) as err:
        panel.build(panel.input_files(data))
    message = str(err.value)
    assert csww.name in message and "old_la_code" in message and "'999'" in message
