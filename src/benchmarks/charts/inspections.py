"""Ofsted inspections and visits on a time line; social worker starters and leavers."""

from __future__ import annotations

import altair as alt
import polars as pl

from benchmarks import theme
from benchmarks.charts._common import _year_title
from benchmarks.charts.frames import (
    ERAS,
    NO_GRADE,
    starters_leavers_frame,
    timeline_frame,
    timeline_sentence,
)
from benchmarks.charts.layers import LayerChart
from benchmarks.formatting import SHORT_GRADES
from benchmarks.schema import GRADES


def starters_leavers_chart(frame: pl.DataFrame, la_name: str) -> alt.Chart:
    """Social workers starting and leaving each year (FTE), side by side.

    `frame` has `year, indicator, value` for `sw_starters_fte` and `sw_leavers_fte`.
    """
    return _starters_leavers_layers(starters_leavers_frame(frame), la_name)


def _starters_leavers_layers(data: pl.DataFrame, la_name: str) -> alt.Chart:
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=_year_title("sw_starters_fte"), axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("measure:N", sort=["Starters", "Leavers"]),
            y=alt.Y("value:Q", title="Social workers (FTE)"),
            color=alt.Color(
                "measure:N",
                title=None,
                sort=["Starters", "Leavers"],
                scale=alt.Scale(domain=["Starters", "Leavers"], range=[theme.TEAL, theme.MAROON]),
            ),
            tooltip=[
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("value:Q", title="FTE", format=",.1f"),
            ],
        )
        .properties(
            title=alt.Title(
                f"Social worker starters and leavers: {la_name}",
                subtitle="Full-time equivalent social workers starting and leaving in each year.",
            ),
            description=f"Bar chart of the full-time equivalent social workers starting (first "
            f"bar) and leaving (second bar) {la_name} in each year. "
            "The figures are in the table below.",
            height=200,
        )
    )


def inspection_timeline(inspections: pl.DataFrame, la_name: str) -> alt.LayerChart:
    """Every inspection and visit on a time line: colour and a written label give the
    grade, the shape tells the current ILACS framework from older ones."""
    data = timeline_frame(inspections)
    return _timeline_layers(data, la_name, timeline_sentence(data, la_name))


def _timeline_layers(data: pl.DataFrame, la_name: str, description: str) -> alt.LayerChart:
    grades = [SHORT_GRADES[g] for g in GRADES] + [NO_GRADE]
    colours = [theme.GRADE_COLOURS[g] for g in GRADES] + [theme.GRADE_COLOURS[NO_GRADE]]
    x = alt.X(
        "date:T",
        title="Date of inspection or visit",
        axis=alt.Axis(format="%Y"),
        scale=alt.Scale(padding=14),
    )
    y = alt.Y("kind:N", title=None, axis=alt.Axis(labelLimit=220))
    graded = alt.datum.grade != NO_GRADE
    points = (
        alt.Chart()
        .mark_point(filled=True, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "grade:N", title="Overall grade", scale=alt.Scale(domain=grades, range=colours)
            ),
            shape=alt.Shape(
                "era:N",
                title="Framework",
                scale=alt.Scale(domain=list(ERAS), range=["circle", "square"]),
            ),
            size=alt.SizeValue(**alt.when(graded).then(alt.value(170)).otherwise(alt.value(70))),
            tooltip=[
                alt.Tooltip("date:T", title="Date", format="%d %B %Y"),
                alt.Tooltip("kind:N", title="Event"),
                alt.Tooltip("framework:N", title="Framework"),
                alt.Tooltip("grade:N", title="Overall grade"),
                alt.Tooltip("source:N", title="Source"),
            ],
        )
    )
    text = (
        alt.Chart()
        .transform_filter(graded)
        .transform_calculate(
            label="indexof(datum.source, 'Unofficial') === 0 ? datum.grade + ' (unofficial)' : datum.grade"
        )
        .mark_text(dy=-15, fontSize=11, color=theme.TEXT)
        .encode(x=x, y=y, text=alt.Text("label:N"))
    )
    return LayerChart(
        layer=[points, text],
        data=data,
        title=alt.Title(
            f"Ofsted inspections and visits: {la_name}",
            subtitle="Each graded inspection is labelled with its overall grade; "
            "squares mark frameworks before ILACS (2018).",
        ),
        description=description,
        height=alt.Step(48),
    )
