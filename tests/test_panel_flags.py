"""Data-quality flags generated from observations (hand-made frames, hand-worked expectations)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from benchmarks.panel import flags_table
from benchmarks.schema import FLAGS_SCHEMA, OBSERVATION_SCHEMA


def obs(rows: list[tuple]) -> pl.DataFrame:
    """rows: (la_code, year, indicator, value, status, joint_code)."""
    return pl.DataFrame(
        [
            {
                "la_code": code,
                "la_name": f"LA {code}",
                "year": year,
                "indicator": ind,
                "value": value,
                "status": status,
                "source": "test",
                "level": "la",
                "joint_code": joint,
            }
            for code, year, ind, value, status, joint in rows
        ],
        schema=OBSERVATION_SCHEMA,
    )


AUTH = pl.DataFrame(
    {
        "la_code": ["100", "200", "300"],
        "date_of_operation": [date(2009, 1, 1), date(2023, 4, 1), date(2009, 1, 1)],
        "date_of_termination": [None, None, date(2023, 3, 31)],
    }
)


def flags_for(frame: pl.DataFrame) -> set[tuple]:
    table = flags_table(frame, AUTH)
    assert table.schema == FLAGS_SCHEMA
    return set(table.select("la_code", "year", "indicator", "flag").iter_rows())


@pytest.mark.parametrize(
    ("status", "flag"),
    [
        ("c", "suppressed"),
        ("x", "not_available"),
        ("u", "low_reliability"),
        ("low", "rounds_to_zero"),
        ("missing", "missing"),
        ("z", "not_applicable"),
    ],
)
def test_every_marker_becomes_its_flag(status: str, flag: str) -> None:
    assert flags_for(obs([("100", 2024, "sw_fte", None, status, None)])) == {
        ("100", 2024, "sw_fte", flag)
    }


def test_z_for_an_authority_that_did_not_exist_says_so() -> None:
    # 200 began 1 April 2023, 300 ended 31 March 2023: z in 2022 / 2024 means "did not exist".
    frame = obs(
        [
            ("200", 2022, "cla_count", None, "z", None),
            ("300", 2024, "cla_count", None, "z", None),
            ("300", 2022, "cla_count", None, "z", None),  # existed in 2022: plain not-applicable
        ]
    )
    assert flags_for(frame) == {
        ("200", 2022, "cla_count", "not_in_existence"),
        ("300", 2024, "cla_count", "not_in_existence"),
        ("300", 2022, "cla_count", "not_applicable"),
    }


def test_values_carry_no_flag_and_regions_are_not_flagged() -> None:
    frame = obs([("100", 2024, "sw_fte", 10.0, None, None)])
    region = frame.with_columns(la_code=pl.lit("980"), level=pl.lit("regional"), status=pl.lit("c"))
    assert flags_for(pl.concat([frame, region])) == set()


def test_joint_return_is_flagged_for_both_partners_with_the_joint_code() -> None:
    frame = obs(
        [
            ("314", 2025, "sw_turnover_rate", 28.0, None, "314 / 318"),
            ("318", 2025, "sw_turnover_rate", 28.0, None, "314 / 318"),
        ]
    )
    table = flags_table(frame, AUTH)
    assert table.filter(pl.col("flag") == "joint_return")["la_code"].to_list() == ["314", "318"]
    assert set(table["joint_code"].to_list()) == {"314 / 318"}


def test_series_break_from_the_catalogue() -> None:
    # indicators.toml: sw_caseload has a series break in 2024 and none in 2023.
    frame = obs(
        [
            ("100", 2023, "sw_caseload", 15.0, None, None),
            ("100", 2024, "sw_caseload", 16.0, None, None),
        ]
    )
    assert flags_for(frame) == {("100", 2024, "sw_caseload", "series_break")}


def test_small_denominator_for_proportions_and_population_rates() -> None:
    # Turnover's base is sw_fte: 29.9 FTE < 30 is small, 30 is not.
    # CIN rate's base is the previous mid-year's population: 9,999 < 10,000 is small.
    frame = obs(
        [
            ("100", 2025, "sw_fte", 29.9, None, None),
            ("100", 2025, "sw_turnover_rate", 10.0, None, None),
            ("200", 2025, "sw_fte", 30.0, None, None),
            ("200", 2025, "sw_turnover_rate", 10.0, None, None),
            ("100", 2024, "population_0_17", 9_999.0, None, None),
            ("100", 2025, "cin_rate_per_10k", 300.0, None, None),
            ("200", 2024, "population_0_17", 10_000.0, None, None),
            ("200", 2025, "cin_rate_per_10k", 300.0, None, None),
        ]
    )
    assert flags_for(frame) == {
        ("100", 2025, "sw_turnover_rate", "small_denominator"),
        ("100", 2025, "cin_rate_per_10k", "small_denominator"),
    }
