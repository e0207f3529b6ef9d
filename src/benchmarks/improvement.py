"""The graded inspection record and improvement between inspections.

Pure functions over the bundle's tables (polars in, polars out); the rules are written
out in docs/methods.md ("Inspections"):

* `inspection_record` - every graded SIF or ILACS inspection with its framework
  ("SIF", "ILACS (to March 2026)", "ILACS (from April 2026)"), overall grade where there is
  one, the four sub-judgements and the grade that decides improvement (`key_grade`).
* `improvers` - one row per improvement between two consecutive graded inspections.

Lining series up with inspections, and what improvers looked like, are in
`benchmarks.alignment`; the partner finder is `benchmarks.partners`.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from benchmarks import formatting
from benchmarks.schema import GRADE_RANK

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
SUB_JUDGEMENTS = tuple(formatting.SUB_JUDGEMENTS)  # the four columns, leadership first
GOOD = ("Outstanding", "Good")
NOT_GOOD = ("Requires improvement to be good", "Inadequate")

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
        .join(authority_names(inspections, authorities), on="la_code", how="left")
    )
    return record.select(RECORD_SCHEMA.names()).cast(RECORD_SCHEMA).sort("la_code", "date")


def authority_names(inspections: pl.DataFrame, authorities: pl.DataFrame | None) -> pl.DataFrame:
    """la_code, la_name: the authorities table's names, else each code's latest official
    inspection name."""
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
