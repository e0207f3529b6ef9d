"""The partnership charts' specs, through `to_dict()` (validated against Vega-Lite)."""

from __future__ import annotations

from datetime import date

import polars as pl

from benchmarks.charts import partnership as pc


def _record() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "la_code": ["382", "382"],
            "la_name": ["Kirklees", "Kirklees"],
            "date": [date(2019, 6, 10), date(2024, 7, 8)],
            "framework": ["ILACS (to March 2026)"] * 2,
            "overall": ["Requires improvement to be good", "Good"],
            "leaders": ["Requires improvement to be good", "Good"],
            "help_and_protection": ["Inadequate", "Good"],
            "children_in_care": ["Good", "Good"],
            "care_leavers": [None, "Requires improvement to be good"],
            "official": [True, False],
        }
    )


def test_trajectory_has_a_row_per_judgement_with_grade_colour_and_letters() -> None:
    frame = pc.trajectory_frame(_record())
    assert frame.height == 10
    first = frame.filter(pl.col("date") == "2019-06-10")
    assert dict(zip(first["judgement"], first["mark"], strict=True)) == {
        "Overall": "RI",
        "Leadership": "RI",
        "Help and protection": "I",
        "Children in care": "G",
        "Care leavers": "–",
    }
    spec = pc.trajectory_chart(_record(), "Kirklees").to_dict()
    points, text = spec["layer"]
    assert points["mark"]["type"] == "square"
    assert points["encoding"]["color"]["field"] == "result"
    assert text["encoding"]["text"]["field"] == "mark"
    assert points["encoding"]["y"]["sort"][:2] == ["Kirklees: Overall", "Kirklees: Leadership"]
    assert "Kirklees" in spec["description"]


def test_improvers_chart_draws_band_median_n_and_the_focus() -> None:
    band = pl.DataFrame(
        {
            "indicator": ["sw_turnover_rate", "sw_turnover_rate"],
            "offset": [-1, 0],
            "median": [15.0, 14.0],
            "q1": [12.0, 11.0],
            "q3": [18.0, 17.0],
            "n": [20, 22],
            "focus_value": [19.0, None],
            "focus_status": [None, None],
            "focus_year": [2023, None],
        }
    )
    spec = pc.improvers_chart(band, "Bradford").to_dict()
    layers = spec["spec"]["layer"]
    assert [layer["mark"]["type"] for layer in layers] == ["area", "line", "text", "line"]
    assert layers[0]["encoding"]["y2"]["field"] == "q3"
    assert layers[2]["encoding"]["text"]["field"] == "n"
    assert layers[3]["encoding"]["y"]["field"] == "focus"
    assert spec["facet"]["field"] == "indicator"
    without = pc.improvers_chart(band, None).to_dict()
    assert len(without["spec"]["layer"]) == 3
