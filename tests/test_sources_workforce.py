"""Workforce readers: CSWW headline indicators and CLA with 3+ social workers."""

from __future__ import annotations

import csv

import polars as pl
import pytest

from benchmarks.errors import DataError
from benchmarks.indicators import catalogue
from benchmarks.schema import OBSERVATION_SCHEMA
from benchmarks.sources.workforce import read_cla_swcount, read_csww
from ees_testdata import la, national, write_ees

CSWW = "workforce/csww_indicators_2017_to_2025.csv"
SWCOUNT = "workforce/la_cla_swcount.csv"
CSWW_COLUMNS = {i.column: i.id for i in catalogue().values() if i.source == "csww"}


def _value(frame: pl.DataFrame, la_code: str, year: int, indicator: str) -> float | None:
    rows = frame.filter(la_code=la_code, year=year, indicator=indicator)
    assert rows.height == 1, (la_code, year, indicator, rows)
    return rows["value"][0]


# --- unit tests on tiny files ------------------------------------------------------


def _csww_file(tmp_path, rows):
    """A CSWW file whose every value is "1" except the cells given in each row's dict."""
    columns = list(CSWW_COLUMNS)
    body = [(geo, [cells.get(c, "1") for c in columns]) for geo, cells in rows]
    return write_ees(tmp_path / "csww.csv", columns, body)


def test_csww_maps_every_catalogue_column(tmp_path):
    path = _csww_file(tmp_path, [(la(2025, "383", "Leeds"), {"turnover_rate_fte": "7"})])
    frame = read_csww(path)
    assert frame.schema == OBSERVATION_SCHEMA
    assert sorted(frame["indicator"]) == sorted(CSWW_COLUMNS.values())
    assert _value(frame, "383", 2025, "sw_turnover_rate") == 7.0
    assert set(frame["source"]) == {"csww"}


def test_csww_low_marker_and_joint_return(tmp_path):
    joint = la(
        2025, "940 / 941", "North Northamptonshire / West Northamptonshire", "E06000061 / E06000062"
    )
    path = _csww_file(
        tmp_path,
        [
            (joint, {"agency_fte": "low", "leavers_fte": "43.9"}),
            (national(2025), {"leavers_fte": "4276.3"}),
        ],
    )
    frame = read_csww(path)
    for code in ("940", "941"):
        agency = frame.filter(la_code=code, indicator="sw_agency_fte").row(0, named=True)
        assert (agency["value"], agency["status"], agency["joint_code"]) == (
            None,
            "low",
            "940 / 941",
        )
        assert _value(frame, code, 2025, "sw_leavers_fte") == 43.9
    assert _value(frame, "970", 2025, "sw_leavers_fte") == 4276.3
    # 2 partner rows + England, each with every CSWW indicator
    assert frame.height == 3 * len(CSWW_COLUMNS)


def _swcount_file(tmp_path, rows):
    return write_ees(
        tmp_path / "sw.csv", ["cla_group", "sw_stability", "number", "percentage"], rows
    )


def test_cla_swcount_two_rows_per_geography(tmp_path):
    leeds = la(2024, "383", "Leeds")
    path = _swcount_file(
        tmp_path,
        [
            (leeds, ["CLA on 31 March", "Total children", "1400", "100"]),
            (leeds, ["CLA on 31 March", "3 or more social workers during the year", "350", "25"]),
        ],
    )
    frame = read_cla_swcount(path)
    got = {r["indicator"]: r["value"] for r in frame.iter_rows(named=True)}
    assert got == {
        "cla_sw_stability_total": 1400,
        "cla_3plus_sw_count": 350,
        "cla_3plus_sw_rate": 25,
    }


def test_cla_swcount_unknown_stability_value_is_an_error(tmp_path):
    leeds = la(2024, "383", "Leeds")
    path = _swcount_file(
        tmp_path,
        [
            (leeds, ["CLA on 31 March", "Total children", "1400", "100"]),
            (leeds, ["CLA on 31 March", "2 social workers during the year", "500", "36"]),
        ],
    )
    with pytest.raises(DataError) as info:
        read_cla_swcount(path)
    assert (info.value.column, info.value.row) == ("sw_stability", 3)
    assert "sw.csv" in str(info.value)


def test_cla_swcount_unknown_cla_group_is_an_error(tmp_path):
    path = _swcount_file(
        tmp_path,
        [(la(2024, "383", "Leeds"), ["CLA during the year", "Total children", "9", "100"])],
    )
    with pytest.raises(DataError) as info:
        read_cla_swcount(path)
    assert (info.value.column, info.value.row) == ("cla_group", 2)


