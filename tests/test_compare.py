"""The comparison engine on tiny hand-written frames; every expectation is worked by hand.

Codes are invented ("101".."106" in Yorkshire and The Humber unless said otherwise).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest

from benchmarks.comparison import COLUMNS, TOO_SMALL, comparison_table
from benchmarks.intervals import (
    poisson_funnel,
    poisson_interval,
    proportion_funnel,
    wilson_interval,
)
from benchmarks.schema import (
    AUTHORITIES_SCHEMA,
    FLAGS_SCHEMA,
    INSPECTIONS_SCHEMA,
    NEIGHBOURS_SCHEMA,
    PANEL_SCHEMA,
)

TURNOVER = "sw_turnover_rate"  # lower is better; Wilson; k = sw_leavers_fte, n = sw_fte
TIMELY = "icpc_timeliness_rate"  # higher is better
CIN = "cin_count"  # no direction
YH = ("E12000003", "Yorkshire and The Humber")


def authorities(*rows: tuple) -> pl.DataFrame:
    """rows: (la_code, region_code, region_name, london_area, la_type)."""
    return pl.DataFrame(
        [
            {
                "la_code": code,
                "la_name": f"Authority {code}",
                "ons_code": f"E0800{code}",
                "ons_codes": [f"E0800{code}"],
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
            for code, region, region_name, area, la_type in rows
        ],
        schema=AUTHORITIES_SCHEMA,
    )


AUTH = authorities(
    *[(c, *YH, None, "Metropolitan district") for c in ("101", "102", "103", "104", "105", "106")]
)


def panel(*rows: tuple) -> pl.DataFrame:
    """rows: (la_code, year, indicator, value) or (..., status)."""
    return pl.DataFrame(
        [
            {
                "la_code": r[0],
                "la_name": f"Authority {r[0]}",
                "year": r[1],
                "indicator": r[2],
                "value": r[3],
                "status": r[4] if len(r) > 4 else None,
                "source": "test",
            }
            for r in rows
        ],
        schema=PANEL_SCHEMA,
    )


def turnover(
    code: str, leavers: float | None, in_post: float | None, year: int = 2025, status=None
) -> list[tuple]:
    """A turnover row with its numerator and denominator rows (value = leavers / in post x 100)."""
    value = None if leavers is None or in_post is None else round(100 * leavers / in_post, 1)
    return [
        (code, year, TURNOVER, value, status),
        (code, year, "sw_leavers_fte", leavers),
        (code, year, "sw_fte", in_post),
    ]


def neighbours(*rows: tuple) -> pl.DataFrame:
    """rows: (la_code, model, neighbour_code, rank)."""
    return pl.DataFrame(
        [
            {"la_code": a, "model": m, "neighbour_code": b, "rank": r, "closeness": "Close"}
            for a, m, b, r in rows
        ],
        schema=NEIGHBOURS_SCHEMA,
    )


def flags(*rows: tuple) -> pl.DataFrame:
    """rows: (la_code, year, indicator, flag, joint_code)."""
    return pl.DataFrame(
        [
            {"la_code": a, "year": y, "indicator": i, "flag": f, "explanation": f, "joint_code": j}
            for a, y, i, f, j in rows
        ],
        schema=FLAGS_SCHEMA,
    )


def table(
    p: pl.DataFrame,
    *,
    group: str | list[str] = "region",
    auth: pl.DataFrame = AUTH,
    sns: pl.DataFrame | None = None,
    fl: pl.DataFrame | None = None,
    method: str = "median",
) -> pl.DataFrame:
    return comparison_table(
        p,
        auth,
        sns if sns is not None else pl.DataFrame(schema=NEIGHBOURS_SCHEMA),
        pl.DataFrame(schema=INSPECTIONS_SCHEMA),
        fl if fl is not None else pl.DataFrame(schema=FLAGS_SCHEMA),
        group=group,
        method=method,
    )


def cell(t: pl.DataFrame, code: str, column: str, indicator: str = TURNOVER, year: int = 2025):
    rows = t.filter(
        (pl.col("la_code") == code) & (pl.col("indicator") == indicator) & (pl.col("year") == year)
    )
    assert rows.height == 1, rows
    return rows[column][0]


def by_la(t: pl.DataFrame, column: str, indicator: str) -> dict[str, object]:
    return dict(t.filter(pl.col("indicator") == indicator).select("la_code", column).iter_rows())


# ------------------------------------------------------------------ ranks and bands


def test_columns_are_in_the_documented_order() -> None:
    t = table(panel(("101", 2025, TURNOVER, 10.0)))
    assert t.columns[:30] == COLUMNS[:30]
    assert {"comparator_method", "comparator"} <= set(t.columns)


def test_ties_share_the_best_rank_and_lower_is_better_ranks_lowest_first() -> None:
    # values 10, 20, 20, 30: 10 is best (1), the two 20s share rank 2, 30 is 4th; 4 ranked.
    t = table(
        panel(
            *[
                (c, 2025, TURNOVER, v)
                for c, v in [("101", 10.0), ("102", 20.0), ("103", 20.0), ("104", 30.0)]
            ]
        )
    )
    assert by_la(t, "rank", TURNOVER) == {"101": 1, "102": 2, "103": 2, "104": 4}
    assert set(by_la(t, "rank_of", TURNOVER).values()) == {4}


def test_higher_is_better_ranks_highest_first() -> None:
    t = table(
        panel(
            *[
                (c, 2025, TIMELY, v)
                for c, v in [("101", 10.0), ("102", 20.0), ("103", 20.0), ("104", 30.0)]
            ]
        )
    )
    assert by_la(t, "rank", TIMELY) == {"104": 1, "102": 2, "103": 2, "101": 4}


def test_a_suppressed_value_is_not_ranked() -> None:
    t = table(
        panel(
            ("101", 2025, TURNOVER, 10.0),
            ("102", 2025, TURNOVER, None, "c"),
            ("103", 2025, TURNOVER, 5.0),
        )
    )
    assert by_la(t, "rank", TURNOVER) == {"101": 2, "102": None, "103": 1}
    assert by_la(t, "rank_of", TURNOVER)["101"] == 2
    assert cell(t, "102", "status") == "c"


@pytest.mark.parametrize(
    ("indicator", "expected"),
    [
        # values 1..5: linear quartiles q1 = 2, q2 = 3, q3 = 4; a value on a boundary takes
        # the better band (lower is better: <= q1 is A; higher is better: >= q3 is A).
        ("sw_caseload", ["A", "A", "B", "C", "D"]),
        (TIMELY, ["D", "C", "B", "A", "A"]),
        (CIN, ["Q1 lowest", "Q1 lowest", "Q2 lower middle", "Q3 upper middle", "Q4 highest"]),
    ],
)
def test_band_edges_follow_polarity(indicator: str, expected: list[str]) -> None:
    codes = ["101", "102", "103", "104", "105"]
    t = table(panel(*[(c, 2025, indicator, float(v)) for v, c in enumerate(codes, start=1)]))
    assert [by_la(t, "band", indicator)[c] for c in codes] == expected


def test_neutral_indicator_ranks_highest_first() -> None:
    t = table(panel(*[(c, 2025, CIN, v) for c, v in [("101", 10.0), ("102", 20.0), ("103", 30.0)]]))
    assert by_la(t, "rank", CIN) == {"103": 1, "102": 2, "101": 3}


def test_too_few_distinct_values_are_too_small_to_band() -> None:
    # 5, 5, 5, 6: only 2 distinct values (< 4)
    t = table(
        panel(
            *[
                (c, 2025, TURNOVER, v)
                for c, v in [("101", 5.0), ("102", 5.0), ("103", 5.0), ("104", 6.0)]
            ]
        )
    )
    assert set(by_la(t, "band", TURNOVER).values()) == {TOO_SMALL}


def test_zero_interquartile_range_is_too_small_to_band() -> None:
    # 1, 2, 5, 5, 5, 5, 5, 8, 9: 5 distinct values, but q1 (3rd value) = q3 (7th value) = 5
    values = [1.0, 2.0, 5.0, 5.0, 5.0, 5.0, 5.0, 8.0, 9.0]
    t = table(panel(*[(f"{200 + i}", 2025, TURNOVER, v) for i, v in enumerate(values)]))
    assert set(by_la(t, "band", TURNOVER).values()) == {TOO_SMALL}


# ------------------------------------------------------------------ comparators


SNS = neighbours(
    ("101", "sn2025", "102", 1),
    ("101", "sn2025", "103", 2),
    ("101", "sn2025", "104", 3),  # suppressed in 2025
    ("101", "sn2025", "105", 4),  # no row at all in the panel
)
SN_PANEL = panel(
    *turnover("101", 10, 100),  # 10.0%
    *turnover("102", 2, 10),  # 20.0%
    *turnover("103", 60, 200),  # 30.0%
    *turnover("104", None, None, status="c"),
)


def test_statistical_neighbours_mean_median_pooled_with_a_missing_neighbour() -> None:
    # 101's neighbours with a 2025 value: 102 (20.0) and 103 (30.0); 104 is suppressed and
    # 105 has no row. mean = median = (20 + 30) / 2 = 25; pooled = (2 + 60) / (10 + 200)
    # x 100 = 29.5238 -- pooled and mean differ because 103's base is 20 times larger.
    t = table(SN_PANEL, group="sn2025", sns=SNS)
    assert cell(t, "101", "comparator_mean") == pytest.approx(25.0)
    assert cell(t, "101", "comparator_median") == pytest.approx(25.0)
    assert cell(t, "101", "comparator_pooled") == pytest.approx(6200 / 210)
    assert cell(t, "101", "comparator_n") == 2
    assert cell(t, "101", "comparator_method") == "median"
    assert cell(t, "101", "comparator") == pytest.approx(25.0)
    assert cell(t, "101", "group") == "sn2025"
    assert cell(t, "101", "group_label") == "statistical neighbours in the 2025 model"


def test_an_authority_missing_from_the_model_has_no_comparator_and_no_error() -> None:
    t = table(SN_PANEL, group="sn2025", sns=SNS)
    assert cell(t, "102", "comparator_median") is None
    assert cell(t, "102", "comparator_n") == 0


def test_region_leaves_the_focal_authority_out() -> None:
    # 101's region: 102 (20), 103 (30), 105 (20; 2 of 10) -> mean 70/3, median 20,
    # pooled (2 + 60 + 2) / (10 + 200 + 10) x 100 = 6400 / 220.
    # 102's region: 101 (10), 103 (30), 105 (20) -> mean 20, median 20,
    # pooled (10 + 60 + 2) / (100 + 200 + 10) x 100 = 7200 / 310.
    t = table(pl.concat([SN_PANEL, panel(*turnover("105", 2, 10))]))
    assert cell(t, "101", "comparator_mean") == pytest.approx(70 / 3)
    assert cell(t, "101", "comparator_median") == pytest.approx(20.0)
    assert cell(t, "101", "comparator_pooled") == pytest.approx(6400 / 220)
    assert cell(t, "101", "comparator_n") == 3
    assert cell(t, "102", "comparator_mean") == pytest.approx(20.0)
    assert cell(t, "102", "comparator_pooled") == pytest.approx(7200 / 310)
    assert cell(t, "101", "group_label") == "other authorities in Yorkshire and The Humber"


def test_the_headline_method_is_named_and_selectable() -> None:
    t = table(pl.concat([SN_PANEL, panel(*turnover("105", 2, 10))]), method="mean")
    assert cell(t, "101", "comparator_method") == "mean"
    assert cell(t, "101", "comparator") == pytest.approx(70 / 3)
    with pytest.raises(ValueError, match="method"):
        table(SN_PANEL, method="mode")


JOINT = flags(
    *[
        (code, 2025, ind, "joint_return", "201 / 202")
        for code in ("201", "202")
        for ind in (TURNOVER, "sw_leavers_fte", "sw_fte")
    ]
)
JOINT_PANEL = panel(
    *turnover("201", 8, 20),  # 40.0%, one combined return shown for both partners
    *turnover("202", 8, 20),
    *turnover("203", 1, 10),  # 10.0%
    *turnover("204", 4, 20),  # 20.0%
)
JOINT_AUTH = authorities(
    *[(c, *YH, None, "Unitary authority") for c in ("201", "202", "203", "204")]
)


def test_a_joint_return_is_ranked_once() -> None:
    # units: 10 (203) -> 1, 20 (204) -> 2, 40 (201 / 202) -> 3; three units ranked, not four
    t = table(JOINT_PANEL, auth=JOINT_AUTH, fl=JOINT)
    assert by_la(t, "rank", TURNOVER) == {"203": 1, "204": 2, "201": 3, "202": 3}
    assert set(by_la(t, "rank_of", TURNOVER).values()) == {3}
    assert cell(t, "201", "flags") == "joint_return"


def test_a_joint_return_counts_once_in_a_comparator() -> None:
    # 203's region: the joint return (40; 8 of 20) once and 204 (20; 4 of 20):
    # mean = median = 30, pooled = (8 + 4) / (20 + 20) x 100 = 30, n = 2.
    # Counted twice the mean would be (40 + 40 + 20) / 3 = 33.3.
    t = table(JOINT_PANEL, auth=JOINT_AUTH, fl=JOINT)
    assert cell(t, "203", "comparator_mean") == pytest.approx(30.0)
    assert cell(t, "203", "comparator_median") == pytest.approx(30.0)
    assert cell(t, "203", "comparator_pooled") == pytest.approx(30.0)
    assert cell(t, "203", "comparator_n") == 2


def test_a_joint_partner_is_not_its_partners_comparator() -> None:
    # 201's region without its own return (shared with 202): 203 (10; 1 of 10) and
    # 204 (20; 4 of 20): mean = median = 15, pooled = 5 / 30 x 100 = 16.67.
    t = table(JOINT_PANEL, auth=JOINT_AUTH, fl=JOINT)
    for code in ("201", "202"):
        assert cell(t, code, "comparator_mean") == pytest.approx(15.0)
        assert cell(t, code, "comparator_median") == pytest.approx(15.0)
        assert cell(t, code, "comparator_pooled") == pytest.approx(500 / 30)
        assert cell(t, code, "comparator_n") == 2


def test_several_groups_give_one_block_each_in_order() -> None:
    t = table(SN_PANEL, group=["region", "england"])
    single = table(SN_PANEL)
    assert t.height == 2 * single.height
    assert t["group"].unique(maintain_order=True).to_list() == ["region", "england"]
    assert (
        cell(t.filter(pl.col("group") == "england"), "101", "group_label")
        == "other authorities in England"
    )


# ------------------------------------------------------------------ England, region, change, flags


def test_england_and_region_values_come_from_the_publishers_rows() -> None:
    london = authorities(("301", "E12000007", "London", "Outer London", "London borough"))
    t = table(
        panel(
            ("101", 2025, TURNOVER, 10.0),
            ("301", 2025, TURNOVER, 14.0),
            ("970", 2025, TURNOVER, 11.8),  # England
            ("982", 2025, TURNOVER, 12.5),  # Yorkshire and The Humber
            ("986", 2025, TURNOVER, 15.5),  # London
            ("988", 2025, TURNOVER, 16.0),  # Outer London
        ),
        auth=pl.concat([AUTH, london]),
    )
    assert set(t["la_code"]) == {"101", "301"}  # England and regions are never compared
    assert cell(t, "101", "england") == 11.8
    assert cell(t, "101", "region_value") == 12.5
    assert cell(t, "301", "region_value") == 15.5
    assert cell(t, "101", "rank_of") == 2


@pytest.mark.parametrize(
    ("indicator", "one_year", "three_years"),
    [
        (TURNOVER, "improved", "improved"),
        (TIMELY, "worsened", "worsened"),
        (CIN, "decreased", "decreased"),
    ],
)
def test_change_and_direction_words_know_polarity(
    indicator: str, one_year: str, three_years: str
) -> None:
    # 2022: 12, 2024: 10, 2025: 9 -> change_1y = 9 - 10 = -1, change_3y = 9 - 12 = -3.
    t = table(
        panel(
            ("101", 2022, indicator, 12.0),
            ("101", 2024, indicator, 10.0),
            ("101", 2025, indicator, 9.0),
        )
    )
    assert cell(t, "101", "change_1y", indicator) == pytest.approx(-1.0)
    assert cell(t, "101", "change_3y", indicator) == pytest.approx(-3.0)
    assert cell(t, "101", "direction_1y", indicator) == one_year
    assert cell(t, "101", "direction_3y", indicator) == three_years
    assert cell(t, "101", "change_1y", indicator, 2024) is None  # no 2023 value


def test_equal_values_are_no_change() -> None:
    # 13.1 - 13.1 = 0
    t = table(panel(("101", 2024, TURNOVER, 13.1), ("101", 2025, TURNOVER, 13.1)))
    assert cell(t, "101", "direction_1y") == "no change"


def test_flags_are_joined_for_the_row() -> None:
    fl = flags(
        ("101", 2025, TURNOVER, "small_denominator", None),
        ("101", 2025, TURNOVER, "series_break", None),
        ("101", 2024, TURNOVER, "suppressed", None),
    )
    t = table(panel(("101", 2025, TURNOVER, 10.0)), fl=fl)
    assert cell(t, "101", "flags") == "series_break; small_denominator"


# ------------------------------------------------------------------ uncertainty


def test_wilson_interval_textbook_values() -> None:
    # 1 of 10: p = 0.1, z^2/n = 0.38415; centre = (0.1 + 0.19207) / 1.38415 = 0.21101,
    # half = 1.95996 / 1.38415 x sqrt(0.009 + 0.0096037) = 0.19314 -> (0.0179, 0.4042).
    # 0 of 10: centre = half = 0.13877 -> (0, 0.2775).
    low, high = wilson_interval([1, 0, 3], [10, 10, 0])
    assert low[:2] == pytest.approx([0.0179, 0.0], abs=5e-5)
    assert high[:2] == pytest.approx([0.4042, 0.2775], abs=5e-5)
    assert np.isnan(low[2]) and np.isnan(high[2])  # no denominator, no interval


def test_exact_poisson_interval_textbook_values() -> None:
    # 10 events: chi2(0.025; 20)/2 = 4.795, chi2(0.975; 22)/2 = 18.39;
    # 0 events: lower 0, upper chi2(0.975; 2)/2 = -ln(0.025) = 3.689.
    low, high = poisson_interval([10, 0])
    assert low == pytest.approx([4.795, 0.0], abs=5e-4)
    assert high == pytest.approx([18.39, 3.689], abs=5e-3)


def test_funnel_limits_for_a_proportion_and_a_rate() -> None:
    # proportion 0.2 at n = 100: sd = sqrt(0.2 x 0.8 / 100) = 0.04;
    # 95%: 0.2 -/+ 1.95996 x 0.04 = (0.12160, 0.27840); 99.8%: -/+ 3.09023 x 0.04 = (0.07639, 0.32361)
    assert proportion_funnel(0.2, 100, 0.95) == pytest.approx((0.12160, 0.27840), abs=1e-5)
    assert proportion_funnel(0.2, 100, 0.998) == pytest.approx((0.07639, 0.32361), abs=1e-5)
    # rate 10 per 10,000 at 10,000 children: 10 expected. Lower 95%: r = 4 (P(X<=3) = 0.01034,
    # P(X<=4) = 0.02925); alpha = (0.02925 - 0.025) / (0.02925 - 0.01034) = 0.2248 -> 3.775.
    # Upper: r = 17 (P(X<=16) = 0.97296, P(X<=17) = 0.98572); alpha = 0.840 -> 16.16.
    low, high = poisson_funnel(np.array([0.001]), np.array([10_000.0]), 0.95)
    assert low[0] * 10_000 == pytest.approx(3.775, abs=1e-3)
    assert high[0] * 10_000 == pytest.approx(16.16, abs=1e-2)


def test_a_rate_interval_uses_the_previous_mid_year_population() -> None:
    # cin_rate 2025 = 10 children / population of mid-2024 (10,000) x 10,000 = 10.0;
    # exact Poisson 95% for 10 events: (4.795, 18.39) per 10,000. The mid-2025 figure is ignored.
    t = table(
        panel(
            ("101", 2025, "cin_rate_per_10k", 10.0),
            ("101", 2025, "cin_count", 10.0),
            ("101", 2024, "population_0_17", 10_000.0),
            ("101", 2025, "population_0_17", 99_999.0),
        )
    )
    assert cell(t, "101", "ci_low", "cin_rate_per_10k") == pytest.approx(4.795, abs=5e-4)
    assert cell(t, "101", "ci_high", "cin_rate_per_10k") == pytest.approx(18.39, abs=5e-3)


SMALL = panel(
    *turnover("857", 5, 21.9),  # a Rutland-sized authority: 22.8%
    *turnover("383", 200, 1000),  # a large authority: 20.0%
    *turnover("101", 10, 100),  # 10.0%
    ("970", 2025, TURNOVER, 20.0),
)
SMALL_AUTH = authorities(*[(c, *YH, None, "Unitary authority") for c in ("857", "383", "101")])


def test_a_small_authority_gets_a_wide_interval_and_no_false_significance() -> None:
    # 857: p = 5 / 21.9 = 0.22831, z^2/n = 0.17541; centre = (0.22831 + 0.08770) / 1.17541
    # = 0.26886, half = 1.66747 x sqrt(0.0080450 + 0.0020024) = 0.16714 -> (10.17%, 43.60%).
    # Its comparator, median of 20.0 and 10.0 = 15.0, lies inside: not significant.
    t = table(SMALL, auth=SMALL_AUTH)
    assert cell(t, "857", "ci_low") == pytest.approx(10.17, abs=0.01)
    assert cell(t, "857", "ci_high") == pytest.approx(43.60, abs=0.01)
    assert cell(t, "857", "comparator") == pytest.approx(15.0)
    assert cell(t, "857", "significant") is False
    assert cell(t, "857", "significance") == "not significantly different"


def test_a_large_authority_with_a_real_difference_is_significant() -> None:
    # 383: 200 of 1000 -> Wilson (17.64%, 22.59%); comparator median (22.8 + 10.0) / 2 = 16.4
    # lies below the interval: significantly higher.
    t = table(SMALL, auth=SMALL_AUTH)
    assert cell(t, "383", "ci_low") == pytest.approx(17.64, abs=0.01)
    assert cell(t, "383", "ci_high") == pytest.approx(22.59, abs=0.01)
    assert cell(t, "383", "significant") is True
    assert cell(t, "383", "significance") == "significantly higher"


def test_funnel_limits_around_england_for_the_authoritys_denominator() -> None:
    # England 20.0%, 101's base 100: 95% limits (12.16, 27.84), 99.8% (7.64, 32.36);
    # 101's 10.0% is below the 95% limit but inside the 99.8% one.
    t = table(SMALL, auth=SMALL_AUTH)
    assert cell(t, "101", "funnel95_low") == pytest.approx(12.16, abs=0.01)
    assert cell(t, "101", "funnel95_high") == pytest.approx(27.84, abs=0.01)
    assert cell(t, "101", "funnel998_low") == pytest.approx(7.64, abs=0.01)
    assert cell(t, "101", "funnel_position") == "below 95% limit"


def test_no_interval_method_means_significance_unknown() -> None:
    # sw_caseload has a numerator and denominator (pooled) but no interval method
    t = table(panel(("101", 2025, "sw_caseload", 14.0), ("102", 2025, "sw_caseload", 20.0)))
    assert cell(t, "101", "ci_low", "sw_caseload") is None
    assert cell(t, "101", "significant", "sw_caseload") is None
    assert cell(t, "101", "comparator", "sw_caseload") == pytest.approx(20.0)
