"""Each chart's data, shaped from the comparison and inspection frames (polars only).

The altair builders (`charts.trend`, `charts.position`, `charts.inspections`) and the
templates (`charts.templates`) both start from these frames, so a report that fills
templates never imports altair. Each frame is also the chart's "view as table".
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from benchmarks.charts._common import ENGLAND, starts_at_zero
from benchmarks.formatting import SHORT_GRADES

# ------------------------------------------------------------------ trend


def trend_frame(
    series: pl.DataFrame, *, la_name: str, region_name: str | None = None
) -> pl.DataFrame:
    """Reshape one authority's comparison rows (one indicator, many years) for a trend chart.

    `series` has the comparison columns `year, value, status, ci_low, ci_high,
    comparator, group_label, region_value, england` (see `comparator_values` for how
    the comparator is chosen). Returns `year, series, role, value, low, high, marker`
    with one row per year and series; the interval is set on the authority's rows only.
    """
    group = series["group_label"].drop_nulls()
    group_label = str(group[0]) if group.len() else "Comparator"
    base = series.sort("year")
    parts = [
        base.select(
            "year",
            pl.lit(la_name).alias("series"),
            pl.lit("la").alias("role"),
            "value",
            pl.col("ci_low").alias("low"),
            pl.col("ci_high").alias("high"),
            pl.col("status").alias("marker"),
        )
    ]
    others = [("comparator", group_label, "comparator")]
    if region_name is not None:
        others.append(("region_value", region_name, "region"))
    others.append(("england", ENGLAND, "england"))
    for column, label, role in others:
        parts.append(
            base.select(
                "year",
                pl.lit(label).alias("series"),
                pl.lit(role).alias("role"),
                pl.col(column).cast(pl.Float64).alias("value"),
                pl.lit(None, pl.Float64).alias("low"),
                pl.lit(None, pl.Float64).alias("high"),
                pl.lit(None, pl.String).alias("marker"),
            )
        )
    return pl.concat(parts).with_columns(
        pl.col("year").cast(pl.Int32), pl.col("value", "low", "high").round(3)
    )


def trend_starts_at_zero(data: pl.DataFrame) -> bool:
    """The y-axis rule (`starts_at_zero`) over a trend frame's values and intervals."""
    return starts_at_zero(
        [*data["value"].to_list(), *data["low"].to_list(), *data["high"].to_list()]
    )


# ------------------------------------------------------------------ position


def position_frame(
    all_las_one_year: pl.DataFrame, la_code: str, neighbour_codes: Sequence[str]
) -> pl.DataFrame:
    """`name, value, role` (la / neighbour / other) of every authority with a value, by value."""
    return (
        all_las_one_year.filter(pl.col("value").is_not_null())
        .select(
            pl.col("la_name").alias("name"),
            pl.col("value").cast(pl.Float64).round(3),
            pl.when(pl.col("la_code") == la_code)
            .then(pl.lit("la"))
            .when(pl.col("la_code").is_in(list(neighbour_codes)))
            .then(pl.lit("neighbour"))
            .otherwise(pl.lit("other"))
            .alias("role"),
        )
        .sort("value", "name")
    )


def position_la_name(all_las_one_year: pl.DataFrame, la_code: str) -> str:
    """The authority's name, also when it has no value that year (a marker: no mark)."""
    la_rows = all_las_one_year.filter(pl.col("la_code") == la_code)
    return str(la_rows["la_name"][0]) if la_rows.height else la_code


def england_frame(england: float) -> pl.DataFrame:
    return pl.DataFrame({"value": [round(float(england), 3)], "series": [ENGLAND]})


# ------------------------------------------------------------------ inspections and workforce flows


#: The two measures of the starters and leavers chart and their legend names.
STARTERS_LEAVERS = {"sw_starters_fte": "Starters", "sw_leavers_fte": "Leavers"}


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


def timeline_frame(inspections: pl.DataFrame) -> pl.DataFrame:
    """The timeline's data: `inspection_frame` with the dates as text."""
    return inspection_frame(inspections).with_columns(pl.col("date").cast(pl.String))


def timeline_sentence(data: pl.DataFrame, la_name: str) -> str:
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
