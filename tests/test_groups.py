"""Comparator groups on hand-written authorities, neighbours and inspections."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from benchmarks.errors import DataError, UnknownGroupError
from benchmarks.groups import BUILTIN_GROUPS, latest_grades, list_groups, membership
from benchmarks.schema import AUTHORITIES_SCHEMA, INSPECTIONS_SCHEMA, NEIGHBOURS_SCHEMA

#           code   name                    region       region name                 London area     type
ROWS = [
    ("202", "Camden", "E12000007", "London", "Inner London", "London borough"),
    ("204", "Hackney", "E12000007", "London", "Inner London", "London borough"),
    ("302", "Barnet", "E12000007", "London", "Outer London", "London borough"),
    ("380", "Bradford", "E12000003", "Yorkshire and The Humber", None, "Metropolitan district"),
    ("383", "Leeds", "E12000003", "Yorkshire and The Humber", None, "Metropolitan district"),
    (
        "811",
        "East Riding of Yorkshire",
        "E12000003",
        "Yorkshire and The Humber",
        None,
        "Unitary authority",
    ),
]
AUTH = pl.DataFrame(
    [
        {
            "la_code": code,
            "la_name": name,
            "ons_code": f"E0900{code}",
            "ons_codes": [f"E0900{code}"],
            "region_code": region,
            "region_name": region_name,
            "london_area": area,
            "la_type": la_type,
            "date_of_operation": date(2009, 4, 1),
            "date_of_termination": None,
            "current": True,
            "predecessors": [],
            "successors": [],
        }
        for code, name, region, region_name, area, la_type in ROWS
    ],
    schema=AUTHORITIES_SCHEMA,
)
SNS = pl.DataFrame(
    [
        {
            "la_code": "383",
            "model": "sn2025",
            "neighbour_code": "380",
            "rank": 1,
            "closeness": "Very close",
        },
        {
            "la_code": "383",
            "model": "sn2025",
            "neighbour_code": "811",
            "rank": 2,
            "closeness": "Close",
        },
        {
            "la_code": "383",
            "model": "sn2021",
            "neighbour_code": "202",
            "rank": 1,
            "closeness": "Not close",
        },
        {
            "la_code": "380",
            "model": "sn2025",
            "neighbour_code": "383",
            "rank": 1,
            "closeness": "Very close",
        },
    ],
    schema=NEIGHBOURS_SCHEMA,
)


def inspection(code: str, when: date, grade: str | None, *, official: bool = True) -> dict:
    return {
        "la_code": code,
        "la_name": code,
        "inspection_date": when,
        "publication_date": None,
        "framework": "ILACS",
        "event_type": "Standard inspection",
        "overall": grade,
        "official": official,
        "source": "test",
    }


INSPECTIONS = pl.DataFrame(
    [
        inspection("383", date(2018, 3, 1), "Good"),
        inspection("383", date(2022, 6, 1), "Outstanding"),
        inspection("383", date(2024, 1, 1), None),  # a focused visit: no grade
        inspection("202", date(2023, 1, 1), "Outstanding"),
        inspection("380", date(2023, 1, 1), "Inadequate"),
        inspection("204", date(2024, 5, 1), "Good"),
        inspection("204", date(2024, 5, 1), "Requires improvement to be good", official=False),
    ],
    schema_overrides=dict(INSPECTIONS_SCHEMA),
)
INSPECTIONS = INSPECTIONS.with_columns(
    [
        pl.lit(None, t).alias(c)
        for c, t in INSPECTIONS_SCHEMA.items()
        if c not in INSPECTIONS.columns
    ]
).select(INSPECTIONS_SCHEMA.names())


def members(group: str, la: str, **kwargs) -> list[str]:
    pairs = membership(AUTH, SNS, INSPECTIONS, group, **kwargs)
    return pairs.filter(pl.col("la_code") == la)["member_code"].to_list()


def test_statistical_neighbours_keep_rank_and_closeness_per_model() -> None:
    pairs = membership(AUTH, SNS, INSPECTIONS, "sn2025").filter(pl.col("la_code") == "383")
    assert pairs.select("member_code", "rank", "closeness").rows() == [
        ("380", 1, "Very close"),
        ("811", 2, "Close"),
    ]
    assert set(pairs["group"]) == {"sn2025"}
    assert members("sn2021", "383") == ["202"]


def test_an_authority_missing_from_a_model_has_no_members() -> None:
    assert members("sn2021", "380") == []
    assert members("sn2025", "811") == []


def test_region_is_london_whole_and_never_includes_the_authority_itself() -> None:
    assert members("region", "202") == ["204", "302"]
    assert members("region", "383") == ["380", "811"]


def test_london_area_splits_inner_and_outer_and_falls_back_to_region() -> None:
    assert members("london_area", "202") == ["204"]
    assert members("london_area", "302") == []
    assert members("london_area", "383") == ["380", "811"]
    labels = dict(
        membership(AUTH, SNS, INSPECTIONS, "london_area")
        .select("la_code", "group_label")
        .iter_rows()
    )
    assert labels["202"] == "other Inner London authorities"
    assert labels["383"] == "other authorities in Yorkshire and The Humber"


@pytest.mark.parametrize(
    ("group", "label"),
    [("england", "other authorities in England"), ("all", "all other local authorities")],
)
def test_england_and_all_are_every_other_authority(group: str, label: str) -> None:
    assert members(group, "383") == ["202", "204", "302", "380", "811"]
    assert set(membership(AUTH, SNS, INSPECTIONS, group)["group_label"]) == {label}


def test_la_type_groups_by_type_with_a_plural_label() -> None:
    assert members("la_type", "383") == ["380"]
    assert members("la_type", "811") == []
    pairs = membership(AUTH, SNS, INSPECTIONS, "la_type")
    assert (
        pairs.filter(pl.col("la_code") == "383")["group_label"][0] == "other metropolitan districts"
    )


def test_latest_grade_ignores_ungraded_visits_and_prefers_the_official_record() -> None:
    grades = dict(latest_grades(INSPECTIONS).select("la_code", "grade").iter_rows())
    # 383: Good (2018) then Outstanding (2022); the 2024 visit has no grade.
    # 204: official Good and unofficial RI on the same day -> the official record.
    assert grades == {
        "383": "Outstanding",
        "202": "Outstanding",
        "380": "Inadequate",
        "204": "Good",
    }


def test_ofsted_grade_groups_authorities_with_the_same_latest_grade() -> None:
    assert members("ofsted_grade", "383") == ["202"]
    assert members("ofsted_grade", "380") == []
    pairs = membership(AUTH, SNS, INSPECTIONS, "ofsted_grade")
    assert (
        pairs["group_label"][0] == "other authorities rated Outstanding at their latest inspection"
    )


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "groups.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_partnership_members_are_resolved_by_name_or_code_in_any_case(tmp_path: Path) -> None:
    path = write(
        tmp_path, '[groups."North"]\nmembers = ["LEEDS", "380", "East Riding of Yorkshire"]\n'
    )
    assert members("North", "383", partnerships=path) == ["380", "811"]
    assert members("north", "383", partnerships=path) == ["380", "811"]  # group names ignore case
    # an authority outside the group is compared with all of its members
    assert members("North", "202", partnerships=path) == ["380", "383", "811"]
    labels = dict(
        membership(AUTH, SNS, INSPECTIONS, "North", partnerships=path)
        .select("la_code", "group_label")
        .iter_rows()
    )
    assert labels["383"] == "the other North authorities"
    assert labels["202"] == "the North authorities"


def test_an_unknown_partnership_member_names_the_file_group_and_closest_match(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, '[groups."North"]\nmembers = ["Leeds", "Bradfrod"]\n')
    with pytest.raises(DataError) as err:
        membership(AUTH, SNS, INSPECTIONS, "North", partnerships=path)
    message = str(err.value)
    assert str(path) in message and 'groups."North"' in message
    assert "'Bradfrod'" in message and "did you mean: Bradford" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[groups."North"]\nmembers = []\n', "non-empty list"),
        ("groups = 3\n", 'groups."Name"'),
        ("[groups\n", "valid TOML"),
        ('[groups."Region"]\nmembers = ["Leeds"]\n', "differ from the built-in"),
    ],
)
def test_a_bad_partnership_file_is_a_clear_error(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(DataError, match=expected):
        membership(AUTH, SNS, INSPECTIONS, "North", partnerships=path)


def test_an_unknown_group_lists_the_known_ones(tmp_path: Path) -> None:
    path = write(tmp_path, '[groups."North"]\nmembers = ["Leeds"]\n')
    with pytest.raises(UnknownGroupError) as err:
        membership(AUTH, SNS, INSPECTIONS, "sn2019", partnerships=path)
    assert "sn2025" in str(err.value) and "North" in str(err.value)


def test_list_groups_names_built_ins_and_the_shipped_example_partnerships() -> None:
    groups = list_groups()
    assert groups.filter(pl.col("kind") == "built-in")["group"].to_list() == list(BUILTIN_GROUPS)
    example = groups.filter(pl.col("kind") == "partnership")
    assert "West Yorkshire" in example["group"].to_list()
    assert example["description"].str.len_chars().min() > 0
