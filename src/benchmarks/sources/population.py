"""Reader for the ONS mid-year estimates of children aged 0-17 (EES layout)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from benchmarks.schema import OBSERVATION_SCHEMA, conform
from benchmarks.sources import _ees

AGE_GROUP = "Children aged 0 to 17 years"


def read_population(path: str | Path) -> pl.DataFrame:
    """Children aged 0-17 by authority and mid-year as `population_0_17` observations.

    `year` is the mid-year (2024 = mid-2024). Only the 0-17 age group is expected; any
    other `age_group` value raises DataError.
    """
    layout: _ees.Layout = {(AGE_GROUP,): _ees.catalogue_columns("ons_population")}
    frame = _ees.read_observations(path, layout, source="ons_population", filters=("age_group",))
    return conform(frame, OBSERVATION_SCHEMA, name=f"population observations from {path}")
