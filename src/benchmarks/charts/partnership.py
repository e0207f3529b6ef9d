"""The partnership report's charts: inspection trajectories, event-aligned trends, and
what improvers looked like (each a frame in, an altair chart out; pure)."""

from __future__ import annotations

import altair as alt
import polars as pl

from benchmarks import formatting, indicators, theme
from benchmarks.charts._common import and_list
from benchmarks.charts.layers import LayerChart
from benchmarks.schema import GRADES

#: The grade names a trajectory chart writes, and their one-to-two letter marks.
SHORT_GRADES = {
    "Outstanding": "Outstanding",
    "Good": "Good",
    "Requires improvement to be good": "Requires improvement",
    "Inadequate": "Inadequate",
}
GRADE_MARKS = {"Outstanding": "O", "Good": "G", "Requires improvement": "RI", "Inadequate": "I"}
NOT_GIVEN = "Not given"
#: The judgements of a trajectory row, top to bottom, and the record's columns.
JUDGEMENTS = {
    "Overall": "overall",
    **{label: column for column, label in formatting.SUB_JUDGEMENTS.items()},
}


def trajectory_frame(record: pl.DataFrame) -> pl.DataFrame:
    """Partners' graded inspections (an `improvement.inspection_record`, with `la_name`)
    as one row per inspection and judgement: `name, row, date, judgement, grade, mark,
    framework, source`. Rows read "Kirklees: Overall", "Kirklees: Leadership", ..."""
    parts = []
    for label, column in JUDGEMENTS.items():
        parts.append(
            record.select(
                pl.col("la_name").alias("name"),
                pl.format("{}: {}", "la_name", pl.lit(label)).alias("row"),
                pl.col("date").cast(pl.String),
                pl.lit(label).alias("judgement"),
                pl.col(column)
                .replace_strict(SHORT_GRADES, default=None, return_dtype=pl.String)
                .fill_null(NOT_GIVEN)
                .alias("result"),
                "framework",
                pl.when(pl.col("official"))
                .then(pl.lit("Ofsted (official)"))
                .otherwise(pl.lit("Unofficial (Data to Insight)"))
                .alias("source"),
            )
        )
    frame = pl.concat(parts)
    return frame.with_columns(
        mark=pl.col("result").replace_strict(GRADE_MARKS, default="–", return_dtype=pl.String)
    ).sort("name", "date")


def trajectory_chart(record: pl.DataFrame, title_name: str) -> alt.LayerChart:
    """Each partner's graded inspections on one time line: a row per partner and
    judgement (overall, then the four sub-judgements), each mark coloured by its grade
    and labelled with the grade's letters (O, G, RI, I)."""
    data = trajectory_frame(record)
    names = list(dict.fromkeys(data["name"].to_list()))
    rows = [f"{n}: {j}" for n in names for j in JUDGEMENTS]
    grades = [SHORT_GRADES[g] for g in GRADES] + [NOT_GIVEN]
    colours = [theme.GRADE_COLOURS[g] for g in GRADES] + ["#FFFFFF"]
    x = alt.X("date:T", title="Date of graded inspection", axis=alt.Axis(format="%Y"))
    y = alt.Y("row:N", title=None, sort=rows, axis=alt.Axis(labelLimit=260))
    points = (
        alt.Chart()
        .mark_square(size=260, opacity=1, stroke=theme.TEXT, strokeWidth=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "result:N",
                title="Grade",
                scale=alt.Scale(domain=grades, range=colours),
                legend=alt.Legend(columns=5),
            ),
            tooltip=[
                alt.Tooltip("name:N", title="Authority"),
                alt.Tooltip("date:T", title="Date", format="%d %B %Y"),
                alt.Tooltip("judgement:N", title="Judgement"),
                alt.Tooltip("result:N", title="Grade"),
                alt.Tooltip("framework:N", title="Framework"),
                alt.Tooltip("source:N", title="Source"),
            ],
        )
    )
    text = alt.Chart().mark_text(dx=18, align="left", fontSize=11).encode(x=x, y=y, text="mark:N")
    first = str(data["date"].min())[:4] if data.height else ""
    last = str(data["date"].max())[:4] if data.height else ""
    return LayerChart(
        layer=[points, text],
        data=data,
        title=alt.Title(
            f"Graded Ofsted inspections: {title_name}",
            subtitle=[
                "Overall grade and the four sub-judgements at each graded inspection",
                "(O Outstanding, G Good, RI Requires improvement, I Inadequate;",
                "no overall grade is given from April 2026).",
            ],
        ),
        description=f"Timeline of the graded Ofsted inspections of {and_list(names)}"
        + (f", {first} to {last}" if data.height else ": none recorded")
        + ": one row for each authority's overall grade and each sub-judgement, each mark "
        "coloured and lettered by its grade. The grades are in the table below.",
        height=alt.Step(18),
        width=560,
    )


