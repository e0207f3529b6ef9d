"""Inspection records, improvement, event alignment and what improvers looked like.

Pure functions over the bundle's tables (polars in, polars out); the rules are written
out in docs/methods.md ("Inspections and improvement"):

* `inspection_record` - every graded SIF or ILACS inspection with its framework
  ("SIF", "ILACS (to March 2026)", "ILACS (from April 2026)"), overall grade where there is
  one, the four sub-judgements and the grade that decides improvement (`key_grade`).
* `improvers` - one row per improvement between two consecutive graded inspections.
* `align_to_events` - indicator series on an axis of years before/after each graded
  inspection (and a partnership's start year), with England and a comparator band.
* `improver_paths`, `improver_band`, `focus_path`, `improvers_vs_focus` - the median
  path (with inter-quartile band and n) of every improver around its improving inspection,
  and a focus authority's path against it.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import date

import polars as pl

from benchmarks import indicators as catalogue
from benchmarks.compare import AGGREGATE_CODES
from benchmarks.schema import GRADES
from benchmarks.sources._ees import ENGLAND_CODE

SIF = "SIF"
ILACS_TO_MARCH_2026 = "ILACS (to March 2026)"
ILACS_FROM_APRIL_2026 = "ILACS (from April 2026)"
FRAMEWORKS = (SIF, ILACS_TO_MARCH_2026, ILACS_FROM_APRIL_2026)
#: Ofsted stopped giving an overall effectiveness grade for ILACS inspections from this date.
NO_OVERALL_FROM = date(2026, 4, 1)
#: Graded inspections by (framework in the inspections table, event type). Focused and
#: monitoring visits are not graded inspections; SLAC, CPI/CPRI and TLAC are older
#: frameworks with other judgements and are not part of the record.
GRADED_EVENTS = {
    ("SIF", "Inspection"),
    ("SIF re-inspection", "Re-inspection"),
    ("ILACS", "Standard inspection"),
    ("ILACS", "Short inspection"),
}
SUB_JUDGEMENTS = ("leaders", "help_and_protection", "children_in_care", "care_leavers")
GOOD = ("Outstanding", "Good")
NOT_GOOD = ("Requires improvement to be good", "Inadequate")
#: 1 = best (Outstanding) .. 4 = worst (Inadequate).
GRADE_RANK = {grade: i for i, grade in enumerate(GRADES, start=1)}
SHORT_GRADES = {
    "Outstanding": "Outstanding",
    "Good": "Good",
    "Requires improvement to be good": "Requires improvement",
    "Inadequate": "Inadequate",
}
#: The indicators of "what improvers looked like" (issue 10, section 4).
PATH_INDICATORS = ("sw_turnover_rate", "sw_agency_rate", "sw_vacancy_rate", "sw_caseload")
PATH_BEFORE, PATH_AFTER = 3, 2

RECORD_SCHEMA = pl.Schema(
    {
        "la_code": pl.String,
        "la_name": pl.String,
        "date": pl.Date,  # inspection (start) date; the publication date where only that is known
        "date_is_publication": pl.Boolean,  # True for SIF (the 2023 file has publication dates only)
        "framework": pl.String,  # one of FRAMEWORKS
        "event_type": pl.String,
        "overall": pl.String,  # one of GRADES or null (none given from April 2026)
        "leaders": pl.String,
        "help_and_protection": pl.String,
        "children_in_care": pl.String,
        "care_leavers": pl.String,
        "key_grade": pl.String,  # overall, else (from April 2026) the leadership judgement
        "key_basis": pl.String,  # "overall" or "sub-judgements"
        "official": pl.Boolean,
        "source": pl.String,
    }
)
IMPROVER_COLUMNS = (
    "la_code",
    "la_name",
    "from_date",
    "from_grade",
    "from_framework",
    "to_date",
    "to_grade",
    "to_framework",
    "basis",
)
#: `improvers` returns IMPROVER_COLUMNS and then `official` (both inspections official).
IMPROVERS_SCHEMA = pl.Schema(
    {
        "la_code": pl.String,
        "la_name": pl.String,
        "from_date": pl.Date,
        "from_grade": pl.String,
        "from_framework": pl.String,
        "to_date": pl.Date,
        "to_grade": pl.String,
        "to_framework": pl.String,
        "basis": pl.String,  # "overall" or "sub-judgements"
        "official": pl.Boolean,
    }
)


# ------------------------------------------------------------------ the inspection record


def inspection_record(
    inspections: pl.DataFrame, *, authorities: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Every graded SIF / ILACS inspection, one row each, in RECORD_SCHEMA.

    Names come from `authorities` when given (DfE spelling), else from the authority's
    most recent official inspection row. Where the official file and the unofficial
    supplement hold the same authority and date, the official row is kept.
    """
    kind = pl.concat_str("framework", "event_type", separator="|")
    graded = inspections.filter(
        kind.is_in([f"{f}|{e}" for f, e in sorted(GRADED_EVENTS)]),
        pl.any_horizontal(pl.col(["overall", *SUB_JUDGEMENTS]).is_not_null()),
        pl.coalesce("inspection_date", "publication_date").is_not_null(),
    )
    day = pl.coalesce("inspection_date", "publication_date")
    framework = (
        pl.when(pl.col("framework").str.starts_with("SIF"))
        .then(pl.lit(SIF))
        .when(day >= NO_OVERALL_FROM)
        .then(pl.lit(ILACS_FROM_APRIL_2026))
        .otherwise(pl.lit(ILACS_TO_MARCH_2026))
    )
    record = graded.with_columns(
        date=day,
        date_is_publication=pl.col("inspection_date").is_null(),
        framework=framework,
    ).with_columns(
        key_basis=pl.when(pl.col("framework") == ILACS_FROM_APRIL_2026)
        .then(pl.lit("sub-judgements"))
        .otherwise(pl.lit("overall")),
    )
    record = record.with_columns(
        key_grade=pl.when(pl.col("key_basis") == "overall")
        .then(pl.col("overall"))
        .otherwise(pl.col("leaders"))
    )
    record = (
        record.sort("la_code", "date", pl.col("official").not_())
        .unique(["la_code", "date"], keep="first", maintain_order=True)
        .drop("la_name")
        .join(_names(inspections, authorities), on="la_code", how="left")
    )
    return record.select(RECORD_SCHEMA.names()).cast(RECORD_SCHEMA).sort("la_code", "date")


