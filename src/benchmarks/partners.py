"""The partner finder: authorities that were where the focus authority is, and improved.

For a focus authority, `find_partners` suggests up to `n` authorities that

* were in a **similar position**: at an earlier graded inspection they were rated
  Requires improvement or Inadequate - the same grade as the focus's latest, or worse - and
  their standardised indicator profile in that year (z-scores across every LA in the same
  year) was close to the focus's profile now;
* have **improved**: a later inspection rated them Good or Outstanding, and their latest
  inspection still does (for inspections from April 2026, with no overall grade, the
  leadership judgement stands in: the rule of `benchmarks.improvement`).

Distance, features and years are described by `finder_method`, which a report prints.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

from benchmarks import indicators as catalogue
from benchmarks.alignment import year_containing
from benchmarks.comparison import AGGREGATE_CODES
from benchmarks.formatting import SHORT_GRADES, format_number
from benchmarks.geography import resolver
from benchmarks.improvement import (
    GOOD,
    NOT_GOOD,
    inspection_record,
    latest_record,
)
from benchmarks.schema import GRADE_RANK

if TYPE_CHECKING:
    from benchmarks.panel import Bundle

#: Default features: the workforce position and the demand on children's services. All
#: exist from 2017 (workforce) or 2013 (children in need), so inspections from 2017 on
#: have a profile; children looked after rates start in 2021 and are left out by default.
DEFAULT_FEATURES = (
    "sw_turnover_rate",
    "sw_agency_rate",
    "sw_vacancy_rate",
    "sw_caseload",
    "cin_rate_per_10k",
    "cpp_rate_per_10k",
)
DEFAULT_N = 5

PARTNERS_SCHEMA = pl.Schema(
    {
        "la_code": pl.String,
        "la_name": pl.String,
        "distance": pl.Float64,  # weighted root-mean-square difference of z-scores
        "then_grade": pl.String,  # at the earlier, worse inspection
        "now_grade": pl.String,  # at the latest inspection (leadership where no overall grade)
        "reason": pl.String,  # one sentence with the figures
        "then_date": pl.Date,
        "then_framework": pl.String,
        "then_year": pl.Int32,  # the first feature's year containing then_date
        "now_date": pl.Date,
        "now_basis": pl.String,  # "overall" or "sub-judgements"
        "focus_year": pl.Int32,
        "features_used": pl.Int32,
        "official": pl.Boolean,  # both inspections from Ofsted's official files
    }
)


def standardised(panel: pl.DataFrame, indicators: Sequence[str]) -> pl.DataFrame:
    """z-scores of every LA's published value, per indicator and year, across all LAs with
    a value that year (England and regions excluded; sample standard deviation).

    Columns la_code, indicator, year, value, z; z is null where every LA has one value."""
    las = panel.filter(
        pl.col("indicator").is_in(list(indicators)),
        ~pl.col("la_code").is_in(list(AGGREGATE_CODES)),
        pl.col("value").is_not_null(),
    )
    spread = pl.col("value").std().over("indicator", "year")
    z = (pl.col("value") - pl.col("value").mean().over("indicator", "year")) / spread
    return las.select(
        "la_code", "indicator", "year", "value", z=pl.when(spread > 0).then(z)
    ).filter(pl.col("z").is_not_null())


def _weights(indicators: Sequence[str], weights: Mapping[str, float] | None) -> dict[str, float]:
    for ind in indicators:
        catalogue.get(ind)  # KeyError naming the known ids
    out = {ind: 1.0 for ind in indicators}
    for ind, w in (weights or {}).items():
        if ind not in out:
            raise ValueError(f"weight for {ind!r}, which is not among the indicators {list(out)}")
        if not w > 0:
            raise ValueError(f"weight for {ind!r} must be positive, got {w!r}")
        out[ind] = float(w)
    return out


def _min_features(indicators: Sequence[str], min_features: int | None) -> int:
    return min_features if min_features is not None else max(1, math.ceil(len(indicators) / 2))


def _short(grade: str | None) -> str:
    return SHORT_GRADES.get(grade or "", "not graded")


def partner_candidates(
    panel: pl.DataFrame,
    inspections: pl.DataFrame,
    *,
    focus: str,
    n: int = DEFAULT_N,
    indicators: Sequence[str] = DEFAULT_FEATURES,
    weights: Mapping[str, float] | None = None,
    focus_year: int | None = None,
    min_features: int | None = None,
    authorities: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The partner finder on plain tables; `focus` is a 3-digit code. PARTNERS_SCHEMA.

    `focus_year` defaults to the latest year in which the focus has a z-score for at least
    `min_features` features (default: half of them, rounded up). A candidate's profile is
    read, feature by feature, in the year containing its earlier inspection; a pair is
    compared on the features both have, and needs at least `min_features` of them. With
    `authorities`, only current authorities are suggested.
    """
    w = _weights(indicators, weights)
    need = _min_features(indicators, min_features)
    record = inspection_record(inspections, authorities=authorities)
    latest = latest_record(record)
    z = standardised(panel, indicators)
    own = z.filter(pl.col("la_code") == focus)
    if focus_year is None:
        counts = own.group_by("year").len().filter(pl.col("len") >= need)
        if counts.is_empty():
            return pl.DataFrame(schema=PARTNERS_SCHEMA)
        focus_year = int(counts["year"].max())  # type: ignore[arg-type]
    own = own.filter(pl.col("year") == focus_year).select(
        "indicator", focus_value="value", focus_z="z"
    )
    focus_row = latest.filter(pl.col("la_code") == focus)
    focus_rank = GRADE_RANK.get(focus_row["key_grade"][0]) if focus_row.height else None

    # earlier, worse inspections of authorities that have improved since and are good now
    now = latest.select(
        "la_code",
        now_date="date",
        now_grade="key_grade",
        now_basis="key_basis",
        now_official="official",
    ).filter(pl.col("now_grade").is_in(GOOD))
    if authorities is not None:
        now = now.filter(
            pl.col("la_code").is_in(authorities.filter("current")["la_code"].implode())
        )
    rank = pl.col("key_grade").replace_strict(GRADE_RANK, default=None, return_dtype=pl.Int8)
    then = record.filter(
        pl.col("la_code") != focus,
        pl.col("key_grade").is_in(NOT_GOOD),
        rank >= (focus_rank or 0),
    ).join(now, on="la_code", how="inner")
    if then.is_empty() or own.is_empty():
        return pl.DataFrame(schema=PARTNERS_SCHEMA)

    pairs = pl.concat(
        [
            then.with_columns(indicator=pl.lit(ind), year=year_containing(pl.col("date"), ind))
            for ind in indicators
        ]
    )
    pairs = pairs.join(z, on=["la_code", "indicator", "year"], how="inner").join(
        own, on="indicator", how="inner"
    )
    pairs = pairs.with_columns(
        weight=pl.col("indicator").replace_strict(w, return_dtype=pl.Float64),
    )
    key = ["la_code", "date"]
    scored = (
        pairs.group_by(key)
        .agg(
            features_used=pl.len().cast(pl.Int32),
            distance=(
                (pl.col("weight") * (pl.col("z") - pl.col("focus_z")) ** 2).sum()
                / pl.col("weight").sum()
            ).sqrt(),
        )
        .filter(pl.col("features_used") >= need)
    )
    best = (
        scored.sort("distance", pl.col("date"), descending=[False, True])
        .group_by("la_code", maintain_order=True)
        .first()
        .sort("distance", "la_code")
        .head(n)
    )
    chosen = best.join(then, on=key, how="left")
    figures = pairs.join(best.select(key), on=key, how="semi")
    focus_name = _name_of(focus, inspections, authorities)
    reasons = [
        _reason(row, figures, indicators, focus_name, focus_year)
        for row in chosen.iter_rows(named=True)
    ]
    out = chosen.with_columns(
        reason=pl.Series(reasons, dtype=pl.String),
        then_grade="key_grade",
        then_framework="framework",
        then_date="date",
        then_year=year_containing(pl.col("date"), indicators[0]),
        focus_year=pl.lit(focus_year, pl.Int32),
        official=pl.col("official") & pl.col("now_official"),
    )
    return out.select(PARTNERS_SCHEMA.names()).cast(PARTNERS_SCHEMA).sort("distance", "la_code")


