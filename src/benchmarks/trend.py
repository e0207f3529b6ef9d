"""Recent trend: is an authority's indicator moving, over its last 5 points?

The public-health convention (as in OHID's Fingertips "recent trend"): take the last five
yearly points ending in the row's year, test for a linear trend, and say it in words --
"increasing and getting worse", "decreasing and getting better", "no significant change".

* **Points.** The five consecutive years `year - 4 .. year`, each with a published value,
  numerator `k` and denominator `n` (so a marker in any of them means no trend). A series
  break inside the window (a break year in `year - 3 .. year`) also means no trend: the
  points are not comparable. Such rows get "cannot be calculated".
* **Proportions** (catalogue interval "wilson"): the chi-square test for linear trend in
  proportions (Cochran-Armitage; Altman 1991, pp. 261-265). With time scores t_i,
  N = sum n_i, K = sum k_i, p = K / N, t_bar = sum n_i t_i / N:
  U = sum k_i (t_i - t_bar), V = p (1 - p) sum n_i (t_i - t_bar)^2, X2 = U^2 / V, 1 df.
  A k above n (possible with FTE flows) counts as n, as in the intervals.
* **Rates per 10,000** (interval "poisson"): the score test for the slope of a Poisson
  regression log E[k_i] = log n_i + a + b t_i at b = 0 (the chi-square test for trend in
  rates): the same U, and V = (K / N) sum n_i (t_i - t_bar)^2.
* **Significance**: p < 0.001 (99.9% confidence), stricter than 95% because every
  authority x indicator x year is tested at once. The sign of U gives the direction.
* Indicators with neither interval (counts, caseloads, published-only rates) get no
  trend (null), not "no significant change".
* **worse_and_worsening**: True when the trend is "getting worse" and the value is
  significantly worse than the headline comparator (the comparison table's `significant`,
  read by polarity); False when either is not so; null when either is unknown or the
  indicator has no direction.

`recent_trends(base)` computes the group-independent columns for every LA x indicator x
year at once; `add_recent_trend(table, base)` joins them onto the comparison table and
adds the flag.
"""

from __future__ import annotations

import math

import polars as pl

from benchmarks import indicators

POINTS = 5
LEVEL = 0.999
CANNOT = "cannot be calculated"
NO_CHANGE = "no significant change"
METHODS = ("wilson", "poisson")
TREND_COLUMNS = ["trend_from", "trend_chi2", "trend_p", "recent_trend", "worse_and_worsening"]
_KEY = ["la_code", "indicator", "year"]


