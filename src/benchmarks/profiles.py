"""Profiles: what an indicator looks like across groups of authorities.

`profile(bundle, by="ofsted_grade", indicators=[...], year=...)` answers "what do
Outstanding authorities' workforces look like?": one row per group and indicator with
the number of authorities and the median and quartiles of their values.

Decisions:

* **Groups.** `by="ofsted_grade"`: the overall grade at each authority's latest graded
  inspection in Ofsted's official statistics (the rule of `groups.latest_grades`);
  `unofficial=True` also uses later inspections from Data to Insight's file (labelled
  unofficial everywhere else). `by="leadership"`: the latest "impact of leaders"
  sub-judgement by the same rule -- overall grades stop in 2026, leadership does not.
  `by="region"`: the region name; `by="la_type"`: the authority type. Authorities with
  no group (never graded) are left out; groups are in grade order, else alphabetical.
* **Joint returns count once** in a group: Kingston + Richmond and North + West
  Northamptonshire carry one combined workforce figure; the group takes it once. (If the
  two partners fall in different groups, each group takes it once.)
* **Markers are said, not dropped.**
  - `low` (a positive value that rounds to zero; published to one decimal place) takes
    part as a value above 0 and below 0.05: it counts in `n` (and `n_low`) and sorts
    below every published positive number. A median or quartile that does not touch a
    `low` value is exact. One that does lies between its value with every `low` at 0 and
    its value with every `low` at 0.05; it is then null and `note` says so with the two
    bounds, e.g. "q1 lies between 15 and 15.0125 (it falls on a value published as low,
    below 0.05)".
  - `c`, `x`, `u` and `missing` (a value exists but is not published) are counted in
    `n_suppressed`, never in `n`, and never as 0; `note` names them ("suppressed or not
    published: c 1").
  - `z` (not applicable, e.g. the authority did not exist that year) is not counted.
* **Quartiles** use linear interpolation, as the comparison table's bands (R's default).
* **Year**: `year=None` takes each indicator's latest year with an authority value.

Columns: `PROFILE_SCHEMA`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import polars as pl

from benchmarks import indicators as catalogue
from benchmarks.groups import latest_grades
from benchmarks.schema import GRADES

if TYPE_CHECKING:
    from benchmarks.panel import Bundle

BY = ("ofsted_grade", "leadership", "region", "la_type")
LOW_BELOW = 0.05
WITHHELD = ("c", "x", "u", "missing")
STATISTICS = ("median", "q1", "q3")
_QUANTILE = {"median": 0.5, "q1": 0.25, "q3": 0.75}

PROFILE_SCHEMA = pl.Schema(
    {
        "group": pl.String,
        "indicator": pl.String,
        "year": pl.Int32,
        "n": pl.UInt32,  # units (a joint return once) with a value, `low` included
        "n_low": pl.UInt32,  # of which published as `low`
        "n_suppressed": pl.UInt32,  # units with c / x / u / missing: not in n
        "median": pl.Float64,
        "q1": pl.Float64,
        "q3": pl.Float64,
        "note": pl.String,  # how markers entered, or null
    }
)


def profile(
    bundle: Bundle,
    by: str = "ofsted_grade",
    indicators: str | Sequence[str] | None = None,
    year: int | None = None,
    *,
    unofficial: bool = False,
) -> pl.DataFrame:
    """Median and quartiles of each indicator per group of authorities (see module doc).

    `indicators`: one id or several (default: the catalogue's headline indicators).
    """
    return profile_table(
        bundle.panel,
        bundle.authorities,
        bundle.inspections,
        bundle.flags,
        by=by,
        indicators=indicators,
        year=year,
        unofficial=unofficial,
    )


def profile_table(
    panel: pl.DataFrame,
    authorities: pl.DataFrame,
    inspections: pl.DataFrame,
    flags: pl.DataFrame,
    *,
    by: str = "ofsted_grade",
    indicators: str | Sequence[str] | None = None,
    year: int | None = None,
    unofficial: bool = False,
) -> pl.DataFrame:
    """`profile` over the bundle's frames (pure)."""
    ids = _indicator_ids(indicators)
    keys = group_keys(authorities, inspections, by, unofficial=unofficial)
    joint = (
        flags.filter(pl.col("flag") == "joint_return")
        .select("la_code", "year", "indicator", "joint_code")
        .unique(["la_code", "year", "indicator"])
    )
    rows = (
        panel.filter(pl.col("indicator").is_in(ids))
        .join(keys, on="la_code", how="inner")  # LA rows with a group (not England/regions)
        .join(joint, on=["la_code", "year", "indicator"], how="left")
        .with_columns(unit=pl.coalesce("joint_code", "la_code"))
        .filter(pl.col("status").is_null() | (pl.col("status") != "z"))
    )
    if year is None:
        latest = rows.filter(pl.col("value").is_not_null() | (pl.col("status") == "low"))
        latest = latest.group_by("indicator").agg(pl.col("year").max())
        rows = rows.join(latest, on=["indicator", "year"], how="inner")
    else:
        rows = rows.filter(pl.col("year") == year)
    rows = rows.sort("la_code").unique(["group", "indicator", "year", "unit"], keep="first")
    out = _statistics(rows)
    order = _group_order(by, out["group"].unique().to_list())
    return (
        out.with_columns(
            _g=pl.col("group").replace_strict(order, return_dtype=pl.Int32),
            _i=pl.col("indicator").replace_strict(
                {i: n for n, i in enumerate(ids)}, return_dtype=pl.Int32
            ),
        )
        .sort("_g", "_i", "year")
        .select(PROFILE_SCHEMA.names())
        .cast(PROFILE_SCHEMA)  # type: ignore[arg-type]
    )


def group_keys(
    authorities: pl.DataFrame, inspections: pl.DataFrame, by: str, *, unofficial: bool = False
) -> pl.DataFrame:
    """`la_code`, `group` for every authority that has a group under `by`."""
    if by not in BY:
        raise ValueError(f"by must be one of {BY}, not {by!r}")
    if by in ("region", "la_type"):
        column = "region_name" if by == "region" else "la_type"
        return (
            authorities.select("la_code", group=pl.col(column))
            .filter(pl.col("group").is_not_null())
            .unique("la_code")
        )
    used = inspections if unofficial else inspections.filter(pl.col("official"))
    if by == "leadership":  # the same "latest graded" rule, on the leadership judgement
        used = used.with_columns(overall=pl.col("leaders"))
    return latest_grades(used).select("la_code", group="grade")


def _statistics(rows: pl.DataFrame) -> pl.DataFrame:
    status = pl.col("status")
    is_low = status == "low"
    lo = pl.when(is_low).then(0.0).otherwise(pl.col("value"))
    hi = pl.when(is_low).then(LOW_BELOW).otherwise(pl.col("value"))
    stats = rows.group_by("group", "indicator", "year").agg(
        n=(pl.col("value").is_not_null() | is_low).sum(),
        n_low=is_low.sum(),
        n_suppressed=status.is_in(WITHHELD).sum(),
        withheld=status.filter(status.is_in(WITHHELD)).value_counts(sort=True, name="count"),
        **{f"{s}_lo": lo.quantile(q, "linear") for s, q in _QUANTILE.items()},
        **{f"{s}_hi": hi.quantile(q, "linear") for s, q in _QUANTILE.items()},
    )
    exact = {s: pl.col(f"{s}_lo") == pl.col(f"{s}_hi") for s in STATISTICS}
    notes = [
        pl.when(~exact[s]).then(
            pl.format(
                "{} lies between {} and {} (it falls on a value published as low, below {})",
                pl.lit(s),
                _num(pl.col(f"{s}_lo")),
                _num(pl.col(f"{s}_hi")),
                pl.lit(str(LOW_BELOW)),
            )
        )
        for s in STATISTICS
    ]
    withheld = pl.when(pl.col("n_suppressed") > 0).then(
        pl.lit("suppressed or not published: ")
        + pl.col("withheld")
        .list.eval(
            pl.format(
                "{} {}",
                pl.element().struct.field("status"),
                pl.element().struct.field("count"),
            )
        )
        .list.join(", ")
    )
    return stats.with_columns(
        **{s: pl.when(exact[s]).then(pl.col(f"{s}_lo")) for s in STATISTICS},
        note=pl.concat_str([*notes, withheld], separator="; ", ignore_nulls=True).replace("", None),
    )


def _num(expr: pl.Expr) -> pl.Expr:
    """A bound as short text: 15.0 -> "15", 15.0125 -> "15.0125"."""
    return expr.round(6).cast(pl.String).str.replace(r"\.0$", "")


def _indicator_ids(indicators: str | Sequence[str] | None) -> list[str]:
    if indicators is None:
        return [i.id for i in catalogue.catalogue().values() if i.headline]
    ids = [indicators] if isinstance(indicators, str) else list(indicators)
    for i in ids:
        catalogue.get(i)  # KeyError naming the known ids
    return ids


def _group_order(by: str, groups: list[str]) -> dict[str, int]:
    if by in ("ofsted_grade", "leadership"):
        ordered = [g for g in GRADES if g in groups]
    else:
        ordered = sorted(groups)
    return {g: n for n, g in enumerate(ordered)}
