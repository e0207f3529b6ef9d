"""Readers for the outcome files of *Children looked after in England including adoptions*:
placement stability and care leavers' activity and accommodation.

Each file holds one row per authority, year and breakdown, with a count and that count as
a whole-number percentage of its group's total. The published percentage is the
indicator's value (DfE rounds it half up from unrounded counts); the counts are kept as
numerator and denominator so comparator groups can be pooled. Breakdowns that feed no
indicator are still read and checked (a bad cell there is an error too), then left out.
Markers (c, x, z, u, low, k) are kept in `status` with a null value.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from benchmarks.schema import OBSERVATION_SCHEMA, conform
from benchmarks.sources import _ees

#: Indicator id prefix of rows that are read and checked but feed no indicator.
UNUSED = "_unused"

PLACEMENT_FILTERS = ("cla_group", "placement_stability")
CLA_GROUP = "CLA on 31 March"
CLA_2_YEARS = "CLA 2 years on 31 March"
LONG_TERM_GROUP = (
    "Children looked after continuously for at least 2.5 years on 31 March aged under 16 years"
)
_PLACEMENT_UNUSED = {"children_count": f"{UNUSED}_count", "children_percent": f"{UNUSED}_pct"}
PLACEMENT_LAYOUT: _ees.Layout = {
    (CLA_GROUP, "Total children"): {"children_count": "cla_placement_stability_total"},
    (CLA_GROUP, "With 3 or more placements during the year"): {
        "children_count": "cla_3plus_placements_count",
        "children_percent": "cla_3plus_placements_rate",
    },
    (CLA_2_YEARS, "Total children"): _PLACEMENT_UNUSED,
    (CLA_2_YEARS, "With 3 or more placements during the previous 2 years"): _PLACEMENT_UNUSED,
    (LONG_TERM_GROUP, "Total children"): {"children_count": "cla_long_term_stability_total"},
    (LONG_TERM_GROUP, "Living with the same carer for at least 2 years"): {
        "children_count": "cla_long_term_stability_count",
        "children_percent": "cla_long_term_stability_rate",
    },
}

CARE_LEAVER_FILTERS = ("care_leaver_age", "breakdown")
#: care_leaver_age value -> the suffix of the indicator ids for that age group.
AGES = {"17 to 18 years": "17_18", "19 to 21 years": "19_21"}
_LEAVER_UNUSED = {"care_leaver_count": f"{UNUSED}_count", "care_leaver_percent": f"{UNUSED}_pct"}
EET = "Total in education, employment or training"
ACTIVITY_BREAKDOWNS = (
    "Total",
    EET,
    "Education other than higher education",
    "Higher education i.e. studies beyond A level",
    "In an apprenticeship",
    "In training or employment",
    "In training or employment (excl. apprenticeship)",
    "Total not in education, employment or training",
    "Not in education, training or employment, owing to illness or disability",
    "Not in education, training or employment, owing to other reasons",
    "Not in education, training or employment, owing to pregnancy or parenting",
    "Total information not known",
)
SUITABLE = "Accommodation considered suitable"
SUITABILITY_TOTAL = "Suitability total"
ACCOMMODATION_BREAKDOWNS = (
    SUITABLE,
    "Accommodation considered unsuitable",
    "No information",
    SUITABILITY_TOTAL,
)


def _activity_columns(age: str, breakdown: str) -> dict[str, str]:
    if breakdown == "Total":
        return {"care_leaver_count": f"care_leavers_{age}_total"}
    if breakdown == EET:
        return {
            "care_leaver_count": f"care_leavers_eet_{age}_count",
            "care_leaver_percent": f"care_leavers_eet_{age}_rate",
        }
    return _LEAVER_UNUSED


def _accommodation_columns(age: str, breakdown: str) -> dict[str, str]:
    if breakdown == SUITABILITY_TOTAL:
        return {"care_leaver_count": f"care_leavers_suitability_{age}_total"}
    if breakdown == SUITABLE:
        return {
            "care_leaver_count": f"care_leavers_suitable_accommodation_{age}_count",
            "care_leaver_percent": f"care_leavers_suitable_accommodation_{age}_rate",
        }
    return _LEAVER_UNUSED


ACTIVITY_LAYOUT: _ees.Layout = {
    (label, b): _activity_columns(age, b)
    for label, age in AGES.items()
    for b in ACTIVITY_BREAKDOWNS
}
ACCOMMODATION_LAYOUT: _ees.Layout = {
    (label, b): _accommodation_columns(age, b)
    for label, age in AGES.items()
    for b in ACCOMMODATION_BREAKDOWNS
}


def _read(
    path: str | Path, layout: _ees.Layout, source: str, filters: tuple[str, ...]
) -> pl.DataFrame:
    frame = _ees.read_observations(path, layout, source=source, filters=filters)
    frame = frame.filter(~pl.col("indicator").str.starts_with(UNUSED))
    return conform(frame, OBSERVATION_SCHEMA, name=f"{source} observations from {path}")


def read_placement_stability(path: str | Path) -> pl.DataFrame:
    """Placement stability of children looked after (la_cla_placement_stability.csv).

    Gives `cla_3plus_placements_rate` (published % of children looked after at 31 March
    with 3+ placements in the year) with its count and total, and
    `cla_long_term_stability_rate` (published % of under-16s looked after for 2.5+ years
    living with the same carer for 2+ years) with its count and total. The 2-year group
    is read and checked but not kept. Authorities that did not exist in a year keep
    their all-`z` rows. Any other `cla_group` or `placement_stability` raises DataError.
    """
    return _read(path, PLACEMENT_LAYOUT, "cla_placement_stability", PLACEMENT_FILTERS)


def read_care_leavers_activity(path: str | Path) -> pl.DataFrame:
    """Care leavers' main activity (la_care_leavers_activity.csv).

    Gives `care_leavers_eet_17_18_rate` and `care_leavers_eet_19_21_rate` (published %
    in education, employment or training), their counts and the age groups' totals
    (`care_leavers_17_18_total`, `care_leavers_19_21_total`). The other breakdowns are
    read and checked but not kept. Any other age or breakdown raises DataError.
    """
    return _read(path, ACTIVITY_LAYOUT, "care_leavers_activity", CARE_LEAVER_FILTERS)


def read_care_leavers_accommodation(path: str | Path) -> pl.DataFrame:
    """Care leavers' accommodation (la_care_leavers_accommodation_suitability.csv).

    Gives `care_leavers_suitable_accommodation_17_18_rate` and `..._19_21_rate`
    (published % in accommodation considered suitable), their counts and the
    `Suitability total` of each age group (`care_leavers_suitability_{age}_total`).
    Any other age or breakdown raises DataError.
    """
    return _read(path, ACCOMMODATION_LAYOUT, "care_leavers_accommodation", CARE_LEAVER_FILTERS)
