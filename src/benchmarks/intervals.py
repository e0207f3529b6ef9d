"""Uncertainty: confidence intervals and funnel limits for proportions and rates.

* **Intervals** (95%): Wilson score intervals for proportions (numerator k out of
  denominator n; a k above n, possible with FTE flows, is treated as 100%) and exact
  Poisson (Garwood, gamma quantiles) intervals for counts, divided by the denominator
  for rates per 10,000.
* **Funnel limits** around the ENGLAND value for an authority's own denominator, at 95%
  and 99.8%: the normal approximation to the binomial for proportions, and exact Poisson
  quantiles with Spiegelhalter's (2005) interpolation for rates.

The functions take and return NumPy arrays (NaN where undefined); `add_uncertainty` puts
them on the comparison's frame (see `benchmarks.comparison`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
from scipy import special

LEVEL95, LEVEL998 = 0.95, 0.998


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


def add_uncertainty(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ci_low/ci_high and the funnel limits, in the indicator's units.

    `frame` needs `interval` ("wilson", "poisson" or null), `value`, numerator `k`,
    denominator `n`, `multiplier` and `england` (the funnels' centre). Computed only on the
    rows that have an interval method, a value and a denominator.
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


def funnel_position() -> pl.Expr:
    """Where `value` lies against the funnel limits, in words ("above 99.8% limit" ...)."""
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