def recent_trends(base: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """One row per LA x indicator x year of `base` whose indicator has a test.

    `base` needs `la_code`, `indicator`, `year`, `value`, `k`, `n`, `interval` and
    `polarity` (compare's `la_rows`). Returns `la_code`, `indicator`, `year` and
    `trend_from`, `trend_chi2`, `trend_p`, `recent_trend` (see the module docstring).
    """
    rows = (
        base.lazy()
        .filter(pl.col("interval").is_in(METHODS))
        .select(*_KEY, "value", "k", "n", "interval", "polarity")
    )
    usable = (
        pl.col("value").is_not_null()
        & pl.col("k").is_not_null()
        & pl.col("n").is_not_null()
        & (pl.col("n") > 0)
    )
    points = rows.filter(usable).with_columns(
        k=pl.when(pl.col("interval") == "wilson")
        .then(pl.min_horizontal("k", "n"))
        .otherwise(pl.col("k"))
    )
    # each point takes part in the windows ending in its year and the 4 years after
    windows = (
        points.join(pl.LazyFrame({"ahead": list(range(POINTS))}), how="cross")
        .with_columns(end=pl.col("year") + pl.col("ahead"), t=-pl.col("ahead").cast(pl.Float64))
        .group_by("la_code", "indicator", "end")
        .agg(
            points=pl.len(),
            N=pl.col("n").sum(),
            K=pl.col("k").sum(),
            T=(pl.col("n") * pl.col("t")).sum(),
            T2=(pl.col("n") * pl.col("t") ** 2).sum(),
            KT=(pl.col("k") * pl.col("t")).sum(),
        )
        .rename({"end": "year"})
    )
    breaks = _breaks()
    out = (
        rows.select(*_KEY, "interval", "polarity")
        .join(windows, on=_KEY, how="left")
        .with_columns(trend_from=(pl.col("year") - (POINTS - 1)).cast(pl.Int32))
        .join(breaks.lazy(), on="indicator", how="left")
        .with_columns(broken=_break_in_window())
        .collect(engine="in-memory")
    )
    ss = pl.col("T2") - pl.col("T") ** 2 / pl.col("N")  # sum n (t - t_bar)^2
    u = pl.col("KT") - pl.col("K") * pl.col("T") / pl.col("N")
    p_bar = pl.col("K") / pl.col("N")
    v = pl.when(pl.col("interval") == "wilson").then(p_bar * (1 - p_bar) * ss).otherwise(p_bar * ss)
    complete = (pl.col("points") == POINTS) & ~pl.col("broken")
    out = out.with_columns(
        trend_chi2=pl.when(complete & (v > 0)).then(u**2 / v),
        _up=u > 0,
    )
    out = out.with_columns(
        pl.Series("trend_p", [_chi2_tail_1df(x) for x in out["trend_chi2"]], dtype=pl.Float64)
    )
    return out.with_columns(recent_trend=_words()).select(
        *_KEY, "trend_from", "trend_chi2", "trend_p", "recent_trend"
    )


def _chi2_tail_1df(chi2: float | None) -> float | None:
    """P(X >= chi2) for X chi-squared with 1 degree of freedom: erfc(sqrt(chi2 / 2)),
    as X is Z squared (= scipy.stats.chi2.sf(chi2, 1), without importing scipy and numpy
    in every report kernel: ~0.2 s)."""
    if chi2 is None or math.isnan(chi2):
        return None
    return math.erfc(math.sqrt(chi2 / 2))


def add_recent_trend(table: pl.DataFrame, base: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """The comparison table with `TREND_COLUMNS` appended (null where no test applies)."""
    trends = recent_trends(base)
    polarity = indicators.catalogue_frame().select("indicator", "polarity")
    joined = table.join(trends, on=_KEY, how="left", maintain_order="left").join(
        polarity.rename({"polarity": "_polarity"}),
        on="indicator",
        how="left",
        maintain_order="left",
    )
    side = (
        pl.when(pl.col("_polarity") == "lower_better")
        .then(pl.col("value") > pl.col("comparator"))
        .when(pl.col("_polarity") == "higher_better")
        .then(pl.col("value") < pl.col("comparator"))
        .otherwise(pl.lit(False))
    )
    worsening = pl.col("recent_trend").str.ends_with("getting worse")
    known = (
        pl.col("recent_trend").is_not_null()
        & (pl.col("recent_trend") != CANNOT)
        & (pl.col("_polarity") != "neutral")
    )
    flag = (
        pl.when(~known | pl.col("significant").is_null())
        .then(None)
        .otherwise(worsening & pl.col("significant") & side.fill_null(False))
    )
    return joined.with_columns(worse_and_worsening=flag).drop("_polarity")


def _words() -> pl.Expr:
    """Fingertips-style words from the test, the direction and the polarity."""
    polarity, up = pl.col("polarity"), pl.col("_up")
    moving = pl.when(up).then(pl.lit("increasing")).otherwise(pl.lit("decreasing"))
    better = (polarity == "higher_better") == up
    judged = pl.format(
        "{} and getting {}",
        moving,
        pl.when(better).then(pl.lit("better")).otherwise(pl.lit("worse")),
    )
    return (
        pl.when(pl.col("trend_p").is_null())
        .then(pl.lit(CANNOT))
        .when(pl.col("trend_p") >= 1 - LEVEL)
        .then(pl.lit(NO_CHANGE))
        .when(polarity == "neutral")
        .then(moving)
        .otherwise(judged)
    )


def _breaks() -> pl.DataFrame:
    """Each indicator's series-break years (a list; indicators with none are absent)."""
    rows = [
        {"indicator": i.id, "break_years": [year for year, _ in i.series_breaks]}
        for i in indicators.catalogue().values()
        if i.series_breaks
    ]
    return pl.DataFrame(rows, schema={"indicator": pl.String, "break_years": pl.List(pl.Int32)})


def _break_in_window() -> pl.Expr:
    """True when a series break year falls in trend_from + 1 .. year (not comparable)."""
    first, last = pl.col("trend_from") + 1, pl.col("year")
    return (
        pl.col("break_years")
        .fill_null([])
        .list.set_intersection(pl.int_ranges(first, last + 1, dtype=pl.Int32))
        .list.len()
        > 0
    )
