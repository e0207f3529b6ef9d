"""formatting.py: decimals, half-up rounding and markers; the catalogue's shown lists;
the latest row per indicator. Expected values worked out by hand."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from benchmarks import formatting, indicators, schema


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (11.35, 1, 11.4),  # binary 11.35 is 11.3499..., the written decimal rounds up
        (2.675, 2, 2.68),
        (0.5, 0, 1.0),
        (-0.5, 0, -1.0),  # halves away from zero
        (1.25, 1, 1.3),  # not half to even
        (1.24, 1, 1.2),
    ],
)
def test_round_half_up(value: float, places: int, expected: float) -> None:
    assert formatting.round_half_up(value, places) == expected


@pytest.mark.parametrize(
    ("indicator", "places"),
    [
        ("sw_turnover_rate", 1),  # %
        ("sw_fte", 1),  # FTE
        ("sw_caseload", 1),  # cases per FTE
        ("sw_days_lost_fte", 1),  # days
        ("cin_rate_per_10k", 1),  # catalogue says 1
        ("cla_rate_per_10k", 0),  # catalogue says 0
        ("cin_count", 0),  # a count
        ("sw_headcount", 0),
        ("not_an_indicator", 0),
    ],
)
def test_decimals_for(indicator: str, places: int) -> None:
    assert formatting.decimals_for(indicator) == places
    assert formatting.d3_format(indicator) == f",.{places}f"


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (None, {}, "–"),
        (7.05, {}, "7.1%"),
        (1.2, {"signed": True}, "+1.2 pts"),
        (24.25, {"unit": True}, "24.3%"),
    ],
)
def test_format_number_percent(value: float | None, kwargs: dict, expected: str) -> None:
    assert formatting.format_number(value, "sw_turnover_rate", **kwargs) == expected


def test_format_number_units() -> None:
    assert formatting.format_number(412.25, "cin_rate_per_10k") == "412.3"
    assert formatting.format_number(412.25, "cin_rate_per_10k", unit=True) == (
        "412.3 per 10,000 children"
    )
    assert formatting.format_number(-3.0, "cin_count", signed=True) == "-3"
    assert formatting.format_number(1234.0, "sw_headcount", unit=True) == "1,234"


@pytest.mark.parametrize("marker", ["c", "x", "z", "u", "low", "missing", "k"])
def test_a_marker_is_shown_as_itself_never_as_zero(marker: str) -> None:
    assert formatting.format_value(None, marker, "sw_turnover_rate") == marker
    assert formatting.MARKERS[marker] and formatting.STATUS_TEXT[marker]


def test_k_marker_wording() -> None:
    assert formatting.MARKERS["k"] == "a value that rounds to zero but is not zero"
    assert formatting.marker_meaning("k") == "a value that rounds to zero but is not zero"
    assert formatting.marker_meaning("?") == "marker"


def test_schema_holds_the_codes_and_formatting_their_wording() -> None:
    assert schema.MARKER_CODES == ("c", "x", "z", "u", "low", "k", "missing")
    assert formatting.MARKERS["c"] == "suppressed to protect confidentiality"
    assert set(formatting.MARKERS) == set(schema.MARKER_CODES) == set(formatting.STATUS_TEXT)


def test_the_catalogue_supplies_the_shown_lists() -> None:
    assert indicators.headline_tiles() == (
        "sw_turnover_rate",
        "sw_agency_rate",
        "sw_vacancy_rate",
        "sw_caseload",
        "cin_rate_per_10k",
        "rereferral_rate",
        "cpp_repeat_rate",
        "cla_rate_per_10k",
        "cla_3plus_placements_rate",
        "care_leavers_eet_19_21_rate",
    )
    assert indicators.section_indicators("workforce") == (
        "sw_turnover_rate",
        "sw_agency_rate",
        "sw_vacancy_rate",
        "sw_caseload",
        "sw_absence_rate",
    )
    assert indicators.section_indicators("demand") == (
        "cin_rate_per_10k",
        "referral_rate_per_10k",
        "rereferral_rate",
        "s47_rate_per_10k",
        "icpc_rate_per_10k",
        "cpp_rate_per_10k",
        "cpp_repeat_rate",
        "cla_rate_per_10k",
        "cla_3plus_sw_rate",  # a workforce-theme indicator shown under demand and practice
    )
    assert indicators.index_columns() == (
        "sw_turnover_rate",
        "sw_agency_rate",
        "sw_vacancy_rate",
        "sw_caseload",
        "rereferral_rate",
        "cla_3plus_sw_rate",
        "cla_3plus_placements_rate",
        "care_leavers_eet_19_21_rate",
    )
    assert indicators.section_indicators("outcomes") == (
        "cla_3plus_placements_rate",
        "cla_long_term_stability_rate",
        "care_leavers_eet_17_18_rate",
        "care_leavers_eet_19_21_rate",
        "care_leavers_suitable_accommodation_17_18_rate",
        "care_leavers_suitable_accommodation_19_21_rate",
        "icpc_s47_conversion_rate",
        "af_domestic_abuse_per_10k",
        "af_mental_health_parent_per_10k",
        "af_neglect_per_10k",
        "af_child_criminal_exploitation_per_10k",
        "af_going_missing_per_10k",
    )
    with pytest.raises(KeyError, match="workforce, demand, outcomes"):
        indicators.section_indicators("population")


def test_latest_rows_per_indicator_and_authority() -> None:
    frame = pl.DataFrame(
        {
            "la_code": ["901", "901", "901", "902", "902"],
            "indicator": ["a", "a", "b", "a", "a"],
            "year": [2023, 2024, 2022, 2025, 2021],
            "value": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    by_both = indicators.latest_rows(frame, by=("la_code", "indicator"))
    expected = frame[[1, 2, 3]]
    assert_frame_equal(by_both, expected)
    only_indicator = indicators.latest_rows(frame)  # a: 2025 across authorities; b: 2022
    assert_frame_equal(only_indicator, frame[[2, 3]])
