"""The statistics for every authority x indicator x year, in one vectorised pass.

`comparison_table()` takes the bundle's frames and returns one row per local authority,
indicator, year and comparator group. Only local authorities are compared with local
authorities: the publisher's England row (970) is the `england` value and the
authority's region row (980-990; London boroughs use 986 London) is `region_value`.

Decisions:

* **Joint returns count once.** Kingston + Richmond and North + West Northamptonshire
  carry one combined workforce figure; the flags table marks those rows with a
  `joint_code`. Every aggregate works on *units* (the joint code, else the LA code): a
  comparator group takes each unit once, a partner of the focal authority is not its
  comparator (it is the same return), ranks and quartiles count each unit once and
  both partners share the unit's rank. `comparator_n` and `rank_of` count units.
* **Comparators**, over the group's members that have a value that year: `comparator_mean`
  (simple mean, as LAIT), `comparator_median` (as the DfE CSC dashboard) and
  `comparator_pooled` (sum of numerators / sum of denominators x multiplier, for
  indicators with both). `comparator_method` names the headline one, copied to
  `comparator`; the default is the median.
* **Rank**: 1 = best by polarity (lowest value for lower-is-better, highest for
  higher-is-better), ties share the best (minimum) rank, among units with a value that
  year. Neutral indicators rank 1 = highest value; the rank is a position, never "best".
* **Band**: quartiles (linear interpolation, as R's and LAIT's `quantile`) over units
  with a value. Polar indicators get A (best quarter) to D; a value on a quartile
  boundary goes to the better band. Neutral indicators get a position band, "Q1 lowest"
  to "Q4 highest". When the spread is too small to band -- fewer than 4 distinct values,
  or an inter-quartile range of zero -- the band says "too small to band".
* **Change**: value minus the same authority's value 1 and 3 years earlier;
  `direction_*` is "improved"/"worsened"/"no change" by polarity, and
  "increased"/"decreased"/"no change" for neutral indicators.
* **Uncertainty**: Wilson 95% intervals for proportions (interval "wilson": numerator k
  and summed denominator n from the panel; a k above n, possible with FTE flows, is
  treated as 100%) and exact Poisson (Garwood, gamma quantiles) 95% intervals for rates
  per 10,000 (interval "poisson"; the denominator year is shifted by the catalogue's
  `population_lag`). Funnel limits around the ENGLAND value for the authority's own
  denominator: normal approximation to the binomial for proportions, exact Poisson
  with Spiegelhalter's interpolation for rates, at 95% and 99.8%.
* **Significant** = the headline comparator lies outside the authority's 95% interval.
  Null when the indicator has no interval method, the authority has no numerator and
  denominator, or there is no comparator. The comparator's own uncertainty is ignored,
  so this is a screening flag, not a formal test. Small authorities get wide intervals
  and therefore rarely "differ". `significance` says it in words ("significantly higher",
  "significantly lower", "not significantly different"); `funnel_position` places the
  value against England's funnel ("above 99.8% limit" ... "within 95% limits").
* **flags**: the flags table's flag names for that LA x indicator x year, "; "-joined.
* **Recent trend**: `trend.TREND_COLUMNS` are appended by `trend.add_recent_trend`
  (last 5 points, chi-square test for trend; see `benchmarks.trend`).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl
from scipy import special

from benchmarks import indicators, trend
from benchmarks.groups import DEFAULT_GROUP, GroupSpec, group_spec
from benchmarks.sources._ees import ENGLAND_CODE, REGION_CODES

if TYPE_CHECKING:
    from benchmarks.panel import Bundle

#: Codes of the publisher's England and region rows; everything else in the panel is an LA.
AGGREGATE_CODES = frozenset({ENGLAND_CODE, *(code for code, _ in REGION_CODES.values())})
METHODS = ("median", "mean", "pooled")
DEFAULT_METHOD = "median"
LEVEL95, LEVEL998 = 0.95, 0.998
TOO_SMALL = "too small to band"
MIN_DISTINCT_TO_BAND = 4
POLAR_BANDS = ("A", "B", "C", "D")
NEUTRAL_BANDS = ("Q1 lowest", "Q2 lower middle", "Q3 upper middle", "Q4 highest")

COLUMNS = [
    "la_code",
    "la_name",
    "year",
    "indicator",
    "group",
    "group_label",
    "value",
    "status",
    "comparator_mean",
    "comparator_median",
    "comparator_pooled",
    "comparator_n",
    "england",
    "region_value",
    "rank",
    "rank_of",
    "band",
    "change_1y",
    "change_3y",
    "direction_1y",
    "direction_3y",
    "ci_low",
    "ci_high",
    "funnel95_low",
    "funnel95_high",
    "funnel998_low",
    "funnel998_high",
    "significant",
    "significance",
    "flags",
    "comparator_method",
    "comparator",
    "funnel_position",
]


def comparison_table(
    panel: pl.DataFrame,
    authorities: pl.DataFrame,
    neighbours: pl.DataFrame,
    inspections: pl.DataFrame,
    flags: pl.DataFrame,
    *,
    group: str | Sequence[str] = DEFAULT_GROUP,
    partnerships: Path | None = None,
    method: str = DEFAULT_METHOD,
) -> pl.DataFrame:
    """Every LA x indicator x year with comparators, rank, band, trend and uncertainty.

    `group` may be one group name or several; with several, the table holds one block of
    rows per group, in the order given (the group-independent statistics are computed
    once). `method` picks the headline comparator ("median", "mean" or "pooled").
    Columns: `COLUMNS`.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    names = [group] if isinstance(group, str) else list(group)
    specs = [
        group_spec(authorities, neighbours, inspections, n, partnerships=partnerships)
        for n in names
    ]
    base, codes = dense_index(la_rows(panel, flags).collect(engine="in-memory"))
    plan = _common_statistics(base.lazy(), panel.lazy(), authorities.lazy(), flags.lazy())
    common = _uncertainty(plan.collect(engine="in-memory"))
    table = _with_groups(
        common.with_columns(funnel_position=_funnel_position()), base, codes, specs, method
    )
    return trend.add_recent_trend(table, base)  # + trend.TREND_COLUMNS (see trend.py)


