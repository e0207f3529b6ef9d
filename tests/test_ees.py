"""The shared EES reader (sources/_ees.py) on tiny hand-written files."""

from __future__ import annotations

import pytest

from benchmarks.errors import DataError
from benchmarks.schema import OBSERVATION_SCHEMA
from benchmarks.sources import _ees
from ees_testdata import ID_HEADER, la, national, regional, write_ees

ONE = {(): {"count": "cin_count"}}


def _read(path, layout=ONE, **kwargs):
    return _ees.read_observations(path, layout, source="test", **kwargs)


@pytest.mark.parametrize(
    ("cell", "status"),
    [("c", "c"), ("x", "x"), ("z", "z"), ("u", "u"), ("low", "low"), ("", "missing"), (" C ", "c")],
)
def test_markers_become_null_with_status(tmp_path, cell, status):
    path = write_ees(tmp_path / "f.csv", ["count"], [(la(2025, "383", "Leeds"), [cell])])
    row = _read(path).row(0, named=True)
    assert row["value"] is None
    assert row["status"] == status


def test_numbers_are_values_without_status(tmp_path):
    path = write_ees(tmp_path / "f.csv", ["count"], [(la(2025, "383", "Leeds"), ["12.5"])])
    row = _read(path).row(0, named=True)
    assert (row["value"], row["status"], row["year"], row["la_code"]) == (12.5, None, 2025, "383")


@pytest.mark.parametrize("cell", ["abc", "nan", "inf", "1 2"])
def test_bad_value_names_file_column_and_row(tmp_path, cell):
    path = write_ees(
        tmp_path / "bad.csv",
        ["other", "count"],
        [(la(2024, "383", "Leeds"), ["1", "5"]), (la(2025, "383", "Leeds"), ["1", cell])],
    )
    with pytest.raises(DataError) as info:
        _read(path)
    err = info.value
    # header is row 1, so the second data row is row 3
    assert (err.column, err.row) == ("count", 3)
    assert "bad.csv" in str(err) and "'count'" in str(err) and "row 3" in str(err)


def test_missing_required_column_is_named(tmp_path):
    path = write_ees(tmp_path / "f.csv", ["other"], [(la(2025, "383", "Leeds"), ["1"])])
    with pytest.raises(DataError) as info:
        _read(path)
    assert info.value.column == "count"
    assert "count" in str(info.value)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(DataError, match="empty"):
        _read(path)


def test_header_only_file(tmp_path):
    path = write_ees(tmp_path / "f.csv", ["count"], [])
    with pytest.raises(DataError) as info:
        _read(path)
    assert info.value.row == 2
    assert "header only" in str(info.value)


def test_extra_unknown_column_still_loads(tmp_path):
    path = write_ees(
        tmp_path / "f.csv", ["count", "new_measure"], [(la(2025, "383", "Leeds"), ["7", "zz"])]
    )
    frame = _read(path)
    assert frame["value"].to_list() == [7.0]


def test_next_year_file_with_an_extra_year_loads(tmp_path):
    rows = [(la(year, "383", "Leeds"), [str(year - 2000)]) for year in (2024, 2025, 2026)]
    frame = _read(write_ees(tmp_path / "f.csv", ["count"], rows))
    assert dict(zip(frame["year"], frame["value"], strict=True)) == {2024: 24, 2025: 25, 2026: 26}


def test_quoted_empty_id_cells_are_null(tmp_path):
    # the c4/d3/d5 files quote empty geography cells on National rows
    header = ",".join([*ID_HEADER, "count"])
    path = tmp_path / "f.csv"
    path.write_text(header + '\n2025,Reporting year,National,E92000001,England,"","",,"","",9\n')
    frame = _ees.read_ees_csv(path, required=["count"])
    assert frame["region_code"].to_list() == [None]
    assert frame["la_name"].to_list() == [None]


def test_bom_in_header_is_stripped(tmp_path):
    path = write_ees(tmp_path / "f.csv", ["count"], [(la(2025, "383", "Leeds"), ["1"])])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert _read(path)["year"].to_list() == [2025]


def test_geography_codes_for_england_regions_and_las(tmp_path):
    rows = [
        (national(2025), ["1"]),
        (regional(2025), ["2"]),
        (regional(2025, "E13000002", "Outer London"), ["3"]),
        (la(2025, "383", "Leeds"), ["4"]),
    ]
    frame = _read(write_ees(tmp_path / "f.csv", ["count"], rows)).sort("value")
    assert frame["la_code"].to_list() == ["970", "982", "988", "383"]
    assert frame["la_name"].to_list() == [
        "England",
        "Yorkshire and The Humber",
        "Outer London",
        "Leeds",
    ]
    assert frame["level"].to_list() == ["national", "regional", "regional", "la"]


