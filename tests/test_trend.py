"""Recent trend (trend.py): chi-square tests for trend checked against hand arithmetic."""

from __future__ import annotations

import polars as pl
import pytest

from benchmarks import trend

YEARS = [2021, 2022, 2023, 2024, 2025]


def _base(
    ks: list[float | None],
    ns: list[float],
    *,
    indicator: str = "sw_turnover_rate",
    interval: str = "wilson",
    polarity: str = "lower_better",
    multiplier: float = 100.0,
    years: list[int] = YEARS,
    la: str = "900",
) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "la_code": [la] * len(years),
            "indicator": [indicator] * len(years),
            "year": years,
            "value": [
                None if k is None else k / n * multiplier for k, n in zip(ks, ns, strict=True)
            ],
            "k": ks,
            "n": ns,
            "interval": [interval] * len(years),
            "polarity": [polarity] * len(years),
        },
        schema_overrides={"year": pl.Int32, "k": pl.Float64, "value": pl.Float64},
    )


def _last(frame: pl.DataFrame) -> dict:
    return frame.filter(pl.col("year") == 2025).row(0, named=True)


def test_proportion_significant_increase_is_getting_worse_for_lower_is_better() -> None:
    # k = 100, 120, 140, 160, 180 of n = 1000 each; t = -4..0 (2021..2025).
    # N = 5000, K = 700, p = 0.14, t_bar = -2.
    # U = sum k (t - t_bar) = 100*-2 + 120*-1 + 140*0 + 160*1 + 180*2 = -200-120+160+360 = 200
    # sum n (t - t_bar)^2 = 1000 * (4+1+0+1+4) = 10000
    # V = 0.14 * 0.86 * 10000 = 1204;  X2 = 200^2 / 1204 = 33.2226
    # P(chi2_1 > 33.22) = 8.2e-9 < 0.001 -> significant; U > 0 -> increasing.
    row = _last(trend.recent_trends(_base([100, 120, 140, 160, 180], [1000] * 5)))
    assert row["trend_from"] == 2021
    assert row["trend_chi2"] == pytest.approx(40000 / 1204)
    assert row["trend_p"] == pytest.approx(8.2e-9, rel=0.05)
    assert row["recent_trend"] == "increasing and getting worse"


def test_proportion_small_base_is_no_significant_change() -> None:
    # Same shares on n = 100: U = 20, V = 0.14 * 0.86 * 1000 = 120.4, X2 = 400/120.4 = 3.3223
    # p = 0.068 > 0.001 -> no significant change.
    row = _last(trend.recent_trends(_base([10, 12, 14, 16, 18], [100] * 5)))
    assert row["trend_chi2"] == pytest.approx(400 / 120.4)
    assert row["trend_p"] == pytest.approx(0.0684, abs=0.0005)
    assert row["recent_trend"] == "no significant change"


def test_decrease_in_higher_is_better_is_getting_worse() -> None:
    # Mirror of the first case: k = 180..100 -> U = -200, same X2; higher is better.
    row = _last(
        trend.recent_trends(_base([180, 160, 140, 120, 100], [1000] * 5, polarity="higher_better"))
    )
    assert row["trend_chi2"] == pytest.approx(40000 / 1204)
    assert row["recent_trend"] == "decreasing and getting worse"


def test_rate_uses_the_poisson_score_test() -> None:
    # k = 500, 550, 600, 650, 700 children per n = 100,000 each; rate per 10,000.
    # K = 3000, N = 500000, t_bar = -2, U = 500*-2 + 550*-1 + 0 + 650 + 700*2 = 500
    # V = (K/N) * sum n (t - t_bar)^2 = 0.006 * 100000 * 10 = 6000; X2 = 250000/6000 = 41.667
    # p = 1.1e-10; neutral polarity -> just "increasing".
    base = _base(
        [500, 550, 600, 650, 700],
        [100_000] * 5,
        indicator="cin_rate_per_10k",
        interval="poisson",
        polarity="neutral",
        multiplier=10_000,
    )
    row = _last(trend.recent_trends(base))
    assert row["trend_chi2"] == pytest.approx(250000 / 6000)
    assert row["trend_p"] == pytest.approx(1.1e-10, rel=0.05)
    assert row["recent_trend"] == "increasing"


def test_small_rate_change_is_not_significant() -> None:
    # k = 50, 55, 60, 65, 70 per 10,000: U = 50, V = (300/50000) * 100000 = 600,
    # X2 = 2500/600 = 4.1667, p = 0.041 -- significant at 95% but not at 99.9%.
    base = _base(
        [50, 55, 60, 65, 70],
        [10_000] * 5,
        indicator="cin_rate_per_10k",
        interval="poisson",
        polarity="neutral",
        multiplier=10_000,
    )
    row = _last(trend.recent_trends(base))
    assert row["trend_chi2"] == pytest.approx(2500 / 600)
    assert row["trend_p"] == pytest.approx(0.0412, abs=0.0005)
    assert row["recent_trend"] == "no significant change"


