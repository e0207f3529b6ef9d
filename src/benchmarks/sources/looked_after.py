"""Reader for children looked after: numbers and rates per 10,000 children."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from benchmarks.schema import OBSERVATION_SCHEMA, conform
from benchmarks.sources import _ees

#: cla_number_and_rate_per_10k_children.csv holds three populations in one set of columns.
#: The rate is kept as published (whole number; its own denominator is in the file).
CLA_LAYOUT: _ees.Layout = {
    ("Children looked after on 31 March each year",): {
        "children_count": "cla_count",
        "population_estimate": "cla_population",
        "rate_per_10000": "cla_rate_per_10k",
    },
    ("Children starting to be looked after each year",): {
        "children_count": "cla_starts_count",
        "rate_per_10000": "cla_starts_rate_per_10k",
    },
    ("Children ceasing to be looked after each year",): {
        "children_count": "cla_ceased_count",
    },
}


def read_cla(path: str | Path) -> pl.DataFrame:
    """Children looked after at 31 March, starting and ceasing, as observations.

    Rows for authorities that did not exist in a year (e.g. Cumbria 2024-25) are kept
    with status "z". Any other `population_type` value raises DataError.
    """
    frame = _ees.read_observations(path, CLA_LAYOUT, source="cla", filters=("population_type",))
    return conform(frame, OBSERVATION_SCHEMA, name=f"cla observations from {path}")