def test_joint_return_becomes_one_row_per_partner(tmp_path):
    joint = la(
        2025, "314 / 318", "Kingston upon Thames / Richmond upon Thames", "E09000021 / E09000027"
    )
    rows = [(joint, ["28"]), (la(2025, "383", "Leeds"), ["7"])]
    frame = _read(write_ees(tmp_path / "f.csv", ["count"], rows)).sort("la_code")
    assert frame.select("la_code", "la_name", "value", "joint_code").rows() == [
        ("314", "Kingston upon Thames", 28.0, "314 / 318"),
        ("318", "Richmond upon Thames", 28.0, "314 / 318"),
        ("383", "Leeds", 7.0, None),
    ]


def test_observations_have_the_schema(tmp_path):
    frame = _read(write_ees(tmp_path / "f.csv", ["count"], [(la(2025, "383", "Leeds"), ["1"])]))
    assert frame.schema == OBSERVATION_SCHEMA
    assert frame["source"].to_list() == ["test"]
    assert frame["indicator"].to_list() == ["cin_count"]


def test_unknown_geographic_level_is_an_error(tmp_path):
    geo = la(2025, "383", "Leeds")
    geo[2] = "Local authority district"
    with pytest.raises(DataError) as info:
        _read(write_ees(tmp_path / "f.csv", ["count"], [(geo, ["1"])]))
    assert (info.value.column, info.value.row) == ("geographic_level", 2)


def test_bad_time_period_is_an_error(tmp_path):
    geo = la(2025, "383", "Leeds")
    geo[0] = "2024/25"
    with pytest.raises(DataError) as info:
        _read(write_ees(tmp_path / "f.csv", ["count"], [(geo, ["1"])]))
    assert (info.value.column, info.value.row) == ("time_period", 2)


# --- filter columns -----------------------------------------------------------------

SPLIT = {
    ("Total",): {"count": "cla_sw_stability_total"},
    ("Three plus",): {"count": "cla_3plus_sw_count", "pct": "cla_3plus_sw_rate"},
}


def test_filter_values_select_their_own_columns(tmp_path):
    rows = [
        (la(2024, "383", "Leeds"), ["Total", "200", "100"]),
        (la(2024, "383", "Leeds"), ["Three plus", "50", "25"]),
    ]
    path = write_ees(tmp_path / "f.csv", ["kind", "count", "pct"], rows)
    frame = _read(path, SPLIT, filters=("kind",))
    got = dict(zip(frame["indicator"], frame["value"], strict=True))
    # "pct" of the Total row (100) is not an indicator, so it is not read
    assert got == {"cla_sw_stability_total": 200, "cla_3plus_sw_count": 50, "cla_3plus_sw_rate": 25}


def test_unexpected_filter_value_names_column_and_row(tmp_path):
    rows = [
        (la(2024, "383", "Leeds"), ["Total", "200", "100"]),
        (la(2024, "383", "Leeds"), ["Two", "70", "35"]),
    ]
    path = write_ees(tmp_path / "f.csv", ["kind", "count", "pct"], rows)
    with pytest.raises(DataError) as info:
        _read(path, SPLIT, filters=("kind",))
    assert (info.value.column, info.value.row) == ("kind", 3)
    assert "'Two'" in str(info.value)


def test_unexpected_combination_of_filter_values(tmp_path):
    layout = {("A", "1"): {"count": "cin_count"}, ("B", "2"): {"count": "cin_starts_count"}}
    rows = [(la(2024, "383", "Leeds"), ["A", "2", "5"])]
    path = write_ees(tmp_path / "f.csv", ["f1", "f2", "count"], rows)
    with pytest.raises(DataError) as info:
        _read(path, layout, filters=("f1", "f2"))
    assert info.value.row == 2


def test_second_row_for_the_same_authority_and_year_is_an_error(tmp_path):
    rows = [(la(2025, "383", "Leeds"), ["1"]), (la(2025, "383", "Leeds"), ["2"])]
    with pytest.raises(DataError) as info:
        _read(write_ees(tmp_path / "f.csv", ["count"], rows))
    assert info.value.row == 3


def test_catalogue_columns_for_a_source():
    assert _ees.catalogue_columns("cin_b1") == {
        "At31_episodes": "cin_count",
        "Started_episodes": "cin_starts_count",
    }
    with pytest.raises(ValueError, match="children_count"):
        _ees.catalogue_columns("cla")