# --- the real published files -------------------------------------------------------


@pytest.fixture(scope="module")
def csww(published):
    return read_csww(published / CSWW)


@pytest.fixture(scope="module")
def swcount(published):
    return read_cla_swcount(published / SWCOUNT)


def _data_rows(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.published
def test_csww_published_figures(csww):
    # the file's Leeds 2025 row: turnover_rate_fte 7
    assert _value(csww, "383", 2025, "sw_turnover_rate") == 7.0
    # Barnsley 2025 uses the new ONS code E08000038 but keeps DfE code 370: inpost_fte 208.2
    assert _value(csww, "370", 2025, "sw_fte") == 208.2
    assert _value(csww, "373", 2025, "sw_fte") == 446.9  # Sheffield, new code E08000039
    # England 2025 (National row): turnover 11.8, caseload 15.2
    assert _value(csww, "970", 2025, "sw_turnover_rate") == 11.8
    assert _value(csww, "970", 2025, "sw_caseload") == 15.2


@pytest.mark.published
def test_csww_joint_returns_expanded(csww):
    for code in ("314", "318"):
        row = csww.filter(la_code=code, year=2025, indicator="sw_turnover_rate").row(0, named=True)
        assert (row["value"], row["joint_code"]) == (28.0, "314 / 318")
    names = csww.filter(year=2025, indicator="sw_fte", joint_code="940 / 941")
    assert sorted(names["la_name"]) == ["North Northamptonshire", "West Northamptonshire"]
    assert names["value"].to_list() == [421.5, 421.5]
    # Kingston/Richmond are joint in every year 2017-2025
    assert csww.filter(la_code="318", indicator="sw_fte")["joint_code"].unique().to_list() == [
        "314 / 318"
    ]


@pytest.mark.published
def test_csww_no_row_dropped(published, csww):
    rows = _data_rows(published / CSWW)
    partners = sum(len(r["old_la_code"].split(" / ")) for r in rows)
    assert partners == len(rows) + 14  # 9 Kingston/Richmond years + 5 Northamptonshire years
    assert csww.height == partners * len(CSWW_COLUMNS)
    per_year = csww.filter(level="la", indicator="sw_fte").group_by("year").len()
    # 151 units in 2025, two of them joint: 153 authorities
    assert dict(per_year.iter_rows())[2025] == 153


@pytest.mark.published
def test_csww_markers_kept(csww):
    # Kensington and Chelsea (207) and Westminster (213) are entirely x in 2025
    for code in ("207", "213"):
        rows = csww.filter(la_code=code, year=2025)
        assert rows["status"].unique().to_list() == ["x"]
        assert rows["value"].null_count() == rows.height
    # Sunderland (394) agency 2023-2025 is "low" somewhere in the agency measures
    assert "low" in csww.filter(la_code="394", year=2025)["status"].to_list()


@pytest.mark.published
def test_england_turnover_recomputed_from_la_rows(csww):
    # sum of LA leavers / sum of LA in post, each joint return counted once (MANIFEST 3: 11.80)
    la_2025 = csww.filter(level="la", year=2025).unique(
        subset=[pl.coalesce("joint_code", "la_code"), "indicator"],
        keep="first",
        maintain_order=True,
    )
    wide = la_2025.pivot("indicator", index="la_code", values="value").drop_nulls(
        ["sw_leavers_fte", "sw_fte"]
    )
    assert la_2025["la_code"].n_unique() == 151  # 153 authorities, two joint pairs
    pooled = wide["sw_leavers_fte"].sum() / wide["sw_fte"].sum() * 100
    assert abs(pooled - 11.80) < 0.005
    assert abs(pooled - _value(csww, "970", 2025, "sw_turnover_rate")) < 0.05


@pytest.mark.published
def test_cla_swcount_published(published, swcount):
    # England 2024: 83300 children, 22140 with 3+ social workers, 27%
    assert _value(swcount, "970", 2024, "cla_sw_stability_total") == 83300
    assert _value(swcount, "970", 2024, "cla_3plus_sw_count") == 22140
    assert _value(swcount, "970", 2024, "cla_3plus_sw_rate") == 27
    assert _value(swcount, "805", 2024, "cla_sw_stability_total") == 334  # Hartlepool
    las = swcount.filter(level="la")
    assert las["la_code"].n_unique() == 153
    rows = _data_rows(published / SWCOUNT)
    # Total rows give 1 indicator, 3+ rows give 2: 330 rows / 2 kinds x 3 indicators
    assert swcount.height == len(rows) // 2 * 3
    assert set(swcount.filter(pl.col("status").is_not_null())["status"]) <= {"x", "z"}