def test_a_marker_in_the_window_or_too_few_years_cannot_be_calculated() -> None:
    frame = trend.recent_trends(_base([100, None, 140, 160, 180], [1000] * 5))
    assert _last(frame)["recent_trend"] == "cannot be calculated"
    assert _last(frame)["trend_chi2"] is None
    # 2024 has only 4 points (2021-2024) behind it, 2021 only one
    assert set(frame.filter(pl.col("year") < 2025)["recent_trend"]) == {"cannot be calculated"}


def test_series_break_inside_the_window_stops_the_trend() -> None:
    # sw_caseload-like indicators break in 2024; use a wilson indicator with a break:
    # the window 2021-2025 contains 2024 -> cannot be calculated; 2026-2030 would not.
    base = _base(
        [100, 120, 140, 160, 180],
        [1000] * 5,
        indicator="sw_caseload",  # series break 2024 in the catalogue
    )
    assert _last(trend.recent_trends(base))["recent_trend"] == "cannot be calculated"


def test_indicator_without_a_test_has_no_trend_row() -> None:
    base = _base([1, 2, 3, 4, 5], [10] * 5, indicator="sw_fte", interval=None)  # type: ignore[arg-type]
    assert trend.recent_trends(base.with_columns(interval=pl.lit(None, pl.String))).height == 0


@pytest.mark.parametrize(
    ("value", "comparator", "significant", "expected"),
    [
        (18.0, 12.0, True, True),  # worse (higher, lower is better), significant, worsening
        (18.0, 12.0, False, False),  # not significantly different
        (10.0, 12.0, True, False),  # significantly better
        (18.0, 12.0, None, None),  # no interval/comparator: unknown
    ],
)
def test_worse_than_comparator_and_getting_worse_flag(
    value: float, comparator: float, significant: bool | None, expected: bool | None
) -> None:
    base = _base([100, 120, 140, 160, 180], [1000] * 5)
    table = pl.DataFrame(
        {
            "la_code": ["900"],
            "indicator": ["sw_turnover_rate"],
            "year": [2025],
            "value": [value],
            "comparator": [comparator],
            "significant": [significant],
        },
        schema_overrides={"year": pl.Int32, "significant": pl.Boolean},
    )
    out = trend.add_recent_trend(table, base).row(0, named=True)
    assert out["recent_trend"] == "increasing and getting worse"
    assert out["worse_and_worsening"] is expected
    assert set(trend.TREND_COLUMNS) <= set(out)


def test_flag_is_null_for_an_indicator_with_no_direction() -> None:
    base = _base(
        [500, 550, 600, 650, 700],
        [100_000] * 5,
        indicator="cin_rate_per_10k",
        interval="poisson",
        polarity="neutral",
        multiplier=10_000,
    )
    table = pl.DataFrame(
        {
            "la_code": ["900"],
            "indicator": ["cin_rate_per_10k"],
            "year": [2025],
            "value": [70.0],
            "comparator": [50.0],
            "significant": [True],
        },
        schema_overrides={"year": pl.Int32},
    )
    out = trend.add_recent_trend(table, base).row(0, named=True)
    assert (out["recent_trend"], out["worse_and_worsening"]) == ("increasing", None)


def _finding(**extra: object) -> str:
    from benchmarks.narrative import findings

    row = {
        "la_code": "101",
        "la_name": "Northtown",
        "year": 2025,
        "indicator": "sw_turnover_rate",
        "group": "sn2025",
        "group_label": "statistical neighbours in the 2025 model",
        "value": 24.3,
        "status": None,
        "comparator": 15.1,
        "comparator_method": "median",
        "band": "D",
        "significant": True,
        "change_1y": None,
        "direction_1y": None,
        "flags": None,
        "trend_from": 2021,
    } | extra
    frame = pl.DataFrame(
        [row],
        schema_overrides={
            "change_1y": pl.Float64,
            "direction_1y": pl.String,
            "flags": pl.String,
            "status": pl.String,
            "year": pl.Int32,
            "trend_from": pl.Int32,
            "recent_trend": pl.String,
            "worse_and_worsening": pl.Boolean,
        },
    )
    return findings(frame)["sentence"][0]


def test_narrative_says_the_recent_trend_and_the_flag() -> None:
    text = _finding(recent_trend="increasing and getting worse", worse_and_worsening=True)
    assert text.endswith(
        "larger than chance alone would explain. Recent trend (2021 to 2025): increasing and "
        "getting worse. It is significantly worse than statistical neighbours in the 2025 model "
        "and getting worse."
    )
    calm = _finding(recent_trend="no significant change", worse_and_worsening=False)
    assert calm.endswith(" Recent trend (2021 to 2025): no significant change.")


def test_narrative_is_silent_when_no_trend_can_be_calculated() -> None:
    text = _finding(recent_trend="cannot be calculated", worse_and_worsening=None)
    assert "trend" not in text.lower()