def comparison_for_bundle(
    bundle: Bundle,
    *,
    group: str | Sequence[str] = DEFAULT_GROUP,
    partnerships: Path | None = None,
    method: str = "median",
) -> pl.DataFrame:
    """`comparison_table` over a loaded bundle's frames: every LA, indicator and year."""
    return comparison_table(
        bundle.panel,
        bundle.authorities,
        bundle.neighbours,
        bundle.inspections,
        bundle.flags,
        group=group,
        partnerships=partnerships,
        method=method,
    )


def compare(
    bundle: Bundle,
    la: str,
    group: str = DEFAULT_GROUP,
    year: int | None = None,
    *,
    partnerships: Path | None = None,
    method: str = DEFAULT_METHOD,
) -> pl.DataFrame:
    """The comparison rows for one authority (name, 3-digit or ONS code, any case).

    By default each indicator's latest year for which the authority has a row.
    """
    from benchmarks.sources.authorities import resolve_la

    code = resolve_la(bundle.authorities, la)
    table = comparison_for_bundle(
        bundle, group=group, partnerships=partnerships, method=method
    ).filter(pl.col("la_code") == code)
    if year is None:
        table = table.filter(pl.col("year") == pl.col("year").max().over("indicator"))
    else:
        table = table.filter(pl.col("year") == year)
    from benchmarks.display import Comparison  # a DataFrame with a readable Jupyter summary

    return Comparison(table)


# ------------------------------------------------------------------ building blocks


def catalogue_columns() -> pl.DataFrame:
    """indicator, polarity, multiplier, interval for every catalogue indicator."""
    return indicators.catalogue_frame().select("indicator", "polarity", "multiplier", "interval")


