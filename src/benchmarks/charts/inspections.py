"""Ofsted inspections and visits on a time line; social worker starters and leavers."""

from __future__ import annotations

import altair as alt
import polars as pl

from benchmarks import theme
from benchmarks.charts._common import LayerChart, _year_title
from benchmarks.formatting import SHORT_GRADES
from benchmarks.schema import GRADES

#: The two measures of the starters and leavers chart and their legend names.
STARTERS_LEAVERS = {"sw_starters_fte": "Starters", "sw_leavers_fte": "Leavers"}


def starters_leavers_chart(frame: pl.DataFrame, la_name: str) -> alt.Chart:
    """Social workers starting and leaving each year (FTE), side by side.

    `frame` has `year, indicator, value` for `sw_starters_fte` and `sw_leavers_fte`.
    """
    return _starters_leavers_layers(starters_leavers_frame(frame), la_name)


def starters_leavers_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The starters and leavers chart's data: `year, measure, value`."""
    labels = STARTERS_LEAVERS
    return (
        frame.filter(pl.col("indicator").is_in(list(labels)))
        .select(
            pl.col("year").cast(pl.Int32),
            pl.col("indicator").replace_strict(labels).alias("measure"),
            pl.col("value").cast(pl.Float64),
        )
        .sort("year", "measure", descending=[False, True])
    )


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


#: The framework in force since January 2018; every other framework is labelled older.
CURRENT_FRAMEWORK = "ILACS"
ERAS = ("ILACS (current)", "Older framework")
NO_GRADE = "No overall grade"


def inspection_frame(inspections: pl.DataFrame) -> pl.DataFrame:
    """One authority's inspections and visits as `date, kind, framework, era, grade,
    judgements, source`, oldest first.

    `framework` reads e.g. "SIF (older framework)" for anything before ILACS; `era` is
    "ILACS (current)" or "Older framework"; events without an overall grade get "No
    overall grade"; `source` says "Unofficial (Data to Insight)" where that applies.
    """
    judgements = pl.concat_str(
        [
            pl.format("Leadership: {}", pl.col("leaders")),
            pl.format("Help and protection: {}", pl.col("help_and_protection")),
            pl.format("Children in care: {}", pl.col("children_in_care")),
            pl.format("Care leavers: {}", pl.col("care_leavers")),
            pl.col("other_judgements"),
        ],
        separator="; ",
        ignore_nulls=True,
    )
    current = pl.col("framework") == CURRENT_FRAMEWORK
    return (
        inspections.select(
            pl.coalesce("inspection_date", "publication_date").alias("date"),
            pl.col("event_type").fill_null("Inspection").alias("kind"),
            pl.when(current)
            .then(pl.col("framework"))
            .otherwise(pl.format("{} (older framework)", pl.col("framework").fill_null("Unknown")))
            .alias("framework"),
            pl.when(current).then(pl.lit(ERAS[0])).otherwise(pl.lit(ERAS[1])).alias("era"),
            pl.col("overall")
            .replace_strict(SHORT_GRADES, default=None, return_dtype=pl.String)
            .fill_null(NO_GRADE)
            .alias("grade"),
            pl.when(judgements == "").then(None).otherwise(judgements).alias("judgements"),
            pl.when(pl.col("official").fill_null(True))
            .then(pl.lit("Ofsted (official)"))
            .otherwise(pl.lit("Unofficial (Data to Insight)"))
            .alias("source"),
        )
        .filter(pl.col("date").is_not_null())
        .sort("date")
    )


def inspection_timeline(inspections: pl.DataFrame, la_name: str) -> alt.LayerChart:
    """Every inspection and visit on a time line: colour and a written label give the
    grade, the shape tells the current ILACS framework from older ones."""
    data = timeline_frame(inspections)
    return _timeline_layers(data, la_name, _timeline_sentence(data, la_name))


def timeline_frame(inspections: pl.DataFrame) -> pl.DataFrame:
    """The timeline's data: `inspection_frame` with the dates as text."""
    return inspection_frame(inspections).with_columns(pl.col("date").cast(pl.String))


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


def _timeline_sentence(data: pl.DataFrame, la_name: str) -> str:
    """The timeline's text alternative: how many events, over which years."""
    if data.height == 0:
        return f"Timeline of Ofsted inspections and visits of {la_name}: none recorded."
    first, last = str(data["date"].min())[:4], str(data["date"].max())[:4]
    span = first if first == last else f"{first} to {last}"
    events = "event" if data.height == 1 else "events"
    return (
        f"Timeline of Ofsted inspections and visits of {la_name}: {data.height} {events}, "
        f"{span}, each marked by its overall grade (colour and written label) and framework "
        "(circle: ILACS, square: older). The events are in the table below."
    )
