"""Lining indicator series up with inspections, and what improvers looked like.

* `year_containing` - the indicator year an inspection falls in (workforce years end on
  30 September, children in need and looked-after years on 31 March).
* `align_to_events` - indicator series on an axis of years before/after each graded
  inspection (and a partnership's start year), with England and a comparator band;
  successor authorities inherit their predecessors' inspections and earlier figures.
* `improver_paths`, `improver_band`, `focus_path`, `improvers_vs_focus` - the median
  path (with inter-quartile band and n) of every improver around its improving inspection,
  and a focus authority's path against it.

The rules are written out in docs/methods.md ("Lining series up with events").
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import date

import polars as pl

from benchmarks import indicators as catalogue
from benchmarks.comparison import AGGREGATE_CODES
from benchmarks.formatting import SHORT_GRADES
from benchmarks.geography import ENGLAND_CODE
from benchmarks.improvement import (
    authority_names,
    inspection_record,
    latest_record,
)

#: The indicators of "what improvers looked like" (issue 10, section 4).
PATH_INDICATORS = ("sw_turnover_rate", "sw_agency_rate", "sw_vacancy_rate", "sw_caseload")
PATH_BEFORE, PATH_AFTER = 3, 2


_MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name}
_REFERENCE = re.compile(r"(\d{1,2}) (" + "|".join(_MONTHS) + ")")


def reference_end(indicator_id: str) -> tuple[int, int]:
    """(month, day) on which the indicator's year ends, from its catalogue reference date:
    (9, 30) for the workforce year, (3, 31) for the year ending 31 March."""
    text = catalogue.get(indicator_id).reference_date
    found = _REFERENCE.search(text)
    if not found:
        raise ValueError(f"indicator {indicator_id}: no day and month in {text!r}")
    return _MONTHS[found.group(2)], int(found.group(1))


def year_containing(day: pl.Expr, indicator_id: str) -> pl.Expr:
    """The indicator's `year` whose period contains `day`: the first year-end on or after it.

    Workforce (30 September): 10 June 2019 -> 2019, 4 November 2019 -> 2020.
    Year ending 31 March: 10 June 2019 -> 2020, 20 February 2019 -> 2019.
    """
    month, dom = reference_end(indicator_id)
    after_end = (day.dt.month() > month) | ((day.dt.month() == month) & (day.dt.day() > dom))
    return (day.dt.year() + after_end.cast(pl.Int32)).cast(pl.Int32)


def _series_owner(authorities: pl.DataFrame | None, la_codes: Sequence[str]) -> pl.DataFrame:
    """For each requested LA, the codes whose series and inspections it inherits:
    itself, and (with `authorities`) its predecessors up to the day it began."""
    rows = [{"la_code": c, "owner_code": c, "until": None} for c in la_codes]
    if authorities is not None:
        info = authorities.filter(pl.col("la_code").is_in(list(la_codes)))
        for r in info.iter_rows(named=True):
            for pred in r["predecessors"] or []:
                rows.append(
                    {"la_code": r["la_code"], "owner_code": pred, "until": r["date_of_operation"]}
                )
    owners = pl.DataFrame(
        rows, schema={"la_code": pl.String, "owner_code": pl.String, "until": pl.Date}
    )
    return owners.with_columns(began=pl.col("until").max().over("la_code"))


def _series(
    panel: pl.DataFrame, owners: pl.DataFrame, indicator_ids: Sequence[str]
) -> pl.DataFrame:
    """Each LA's series, with a predecessor's rows for years that ended before the LA began."""
    parts = []
    for ind in indicator_ids:
        month, dom = reference_end(ind)
        rows = panel.filter(pl.col("indicator") == ind).select(
            "year", "indicator", "value", "status", owner_code="la_code", series_la_name="la_name"
        )
        joined = owners.join(rows, on="owner_code", how="inner").with_columns(
            year_end=pl.date(pl.col("year"), month, dom)
        )
        # a successor's own rows start when it began; its predecessor's rows end there
        own = pl.col("until").is_null()
        keep = (
            pl.when(own)
            .then(pl.col("began").is_null() | (pl.col("year_end") >= pl.col("began")))
            .otherwise(pl.col("year_end") < pl.col("until"))
        )
        parts.append(joined.filter(keep).drop("year_end", "until", "began"))
    return pl.concat(parts).rename({"owner_code": "series_la_code"})


def _bands(
    panel: pl.DataFrame, indicator_ids: Sequence[str], comparator_codes: Sequence[str] | None
) -> pl.DataFrame:
    """England's published value and the comparator LAs' quartiles, per indicator and year."""
    rows = panel.filter(pl.col("indicator").is_in(list(indicator_ids)))
    england = rows.filter(pl.col("la_code") == ENGLAND_CODE).select(
        "indicator", "year", england="value"
    )
    las = rows.filter(~pl.col("la_code").is_in(list(AGGREGATE_CODES)))
    if comparator_codes is not None:
        las = las.filter(pl.col("la_code").is_in(list(comparator_codes)))
    band = las.group_by("indicator", "year").agg(
        band_low=pl.col("value").quantile(0.25, interpolation="linear"),
        band_median=pl.col("value").median(),
        band_high=pl.col("value").quantile(0.75, interpolation="linear"),
        band_n=pl.col("value").count().cast(pl.Int32),
    )
    return band.join(england, on=["indicator", "year"], how="full", coalesce=True)


ALIGNED_SCHEMA = pl.Schema(
    {
        "la_code": pl.String,
        "la_name": pl.String,
        "event": pl.String,  # "inspection" or "start_year"; null on a note-only row
        "event_la_code": pl.String,  # whose inspection (the LA or a predecessor)
        "event_date": pl.Date,
        "framework": pl.String,
        "event_type": pl.String,
        "overall": pl.String,
        "leaders": pl.String,
        "key_grade": pl.String,
        "event_label": pl.String,
        "official": pl.Boolean,
        "indicator": pl.String,
        "event_year": pl.Int32,  # the event's year on this indicator's own year axis
        "year": pl.Int32,
        "offset": pl.Int32,  # year - event_year
        "value": pl.Float64,
        "status": pl.String,
        "series_la_code": pl.String,  # whose published figure (a predecessor's before the LA began)
        "england": pl.Float64,
        "band_low": pl.Float64,  # comparator LAs' lower quartile
        "band_median": pl.Float64,
        "band_high": pl.Float64,
        "band_n": pl.Int32,
        "note": pl.String,
    }
)


def _event_label() -> pl.Expr:
    grade = pl.col("overall").replace_strict(SHORT_GRADES, default=None)
    leaders = pl.col("leaders").replace_strict(SHORT_GRADES, default=None)
    return pl.format(
        "{} {} ({}): {}",
        pl.col("framework"),
        pl.col("event_type").str.to_lowercase(),
        pl.col("date").dt.strftime("%B %Y"),
        pl.when(grade.is_not_null())
        .then(pl.lit("overall ") + grade)
        .otherwise(pl.lit("no overall grade; leadership ") + leaders.fill_null("not given")),
    ) + pl.when(pl.col("official")).then(pl.lit("")).otherwise(pl.lit(" (unofficial)"))


def align_to_events(
    panel: pl.DataFrame,
    inspections: pl.DataFrame,
    indicators: Sequence[str],
    la_codes: Sequence[str],
    *,
    start_year: int | None = None,
    authorities: pl.DataFrame | None = None,
    comparator_codes: Sequence[str] | None = None,
    before: int | None = None,
    after: int | None = None,
) -> pl.DataFrame:
    """Each LA's indicator series on an axis of years before/after its events (ALIGNED_SCHEMA).

    Events are (a) every graded inspection in `inspection_record` and (b) `start_year`
    (the year a partnership began, read on each indicator's own year axis). An
    inspection's year is the indicator year whose period contains its date
    (`year_containing`), so offset 0 is the year in which the inspection happened.
    With `authorities`, a successor (Cumberland, North Northamptonshire) also gets its
    predecessor's inspections (Cumbria, Northamptonshire) and the predecessor's figures for
    years that ended before it began; `series_la_code` and `note` say so. `england` is
    England's published value and `band_*` the quartiles over `comparator_codes` (default:
    every LA) in the same year. An LA with no graded inspection (and no start year) gets one
    row with a `note` and no series: that is a finding, not an error.
    """
    owners = _series_owner(authorities, la_codes)
    record = inspection_record(inspections, authorities=authorities)
    events = (
        owners.join(
            record.rename({"la_code": "owner_code", "la_name": "event_la_name"}),
            on="owner_code",
            how="inner",
        )
        .filter(pl.col("until").is_null() | (pl.col("date") < pl.col("until")))
        .with_columns(
            event=pl.lit("inspection"),
            event_label=_event_label()
            + pl.when(pl.col("until").is_not_null())
            .then(pl.format(" - predecessor {}", pl.col("event_la_name")))
            .otherwise(pl.lit("")),
        )
        .select(
            "la_code",
            "event",
            event_la_code="owner_code",
            event_date="date",
            framework="framework",
            event_type="event_type",
            overall="overall",
            leaders="leaders",
            key_grade="key_grade",
            event_label="event_label",
            official="official",
        )
    )
    if start_year is not None:
        starts = pl.DataFrame({"la_code": list(la_codes)}).with_columns(
            event=pl.lit("start_year"),
            event_label=pl.lit(f"Partnership began ({start_year})"),
            official=pl.lit(True),
        )
        events = pl.concat([events, starts], how="diagonal_relaxed")
    series = _series(panel, owners, indicators)
    parts = []
    for ind in indicators:
        ev = events.with_columns(
            indicator=pl.lit(ind),
            event_year=pl.when(pl.col("event") == "start_year")
            .then(pl.lit(start_year, pl.Int32))
            .otherwise(year_containing(pl.col("event_date"), ind)),
        )
        parts.append(ev.join(series, on=["la_code", "indicator"], how="inner"))
    aligned = pl.concat(parts, how="diagonal_relaxed").with_columns(
        offset=(pl.col("year") - pl.col("event_year")).cast(pl.Int32)
    )
    if before is not None:
        aligned = aligned.filter(pl.col("offset") >= -before)
    if after is not None:
        aligned = aligned.filter(pl.col("offset") <= after)
    names = authority_names(inspections, authorities).rename({"la_name": "name"})
    aligned = (
        aligned.join(
            _bands(panel, indicators, comparator_codes), on=["indicator", "year"], how="left"
        )
        .join(names, left_on="series_la_code", right_on="la_code", how="left")
        .with_columns(series_la_name=pl.coalesce("name", "series_la_name"))
        .drop("name")
    ).with_columns(
        note=pl.when(pl.col("series_la_code") != pl.col("la_code")).then(
            pl.format(
                "{}'s figure: the predecessor authority (a larger area) before this one began.",
                pl.col("series_la_name"),
            )
        )
    )
    missing = [c for c in la_codes if c not in set(events["la_code"])]
    notes = pl.DataFrame({"la_code": missing}, schema={"la_code": pl.String}).with_columns(
        note=pl.lit("No graded inspection in the record (SIF or ILACS) and no start year.")
    )
    out = pl.concat([aligned, notes], how="diagonal_relaxed").join(names, on="la_code", how="left")
    out = out.with_columns(la_name=pl.coalesce("name", "la_code"))
    for column, dtype in ALIGNED_SCHEMA.items():
        if column not in out.columns:
            out = out.with_columns(pl.lit(None, dtype).alias(column))
    return (
        out.select(ALIGNED_SCHEMA.names())
        .cast(ALIGNED_SCHEMA)
        .sort("la_code", "event_date", "event", "indicator", "year", nulls_last=True)
    )


# ------------------------------------------------------------------ what improvers looked like

PATHS_SCHEMA = pl.Schema(
    {
        "la_code": pl.String,
        "to_date": pl.Date,
        "indicator": pl.String,
        "event_year": pl.Int32,
        "offset": pl.Int32,
        "year": pl.Int32,
        "value": pl.Float64,
        "status": pl.String,
        "series_la_code": pl.String,
    }
)


def _paths_around(
    panel: pl.DataFrame,
    events: pl.DataFrame,
    indicator_ids: Sequence[str],
    *,
    before: int,
    after: int,
    authorities: pl.DataFrame | None,
) -> pl.DataFrame:
    """Series around events given as (la_code, to_date) rows; PATHS_SCHEMA."""
    owners = _series_owner(authorities, sorted(set(events["la_code"])))
    series = _series(panel, owners, indicator_ids)
    parts = []
    for ind in indicator_ids:
        ev = events.with_columns(
            indicator=pl.lit(ind), event_year=year_containing(pl.col("to_date"), ind)
        )
        parts.append(ev.join(series, on=["la_code", "indicator"], how="inner"))
    if not parts:
        return pl.DataFrame(schema=PATHS_SCHEMA)
    paths = pl.concat(parts).with_columns(offset=(pl.col("year") - pl.col("event_year")))
    paths = paths.filter(pl.col("offset").is_between(-before, after))
    return (
        paths.select(PATHS_SCHEMA.names())
        .cast(PATHS_SCHEMA)
        .sort("indicator", "la_code", "to_date", "offset")
    )


def improver_paths(
    panel: pl.DataFrame,
    improvements: pl.DataFrame,
    *,
    indicators: Sequence[str] = PATH_INDICATORS,
    before: int = PATH_BEFORE,
    after: int = PATH_AFTER,
    authorities: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Every improver's series from `before` years before to `after` years after the
    improving (later) inspection, one row per improvement x indicator x year (PATHS_SCHEMA)."""
    events = improvements.select("la_code", "to_date").unique()
    return _paths_around(
        panel, events, indicators, before=before, after=after, authorities=authorities
    )


