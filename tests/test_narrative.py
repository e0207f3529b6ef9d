"""Plain-English findings from hand-written comparison rows."""

from __future__ import annotations

import polars as pl
import pytest

from benchmarks.errors import UnknownAuthorityError
from benchmarks.formatting import MARKERS, STATUS_TEXT, format_number
from benchmarks.narrative import findings, strengths_and_concerns


def row(**overrides) -> dict:
    base = {
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
    }
    return base | overrides


def frame(*rows: dict) -> pl.DataFrame:
    return pl.DataFrame(
        list(rows),
        schema_overrides={
            "value": pl.Float64,
            "comparator": pl.Float64,
            "change_1y": pl.Float64,
            "significant": pl.Boolean,
            "status": pl.String,
            "band": pl.String,
            "direction_1y": pl.String,
            "flags": pl.String,
            "year": pl.Int32,
        },
    )


def only(*rows: dict) -> dict:
    out = findings(frame(*rows))
    assert out.height == 1
    return out.row(0, named=True)


def test_the_example_sentence() -> None:
    f = only(row())
    assert f["sentence"] == (
        "Social worker turnover was 24.3% in 2025, higher than statistical neighbours in the "
        "2025 model (median 15.1%) and in the highest quarter nationally. The difference is "
        "larger than chance alone would explain."
    )
    assert f["kind"] == "concern"  # lower is better and 24.3 > 15.1
    # score: 100 x (comparator - value) / comparator = 100 x (15.1 - 24.3) / 15.1 = -60.93
    assert f["score"] == pytest.approx(-60.927, abs=1e-3)
    assert (f["value"], f["comparator"]) == (24.3, 15.1)


def test_no_chance_claim_unless_significant() -> None:
    not_sig = only(row(significant=False))
    unknown = only(row(significant=None))
    for f in (not_sig, unknown):
        assert "larger than chance" not in f["sentence"]
        assert "significant" not in f["sentence"]
    assert "within what chance alone could explain" in not_sig["sentence"]
    assert not_sig["kind"] == "context"  # a difference chance could explain is not a concern
    assert unknown["kind"] == "concern"


@pytest.mark.parametrize(
    ("indicator", "value", "comparator", "band", "kind", "quarter"),
    [
        # lower is better: below the comparator is a strength; band A = the lowest quarter
        ("sw_turnover_rate", 10.0, 15.0, "A", "strength", "lowest"),
        # higher is better: below the comparator is a concern; band D = the lowest quarter
        ("icpc_timeliness_rate", 70.0, 80.0, "D", "concern", "lowest"),
        ("icpc_timeliness_rate", 90.0, 80.0, "A", "strength", "highest"),
    ],
)
def test_polarity_decides_strength_or_concern(
    indicator, value, comparator, band, kind, quarter
) -> None:
    f = only(row(indicator=indicator, value=value, comparator=comparator, band=band))
    assert f["kind"] == kind
    assert f"in the {quarter} quarter nationally" in f["sentence"]


def test_neutral_indicators_are_never_better_or_worse() -> None:
    f = only(
        row(
            indicator="cin_rate_per_10k",
            value=330.25,
            comparator=300.0,
            band="Q4 highest",
            change_1y=10.0,
            direction_1y="increased",
        )
    )
    assert f["kind"] == "context" and f["score"] is None
    assert f["sentence"].startswith(
        "Children in need rate was 330.3 per 10,000 children in 2025, higher than statistical "
        "neighbours in the 2025 model (median 300.0 per 10,000 children) and in the highest quarter nationally."
    )
    assert "It increased from 320.3 per 10,000 children in 2024." in f["sentence"]
    for word in ("better", "worse", "improv", "strength", "concern"):
        assert word not in f["sentence"]


@pytest.mark.parametrize(
    ("change", "direction", "expected"),
    [
        (-2.0, "improved", "It improved from 26.3% in 2024."),
        (3.0, "worsened", "It worsened from 21.3% in 2024."),
        (0.0, "no change", "It was unchanged from 2024."),
    ],
)
def test_trend_words(change: float, direction: str, expected: str) -> None:
    assert only(row(change_1y=change, direction_1y=direction))["sentence"].endswith(expected)


@pytest.mark.parametrize("marker", list(MARKERS))
def test_every_marker_is_named(marker: str) -> None:
    f = only(row(value=None, status=marker, comparator=12.0))
    assert f["kind"] == "suppressed" and f["score"] is None
    assert f["sentence"] == f"Social worker turnover in 2025 was {STATUS_TEXT[marker]}."


def test_a_suppressed_value_says_why() -> None:
    f = only(row(value=None, status="c"))
    assert "not published: suppressed to protect confidentiality" in f["sentence"]


