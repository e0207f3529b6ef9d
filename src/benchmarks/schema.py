"""The data contracts: column names and types of every table the library produces.

Each reader and builder returns frames with exactly these schemas (in this column
order); `conform` checks that and is used in tests and at module boundaries.
"""

from __future__ import annotations

from typing import Any

import polars as pl

#: The status markers a published file may hold (GSS symbols, plus "missing" for an empty
#: cell). A marker means the value is null. What each means, and how it is said, lives in
#: `benchmarks.formatting` (`MARKERS`, `STATUS_TEXT`).
MARKER_CODES = ("c", "x", "z", "u", "low", "k", "missing")


def _schema(columns: dict[str, Any]) -> pl.Schema:
    """A polars Schema from a literal mixing dtype classes and instances (for mypy)."""
    return pl.Schema(columns)


#: Tidy long panel: one row per authority (or England / region) x year x indicator.
#: `status` is null when `value` is a published (or recomputed) number, otherwise a key
#: of MARKERS and `value` is null.
PANEL_SCHEMA = pl.Schema(
    {
        "la_code": pl.String,  # 3-digit DfE code; England "970", regions "980".."990" (LAIT codes)
        "la_name": pl.String,
        "year": pl.Int32,  # the publication's time_period
        "indicator": pl.String,
        "value": pl.Float64,
        "status": pl.String,
        "source": pl.String,  # source id, see sources.SOURCES
    }
)

#: What a source reader returns: panel rows plus two columns panel.py consumes.
#: `level` is "national", "regional" or "la". `joint_code` is e.g. "314 / 318" when the
#: row was expanded from a combined (joint) return, else null.
OBSERVATION_SCHEMA = _schema({**PANEL_SCHEMA, "level": pl.String, "joint_code": pl.String})

AUTHORITIES_SCHEMA = _schema(
    {
        "la_code": pl.String,  # 3-digit DfE code
        "la_name": pl.String,  # DfE style, e.g. "Bristol, City of"
        "ons_code": pl.String,  # current (or last) ONS code
        "ons_codes": pl.List(pl.String),  # every ONS code the authority has had
        "region_code": pl.String,  # E12 code; London is E12000007
        "region_name": pl.String,
        "london_area": pl.String,  # "Inner London" / "Outer London" / null
        "la_type": pl.String,  # London borough / Metropolitan district / Unitary authority / Shire county
        "date_of_operation": pl.Date,
        "date_of_termination": pl.Date,
        "current": pl.Boolean,
        "predecessors": pl.List(pl.String),  # 3-digit codes
        "successors": pl.List(pl.String),  # 3-digit codes
    }
)

#: Ofsted's grades, best first, in Ofsted's wording: the one list every module uses.
GRADES = ["Outstanding", "Good", "Requires improvement to be good", "Inadequate"]
#: Each grade's rank: 1 = best (Outstanding) .. 4 = worst (Inadequate).
GRADE_RANK = {grade: rank for rank, grade in enumerate(GRADES, start=1)}

#: A file of this name marks a data folder as the generated demonstration dataset.
DEMO_MARKER = "DEMONSTRATION_DATA"

INSPECTIONS_SCHEMA = pl.Schema(
    {
        "la_code": pl.String,
        "la_name": pl.String,  # as the inspection source spells it
        "inspection_date": pl.Date,  # start date; null if only the publication date is known
        "publication_date": pl.Date,
        "framework": pl.String,  # ILACS, SIF, SIF re-inspection, SLAC, CPI, TLAC, ...
        "event_type": pl.String,  # e.g. "Standard inspection", "Short inspection", "Focused visit", "Monitoring visit"
        "overall": pl.String,  # one of GRADES or null
        "leaders": pl.String,
        "help_and_protection": pl.String,
        "children_in_care": pl.String,
        "care_leavers": pl.String,
        "other_judgements": pl.String,  # "name: grade; name: grade" for older frameworks, else null
        "visit_theme": pl.String,
        "source": pl.String,
        "official": pl.Boolean,  # False for the Data to Insight scrape
    }
)

NEIGHBOURS_SCHEMA = pl.Schema(
    {
        "la_code": pl.String,
        "model": pl.String,  # "sn2025" or "sn2021"
        "neighbour_code": pl.String,
        "rank": pl.Int32,  # 1 = closest
        "closeness": pl.String,  # normalised: "Extremely close", "Very close", "Close", "Somewhat close", "Not close"
    }
)

FLAGS_SCHEMA = pl.Schema(
    {
        "la_code": pl.String,
        "year": pl.Int32,
        "indicator": pl.String,
        "flag": pl.String,  # suppressed, not_submitted, not_applicable, low_reliability, joint_return, small_denominator, series_break, not_in_existence
        "explanation": pl.String,
        "joint_code": pl.String,  # set on joint_return flags, e.g. "314 / 318"
    }
)


def conform(frame: pl.DataFrame, schema: pl.Schema, *, name: str = "frame") -> pl.DataFrame:
    """Return `frame` with exactly `schema`'s columns, order and types, or raise ValueError."""
    missing = [c for c in schema.names() if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks columns {missing}")
    wrong = {
        c: (str(frame.schema[c]), str(t))
        for c, t in schema.items()
        if frame.schema[c] != t and frame.schema[c] != pl.Null
    }
    if wrong:
        raise ValueError(f"{name} has wrong column types (found, expected): {wrong}")
    return frame.select([pl.col(c).cast(t) for c, t in schema.items()])
