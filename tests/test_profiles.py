"""`benchmarks.profile`: groups, joint returns and markers on a hand-made bundle."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from benchmarks.profiles import group_keys, profile_table
from benchmarks.schema import INSPECTIONS_SCHEMA

OUT, G, RI = "Outstanding", "Good", "Requires improvement to be good"
IND = "sw_agency_rate"

# la_code: (value, status, region, type)
PANEL = {
    "901": (10.0, None, "North", "Unitary authority"),  # joint return with 902
    "902": (10.0, None, "North", "Unitary authority"),
    "903": (20.0, None, "North", "Shire county"),
    "904": (None, "low", "North", "Shire county"),
    "905": (30.0, None, "South", "Shire county"),
    "906": (None, "c", "South", "Shire county"),
    "907": (40.0, None, "South", "Shire county"),
    "908": (None, "z", "South", "Shire county"),
    "909": (50.0, None, "South", "Unitary authority"),
}


def _panel() -> pl.DataFrame:
    rows = [
        {
            "la_code": c,
            "la_name": f"LA {c}",
            "year": 2025,
            "indicator": IND,
            "value": v,
            "status": s,
            "source": "csww",
        }
        for c, (v, s, _, _) in PANEL.items()
    ]
    # an England row must not join a group; an earlier year must not be picked by default
    rows.append(
        {
            "la_code": "970",
            "la_name": "England",
            "year": 2025,
            "indicator": IND,
            "value": 18.0,
            "status": None,
            "source": "csww",
        }
    )
    rows.append(
        {
            "la_code": "903",
            "la_name": "LA 903",
            "year": 2024,
            "indicator": IND,
            "value": 99.0,
            "status": None,
            "source": "csww",
        }
    )
    return pl.DataFrame(
        rows, schema_overrides={"year": pl.Int32, "value": pl.Float64, "status": pl.String}
    )


def _authorities() -> pl.DataFrame:
    return pl.DataFrame(
        [{"la_code": c, "region_name": r, "la_type": t} for c, (_, _, r, t) in PANEL.items()]
    )


def _inspection(
    code: str, when: date, overall: str | None, leaders: str | None, *, official: bool = True
) -> dict:
    row: dict = {k: None for k in INSPECTIONS_SCHEMA.names()}
    return row | {
        "la_code": code,
        "inspection_date": when,
        "framework": "ILACS",
        "overall": overall,
        "leaders": leaders,
        "official": official,
        "source": "ofsted_outcomes" if official else "d2i_ilacs",
    }


def _inspections() -> pl.DataFrame:
    d = date
    rows = [
        _inspection("901", d(2023, 1, 1), OUT, OUT),
        _inspection("902", d(2023, 2, 1), OUT, OUT),
        _inspection("903", d(2022, 1, 1), G, G),
        # a 2026-style inspection: no overall grade, a leadership judgement
        _inspection("903", d(2025, 1, 1), None, OUT),
        _inspection("904", d(2022, 1, 1), G, G),
        _inspection("905", d(2021, 1, 1), G, G),
        _inspection("905", d(2025, 6, 1), OUT, OUT, official=False),  # Data to Insight only
        _inspection("906", d(2022, 1, 1), G, RI),
        _inspection("907", d(2022, 1, 1), G, G),
        _inspection("908", d(2022, 1, 1), G, G),
        _inspection("909", d(2019, 1, 1), RI, RI),
        _inspection("909", d(2023, 1, 1), OUT, OUT),
    ]
    return pl.DataFrame(rows, schema=INSPECTIONS_SCHEMA)


def _flags() -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "la_code": c,
                "year": 2025,
                "indicator": IND,
                "flag": "joint_return",
                "explanation": "joint",
                "joint_code": "901 / 902",
            }
            for c in ("901", "902")
        ],
        schema_overrides={"year": pl.Int32},
    )


def _profile(**kwargs) -> dict[str, dict]:
    out = profile_table(
        _panel(), _authorities(), _inspections(), _flags(), indicators=IND, **kwargs
    )
    assert out.columns == [
        "group",
        "indicator",
        "year",
        "n",
        "n_low",
        "n_suppressed",
        "median",
        "q1",
        "q3",
        "note",
    ]
    return {r["group"]: r for r in out.iter_rows(named=True)}


def test_official_grades_joint_return_once_low_and_suppressed_said() -> None:
    rows = _profile()
    assert list(rows) == [OUT, G]  # grade order; 909's latest grade is Outstanding
    # Outstanding: the 901/902 joint return once (10) and 909 (50): n = 2.
    # Linear quantiles of [10, 50]: median = 30, q1 = 10 + 0.25*40 = 20, q3 = 40.
    out = rows[OUT]
    assert (out["year"], out["n"], out["n_low"], out["n_suppressed"]) == (2025, 2, 0, 0)
    assert (out["median"], out["q1"], out["q3"], out["note"]) == (30.0, 20.0, 40.0, None)
    # Good (official): 903 = 20, 904 = low, 905 = 30 (its Outstanding is unofficial),
    # 906 = c (counted as suppressed), 907 = 40, 908 = z (not counted).
    # Sorted [L, 20, 30, 40] with 0 < L < 0.05; positions 0..3.
    # median at 1.5: (20 + 30)/2 = 25, exact.  q3 at 2.25: 30 + 0.25*10 = 32.5, exact.
    # q1 at 0.75: L + 0.75*(20 - L) = 15 + 0.25*L -> between 15 (L=0) and 15.0125 (L=0.05).
    good = rows[G]
    assert (good["n"], good["n_low"], good["n_suppressed"]) == (4, 1, 1)
    assert (good["median"], good["q1"], good["q3"]) == (25.0, None, 32.5)
    assert good["note"] == (
        "q1 lies between 15 and 15.0125 (it falls on a value published as low, below 0.05); "
        "suppressed or not published: c 1"
    )


def test_unofficial_adds_data_to_insight_inspections() -> None:
    rows = _profile(unofficial=True)
    # Outstanding gains 905 (30): [10, 30, 50] -> median 30, q1 20, q3 40.
    assert (rows[OUT]["n"], rows[OUT]["median"], rows[OUT]["q1"], rows[OUT]["q3"]) == (
        3,
        30.0,
        20.0,
        40.0,
    )
    # Good: [L, 20, 40]; median at 1 = 20 exact; q3 at 1.5 = 30;
    # q1 at 0.5 = L/2 + 10 -> between 10 and 10.025.
    good = rows[G]
    assert (good["n"], good["median"], good["q1"], good["q3"]) == (3, 20.0, None, 30.0)
    assert good["note"].startswith("q1 lies between 10 and 10.025")


def test_leadership_uses_the_latest_leadership_judgement() -> None:
    keys = dict(group_keys(_authorities(), _inspections(), "leadership").iter_rows())
    assert keys["903"] == OUT  # 2025 inspection: no overall grade, leaders Outstanding
    assert keys["906"] == RI
    assert keys["905"] == G  # official only by default
    rows = _profile(by="leadership")
    # Outstanding leaders: joint 10, 903 = 20, 909 = 50 -> [10, 20, 50]: median 20
    assert (rows[OUT]["n"], rows[OUT]["median"]) == (3, 20.0)
    # Requires improvement leaders: only 906, suppressed -> n = 0, no statistics
    ri = rows[RI]
    assert (ri["n"], ri["n_suppressed"], ri["median"]) == (0, 1, None)


def test_region_and_type() -> None:
    rows = _profile(by="region")
    assert list(rows) == ["North", "South"]
    # North: joint 10 once, 20, low -> [L, 10, 20]: median 10 exact
    assert (rows["North"]["n"], rows["North"]["n_low"], rows["North"]["median"]) == (3, 1, 10.0)
    types = _profile(by="la_type")
    # Unitary: joint 10 once, 50 -> n = 2, median 30
    assert (types["Unitary authority"]["n"], types["Unitary authority"]["median"]) == (2, 30.0)


def test_a_year_can_be_chosen_and_bad_arguments_are_named() -> None:
    rows = _profile(year=2024)
    assert (rows[G]["n"], rows[G]["median"]) == (1, 99.0)
    with pytest.raises(ValueError, match="by must be one of"):
        _profile(by="colour")
    with pytest.raises(KeyError, match="Unknown indicator"):
        profile_table(_panel(), _authorities(), _inspections(), _flags(), indicators="nope")