def test_same_as_comparator_at_shown_precision_is_context() -> None:
    f = only(row(value=15.1, comparator=15.14, band="B"))
    assert "the same as statistical neighbours" in f["sentence"] and f["kind"] == "context"


def test_missing_comparator_is_said() -> None:
    f = only(row(comparator=None, significant=None))
    assert f["sentence"] == (
        "Social worker turnover was 24.3% in 2025, in the highest quarter nationally. "
        "There is no comparator value for statistical neighbours in the 2025 model."
    )


def test_a_series_break_is_mentioned() -> None:
    f = only(
        row(
            indicator="sw_caseload",
            value=17.0,
            comparator=16.0,
            flags="series_break",
            significant=None,
        )
    )
    assert f["sentence"].endswith("Figures before 2025 are not fully comparable (a series break).")


@pytest.mark.parametrize(
    ("value", "indicator", "expected"),
    [
        (24.25, "sw_turnover_rate", "24.3%"),  # half up, not half to even
        (330.25, "cin_rate_per_10k", "330.3 per 10,000 children"),
        (14.8, "sw_caseload", "14.8 cases per FTE"),
        (4415.0, "cin_count", "4,415 children"),
        (85.4, "cla_rate_per_10k", "85 per 10,000 children"),  # catalogue: 0 decimals
        (709.0, "sw_headcount", "709"),
    ],
)
def test_numbers_follow_the_unit(value: float, indicator: str, expected: str) -> None:
    assert format_number(value, indicator, unit=True) == expected


def test_latest_year_is_the_default_and_a_year_can_be_chosen() -> None:
    rows = frame(row(year=2024, value=20.0), row(year=2025, value=24.3))
    assert findings(rows)["year"].to_list() == [2025]
    assert findings(rows, year=2024)["value"].to_list() == [20.0]


def test_strengths_and_concerns_keep_the_top_by_significance_then_size() -> None:
    # scores (lower is better, comparator 20): 10 -> +50, 15 -> +25, 18 -> +10 (significance
    # unknown, so ranked after the significant +5), 19 -> +5, 30 -> -50, 25 -> -25.
    rows = frame(
        row(indicator="sw_turnover_rate", value=10.0, comparator=20.0),
        row(indicator="sw_agency_rate", value=15.0, comparator=20.0),
        row(indicator="sw_vacancy_rate", value=18.0, comparator=20.0, significant=None),
        row(indicator="rereferral_rate", value=19.0, comparator=20.0),
        row(indicator="cpp_repeat_rate", value=30.0, comparator=20.0),
        row(indicator="sw_absence_rate", value=25.0, comparator=20.0),
        row(indicator="cin_rate_per_10k", value=25.0, comparator=20.0, band="Q4 highest"),
    )
    picked = strengths_and_concerns(rows, top=3)
    assert picked.select("kind", "indicator").rows() == [
        ("strength", "sw_turnover_rate"),
        ("strength", "sw_agency_rate"),
        ("strength", "rereferral_rate"),
        ("concern", "cpp_repeat_rate"),
        ("concern", "sw_absence_rate"),
    ]
    everything = findings(rows, top=1)
    assert everything.height == 7  # every finding is kept; the top ones are highlighted
    assert everything.filter(pl.col("highlight"))["indicator"].to_list() == [
        "sw_turnover_rate",
        "cpp_repeat_rate",
    ]
    assert everything.filter(pl.col("kind") == "context")["indicator"].to_list() == [
        "cin_rate_per_10k"
    ]


def test_authority_by_name_or_code_and_a_helpful_error() -> None:
    rows = frame(row(), row(la_code="102", la_name="Southville"))
    assert findings(rows, "southville")["la_code"].to_list() == ["102"]
    assert findings(rows, "101")["la_code"].to_list() == ["101"]
    with pytest.raises(UnknownAuthorityError, match="Southville"):
        findings(rows, "Southvile")


def test_a_headcount_variant_never_takes_a_highlight_slot() -> None:
    # Both agency measures are strong; only the FTE one may be highlighted, and the next
    # strength (vacancy) takes the second slot instead of the headcount restatement.
    rows = [
        row(indicator="sw_agency_rate", value=2.1, comparator=9.4, band="A"),
        row(indicator="sw_agency_rate_headcount", value=1.9, comparator=8.9, band="A"),
        row(indicator="sw_vacancy_rate", value=5.0, comparator=8.0, band="A"),
    ]
    top = strengths_and_concerns(frame(*rows), top=2)
    assert sorted(top["indicator"].to_list()) == ["sw_agency_rate", "sw_vacancy_rate"]
