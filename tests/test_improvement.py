"""Inspection record, improvers, event alignment and improvers' paths on hand-made frames.

Expected values are worked out by hand in the comments."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from benchmarks import alignment as al
from benchmarks import improvement as im
from benchmarks.schema import INSPECTIONS_SCHEMA

OUT, GOOD, RI, INAD = "Outstanding", "Good", "Requires improvement to be good", "Inadequate"


def insp(
    la: str,
    day: date | None,
    overall: str | None,
    *,
    framework: str = "ILACS",
    event_type: str = "Standard inspection",
    published: date | None = None,
    subs: tuple[str | None, ...] | None = None,
    official: bool = True,
    name: str | None = None,
) -> dict[str, Any]:
    leaders, hp, cic, cl = subs if subs is not None else (overall, overall, overall, None)
    return {
        "la_code": la,
        "la_name": name or f"LA {la}",
        "inspection_date": day,
        "publication_date": published or day,
        "framework": framework,
        "event_type": event_type,
        "overall": overall,
        "leaders": leaders,
        "help_and_protection": hp,
        "children_in_care": cic,
        "care_leavers": cl,
        "other_judgements": None,
        "visit_theme": None,
        "source": "ofsted_outcomes" if official else "d2i_ilacs",
        "official": official,
    }


def frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=INSPECTIONS_SCHEMA)


def sif(la: str, published: date, overall: str, **kw: Any) -> dict[str, Any]:
    return insp(
        la, None, overall, framework="SIF", event_type="Inspection", published=published, **kw
    )


# ------------------------------------------------------------------ the record


def test_record_keeps_graded_sif_and_ilacs_inspections_with_their_framework() -> None:
    rows = frame(
        [
            insp(
                "100",
                None,
                INAD,
                framework="CPI",
                event_type="Inspection",
                published=date(2013, 1, 1),
            ),
            sif("100", date(2016, 5, 1), RI),
            insp("100", date(2019, 6, 10), GOOD),
            insp("100", date(2020, 3, 1), None, event_type="Focused visit", subs=(None,) * 4),
            insp("100", date(2026, 3, 31), GOOD),
            insp("100", date(2026, 4, 1), None, subs=(GOOD, GOOD, RI, GOOD), official=False),
        ]
    )
    record = im.inspection_record(rows)
    assert record["date"].to_list() == [
        date(2016, 5, 1),
        date(2019, 6, 10),
        date(2026, 3, 31),
        date(2026, 4, 1),
    ]
    assert record["framework"].to_list() == [
        "SIF",
        "ILACS (to March 2026)",
        "ILACS (to March 2026)",
        "ILACS (from April 2026)",
    ]
    assert record["date_is_publication"].to_list() == [True, False, False, False]
    # from April 2026 there is no overall grade: the leadership judgement is the key grade
    assert record["key_grade"].to_list() == [RI, GOOD, GOOD, GOOD]
    assert record["key_basis"].to_list() == ["overall"] * 3 + ["sub-judgements"]
    assert record["overall"][-1] is None


def test_an_official_row_wins_over_the_unofficial_one_on_the_same_day() -> None:
    rows = frame(
        [
            insp("100", date(2024, 1, 8), RI, official=False, name="la one"),
            insp("100", date(2024, 1, 8), GOOD, name="LA One"),
        ]
    )
    record = im.inspection_record(rows)
    assert record.select("overall", "official", "la_name").rows() == [(GOOD, True, "LA One")]


# ------------------------------------------------------------------ improvers


def test_improvers_overall_rule_between_consecutive_graded_inspections() -> None:
    rows = frame(
        [
            # 100: SIF RI (published May 2016) -> ILACS Good: one improvement across frameworks
            sif("100", date(2016, 5, 1), RI),
            insp("100", date(2019, 6, 10), GOOD),
            # 200: Inadequate -> (focused visit) -> RI -> Good: only RI -> Good counts
            insp("200", date(2018, 6, 4), INAD),
            insp("200", date(2019, 1, 7), None, event_type="Focused visit", subs=(None,) * 4),
            insp("200", date(2021, 11, 8), RI),
            insp("200", date(2024, 7, 8), GOOD),
            # 300: Good -> Outstanding is not an improvement in this sense
            insp("300", date(2018, 1, 1), GOOD),
            insp("300", date(2022, 1, 1), OUT),
            # 400: Inadequate -> Outstanding in the unofficial supplement
            insp("400", date(2022, 2, 1), INAD),
            insp("400", date(2025, 10, 1), OUT, official=False),
        ]
    )
    expected = pl.DataFrame(
        {
            "la_code": ["100", "200", "400"],
            "la_name": ["LA 100", "LA 200", "LA 400"],
            "from_date": [date(2016, 5, 1), date(2021, 11, 8), date(2022, 2, 1)],
            "from_grade": [RI, RI, INAD],
            "from_framework": ["SIF", "ILACS (to March 2026)", "ILACS (to March 2026)"],
            "to_date": [date(2019, 6, 10), date(2024, 7, 8), date(2025, 10, 1)],
            "to_grade": [GOOD, GOOD, OUT],
            "to_framework": ["ILACS (to March 2026)"] * 3,
            "basis": ["overall"] * 3,
            "official": [True, True, False],
        },
        schema=im.IMPROVERS_SCHEMA,
    )
    assert_frame_equal(im.improvers(rows), expected)
    assert tuple(im.improvers(rows).columns[:9]) == im.IMPROVER_COLUMNS


@pytest.mark.parametrize(
    ("later", "improved"),
    [
        # leadership RI -> Good, nothing worse: an improvement
        ((GOOD, RI, GOOD, GOOD), True),
        # leadership rose but care leavers fell from Good to RI: not an improvement
        ((GOOD, GOOD, GOOD, RI), False),
        # leadership still RI although others rose: not an improvement
        ((RI, GOOD, GOOD, GOOD), False),
    ],
)
def test_improvers_sub_judgement_rule_from_april_2026(
    later: tuple[str, ...], improved: bool
) -> None:
    rows = frame(
        [
            insp("500", date(2023, 3, 6), RI, subs=(RI, RI, RI, GOOD)),
            insp("500", date(2026, 5, 11), None, subs=later, official=False),
        ]
    )
    got = im.improvers(rows)
    if not improved:
        assert got.is_empty()
        return
    assert got.select(
        "from_grade", "to_grade", "from_framework", "to_framework", "basis", "official"
    ).rows() == [
        (RI, GOOD, "ILACS (to March 2026)", "ILACS (from April 2026)", "sub-judgements", False)
    ]


# ------------------------------------------------------------------ years


@pytest.mark.parametrize(
    ("day", "indicator", "year"),
    [
        (date(2019, 6, 10), "sw_turnover_rate", 2019),  # workforce year ends 30 September
        (date(2019, 9, 30), "sw_turnover_rate", 2019),
        (date(2019, 10, 1), "sw_turnover_rate", 2020),
        (date(2019, 6, 10), "cin_rate_per_10k", 2020),  # year ending 31 March
        (date(2019, 3, 31), "cin_rate_per_10k", 2019),
        (date(2019, 2, 20), "cla_rate_per_10k", 2019),
    ],
)
def test_an_inspection_falls_in_the_indicator_year_that_contains_it(
    day: date, indicator: str, year: int
) -> None:
    got = pl.select(al.year_containing(pl.lit(day), indicator)).item()
    assert got == year


# ------------------------------------------------------------------ event alignment

TURNOVER, CIN = "sw_turnover_rate", "cin_rate_per_10k"


def panel_rows(rows: list[tuple[str, int, str, float | None, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "la_code": la,
                "la_name": f"LA {la}",
                "year": year,
                "indicator": ind,
                "value": value,
                "status": status,
                "source": "test",
            }
            for la, year, ind, value, status in rows
        ],
        schema={
            "la_code": pl.String,
            "la_name": pl.String,
            "year": pl.Int32,
            "indicator": pl.String,
            "value": pl.Float64,
            "status": pl.String,
            "source": pl.String,
        },
    )


AUTHORITIES = pl.DataFrame(
    {
        "la_code": ["100", "200", "300", "909", "942"],
        "la_name": ["Alpha", "Beta", "Gamma", "Cumbria", "Cumberland"],
        "date_of_operation": [date(2009, 1, 1)] * 4 + [date(2023, 4, 1)],
        "current": [True, True, True, False, True],
        "predecessors": [[], [], [], [], ["909"]],
    }
)

PANEL = panel_rows(
    [
        ("100", 2018, TURNOVER, 20.0, None),
        ("100", 2019, TURNOVER, 18.0, None),
        ("100", 2020, TURNOVER, 15.0, None),
        ("100", 2023, TURNOVER, 12.0, None),
        ("100", 2024, TURNOVER, None, "c"),
        ("100", 2025, TURNOVER, 10.0, None),
        ("200", 2019, TURNOVER, 11.0, None),
        ("300", 2025, TURNOVER, 14.0, None),
        ("909", 2021, TURNOVER, 8.0, None),
        ("909", 2022, TURNOVER, 7.5, None),
        ("942", 2023, TURNOVER, 2.1, None),
        ("942", 2024, TURNOVER, 15.8, None),
        ("970", 2019, TURNOVER, 15.0, None),
        ("970", 2020, TURNOVER, 14.0, None),
        ("909", 2023, CIN, 300.0, None),
        ("942", 2023, CIN, None, "z"),
        ("942", 2024, CIN, 320.0, None),
    ]
)

INSPECTIONS = frame(
    [
        insp("100", date(2019, 6, 10), INAD),
        insp("100", date(2023, 11, 6), GOOD),
        insp("300", date(2026, 5, 11), None, subs=(GOOD, GOOD, RI, GOOD), official=False),
        insp("909", date(2022, 9, 20), RI),
    ]
)


def aligned(la_codes: list[str], **kw: Any) -> pl.DataFrame:
    return al.align_to_events(
        PANEL, INSPECTIONS, [TURNOVER, CIN], la_codes, authorities=AUTHORITIES, **kw
    )


def test_an_authority_with_two_inspections_has_each_series_on_both_axes() -> None:
    got = aligned(["100"]).filter(pl.col("indicator") == TURNOVER)
    first = got.filter(pl.col("event_date") == date(2019, 6, 10))
    # June 2019 is workforce year 2019: offsets -1..6 for 2018..2025
    assert first.select("year", "offset", "value").rows() == [
        (2018, -1, 20.0),
        (2019, 0, 18.0),
        (2020, 1, 15.0),
        (2023, 4, 12.0),
        (2024, 5, None),
        (2025, 6, 10.0),
    ]
    second = got.filter(pl.col("event_date") == date(2023, 11, 6))
    # November 2023 is after 30 September: workforce year 2024, so 2024 is offset 0
    assert second.filter(pl.col("offset") == 0).select("year", "value", "status").rows() == [
        (2024, None, "c")
    ]
    assert set(got["event_label"]) == {
        "ILACS (to March 2026) standard inspection (June 2019): overall Inadequate",
        "ILACS (to March 2026) standard inspection (November 2023): overall Good",
    }
    # England's published value sits beside the LA's for the same year
    assert first.filter(pl.col("year") == 2019)["england"].item() == 15.0
    assert got["note"].is_null().all()


def test_the_comparator_band_is_the_quartiles_of_the_comparator_authorities() -> None:
    got = aligned(["100"], comparator_codes=["100", "200"]).filter(
        (pl.col("indicator") == TURNOVER) & (pl.col("year") == 2019)
    )
    # 2019 values of 100 and 200: 18 and 11 -> median 14.5, quartiles 12.75 and 16.25
    assert got.select("band_low", "band_median", "band_high", "band_n").unique().rows() == [
        (12.75, 14.5, 16.25, 2)
    ]


def test_an_authority_with_no_inspection_gets_a_note_not_an_error() -> None:
    got = aligned(["200"])
    assert got.height == 1
    row = got.row(0, named=True)
    assert row["la_code"] == "200" and row["la_name"] == "Beta"
    assert row["event"] is None and row["value"] is None
    assert "No graded inspection" in row["note"]


def test_with_a_start_year_an_uninspected_authority_is_still_aligned() -> None:
    got = aligned(["200"], start_year=2019)
    assert got.select("event", "indicator", "year", "offset", "value").rows() == [
        ("start_year", TURNOVER, 2019, 0, 11.0)
    ]


def test_a_successor_inherits_its_predecessors_inspections_and_earlier_figures() -> None:
    got = aligned(["942"])
    # Cumbria's September 2022 inspection is Cumberland's event, labelled as the predecessor's
    assert got["event_la_code"].unique().to_list() == ["909"]
    assert got["event_label"][0].endswith("- predecessor Cumbria")
    turnover = got.filter(pl.col("indicator") == TURNOVER)
    # workforce years to 30 Sept 2021 and 2022 ended before 1 April 2023: Cumbria's figures
    assert turnover.select("year", "offset", "value", "series_la_code").rows() == [
        (2021, -1, 8.0, "909"),
        (2022, 0, 7.5, "909"),
        (2023, 1, 2.1, "942"),
        (2024, 2, 15.8, "942"),
    ]
    assert turnover["note"][0].startswith("Cumbria's figure")
    assert turnover["note"][2] is None
    cin = got.filter(pl.col("indicator") == CIN)
    # the year to 31 March 2023 is Cumbria's; Cumberland's own 'z' row for it is not used
    # (Sept 2022 inspection -> CIN year 2023, offset 0)
    assert cin.select("year", "offset", "value", "status", "series_la_code").rows() == [
        (2023, 0, 300.0, None, "909"),
        (2024, 1, 320.0, None, "942"),
    ]


def test_an_inspection_with_no_overall_grade_is_still_an_event() -> None:
    got = aligned(["300"]).filter(pl.col("indicator") == TURNOVER)
    row = got.row(0, named=True)
    assert row["overall"] is None and row["key_grade"] == GOOD
    assert row["framework"] == "ILACS (from April 2026)"
    assert row["official"] is False
    assert row["event_label"] == (
        "ILACS (from April 2026) standard inspection (May 2026): "
        "no overall grade; leadership Good (unofficial)"
    )
    # May 2026 is workforce year 2026; the 2025 figure is offset -1
    assert (row["year"], row["offset"], row["value"]) == (2025, -1, 14.0)


# ------------------------------------------------------------------ improvers' paths


def test_improver_band_median_quartiles_and_n_leave_out_suppressed_values() -> None:
    panel = panel_rows(
        [
            ("1", 2019, TURNOVER, 10.0, None),
            ("2", 2019, TURNOVER, 20.0, None),
            ("3", 2019, TURNOVER, 40.0, None),
            ("1", 2018, TURNOVER, 30.0, None),
            ("2", 2018, TURNOVER, None, "c"),
            ("3", 2018, TURNOVER, 50.0, None),
            ("3", 2015, TURNOVER, 99.0, None),  # 4 years before: outside the window
        ]
    )
    improvements = pl.DataFrame({"la_code": ["1", "2", "3"], "to_date": [date(2019, 6, 1)] * 3})
    paths = al.improver_paths(panel, improvements, indicators=[TURNOVER])
    assert paths.height == 6
    band = al.improver_band(paths)
    # offset 0: 10, 20, 40 -> median 20, quartiles 15 and 30; offset -1: 30, 50 (c left out)
    expected = pl.DataFrame(
        {
            "indicator": [TURNOVER, TURNOVER],
            "offset": [-1, 0],
            "median": [40.0, 20.0],
            "q1": [35.0, 15.0],
            "q3": [45.0, 30.0],
            "n": [2, 3],
        },
        schema=al.BAND_SCHEMA,
    )
    assert_frame_equal(band, expected)
    focus = al.focus_path(
        panel, frame([insp("1", date(2019, 6, 1), RI)]), "1", indicators=[TURNOVER]
    )
    both = al.improvers_vs_focus(band, focus)
    assert both.select("offset", "median", "focus_value").rows() == [
        (-1, 40.0, 30.0),
        (0, 20.0, 10.0),
    ]


def test_focus_path_is_empty_for_an_authority_never_inspected() -> None:
    assert al.focus_path(PANEL, INSPECTIONS, "200", indicators=[TURNOVER]).is_empty()
