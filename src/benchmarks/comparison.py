"""The statistics for every authority x indicator x year, in one vectorised pass.

`comparison_table()` takes the bundle's frames and returns one row per local authority,
indicator, year and comparator group. The group statistics are computed in
`benchmarks.comparators`, the intervals and funnel limits in `benchmarks.intervals`. Only local authorities are compared with local
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

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from benchmarks import cache, indicators, trend
from benchmarks.geography import ENGLAND_CODE, REGION_CODES
from benchmarks.groups import DEFAULT_GROUP, GroupSpec, group_spec

if TYPE_CHECKING:
    from benchmarks.panel import Bundle

#: Codes of the publisher's England and region rows; everything else in the panel is an LA.
AGGREGATE_CODES = frozenset({ENGLAND_CODE, *(code for code, _ in REGION_CODES.values())})
METHODS = ("median", "mean", "pooled")
DEFAULT_METHOD = "median"
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
    # numpy and scipy, imported on use: a report kernel reads its table from the cache
    # (`comparison_for`) and skips ~0.2 s of imports.
    from benchmarks.comparators import dense_index
    from benchmarks.intervals import add_uncertainty, funnel_position

    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    names = [group] if isinstance(group, str) else list(group)
    specs = [
        group_spec(authorities, neighbours, inspections, n, partnerships=partnerships)
        for n in names
    ]
    base, codes = dense_index(la_rows(panel, flags).collect(engine="in-memory"))
    plan = _common_statistics(base.lazy(), panel.lazy(), authorities.lazy(), flags.lazy())
    common = add_uncertainty(plan.collect(engine="in-memory"))
    table = _with_groups(
        common.with_columns(funnel_position=funnel_position()), base, codes, specs, method
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

    By default each indicator's latest year for which the authority has a row. With the
    default method the table comes from `comparison_for` (computed once, then cached).
    """
    from benchmarks.geography import resolve_la

    code = resolve_la(bundle.authorities, la)
    if method == DEFAULT_METHOD:
        full = comparison_for(bundle, group, partnerships)
    else:
        full = comparison_for_bundle(bundle, group=group, partnerships=partnerships, method=method)
    table = full.filter(pl.col("la_code") == code)
    if year is None:
        table = indicators.latest_rows(table)
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


def _with_groups(
    common: pl.DataFrame,
    base: pl.DataFrame,
    codes: list[str],
    specs: Sequence[GroupSpec],
    method: str,
) -> pl.DataFrame:
    """The common statistics repeated for each group (in order), with its comparators."""
    from benchmarks.comparators import Dense, comparators

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


# ------------------------------------------------------------------ the comparison cache

_COMPARISONS: dict[str, pl.DataFrame] = {}


def comparison_key(bundle: Bundle, group: str, groups_file: Path | None = None) -> str | None:
    """The comparison's fingerprint: the bundle's input files, the group, the groups file's
    content. None for a bundle that does not say which files it was built from."""
    inputs = cache.bundle_inputs(bundle.meta)
    if not inputs:
        return None
    return cache.fingerprint(
        inputs, result="comparison", group=group, groups_file=cache.optional_file(groups_file)
    )


def comparison_for(bundle: Bundle, group: str, groups_file: Path | None = None) -> pl.DataFrame:
    """Every authority's comparison with `group`, computed once per fingerprint.

    Kept in this process (a pack's kept-alive kernel computes it once) and as parquet in
    BENCHMARKS_HOME/cache/comparison (a single report in a fresh process reads it back).
    """
    from benchmarks import atomic

    key = comparison_key(bundle, group, groups_file)
    if key is None:
        return comparison_for_bundle(bundle, group=group, partnerships=groups_file)
    if key in _COMPARISONS:
        return _COMPARISONS[key]
    cached = cache.folder() / "comparison" / f"{key}.parquet"
    try:
        table = pl.read_parquet(cached)
    except (OSError, pl.exceptions.PolarsError):
        table = comparison_for_bundle(bundle, group=group, partnerships=groups_file)
        try:
            atomic.write_frame(table, cached)
        except OSError:
            pass  # an unwritable cache only costs time
    _COMPARISONS.clear()  # one data version and group at a time
    _COMPARISONS[key] = table
    return table