def la_rows(panel: pl.DataFrame | pl.LazyFrame, flags: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """LA panel rows with `unit` (joint code, else LA code), numerator `k`, denominator `n`
    and the catalogue's polarity, multiplier and interval."""
    la = panel.lazy().filter(~pl.col("la_code").is_in(list(AGGREGATE_CODES)))
    joint = (
        flags.lazy()
        .filter(pl.col("flag") == "joint_return")
        .select("la_code", "year", "indicator", "joint_code")
        .unique(["la_code", "year", "indicator"])
    )
    return (
        la.join(joint, on=["la_code", "year", "indicator"], how="left")
        .with_columns(unit=pl.coalesce("joint_code", "la_code"))
        .join(numerators_denominators(la), on=["la_code", "year", "indicator"], how="left")
        .join(catalogue_columns().lazy(), on="indicator", how="left")
        .with_columns(
            pl.col("polarity").fill_null("neutral"),
            pl.col("multiplier").fill_null(1.0),
        )
    )


def numerators_denominators(la: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """For each rate indicator: numerator `k` and summed denominator `n` per LA and year.

    Each is null unless every part has a value. A denominator with a population lag is
    taken from that many years earlier (mid-year T-1 for year T).
    """
    parts = pl.LazyFrame(
        [
            {"indicator": i.id, "part": part, "role": role, "lag": lag, "needed": needed}
            for i in indicators.catalogue().values()
            if i.is_rate
            for part, role, lag, needed in [
                (i.numerator, "k", 0, 1),
                *((d, "n", i.population_lag, len(i.denominator)) for d in i.denominator),
            ]
        ],
        schema={
            "indicator": pl.String,
            "part": pl.String,
            "role": pl.String,
            "lag": pl.Int32,
            "needed": pl.Int32,
        },
    )
    values = la.lazy().select("la_code", "year", part="indicator", v="value")
    joined = parts.join(values, on="part", how="inner").with_columns(pl.col("year") + pl.col("lag"))

    def total(role: str) -> pl.Expr:
        mine = pl.col("role") == role
        complete = pl.col("v").filter(mine).count() == pl.col("needed").filter(mine).first()
        return pl.when(complete).then(pl.col("v").filter(mine).sum()).alias(role)

    return joined.group_by("la_code", "year", "indicator").agg(total("k"), total("n"))


def _common_statistics(
    base: pl.LazyFrame, panel: pl.LazyFrame, authorities: pl.LazyFrame, flags: pl.LazyFrame
) -> pl.LazyFrame:
    """Everything that does not depend on the comparator group (but the intervals)."""
    key = ["la_code", "year", "indicator"]
    aggregates = panel.filter(pl.col("la_code").is_in(list(AGGREGATE_CODES))).select(
        "la_code", "year", "indicator", "value"
    )
    england = aggregates.filter(pl.col("la_code") == ENGLAND_CODE).select(
        "year", "indicator", england="value"
    )
    region_of = authorities.select(
        "la_code",
        region_row=pl.col("region_code").replace_strict(
            {k: v[0] for k, v in REGION_CODES.items()}, default=None, return_dtype=pl.String
        ),
    ).unique("la_code")
    regions = aggregates.select(
        region_row="la_code", year="year", indicator="indicator", region_value="value"
    )
    flag_text = flags.group_by(key).agg(
        pl.col("flag").unique().sort().str.join("; ").alias("flags")
    )
    return (
        base.join(england, on=["year", "indicator"], how="left")
        .join(region_of, on="la_code", how="left")
        .join(regions, on=["region_row", "year", "indicator"], how="left")
        .join(_national_position(base), on=["indicator", "year", "unit"], how="left")
        .join(_quartiles(base), on=["indicator", "year"], how="left")
        .join(_earlier(base, 1), on=key, how="left")
        .join(_earlier(base, 3), on=key, how="left")
        .join(flag_text, on=key, how="left")
        .with_columns(
            band=_band(),
            change_1y=(pl.col("value") - pl.col("value_1y")).round(6),
            change_3y=(pl.col("value") - pl.col("value_3y")).round(6),
        )
        .with_columns(
            direction_1y=_direction(pl.col("change_1y")),
            direction_3y=_direction(pl.col("change_3y")),
        )
    )


def _units_with_value(base: pl.LazyFrame) -> pl.LazyFrame:
    """One row per indicator x year x unit with a value (a joint return once)."""
    return base.filter(pl.col("value").is_not_null()).unique(["indicator", "year", "unit"])


def _national_position(base: pl.LazyFrame) -> pl.LazyFrame:
    better_first = (
        pl.when(pl.col("polarity") == "lower_better")
        .then(pl.col("value"))
        .otherwise(-pl.col("value"))
    )
    by = ["indicator", "year"]
    return _units_with_value(base).select(
        "indicator",
        "year",
        "unit",
        rank=better_first.rank("min").over(by).cast(pl.Int32),
        rank_of=pl.len().over(by).cast(pl.Int32),
    )


def _quartiles(base: pl.LazyFrame) -> pl.LazyFrame:
    value = pl.col("value")
    return (
        _units_with_value(base)
        .group_by("indicator", "year")
        .agg(
            q1=value.quantile(0.25, "linear"),
            q2=value.quantile(0.5, "linear"),
            q3=value.quantile(0.75, "linear"),
            distinct=value.n_unique(),
        )
    )


def _band() -> pl.Expr:
    v, q1, q2, q3 = pl.col("value"), pl.col("q1"), pl.col("q2"), pl.col("q3")
    from_low = pl.when(v <= q1).then(0).when(v <= q2).then(1).when(v <= q3).then(2).otherwise(3)
    from_high = pl.when(v >= q3).then(0).when(v >= q2).then(1).when(v >= q1).then(2).otherwise(3)
    polar = dict(enumerate(POLAR_BANDS))
    too_small = (pl.col("distinct") < MIN_DISTINCT_TO_BAND) | (q3 == q1)
    return (
        pl.when(v.is_null() | q1.is_null())
        .then(None)
        .when(too_small)
        .then(pl.lit(TOO_SMALL))
        .when(pl.col("polarity") == "lower_better")
        .then(from_low.replace_strict(polar, return_dtype=pl.String))
        .when(pl.col("polarity") == "higher_better")
        .then(from_high.replace_strict(polar, return_dtype=pl.String))
        .otherwise(from_low.replace_strict(dict(enumerate(NEUTRAL_BANDS)), return_dtype=pl.String))
    )


def _earlier(base: pl.LazyFrame, years: int) -> pl.LazyFrame:
    return base.select(
        "la_code", "indicator", year=pl.col("year") + years, **{f"value_{years}y": pl.col("value")}
    )


def _direction(change: pl.Expr) -> pl.Expr:
    polarity = pl.col("polarity")
    up_is_good = polarity == "higher_better"
    return (
        pl.when(change.is_null())
        .then(None)
        .when(change == 0)
        .then(pl.lit("no change"))
        .when(polarity == "neutral")
        .then(pl.when(change > 0).then(pl.lit("increased")).otherwise(pl.lit("decreased")))
        .when((change > 0) == up_is_good)
        .then(pl.lit("improved"))
        .otherwise(pl.lit("worsened"))
    )


# ------------------------------------------------------------------ uncertainty


def wilson_interval(k: Any, n: Any, level: float = LEVEL95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for k successes out of n, as proportions (0-1).

    Arrays in, arrays out; NaN where n <= 0 or either is missing. k above n counts as n.
    """
    z = special.ndtri(0.5 + level / 2)
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.clip(k / n, 0.0, 1.0)
        z2n = z * z / n
        centre = (p + z2n / 2) / (1 + z2n)
        half = z / (1 + z2n) * np.sqrt(p * (1 - p) / n + z2n / (4 * n))
    ok = (n > 0) & (k >= 0)
    return (
        np.where(ok, np.clip(centre - half, 0.0, 1.0), np.nan),
        np.where(ok, np.clip(centre + half, 0.0, 1.0), np.nan),
    )


def poisson_interval(k: Any, level: float = LEVEL95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval for a Poisson count k: gamma quantiles, k = 0 gives 0 below.

    Arrays in, arrays out; NaN where k is missing or negative.
    """
    k = np.asarray(k, dtype=float)
    tail = (1 - level) / 2
    ok = k >= 0
    with np.errstate(invalid="ignore"):
        lower = np.where(k > 0, special.gammaincinv(np.where(k > 0, k, 1.0), tail), 0.0)
        upper = special.gammaincinv(np.where(ok, k, 0.0) + 1, 1 - tail)
    return np.where(ok, lower, np.nan), np.where(ok, upper, np.nan)


def proportion_funnel(p0: Any, n: Any, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Funnel limits (0-1) around a proportion p0 at denominator n: normal approximation."""
    z = special.ndtri(0.5 + level / 2)
    p0, n = np.asarray(p0, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(p0 * (1 - p0) / n)
    ok = (n > 0) & (p0 >= 0) & (p0 <= 1)
    return (
        np.where(ok, np.clip(p0 - z * sd, 0.0, 1.0), np.nan),
        np.where(ok, np.clip(p0 + z * sd, 0.0, 1.0), np.nan),
    )


def poisson_funnel(rate0: Any, n: Any, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Funnel limits around a rate (per unit of n) at exposure n.

    Exact Poisson quantiles of the expected count `rate0 * n`, interpolated between
    integers as in Spiegelhalter (2005), divided by n. NaN where n or the rate is 0/missing.
    """
    rate0, n = np.asarray(rate0, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore"):
        ok = (n > 0) & (rate0 * n > 0)
    mu, exposure = np.where(ok, rate0 * n, 1.0), np.where(ok, n, 1.0)
    limits = []
    for q in ((1 - level) / 2, (1 + level) / 2):
        r = _poisson_quantile(q, mu)
        at_r, below_r = special.pdtr(r, mu), special.pdtr(r - 1, mu)
        alpha = (at_r - q) / (at_r - below_r)
        limits.append(np.where(ok, np.maximum(r - alpha, 0.0) / exposure, np.nan))
    return limits[0], limits[1]


def _poisson_quantile(q: float, mu: np.ndarray) -> np.ndarray:
    """Smallest integer r with P(X <= r) >= q for X ~ Poisson(mu) (vectorised).

    Starts from the Cornish-Fisher approximation and steps to the exact answer.
    """
    z = special.ndtri(q)
    r = np.maximum(np.floor(mu + z * np.sqrt(mu) + (z * z - 1) / 6), 0.0)
    for _ in range(100):
        up = special.pdtr(r, mu) < q
        down = (r > 0) & (special.pdtr(r - 1, mu) >= q)
        if not (up.any() or down.any()):
            break
        r = r + up - down
    return r


def _uncertainty(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ci_low/ci_high and the funnel limits, in the indicator's units.

    Computed only on the rows that have an interval method, a value and a denominator.
    """
    kind = frame["interval"].fill_null("").to_numpy()
    usable = (frame["value"].is_not_null() & (frame["n"].fill_null(0.0) > 0)).to_numpy()
    names = [
        "ci_low",
        "ci_high",
        "funnel95_low",
        "funnel95_high",
        "funnel998_low",
        "funnel998_high",
    ]
    out = {name: np.full(frame.height, np.nan) for name in names}
    for method in ("wilson", "poisson"):
        rows = np.flatnonzero(usable & (kind == method))
        if not rows.size:
            continue
        part = frame[rows]
        k, n, mult = part["k"].to_numpy(), part["n"].to_numpy(), part["multiplier"].to_numpy()
        p0 = part["england"].to_numpy() / mult
        if method == "wilson":
            limits = [*wilson_interval(k, n)]
            for level in (LEVEL95, LEVEL998):
                limits += proportion_funnel(p0, n, level)
        else:
            limits = [bound / n for bound in poisson_interval(k)]
            for level in (LEVEL95, LEVEL998):
                limits += poisson_funnel(p0, n, level)
        for name, values in zip(names, limits, strict=True):
            out[name][rows] = values * mult
    return frame.with_columns(
        pl.Series(name, values).fill_nan(None) for name, values in out.items()
    )


# ------------------------------------------------------------------ comparator groups


@dataclass(frozen=True)
class Dense:
    """The LA rows as arrays: one row per authority (plus an all-NaN pad row at the end),
    one column per indicator-year. `k`/`n` are NaN unless both are usable for pooling.
    `base` must carry the `_row`/`_col` indices from `dense_index`."""

    n_la: int
    value: np.ndarray
    k: np.ndarray
    n: np.ndarray
    joints: list[tuple[np.ndarray, np.ndarray]]  # (LA indices, column indices) of each joint return

    @classmethod
    def from_base(cls, base: pl.DataFrame, n_la: int) -> Dense:
        row, col = base["_row"].to_numpy(), base["_col"].to_numpy()
        shape = (n_la + 1, int(col.max()) + 1 if col.size else 0)
        pooled_ok = (base["k"].is_not_null() & base["n"].is_not_null() & (base["n"] > 0)).to_numpy()
        arrays = {}
        for name, mask in (("value", None), ("k", pooled_ok), ("n", pooled_ok)):
            grid = np.full(shape, np.nan)
            values = base[name].cast(pl.Float64).to_numpy()
            grid[row, col] = values if mask is None else np.where(mask, values, np.nan)
            arrays[name] = grid
        cells = base.filter(pl.col("unit") != pl.col("la_code")).select("unit", "_row", "_col")
        joints = [
            (cell["_row"].to_numpy(), cell["_col"].to_numpy())
            for _, cell in cells.group_by("unit", maintain_order=True)
        ]
        return cls(n_la, arrays["value"], arrays["k"], arrays["n"], joints)


def dense_index(base: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """Add `_row` (LA index, codes sorted) and `_col` (indicator-year index) to `base`."""
    codes = base["la_code"].unique().sort().to_list()
    return (
        base.with_columns(
            _row=_position(pl.col("la_code"), codes),
            _col=(pl.struct("indicator", "year").rank("dense") - 1).cast(pl.Int64),
        ),
        codes,
    )


def comparators(dense: Dense, codes: list[str], spec: GroupSpec) -> dict[str, np.ndarray]:
    """Mean, median and pooled comparator of every authority's group (LA x column arrays),
    plus `comparator_n`, the number of member units with a value.

    Works per group key, not per authority: each key's member values are gathered,
    summed and sorted once; then the focal authority's own unit is left out of its key's
    figures when it is a member (mean and pooled by subtraction; median by reading the
    sorted values past the focal value: once it is removed, the i-th smallest remaining
    value is `vals[i]` when that is below the focal value, else `vals[i + 1]`). A joint
    return is one unit: a second partner in the same key is dropped, and a focal
    authority's partner counts as the focal authority itself.
    """
    n_la, n_col = dense.n_la, dense.value.shape[1]
    focal_key, members = _key_arrays(codes, spec)
    n_keys = members.shape[0] - 1
    in_key = np.zeros((n_keys + 1, n_la + 1), dtype=bool)  # last key = "no group"
    np.put_along_axis(in_key, members, True, axis=1)
    in_key[:, n_la] = False
    value, k, n = (a[members] for a in (dense.value, dense.k, dense.n))  # key x member x column
    inside = in_key[focal_key[:, None], np.arange(n_la + 1)[:, None]] & np.ones(
        (1, n_col), dtype=bool
    )
    for las, cols in dense.joints:
        first = las.min()
        for la in np.unique(las):
            here = cols[las == la]
            if la != first:  # the second partner of a return counts only when the first is absent
                dup = in_key[:, [first]] & (members == la)
                value[:, :, here] = np.where(dup[:, :, None], np.nan, value[:, :, here])
                k[:, :, here] = np.where(dup[:, :, None], np.nan, k[:, :, here])
                n[:, :, here] = np.where(dup[:, :, None], np.nan, n[:, :, here])
            # an authority's own unit is in its key when either partner is a member
            partner_in = in_key[focal_key[la], np.unique(las)].any()
            inside[la, here] = partner_in
    own_v, own_k, own_n = dense.value, dense.k, dense.n
    inside_v = inside & ~np.isnan(own_v)
    inside_p = inside & ~np.isnan(own_k)
    counts = (~np.isnan(value)).sum(axis=1)
    sums = np.nansum(value, axis=1)
    ordered = np.sort(value, axis=1)  # NaN last
    pooled_k, pooled_n = np.nansum(k, axis=1), np.nansum(n, axis=1)
    pooled_count = (~np.isnan(k)).sum(axis=1)
    fk = focal_key[:, None]
    m = counts[focal_key] - inside_v
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (sums[focal_key] - np.where(inside_v, own_v, 0.0)) / m
        columns = np.arange(n_col)[None, :]
        width = ordered.shape[1]

        def nth(i: np.ndarray) -> np.ndarray:
            here = ordered[fk, np.clip(i, 0, width - 1), columns]
            after = ordered[fk, np.clip(i + 1, 0, width - 1), columns]
            return np.where(inside_v & (here >= own_v), after, here)

        median = (nth((m - 1) // 2) + nth(m // 2)) / 2
        den = pooled_n[focal_key] - np.where(inside_p, own_n, 0.0)
        pooled = (pooled_k[focal_key] - np.where(inside_p, own_k, 0.0)) / den
        pooled_m = pooled_count[focal_key] - inside_p
    has = m > 0
    return {
        "comparator_mean": np.where(has, mean, np.nan),
        "comparator_median": np.where(has, median, np.nan),
        "comparator_pooled": np.where((pooled_m > 0) & (den > 0), pooled, np.nan),
        "comparator_n": m,
    }


def _key_arrays(codes: list[str], spec: GroupSpec) -> tuple[np.ndarray, np.ndarray]:
    """Integer form of a group: each LA's key index (the last index = no group; the pad
    row too) and a key x member matrix of LA indices, padded with the pad row."""
    pad = len(codes)
    members = spec.members.filter(pl.col("member_code").is_in(codes) & pl.col("key").is_not_null())
    members = members.unique(["key", "member_code"])
    keys = members["key"].unique().sort().to_list()
    members = members.select(
        key=_position(pl.col("key"), keys), la=_position(pl.col("member_code"), codes)
    ).with_columns(pos=pl.int_range(pl.len()).over("key"))
    width = int(members["pos"].max() or 0) + 1  # type: ignore[arg-type]
    matrix = np.full((len(keys) + 1, width), pad, dtype=np.int64)
    if members.height:
        matrix[members["key"].to_numpy(), members["pos"].to_numpy()] = members["la"].to_numpy()
    focal = spec.focal.filter(pl.col("la_code").is_in(codes) & pl.col("key").is_in(keys)).select(
        la=_position(pl.col("la_code"), codes), key=_position(pl.col("key"), keys)
    )
    focal_key = np.full(pad + 1, len(keys), dtype=np.int64)
    if focal.height:
        focal_key[focal["la"].to_numpy()] = focal["key"].to_numpy()
    return focal_key, matrix


def _position(column: pl.Expr, values: list[str]) -> pl.Expr:
    """Each value's index in `values` (which must hold them all)."""
    return column.replace_strict(values, list(range(len(values))), return_dtype=pl.Int64)


def _with_groups(
    common: pl.DataFrame,
    base: pl.DataFrame,
    codes: list[str],
    specs: Sequence[GroupSpec],
    method: str,
) -> pl.DataFrame:
    """The common statistics repeated for each group (in order), with its comparators."""
    dense = Dense.from_base(base, len(codes))
    common = common.sort("la_code", "indicator", "year")
    row, col, mult = (
        common["_row"].to_numpy(),
        common["_col"].to_numpy(),
        common["multiplier"].to_numpy(),
    )
    comp = pl.col("comparator")
    lo, hi = pl.col("ci_low"), pl.col("ci_high")
    known = comp.is_not_null() & lo.is_not_null() & hi.is_not_null()
    blocks = []
    for spec in specs:
        arrays = comparators(dense, codes, spec)
        labels = dict(spec.focal.select("la_code", "group_label").iter_rows())
        blocks.append(
            common.with_columns(
                pl.Series("comparator_mean", arrays["comparator_mean"][row, col]).fill_nan(None),
                pl.Series("comparator_median", arrays["comparator_median"][row, col]).fill_nan(
                    None
                ),
                pl.Series(
                    "comparator_pooled", arrays["comparator_pooled"][row, col] * mult
                ).fill_nan(None),
                pl.Series("comparator_n", arrays["comparator_n"][row, col], dtype=pl.Int32),
                group=pl.lit(spec.name),
                group_label=pl.col("la_code").replace_strict(
                    labels, default=None, return_dtype=pl.String
                ),
                comparator_method=pl.lit(method),
            )
            .with_columns(comparator=pl.col(f"comparator_{method}"))
            .with_columns(
                significant=pl.when(known).then((comp < lo) | (comp > hi)),
                significance=pl.when(~known)
                .then(None)
                .when(comp < lo)
                .then(pl.lit("significantly higher"))
                .when(comp > hi)
                .then(pl.lit("significantly lower"))
                .otherwise(pl.lit("not significantly different")),
            )
            .select(COLUMNS)
        )
    return pl.concat(blocks, how="vertical")


def _funnel_position() -> pl.Expr:
    v = pl.col("value")
    return (
        pl.when(v.is_null() | pl.col("funnel95_low").is_null())
        .then(None)
        .when(v > pl.col("funnel998_high"))
        .then(pl.lit("above 99.8% limit"))
        .when(v > pl.col("funnel95_high"))
        .then(pl.lit("above 95% limit"))
        .when(v < pl.col("funnel998_low"))
        .then(pl.lit("below 99.8% limit"))
        .when(v < pl.col("funnel95_low"))
        .then(pl.lit("below 95% limit"))
        .otherwise(pl.lit("within 95% limits"))
    )


class _CallableModule(types.ModuleType):
    """Lets `benchmarks.compare(bundle, la=...)` call `compare()` while
    `benchmarks.compare.comparison_table` still names this module's functions."""

    def __call__(self, *args: Any, **kwargs: Any) -> pl.DataFrame:
        return compare(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
