"""The partner finder on a hand-made 6-authority panel, and the shipped example groups.

The panel is built so the right answer is obvious: in 2025 the six authorities hold the
same set of values as in 2018, and the focus (101) holds in 2025 exactly what authority
102 held in 2018. Their z-scores are therefore identical (distance 0)."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from benchmarks import partners
from benchmarks.improvement import GOOD as GOOD_GRADES
from benchmarks.schema import INSPECTIONS_SCHEMA, PANEL_SCHEMA

OUT, GOOD, RI, INAD = "Outstanding", "Good", "Requires improvement to be good", "Inadequate"
FEATURES = ["sw_turnover_rate", "sw_agency_rate"]

#: (turnover, agency) by authority: 2018, and 2025 (101 and 102 swap; the rest stay).
VALUES_2018 = {
    "101": (10.0, 10.0),
    "102": (30.0, 40.0),
    "103": (31.0, 41.0),
    "104": (12.0, 12.0),
    "105": (29.0, 39.0),
    "106": (20.0, 25.0),
}
VALUES_2025 = VALUES_2018 | {"101": (30.0, 40.0), "102": (10.0, 10.0)}


def panel() -> pl.DataFrame:
    rows = []
    for year, values in [(2018, VALUES_2018), (2025, VALUES_2025)]:
        for la, pair in values.items():
            for ind, value in zip(FEATURES, pair, strict=True):
                rows.append((la, f"LA {la}", year, ind, value, None, "test"))
        # England's row must not count as an authority in the z-scores
        rows += [("970", "England", year, ind, 1000.0, None, "test") for ind in FEATURES]
    return pl.DataFrame(rows, schema=PANEL_SCHEMA, orient="row")


def insp(la: str, day: date, overall: str, *, official: bool = True) -> dict[str, Any]:
    return {
        "la_code": la,
        "la_name": f"LA {la}",
        "inspection_date": day,
        "publication_date": day,
        "framework": "ILACS",
        "event_type": "Standard inspection",
        "overall": overall,
        "leaders": overall,
        "help_and_protection": overall,
        "children_in_care": overall,
        "care_leavers": None,
        "other_judgements": None,
        "visit_theme": None,
        "source": "test",
        "official": official,
    }


def inspections(focus_now: str = RI) -> pl.DataFrame:
    rows = [
        insp("101", date(2018, 6, 1), RI),
        insp("101", date(2024, 6, 1), focus_now),
        # 102: Inadequate in 2018 with the focus's profile, Good since: the right partner
        insp("102", date(2018, 5, 1), INAD),
        insp("102", date(2022, 5, 1), GOOD),
        # 103: almost as close, but still Requires improvement: not improved
        insp("103", date(2018, 5, 1), RI),
        insp("103", date(2023, 5, 1), RI),
        # 104: improved from RI, but its profile was far from the focus's
        insp("104", date(2018, 5, 1), RI),
        insp("104", date(2023, 5, 1), GOOD),
        # 105: close profile, but it was already Good then (not a worse position)
        insp("105", date(2018, 5, 1), GOOD),
        insp("105", date(2023, 5, 1), GOOD),
        # 106: improved from Inadequate, profile in between
        insp("106", date(2018, 5, 1), INAD),
        insp("106", date(2023, 5, 1), OUT),
    ]
    return pl.DataFrame(rows, schema=INSPECTIONS_SCHEMA)


def find(**kw: Any) -> pl.DataFrame:
    kw.setdefault("indicators", FEATURES)
    return partners.partner_candidates(panel(), kw.pop("insp", inspections()), focus="101", **kw)


def test_the_obviously_right_partner_ranks_first() -> None:
    got = find()
    assert got["la_code"].to_list() == ["102", "106", "104"]
    first = got.row(0, named=True)
    assert first["distance"] == pytest.approx(0.0, abs=1e-12)
    assert (first["then_grade"], first["now_grade"]) == (INAD, GOOD)
    assert (first["then_date"], first["then_year"], first["focus_year"]) == (
        date(2018, 5, 1),
        2018,
        2025,
    )
    assert first["features_used"] == 2
    # distances ascend; every suggestion is Good or Outstanding now
    assert got["distance"].is_sorted()
    assert set(got["now_grade"]) <= set(GOOD_GRADES)


def test_each_reason_is_one_sentence_with_the_figures() -> None:
    reason = find()["reason"][0]
    assert reason.startswith(
        "LA 102 was rated Inadequate at its ILACS (to March 2026) inspection of May 2018"
    )
    # 102's 2018 figures against the focus's 2025 figures
    assert "social worker turnover 30.0% in 2018 against 30.0%" in reason
    assert "agency social worker rate 40.0% in 2018 against 40.0%" in reason
    assert reason.endswith("was rated Good at its latest inspection, May 2022.")
    assert reason.count(". ") == 0


def test_an_inadequate_focus_is_matched_only_with_authorities_as_bad_or_worse() -> None:
    got = find(insp=inspections(focus_now=INAD))
    # 104 was Requires improvement then: better than Inadequate, so not a similar position
    assert got["la_code"].to_list() == ["102", "106"]


def test_distance_is_the_weighted_rms_of_z_score_differences() -> None:
    # 106 against the focus, by hand. Turnover 2018 (= 2025 set): 10 30 31 12 29 20, mean 22,
    # sum of squared deviations 442, sample variance 442/5; focus 30 vs 106's 20.
    # Agency: 10 40 41 12 39 25, sum 167, sum of squares 5671, variance
    # (5671 - 167**2/6)/5; focus 40 vs 106's 25.
    dz_turnover = 10**2 / (442 / 5)
    dz_agency = 15**2 / ((5671 - 167**2 / 6) / 5)
    plain = find().filter(pl.col("la_code") == "106")["distance"].item()
    assert plain == pytest.approx(((dz_turnover + dz_agency) / 2) ** 0.5, rel=1e-12)
    weighted = find(weights={"sw_agency_rate": 3.0}).filter(pl.col("la_code") == "106")
    assert weighted["distance"].item() == pytest.approx(
        ((dz_turnover + 3 * dz_agency) / 4) ** 0.5, rel=1e-12
    )


def test_n_and_bad_parameters() -> None:
    assert find(n=1)["la_code"].to_list() == ["102"]
    with pytest.raises(ValueError, match="not among the indicators"):
        find(weights={"cla_rate_per_10k": 1.0})
    with pytest.raises(ValueError, match="must be positive"):
        find(weights={"sw_agency_rate": 0})
    with pytest.raises(KeyError, match="Unknown indicator"):
        find(indicators=["no_such_indicator"])


def test_unofficial_inspections_are_labelled() -> None:
    rows = inspections().filter(~((pl.col("la_code") == "102") & (pl.col("overall") == GOOD)))
    rows = pl.concat(
        [
            rows,
            pl.DataFrame(
                [insp("102", date(2025, 11, 3), GOOD, official=False)], schema=INSPECTIONS_SCHEMA
            ),
        ]
    )
    got = find(insp=rows).row(0, named=True)
    assert got["la_code"] == "102" and got["official"] is False
    assert got["reason"].endswith("November 2025 (unofficial).")


def test_a_focus_without_figures_gets_no_suggestions_not_an_error() -> None:
    got = partners.partner_candidates(panel(), inspections(), focus="999", indicators=FEATURES)
    assert got.is_empty() and got.schema == partners.PARTNERS_SCHEMA


def test_the_method_names_features_weights_and_years() -> None:
    text = partners.finder_method(FEATURES, {"sw_agency_rate": 2})
    assert "social worker turnover (weight 1; year ending 30 September)" in text
    assert "agency social worker rate (weight 2" in text
    assert "root-mean-square" in text and "z-score" in text


def test_the_shipped_example_groups_include_the_sector_groups() -> None:
    import tomllib
    from importlib import resources

    groups = tomllib.loads(
        resources.files("benchmarks").joinpath("partnerships.example.toml").read_text("utf-8")
    )["groups"]
    assert groups["Ofsted good-practice visits"]["members"] == [
        "Kensington and Chelsea",
        "Leeds",
        "Trafford",
        "Hackney",
    ]
    assert groups["TriBorough"]["members"] == [
        "Hammersmith and Fulham",
        "Kensington and Chelsea",
        "Westminster",
    ]
    for kept in ["West Yorkshire", "Greater Manchester", "Tees Valley", "Achieving for Children"]:
        assert kept in groups
