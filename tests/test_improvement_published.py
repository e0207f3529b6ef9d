"""Improvers and event alignment on the real published files.

Expected values come straight from the published files, read here with the raw readers
(polars' spreadsheet and CSV readers), never through the code under test."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from benchmarks import alignment as al
from benchmarks import improvement as im
from benchmarks import panel

pytestmark = pytest.mark.published

RI, GOOD, INAD = "Requires improvement to be good", "Good", "Inadequate"
ILACS = "ILACS (to March 2026)"


@pytest.fixture(scope="module")
def bundle(published_bundle: panel.Bundle) -> panel.Bundle:
    return published_bundle


@pytest.fixture(scope="module")
def ons_to_dfe(published: Path) -> dict[str, str]:
    las = pl.read_csv(published / "authorities" / "las.csv", infer_schema=False)
    return dict(las.select("new_la_code", "old_la_code").iter_rows())


@pytest.fixture(scope="module")
def csww(published: Path) -> pl.DataFrame:
    return pl.read_csv(
        published / "workforce" / "csww_indicators_2017_to_2025.csv", infer_schema=False
    ).filter(pl.col("geographic_level") == "Local authority")


def test_every_ilacs_to_ilacs_improvement_in_ofsted_history_is_in_the_table(
    published: Path, bundle: panel.Bundle, ons_to_dfe: dict[str, str]
) -> None:
    history = pl.read_excel(
        published / "inspections" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods",
        sheet_name="ILACS_inspection_history",
        engine="calamine",
        read_options={"header_row": 2},
    )
    code, day, grade = "Local authority area code", "Inspection date", "Overall effectiveness"
    history = history.sort(code, day)
    expected = set()
    previous: dict[str, tuple[date, str]] = {}
    for ons, when, overall in history.select(code, day, grade).iter_rows():
        before = previous.get(ons)
        if before and before[1] in (RI, INAD) and overall in ("Good", "Outstanding"):
            expected.add((ons_to_dfe[ons], before[0], before[1], when, overall))
        previous[ons] = (when, overall)
    assert len(expected) == 26
    assert ("384", date(2018, 6, 4), INAD, date(2021, 11, 8), GOOD) in expected  # Wakefield

    table = im.improvers(bundle.inspections, authorities=bundle.authorities)
    ours = table.filter(
        pl.col("official") & (pl.col("from_framework") == ILACS) & (pl.col("to_framework") == ILACS)
    )
    got = set(ours.select("la_code", "from_date", "from_grade", "to_date", "to_grade").iter_rows())
    assert got == expected
    assert ours["basis"].unique().to_list() == ["overall"]


def test_kirklees_improved_from_requires_improvement_in_2019_to_good_in_2024(
    bundle: panel.Bundle,
) -> None:
    table = im.improvers(bundle.inspections, authorities=bundle.authorities)
    kirklees = table.filter(pl.col("la_code") == "382")
    assert kirklees.select("la_name", "from_date", "from_grade", "to_date", "to_grade").rows() == [
        ("Kirklees", date(2019, 6, 10), RI, date(2024, 7, 8), GOOD)
    ]


def test_brent_and_somerset_2026_inspections_have_no_overall_grade_but_sub_judgements(
    bundle: panel.Bundle,
) -> None:
    record = im.inspection_record(bundle.inspections, authorities=bundle.authorities)
    spring = record.filter(pl.col("date") == date(2026, 4, 27)).sort("la_code")
    # D2I scrape: Brent leadership good; Somerset leadership requires improvement
    assert spring.select("la_code", "framework", "overall", "leaders", "official").rows() == [
        ("304", "ILACS (from April 2026)", None, GOOD, False),
        ("933", "ILACS (from April 2026)", None, RI, False),
    ]


def test_wakefields_path_around_its_improving_inspection_is_the_published_turnover(
    bundle: panel.Bundle, csww: pl.DataFrame
) -> None:
    table = im.improvers(bundle.inspections, authorities=bundle.authorities)
    paths = al.improver_paths(bundle.panel, table, authorities=bundle.authorities)
    wakefield = paths.filter(
        (pl.col("la_code") == "384") & (pl.col("indicator") == "sw_turnover_rate")
    )
    # Good on 8 November 2021: after 30 September, so workforce year 2022 is offset 0
    published = dict(
        csww.filter(pl.col("old_la_code") == "384")
        .select(pl.col("time_period").cast(pl.Int32), pl.col("turnover_rate_fte").cast(pl.Float64))
        .iter_rows()
    )
    assert wakefield.select("offset", "year", "value").rows() == [
        (offset, 2022 + offset, published[2022 + offset]) for offset in range(-3, 3)
    ]
    band = al.improver_band(paths)
    zero = band.filter((pl.col("indicator") == "sw_turnover_rate") & (pl.col("offset") == 0))
    # every improvement with a workforce year 2017-2025 at offset 0 has a turnover figure
    assert zero["n"].item() >= 60
    assert zero["q1"].item() <= zero["median"].item() <= zero["q3"].item()


def test_cumberland_lines_up_with_cumbrias_inspection_and_figures(
    bundle: panel.Bundle, csww: pl.DataFrame
) -> None:
    got = al.align_to_events(
        bundle.panel,
        bundle.inspections,
        ["sw_turnover_rate"],
        ["942"],
        authorities=bundle.authorities,
    )
    events = got.select("event_date", "event_la_code", "key_grade").unique().sort("event_date")
    # Cumbria (909): SIF published 13 May 2015, SIF re-inspection 29 January 2018, ILACS
    # 20 September 2022 (all before 1 April 2023); Cumberland's own ILACS 7 October 2024
    assert events.rows() == [
        (date(2015, 5, 13), "909", INAD),
        (date(2018, 1, 29), "909", RI),
        (date(2022, 9, 20), "909", RI),
        (date(2024, 10, 7), "942", GOOD),
    ]
    cumbria_2022 = (
        csww.filter((pl.col("old_la_code") == "909") & (pl.col("time_period") == "2022"))
        .select(pl.col("turnover_rate_fte").cast(pl.Float64))
        .item()
    )
    row = got.filter((pl.col("event_date") == date(2022, 9, 20)) & (pl.col("offset") == 0))
    assert row.select("year", "value", "series_la_code").rows() == [(2022, cumbria_2022, "909")]
    after = got.filter((pl.col("event_date") == date(2022, 9, 20)) & (pl.col("offset") == 1))
    assert after["series_la_code"].item() == "942"


def test_north_northamptonshire_inherits_northamptonshires_2019_inspection(
    bundle: panel.Bundle,
) -> None:
    got = al.align_to_events(
        bundle.panel,
        bundle.inspections,
        ["sw_turnover_rate"],
        ["940"],
        authorities=bundle.authorities,
    )
    events = got.filter(pl.col("framework") == ILACS).select("event_date", "event_la_code")
    assert events.unique().sort("event_date").rows() == [
        (date(2019, 6, 17), "928"),
        (date(2022, 10, 3), "940"),
    ]