def aligned_frame(aligned: pl.DataFrame) -> pl.DataFrame:
    """One authority's `alignment.align_to_events` rows as `indicator, event, offset, year,
    value, marker, band_low, band_median, band_high, england` (rows with a series only)."""
    return (
        aligned.filter(pl.col("indicator").is_not_null() & pl.col("offset").is_not_null())
        .select(
            pl.col("indicator").replace_strict(
                {i: indicators.get(i).label for i in aligned["indicator"].drop_nulls().unique()},
                return_dtype=pl.String,
            ),
            pl.col("event_label").alias("event"),
            "offset",
            "year",
            pl.col("value").round(3),
            pl.col("status").alias("marker"),
            pl.col("band_low").round(3),
            pl.col("band_median").round(3),
            pl.col("band_high").round(3),
            pl.col("england").round(3),
        )
        .sort("indicator", "event", "offset")
    )


def aligned_chart(aligned: pl.DataFrame, la_name: str, comparator: str) -> alt.FacetChart:
    """An authority's indicators on years before and after its events (each graded
    inspection, and the partnership's start year): a panel per indicator, a line per event,
    and the comparator's inter-quartile band for the same years in the event's colour."""
    data = aligned_frame(aligned)
    x = alt.X(
        "offset:Q",
        title="Years from the event (0: the year it happened)",
        axis=alt.Axis(tickMinStep=1, format="d"),
    )
    colour = alt.Color("event:N", title="Event", legend=alt.Legend(columns=1, labelLimit=520))
    band = (
        alt.Chart()
        .mark_area(opacity=0.15)
        .encode(x=x, y=alt.Y("band_low:Q", title=None), y2="band_high:Q", color=colour)
    )
    line = (
        alt.Chart()
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=None),
            color=colour,
            tooltip=[
                alt.Tooltip("indicator:N", title="Indicator"),
                alt.Tooltip("event:N", title="Event"),
                alt.Tooltip("offset:Q", title="Years from event"),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("value:Q", title="Value", format=",.1f"),
                alt.Tooltip("band_low:Q", title="Comparator lower quartile", format=",.1f"),
                alt.Tooltip("band_high:Q", title="Comparator upper quartile", format=",.1f"),
            ],
        )
    )
    chart = LayerChart(layer=[band, line], data=data).properties(width=230, height=150)
    facet = chart.facet(
        facet=alt.Facet("indicator:N", title=None, header=alt.Header(labelFontWeight="bold")),
        columns=2,
    ).resolve_scale(y="independent")
    return facet.properties(
        title=alt.Title(
            f"Before and after each inspection: {la_name}",
            subtitle=[
                f"Lines: {la_name}'s figures, one colour per event. Shaded: the middle half of",
                f"{comparator} in the same years, so a national trend is not read as local change.",
            ],
        ),
        description=f"Small charts, one per indicator, of {la_name}'s figures in the years "
        "before and after each graded inspection and the partnership's start year, each "
        f"drawn over the inter-quartile band of {comparator} in the same years. The figures "
        "are in the table below.",
    )