def _names(inspections: pl.DataFrame, authorities: pl.DataFrame | None) -> pl.DataFrame:
    if authorities is not None:
        return authorities.select("la_code", "la_name")
    return (
        inspections.sort("official", pl.coalesce("inspection_date", "publication_date"))
        .group_by("la_code")
        .agg(pl.col("la_name").last())
    )


def latest_record(record: pl.DataFrame) -> pl.DataFrame:
    """Each authority's latest graded inspection (one row per LA, RECORD_SCHEMA)."""
    return record.sort("la_code", "date").group_by("la_code", maintain_order=True).last()


def _rank(column: str) -> pl.Expr:
    return pl.col(column).replace_strict(GRADE_RANK, default=None, return_dtype=pl.Int8)


def _none_worse(prefix_from: str = "", prefix_to: str = "to_") -> pl.Expr:
    """No sub-judgement given at both inspections is worse at the later one."""
    worse = [
        (_rank(f"{prefix_to}{j}") > _rank(f"{prefix_from}{j}")).fill_null(False)
        for j in SUB_JUDGEMENTS
    ]
    return ~pl.any_horizontal(worse)


def improvers(
    inspections: pl.DataFrame, *, authorities: pl.DataFrame | None = None
) -> pl.DataFrame:
    """One row per improvement (IMPROVERS_SCHEMA: IMPROVER_COLUMNS, then `official`).

    Between two consecutive graded inspections of the same authority (same 3-digit code):
    * basis "overall" (the later inspection is SIF or ILACS to March 2026): the overall
      grade moved from Inadequate or Requires improvement to Good or Outstanding;
    * basis "sub-judgements" (the later inspection is ILACS from April 2026, no overall
      grade): leadership moved from Inadequate or Requires improvement to Good or
      Outstanding and no sub-judgement given at both inspections got worse. The grades
      shown are then the leadership grades.
    Unofficial (Data to Insight) inspections count; `official` is False when either of
    the two inspections is unofficial.
    """
    record = inspection_record(inspections, authorities=authorities)
    to_cols = ["date", "framework", "key_grade", "key_basis", *SUB_JUDGEMENTS]
    pairs = record.with_columns(
        [pl.col(c).shift(-1).over("la_code").alias(f"to_{c}") for c in to_cols + ["official"]]
    ).filter(pl.col("to_date").is_not_null())
    from_grade = (
        pl.when(pl.col("to_key_basis") == "overall")
        .then(pl.col("overall"))
        .otherwise(pl.col("leaders"))
    )
    pairs = pairs.with_columns(from_grade=from_grade)
    improved = (
        pl.col("from_grade").is_in(NOT_GOOD)
        & pl.col("to_key_grade").is_in(GOOD)
        & pl.when(pl.col("to_key_basis") == "sub-judgements")
        .then(_none_worse())
        .otherwise(pl.lit(True))
    )
    out = pairs.filter(improved).select(
        "la_code",
        "la_name",
        from_date="date",
        from_grade="from_grade",
        from_framework="framework",
        to_date="to_date",
        to_grade="to_key_grade",
        to_framework="to_framework",
        basis="to_key_basis",
        official=pl.col("official") & pl.col("to_official"),
    )
    return out.select(IMPROVERS_SCHEMA.names()).cast(IMPROVERS_SCHEMA)


# ------------------------------------------------------------------ years and events


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
    names = _names(inspections, authorities).rename({"la_name": "name"})
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