def _name_of(code: str, inspections: pl.DataFrame, authorities: pl.DataFrame | None) -> str:
    if authorities is not None:
        names = authorities.filter(pl.col("la_code") == code)["la_name"]
    else:
        names = inspections.filter(pl.col("la_code") == code, pl.col("official"))["la_name"]
    return str(names[-1]) if len(names) else code


def _reason(
    row: dict[str, Any],
    figures: pl.DataFrame,
    indicators: Sequence[str],
    focus_name: str,
    focus_year: int,
) -> str:
    """One sentence: the grades, the dates and each feature's figures then and now."""
    mine = figures.filter(pl.col("la_code") == row["la_code"], pl.col("date") == row["date"])
    parts = []
    for ind in indicators:
        hit = mine.filter(pl.col("indicator") == ind)
        if hit.is_empty():
            continue
        r = hit.row(0, named=True)
        label = catalogue.get(ind).label.lower()
        parts.append(
            f"{label} {format_number(r['value'], ind, unit=True)} in {r['year']} against "
            f"{format_number(r['focus_value'], ind, unit=True)}"
        )
    when = "published" if row["date_is_publication"] else "of"
    then_note = "" if row["official"] else " (unofficial)"
    now_note = "" if row["now_official"] else " (unofficial)"
    now_what = (
        f"rated {_short(row['now_grade'])}"
        if row["now_basis"] == "overall"
        else f"judged {_short(row['now_grade'])} for leadership (no overall grade)"
    )
    return (
        f"{row['la_name']} was rated {_short(row['key_grade'])} at its {row['framework']} "
        f"inspection {when} {row['date']:%B %Y}{then_note}, with a profile close to "
        f"{focus_name}'s in {focus_year} (distance {row['distance']:.2f}: "
        + "; ".join(parts)
        + f"), and was {now_what} at its latest inspection, {row['now_date']:%B %Y}{now_note}."
    )


