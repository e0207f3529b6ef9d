"""Readers for the children's social work workforce (CSWW) and the CLA social worker count."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from benchmarks.schema import OBSERVATION_SCHEMA, conform
from benchmarks.sources import _ees

#: la_cla_swcount.csv: two rows per geography, told apart by sw_stability.
CLA_GROUP = "CLA on 31 March"
CLA_SWCOUNT_LAYOUT: _ees.Layout = {
    (CLA_GROUP, "Total children"): {"number": "cla_sw_stability_total"},
    (CLA_GROUP, "3 or more social workers during the year"): {
        "number": "cla_3plus_sw_count",
        "percentage": "cla_3plus_sw_rate",
    },
}


def read_csww(path: str | Path) -> pl.DataFrame:
    """CSWW headline indicators by LA (csww_indicators_*.csv) as observations.

    Every catalogue indicator with source "csww" comes from its published column. The
    combined returns (Kingston/Richmond "314 / 318", North/West Northamptonshire
    "940 / 941") become one row per partner with `joint_code` set.
    """
    layout: _ees.Layout = {(): _ees.catalogue_columns("csww")}
    frame = _ees.read_observations(path, layout, source="csww")
    return conform(frame, OBSERVATION_SCHEMA, name=f"csww observations from {path}")


def read_cla_swcount(path: str | Path) -> pl.DataFrame:
    """Children looked after with 3+ social workers in the year (la_cla_swcount*.csv).

    `Total children` rows give `cla_sw_stability_total`; the `3 or more social workers`
    rows give `cla_3plus_sw_count` (number) and `cla_3plus_sw_rate` (percentage).
    Any other `cla_group` or `sw_stability` value raises DataError.
    """
    frame = _ees.read_observations(
        path, CLA_SWCOUNT_LAYOUT, source="cla_swcount", filters=("cla_group", "sw_stability")
    )
    return conform(frame, OBSERVATION_SCHEMA, name=f"cla_swcount observations from {path}")
