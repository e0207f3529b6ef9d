"""Readers for the children in need and child protection files (b1, c1, c3, c4, d3, d5).

The 2025 release publishes counts only. The rates per 10,000 children (including the
assessment factors of c3), the ICPC timeliness rate and the ICPC conversion rate are
recomputed by DfE's formula in `add_population_rates`.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from benchmarks.indicators import Indicator, catalogue
from benchmarks.schema import OBSERVATION_SCHEMA, conform
from benchmarks.sources import _ees

#: The one `category` value each file holds; another value raises DataError.
CATEGORIES = {
    "cin_b1": "Children in Need",
    "cin_c1": "Referrals and Re-referrals",
    "cin_c3": "Factors identified at the end of assessment",
    "cin_c4": "Section 47s and Initial Child Protection Conferences",
    "cin_d3": "Child Protection Plans which are a second or subsequent plan",
    "cin_d5": "Child Protection Plans by length of time",
}

#: c4 working days from strategy discussion to ICPC, in band order. The first two bands
#: are "within 15 working days".
ICPC_BANDS = [
    "Duration_0-10_days",
    "Duration_11-15_days",
    "Duration_16-20_days",
    "Duration_21+_days",
]

#: Indicators recomputed here: catalogue rates with no published column.
RECOMPUTED = [
    i for i in catalogue().values() if i.source in CATEGORIES and i.column is None and i.is_rate
]

_KEYS = ["la_code", "la_name", "year", "level", "joint_code"]


def _read(path: str | Path, source: str, extra: dict[str, str] | None = None) -> pl.DataFrame:
    layout: _ees.Layout = {
        (CATEGORIES[source],): {**_ees.catalogue_columns(source), **(extra or {})}
    }
    return _ees.read_observations(path, layout, source=source, filters=("category",))


def _conform(frame: pl.DataFrame, path: str | Path, source: str) -> pl.DataFrame:
    return conform(frame, OBSERVATION_SCHEMA, name=f"{source} observations from {path}")


def read_b1(path: str | Path) -> pl.DataFrame:
    """Children in need at 31 March and episodes starting (b1_children_in_need_*.csv)."""
    return _conform(_read(path, "cin_b1"), path, "cin_b1")


def read_c1(path: str | Path) -> pl.DataFrame:
    """Referrals, re-referrals and no-further-action (c1_..._referrals_and_rereferrals_*.csv)."""
    return _conform(_read(path, "cin_c1"), path, "cin_c1")


def read_c3(path: str | Path) -> pl.DataFrame:
    """Factors identified at the end of assessment (c3_factors_identified_at_end_of_assessment_*.csv).

    Keeps the episode counts of the catalogue's factors (domestic abuse and mental health
    of a parent, neglect, child criminal exploitation, going missing); their rates per
    10,000 children come from `add_population_rates`. The file has no rate column.
    """
    return _conform(_read(path, "cin_c3"), path, "cin_c3")


def read_c4(path: str | Path) -> pl.DataFrame:
    """Section 47 enquiries and ICPCs (c4_..._section_47s_and_icpcs_*.csv).

    Besides the published columns, adds `icpc_within_15_days_count` (0-10 + 11-15 day
    bands) and `icpc_timed_count` (all four bands). A sum is null with the marker of the
    first band that has one (e.g. "c") when any of its bands is not a number.
    """
    bands = {column: f"_band{i}" for i, column in enumerate(ICPC_BANDS)}
    frame = _read(path, "cin_c4", bands)
    is_band = pl.col("indicator").is_in(list(bands.values()))
    band_rows = frame.filter(is_band)
    sums = pl.concat(
        [
            _sum_rows(band_rows, list(bands.values())[:2], "icpc_within_15_days_count"),
            _sum_rows(band_rows, list(bands.values()), "icpc_timed_count"),
        ]
    )
    return _conform(pl.concat([frame.filter(~is_band), sums], how="diagonal"), path, "cin_c4")


def read_d3(path: str | Path) -> pl.DataFrame:
    """Child protection plans starting and second or subsequent plans (d3_cpps_*.csv)."""
    return _conform(_read(path, "cin_d3"), path, "cin_d3")


def read_d5(path: str | Path) -> pl.DataFrame:
    """Children on a child protection plan at 31 March and by length (d5_cpps_*.csv)."""
    return _conform(_read(path, "cin_d5"), path, "cin_d5")


def _sum_rows(rows: pl.DataFrame, parts: list[str], indicator: str) -> pl.DataFrame:
    """One row per authority-year summing the `parts` indicators; a marker in any part wins."""
    return (
        rows.filter(pl.col("indicator").is_in(parts))
        .sort([*_KEYS[:3], pl.col("indicator").replace_strict(parts, list(range(len(parts))))])
        .group_by(_KEYS, maintain_order=True)
        .agg(
            pl.col("status").drop_nulls().first(),
            pl.col("value").sum(),
            pl.col("source").first(),
        )
        .with_columns(
            value=pl.when(pl.col("status").is_null()).then(pl.col("value")),
            indicator=pl.lit(indicator),
        )
    )


def round_half_up(
    numerator: pl.Expr, denominator: pl.Expr, scale: float, decimals: int | None
) -> pl.Expr:
    """numerator / denominator x scale, rounded half up ("round five up") to `decimals`.

    The quotient is formed in one division of numerator x scale x 10^decimals, so an exact
    half (e.g. 1203 / 120000 x 10000 = 100.25) is exact in floating point and rounds up
    to 100.3; dividing first and rounding with polars' half_away_from_zero gives 100.2.
    Intended for non-negative counts.
    """
    if decimals is None:
        return numerator * scale / denominator
    factor = 10.0**decimals
    steps = (numerator * (scale * factor) / denominator + 0.5).floor()
    # polars may divide a column by a scalar as a multiplication by its reciprocal
    # (63 x 0.1 = 6.300000000000001); the final round only removes that last-bit error
    return (steps / factor).round(decimals)


def _rate_rows(indicator: Indicator, obs: pl.DataFrame, pool: pl.DataFrame) -> pl.DataFrame:
    """Rows of one recomputed rate: numerator from `obs`, denominator from `pool`.

    The denominator is read for year T - population_lag. Status: the numerator's marker,
    else the denominator's, else "missing" when there is no denominator row, else "z"
    when the denominator is zero.
    """
    (denominator_id,) = indicator.denominator
    numerator = obs.filter(pl.col("indicator") == indicator.numerator)
    denominator = pool.filter(pl.col("indicator") == denominator_id).select(
        "la_code",
        year=pl.col("year") + indicator.population_lag,
        den_value=pl.col("value"),
        den_status=pl.col("status"),
        den_found=pl.lit(True),
    )
    joined = numerator.join(denominator, on=["la_code", "year"], how="left")
    status = (
        pl.when(pl.col("status").is_not_null())
        .then(pl.col("status"))
        .when(pl.col("den_status").is_not_null())
        .then(pl.col("den_status"))
        .when(pl.col("den_found").is_null())
        .then(pl.lit("missing"))
        .when(pl.col("den_value") == 0)
        .then(pl.lit("z"))
    )
    rate = round_half_up(
        pl.col("value"), pl.col("den_value"), indicator.multiplier, indicator.decimals
    )
    return joined.with_columns(status=status).with_columns(
        value=pl.when(pl.col("status").is_null()).then(rate),
        indicator=pl.lit(indicator.id),
        source=pl.lit(indicator.source),
    )


def add_population_rates(obs: pl.DataFrame, population: pl.DataFrame) -> pl.DataFrame:
    """Append the recomputed CIN/CP rates to observations from the b1/c1/c3/c4/d5 readers.

    Rates per 10,000 (cin, referral, s47, icpc, cpp, assessment factors) divide the
    count for year T by `population_0_17` of mid-year T-1 (the catalogue's
    population_lag), joined on the 3-digit `la_code` (England and regions use their own
    rows), x 10,000, 1 decimal place rounded half up as DfE publishes. `icpc_timeliness_rate` divides
    `icpc_within_15_days_count` by `icpc_timed_count` x 100 and `icpc_s47_conversion_rate`
    `icpc_count` by `s47_count` x 100 (same year). A rate is null with the
    numerator's marker (or else the denominator's) when either is not a number.
    Rows of these rates already in `obs` are replaced; `obs` may also hold the
    population rows (they pass through, and `population` supplies the denominators).
    """
    ids = [i.id for i in RECOMPUTED]
    base = obs.filter(~pl.col("indicator").is_in(ids))
    # denominators: population_0_17 from `population` (even if `obs` holds it too), the
    # rest (icpc_timed_count, s47_count) from `obs`
    wanted = pl.col("indicator").is_in([d for i in RECOMPUTED for d in i.denominator])
    from_population = pl.col("indicator").is_in(population["indicator"].unique().to_list())
    pool = pl.concat([base.filter(wanted & ~from_population), population.filter(wanted)])
    repeated = pool.filter(~pl.struct("la_code", "year", "indicator").is_first_distinct())
    if repeated.height:
        first = repeated.row(0, named=True)
        raise ValueError(
            f"more than one {first['indicator']} row for {first['la_code']} in {first['year']}"
        )
    rates = [_rate_rows(indicator, base, pool) for indicator in RECOMPUTED]
    frame = pl.concat([base, *[r.select(OBSERVATION_SCHEMA.names()) for r in rates]])
    return conform(frame, OBSERVATION_SCHEMA, name="children in need observations with rates")
