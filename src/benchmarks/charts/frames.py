"""Each chart's data, shaped from the comparison and inspection frames (polars only).

The altair builders (`charts.trend`, `charts.position`, `charts.inspections`) and the
templates (`charts.templates`) both start from these frames, so a report that fills
templates never imports altair. Each frame is also the chart's "view as table".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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
    with one row per year and series (the authority's, then the comparator's, the
    region's and England's); the interval is set on the authority's rows only. Made from
    the columns as lists: a chart's few rows cost less than a polars query each.
    """
    group = next((g for g in series["group_label"].to_list() if g is not None), None)
    group_label = str(group) if group is not None else "Comparator"
    years = series["year"].to_list()
    order = sorted(range(len(years)), key=years.__getitem__)  # stable, as polars' sort
    n = len(order)
    in_order = [years[i] for i in order]

    def column(name: str | None) -> list[Any]:
        if name is None:
            return [None] * n
        values = series[name].to_list()
        return [values[i] for i in order]

    parts: list[tuple[str, str, str, str | None, str | None, str | None]]
    parts = [(la_name, "la", "value", "ci_low", "ci_high", "status")]
    others = [("comparator", group_label, "comparator")]
    if region_name is not None:
        others.append(("region_value", region_name, "region"))
    others.append(("england", ENGLAND, "england"))
    parts += [(label, role, name, None, None, None) for name, label, role in others]
    columns: dict[str, list[Any]] = {c: [] for c in TREND_COLUMNS}
    for label, role, value, low, high, marker in parts:
        columns["year"] += in_order
        columns["series"] += [label] * n
        columns["role"] += [role] * n
        for name, source in (("value", value), ("low", low), ("high", high), ("marker", marker)):
            columns[name] += column(source)
    # the three number columns rounded in one go (polars' own rounding)
    numbers = pl.Series(columns["value"] + columns["low"] + columns["high"], dtype=pl.Float64)
    rounded = numbers.round(3).to_list()
    size = len(columns["value"])
    for i, name in enumerate(("value", "low", "high")):
        columns[name] = rounded[i * size : (i + 1) * size]
    return pl.DataFrame(
        {name: pl.Series(name, values, dtype=TREND_COLUMNS[name]) for name, values in columns.items()}
    )


#: A trend frame's columns and types.
TREND_COLUMNS = {
    "year": pl.Int32,
    "series": pl.String,
    "role": pl.String,
    "value": pl.Float64,
    "low": pl.Float64,
    "high": pl.Float64,
    "marker": pl.String,
}


def trend_starts_at_zero(data: pl.DataFrame) -> bool:
    """The y-axis rule (`starts_at_zero`) over a trend frame's values and intervals."""
    return starts_at_zero(
        [*data["value"].to_list(), *data["low"].to_list(), *data["high"].to_list()]
    )


# ------------------------------------------------------------------ position


def position_frame(
    all_las_one_year: pl.DataFrame, la_code: str, neighbour_codes: Sequence[str]
) -> pl.DataFrame:
    """`name, value, role` (la / neighbour / other) of every authority with a value, by
    value (rounded to 3 places) then name. Made from the columns as lists (see above)."""
    neighbours = set(neighbour_codes)
    present = [
        (code, name, value)
        for code, name, value in zip(
            all_las_one_year["la_code"].to_list(),
            all_las_one_year["la_name"].to_list(),
            all_las_one_year["value"].to_list(),
            strict=True,
        )
        if value is not None
    ]
    rounded = pl.Series([v for _, _, v in present], dtype=pl.Float64).round(3).to_list()
    rows = sorted(
        (
            (value, name, "la" if code == la_code else "neighbour" if code in neighbours else "other")
            for (code, name, _), value in zip(present, rounded, strict=True)
        ),
        key=lambda row: (row[0], row[1] is not None, row[1] or ""),  # nulls first, as polars
    )
    return pl.DataFrame(
        {
            "name": pl.Series("name", [r[1] for r in rows], dtype=pl.String),
            "value": pl.Series("value", [r[0] for r in rows], dtype=pl.Float64),
            "role": pl.Series("role", [r[2] for r in rows], dtype=pl.String),
        }
    )


def position_la_name(all_las_one_year: pl.DataFrame, la_code: str) -> str:
    """The authority's name, also when it has no value that year (a marker: no mark)."""
    codes = all_las_one_year["la_code"].to_list()
    return str(all_las_one_year["la_name"][codes.index(la_code)]) if la_code in codes else la_code


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
