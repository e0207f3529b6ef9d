"""Authorities table and LA name/code resolution."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from benchmarks.errors import DataError, UnknownAuthorityError
from benchmarks.geography import name_key, resolve_la
from benchmarks.schema import AUTHORITIES_SCHEMA
from benchmarks.sources.authorities import read_authorities

LAS_HEADER = (
    "new_la_code,la_name,date_of_operation,date_of_termination,parent_geography_code,"
    "entity_code,entity_description,status,old_la_code\n"
)
HIERARCHY = (
    "region_code,region_name,old_la_code,la_name,new_la_code\n"
    "E12000002,North West,909,Cumbria,E10000006\n"
    "E12000007,London,201,City of London,E09000001\n"
)


def _files(tmp_path: Path, las_rows: str, lait: pl.DataFrame | None = None) -> tuple[Path, ...]:
    """A tiny las.csv, hierarchy and la_code_list.xlsx in tmp_path."""
    las = tmp_path / "las.csv"
    las.write_text(LAS_HEADER + las_rows, encoding="utf-8")
    hierarchy = tmp_path / "region_la_hierarchy.csv"
    hierarchy.write_text(HIERARCHY, encoding="utf-8")
    if lait is None:
        lait = pl.DataFrame(
            {
                "LA Number": ["201", "909", "942"],
                "LA Name": ["City of London", "Cumbria", "Cumberland"],
                "Region": ["Inner London", "North West", "North West"],
                "Type": ["ILB", "SC", "UA"],
            }
        )
    code_list = tmp_path / "la_code_list.xlsx"
    lait.write_excel(code_list, worksheet="Sheet1")
    return las, hierarchy, code_list


TINY_LAS = (
    "E10000006,Cumbria,01/01/2009,31/03/2023,E12000002,E10,Counties,terminated,909\n"
    "E06000063,Cumberland,01/04/2023,,E12000002,E06,Unitary Authorities,live,942\n"
    "E06000063 / E06000064,Cumberland / Westmorland and Furness,01/04/2023,,E12000002,E06,"
    "Unitary Authorities,live,942 / 943\n"
    "E09000001,City of London,01/01/2009,,E12000007,E09,London Boroughs,live,201\n"
    "z,British Forces Post Office overseas establishments,,,,,,live,702\n"
)


def test_tiny_files_give_one_row_per_authority(tmp_path):
    authorities = read_authorities(*_files(tmp_path, TINY_LAS))
    assert authorities.schema == AUTHORITIES_SCHEMA
    # the combined 942 / 943 row and the forces row (702) are not authorities
    assert authorities["la_code"].to_list() == ["201", "909", "942"]
    cumbria = authorities.filter(la_code="909").row(0, named=True)
    assert cumbria["date_of_termination"] == dt.date(2023, 3, 31)
    assert cumbria["current"] is False
    assert cumbria["successors"] == ["942"]  # 943 is not in this tiny list
    assert cumbria["la_type"] == "Shire county"
    cumberland = authorities.filter(la_code="942").row(0, named=True)
    assert cumberland["predecessors"] == ["909"]
    assert cumberland["date_of_operation"] == dt.date(2023, 4, 1)
    city = authorities.filter(la_code="201").row(0, named=True)
    assert (city["region_name"], city["london_area"]) == ("London", "Inner London")


def test_bad_date_names_file_column_and_row(tmp_path):
    rows = TINY_LAS.replace(
        "01/04/2023,,E12000002,E06,Unitary Authorities,live,942",
        "2023-13-45,,E12000002,E06,Unitary Authorities,live,942",
        1,
    )
    with pytest.raises(DataError) as err:
        read_authorities(*_files(tmp_path, rows))
    assert err.value.column == "date_of_operation"
    assert err.value.row == 3  # header is line 1, Cumbria line 2
    assert "las.csv" in str(err.value)


def test_renamed_lait_column_names_file_sheet_column_and_row(tmp_path):
    lait = pl.DataFrame(
        {"LA Number": ["909"], "LA Name": ["Cumbria"], "Region": ["North West"], "LA type": ["SC"]}
    )
    with pytest.raises(DataError) as err:
        read_authorities(*_files(tmp_path, TINY_LAS, lait))
    message = str(err.value)
    assert "la_code_list.xlsx" in message
    assert (err.value.sheet, err.value.column, err.value.row) == ("Sheet1", "Type", 1)
    assert "'Sheet1'" in message and "'Type'" in message and "row 1" in message


@pytest.mark.parametrize(
    ("names", "key"),
    [
        (["Bristol, City of", "Bristol", "City of Bristol", "BRISTOL"], "bristol"),
        (["St. Helens", "St Helens", "Saint Helens"], "st helens"),
        (["Telford and Wrekin", "Telford & Wrekin", "telford  &  wrekin"], "telford and wrekin"),
        (["County Durham", "Durham"], "durham"),
        (["Herefordshire, County of", "Herefordshire"], "herefordshire"),
        (["Kingston upon Hull, City of", "Kingston Upon Hull", "Hull"], "kingston upon hull"),
        (["Bedford Borough", "Bedford"], "bedford"),
        (["Dorset (Pre LG)", "Dorset"], "dorset"),
        (["Southend-on-Sea", "Southend on Sea"], "southend on sea"),
        (["City of London"], "city of london"),
    ],
)
def test_name_key(names, key):
    assert {name_key(n) for n in names} == {key}


# --- the real files ----------------------------------------------------------------


@pytest.fixture(scope="module")
def authorities(published):
    folder = published / "authorities"
    return read_authorities(
        folder / "las.csv", folder / "region_la_hierarchy.csv", folder / "la_code_list.xlsx"
    )


def _row(authorities: pl.DataFrame, code: str) -> dict:
    rows = authorities.filter(la_code=code)
    assert rows.height == 1, code
    return rows.row(0, named=True)


def test_published_authorities_shape(authorities):
    assert authorities.schema == AUTHORITIES_SCHEMA
    assert authorities["la_code"].is_unique().all()
    assert authorities["la_code"].str.contains(r"^\d{3}$").all()
    # 153 children's services authorities today (the SN 2025 model's list)
    assert authorities["current"].sum() == 153
    # predecessors from las.csv with a 3-digit code; not 702 (forces) or combined codes
    former = set(authorities.filter(~pl.col("current"))["la_code"])
    assert former == {"820", "835", "836", "837", "875", "909", "928"}
    assert set(authorities["la_type"]) == {
        "London borough",
        "Metropolitan district",
        "Unitary authority",
        "Shire county",
    }
    london = authorities.filter(region_code="E12000007")
    assert london.height == 33
    assert london["london_area"].value_counts().sort("london_area").rows() == [
        ("Inner London", 14),
        ("Outer London", 19),
    ]
    assert authorities.filter(pl.col("london_area").is_not_null()).height == 33


@pytest.mark.parametrize(
    ("code", "ons_codes"),
    [
        ("370", ["E08000016", "E08000038"]),  # Barnsley, new code May 2025
        ("390", ["E08000020", "E08000037"]),  # Gateshead 2013
        ("825", ["E10000002", "E06000060"]),  # Buckinghamshire unitary 2020
        ("815", ["E10000023", "E06000065"]),  # North Yorkshire unitary 2023
        ("933", ["E10000027", "E06000066"]),  # Somerset unitary 2023
    ],
)
def test_code_changes_keep_every_ons_code(authorities, code, ons_codes):
    row = _row(authorities, code)
    assert row["ons_codes"] == ons_codes
    assert row["ons_code"] == ons_codes[-1]
    assert row["current"] is True
    assert row["date_of_termination"] is None


def test_cumbria_is_terminated_and_split(authorities):
    cumbria = _row(authorities, "909")
    assert cumbria["current"] is False
    assert cumbria["date_of_termination"] == dt.date(2023, 3, 31)
    assert cumbria["successors"] == ["942", "943"]
    assert _row(authorities, "943")["predecessors"] == ["909"]
    assert _row(authorities, "928")["successors"] == ["940", "941"]
    assert _row(authorities, "837")["successors"] == ["839"]
    assert _row(authorities, "835")["successors"] == ["838", "839"]
    assert _row(authorities, "839")["predecessors"] == ["835", "836", "837"]
    assert _row(authorities, "838")["predecessors"] == ["835"]


def test_types_and_regions(authorities):
    assert _row(authorities, "383")["la_type"] == "Metropolitan district"
    assert _row(authorities, "383")["region_name"] == "Yorkshire and The Humber"
    assert _row(authorities, "202")["la_type"] == "London borough"
    assert _row(authorities, "202")["london_area"] == "Inner London"
    assert _row(authorities, "805")["la_type"] == "Unitary authority"
    assert _row(authorities, "886")["la_type"] == "Shire county"
    assert _row(authorities, "886")["london_area"] is None
    # not in la_code_list.xlsx: type from las.csv's entity code (E10 = county)
    assert _row(authorities, "820")["la_type"] == "Shire county"


@pytest.mark.parametrize(
    "query", ["barnsley", "Barnsley", " 370 ", "370", "E08000016", "e08000038"]
)
def test_resolve_barnsley(authorities, query):
    assert resolve_la(authorities, query) == "370"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Bristol", "801"),
        ("St Helens", "342"),
        ("Durham", "840"),
        ("Telford & Wrekin", "894"),
        ("Hammersmith & Fulham", "205"),
        ("Herefordshire", "884"),
        ("Kingston upon Hull", "810"),
        ("Bournemouth, Christchurch & Poole", "839"),
        ("Bedford Borough", "822"),
        ("Dorset", "838"),  # the current Dorset, not the old county 835
        ("Dorset (Pre LG)", "838"),
        ("E10000009", "835"),  # the old county's ONS code
        ("Cumbria", "909"),
        ("City of London", "201"),
    ],
)
def test_resolve_names(authorities, query, code):
    assert resolve_la(authorities, query) == code


def test_resolve_can_prefer_former_authorities(authorities):
    assert resolve_la(authorities, "Dorset", prefer_current=False) == "835"
    assert resolve_la(authorities, "Leeds", prefer_current=False) == "383"


@pytest.mark.parametrize("query", ["Leeeds", "leds"])
def test_unknown_name_suggests_close_matches(authorities, query):
    with pytest.raises(UnknownAuthorityError) as err:
        resolve_la(authorities, query)
    assert "Leeds" in err.value.suggestions
    assert "Did you mean" in str(err.value)


@pytest.mark.parametrize("query", ["999", "E08999999", "Atlantis"])
def test_unknown_codes_raise(authorities, query):
    with pytest.raises(UnknownAuthorityError):
        resolve_la(authorities, query)


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ("Cafcass", "Cafcass"),
        ("CAFCASS", "Cafcass"),
        ("Ofsted", "Ofsted"),
        ("the Department for Education", "The Department for Education"),
    ],
)
def test_a_national_body_is_named_as_one(authorities, query, body):
    with pytest.raises(UnknownAuthorityError) as err:
        resolve_la(authorities, query)
    assert str(err.value) == f"{body} is a national body with no local authority data."
    assert err.value.suggestions == []