def improvers_frame(band_vs_focus: pl.DataFrame) -> pl.DataFrame:
    """`alignment.improvers_vs_focus` rows as `indicator, offset, median, q1, q3, n,
    focus, focus_year` (indicator labels)."""
    ids = band_vs_focus["indicator"].drop_nulls().unique()
    return band_vs_focus.select(
        pl.col("indicator").replace_strict(
            {i: indicators.get(i).label for i in ids}, return_dtype=pl.String
        ),
        "offset",
        pl.col("median").round(3),
        pl.col("q1").round(3),
        pl.col("q3").round(3),
        "n",
        pl.col("focus_value").round(3).alias("focus"),
        "focus_year",
    ).sort("indicator", "offset")


def improvers_chart(band_vs_focus: pl.DataFrame, focus_name: str | None) -> alt.FacetChart:
    """The improvers' median path (line) and inter-quartile band (shaded), with n at each
    point, around the improving inspection; the focus authority's path (navy) against it."""
    data = improvers_frame(band_vs_focus)
    x = alt.X(
        "offset:Q",
        title="Years from the improving inspection",
        axis=alt.Axis(tickMinStep=1, format="d"),
    )
    band = (
        alt.Chart()
        .mark_area(opacity=0.25, color=theme.TEAL)
        .encode(x=x, y=alt.Y("q1:Q", title=None), y2="q3:Q")
    )
    median = (
        alt.Chart()
        .mark_line(point=alt.OverlayMarkDef(color=theme.TEAL), color=theme.TEAL)
        .encode(
            x=x,
            y=alt.Y("median:Q", title=None),
            tooltip=[
                alt.Tooltip("indicator:N", title="Indicator"),
                alt.Tooltip("offset:Q", title="Years from inspection"),
                alt.Tooltip("median:Q", title="Improvers' median", format=",.1f"),
                alt.Tooltip("q1:Q", title="Lower quartile", format=",.1f"),
                alt.Tooltip("q3:Q", title="Upper quartile", format=",.1f"),
                alt.Tooltip("n:Q", title="Improvements (n)"),
            ],
        )
    )
    count = (
        alt.Chart()
        .mark_text(dy=-8, dx=8, fontSize=10, color=theme.SECONDARY_TEXT)
        .encode(x=x, y=alt.Y("q3:Q"), text=alt.Text("n:Q", format="d"))
    )
    layers: list[alt.Chart] = [band, median, count]
    if focus_name:
        layers.append(
            alt.Chart()
            .mark_line(
                point=alt.OverlayMarkDef(color=theme.NAVY), color=theme.NAVY, strokeDash=[6, 3]
            )
            .encode(
                x=x,
                y=alt.Y("focus:Q"),
                tooltip=[
                    alt.Tooltip("indicator:N", title="Indicator"),
                    alt.Tooltip("focus_year:O", title="Year"),
                    alt.Tooltip("focus:Q", title=focus_name, format=",.1f"),
                ],
            )
        )
    chart = LayerChart(layer=layers, data=data).properties(width=230, height=150)
    facet = chart.facet(
        facet=alt.Facet("indicator:N", title=None, header=alt.Header(labelFontWeight="bold")),
        columns=2,
    ).resolve_scale(y="independent")
    against = (
        f" Dashed navy: {focus_name} around its latest graded inspection." if focus_name else ""
    )
    return facet.properties(
        title=alt.Title(
            "What improvers looked like",
            subtitle=[
                "Teal line: the median of every improvement; shaded: the middle half;",
                "numbers: how many improvements have a figure (n).",
                *([against.strip()] if against else []),
            ],
        ),
        description="Small charts, one per workforce indicator, of the median and "
        "inter-quartile range of every improving authority's figures from 3 years before to "
        "2 years after its improving inspection, with the number of improvements at each point"
        + (
            f", and {focus_name}'s own path around its latest graded inspection"
            if focus_name
            else ""
        )
        + ". The figures are in the table below.",
    )