def find_partners(
    bundle: Bundle,
    focus: str,
    n: int = DEFAULT_N,
    indicators: Sequence[str] = DEFAULT_FEATURES,
    weights: Mapping[str, float] | None = None,
    *,
    focus_year: int | None = None,
    min_features: int | None = None,
) -> pl.DataFrame:
    """Up to `n` authorities that were in a similar position and have since improved.

    `focus` is a name, 3-digit code or ONS code (an unknown name raises
    UnknownAuthorityError with the closest matches). Returns PARTNERS_SCHEMA: la_code,
    la_name, distance, then_grade, now_grade, reason, then more detail. See `finder_method`.
    """
    code = resolver(bundle.authorities)(focus)
    return partner_candidates(
        bundle.panel,
        bundle.inspections,
        focus=code,
        n=n,
        indicators=indicators,
        weights=weights,
        focus_year=focus_year,
        min_features=min_features,
        authorities=bundle.authorities,
    )


def finder_method(
    indicators: Sequence[str] = DEFAULT_FEATURES,
    weights: Mapping[str, float] | None = None,
    *,
    min_features: int | None = None,
) -> str:
    """The method in plain English (Markdown), for a report to print beside the results."""
    w = _weights(indicators, weights)
    need = _min_features(indicators, min_features)
    features = ", ".join(
        f"{catalogue.get(i).label.lower()} (weight {w[i]:g}; year ending "
        f"{catalogue.get(i).reference_date.split(' (')[0]})"
        for i in indicators
    )
    return (
        "**How partners are found.** A suggested partner was, at an earlier graded inspection, "
        "rated Requires improvement or Inadequate - the focus authority's latest grade or "
        "worse - and has improved since: a later inspection and its latest inspection rate it "
        "Good or Outstanding (for inspections from April 2026, which give no overall grade, "
        "the leadership judgement is used). "
        f"**Features:** {features}. Each is standardised within its year: the z-score "
        "(value minus the mean of all authorities, divided by their standard deviation), so "
        "a profile says where an authority stood among all authorities at the time, not its "
        "raw level, and national trends do not count as similarity. "
        "**Years:** the focus authority's profile is taken in the latest year with at least "
        f"{need} of the features; a candidate's profile in the year containing its earlier "
        "inspection (workforce year to 30 September; children in need year to 31 March). "
        "**Distance:** the weighted root-mean-square difference of the z-scores over the "
        f"features both have (at least {need}); 0 is an identical profile, 1 means the "
        "profiles differ by one standard deviation on average. Each authority is shown once, "
        "at its closest earlier inspection; the closest come first. Suppressed or missing "
        "figures are left out of the distance, never treated as 0."
    )