BAND_SCHEMA = pl.Schema(
    {
        "indicator": pl.String,
        "offset": pl.Int32,
        "median": pl.Float64,
        "q1": pl.Float64,
        "q3": pl.Float64,
        "n": pl.Int32,  # improvements with a published value at this offset
    }
)


def improver_band(paths: pl.DataFrame) -> pl.DataFrame:
    """Median and inter-quartile band (linear interpolation) of the improvers' paths, with n.

    Suppressed or missing values are left out of the statistics (n counts the values used)."""
    band = (
        paths.filter(pl.col("value").is_not_null())
        .group_by("indicator", "offset")
        .agg(
            median=pl.col("value").median(),
            q1=pl.col("value").quantile(0.25, interpolation="linear"),
            q3=pl.col("value").quantile(0.75, interpolation="linear"),
            n=pl.len().cast(pl.Int32),
        )
    )
    return band.select(BAND_SCHEMA.names()).cast(BAND_SCHEMA).sort("indicator", "offset")


def focus_path(
    panel: pl.DataFrame,
    inspections: pl.DataFrame,
    la_code: str,
    *,
    indicators: Sequence[str] = PATH_INDICATORS,
    event_date: date | None = None,
    before: int = PATH_BEFORE,
    after: int = PATH_AFTER,
    authorities: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The focus authority's path (PATHS_SCHEMA) around `event_date`, by default its latest
    graded inspection. Empty when it has none and no date is given."""
    if event_date is None:
        latest = latest_record(inspection_record(inspections, authorities=authorities))
        latest = latest.filter(pl.col("la_code") == la_code)
        if latest.is_empty():
            return pl.DataFrame(schema=PATHS_SCHEMA)
        event_date = latest["date"][0]
    events = pl.DataFrame({"la_code": [la_code], "to_date": [event_date]})
    return _paths_around(
        panel, events, indicators, before=before, after=after, authorities=authorities
    )


def improvers_vs_focus(band: pl.DataFrame, focus: pl.DataFrame) -> pl.DataFrame:
    """The improvers' band with the focus authority's value at each offset (`focus_value`,
    `focus_status`, `focus_year`); null where the focus has no figure."""
    own = focus.select(
        "indicator", "offset", focus_value="value", focus_status="status", focus_year="year"
    )
    return band.join(own, on=["indicator", "offset"], how="full", coalesce=True).sort(
        "indicator", "offset"
    )
