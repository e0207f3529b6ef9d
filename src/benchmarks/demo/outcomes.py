"""The outcome files of *Children looked after in England including adoptions* in the EES
layout: placement stability, and care leavers' activity and accommodation.

Each file has two filter columns and, per row, a count with that count as a whole-number
percentage of its group's total. As published:

* 155 units every year, with all-z rows for authorities that did not exist on 31 March
  (the units of the children looked after file);
* authority counts of 1 to 5 are c, and so is their percentage, except in the rows that
  say how many young people the authority has no information about, where small counts
  are published; a share of a published count above 0 that rounds to 0% is k;
* a percentage of a zero total is z (the Isles of Scilly have no children looked after);
* England and regional counts are rounded to the nearest 10, and every percentage is
  worked out from the unrounded counts and rounded half up;
* care leavers' "In training or employment" is split into apprenticeships and the rest
  from 2022 (z before; the unsplit row is z from 2022).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from benchmarks.demo.ees import EES_ID_CLA, FILTER_SEP, EesFile, Values, mar31, pct, split
from benchmarks.demo.looked_after import cla_units
from benchmarks.demo.places import Authority, by_code
from benchmarks.demo.world import CLA_TYPES, World, cla_count
from benchmarks.sources import outcomes as published

YEARS = range(2021, 2026)
#: Hidden keys of a row's counts: the numerator and total of its percentage. They are
#: summed unrounded for England and the regions, and never written.
NUM, DEN = "_n", "_d"
EXACT = frozenset({NUM, DEN})

LONG_TERM = published.LONG_TERM_GROUP
STABILITY_FILTERS = {
    (LONG_TERM, "Living with the same carer for at least 2 years"): "long_term",
    (LONG_TERM, "Total children"): "long_term_total",
    (published.CLA_2_YEARS, "Total children"): "two_year_total",
    (published.CLA_2_YEARS, "With 3 or more placements during the previous 2 years"): "two_year",
    (published.CLA_GROUP, "Total children"): "cla_total",
    (published.CLA_GROUP, "With 3 or more placements during the year"): "three_plus",
}
#: Each stability count's group total.
STABILITY_TOTALS = {
    "long_term": "long_term_total",
    "long_term_total": "long_term_total",
    "two_year_total": "two_year_total",
    "two_year": "two_year_total",
    "cla_total": "cla_total",
    "three_plus": "cla_total",
}

EDUCATION = "Education other than higher education"
HIGHER = "Higher education i.e. studies beyond A level"
APPRENTICESHIP = "In an apprenticeship"
TRAINING = "In training or employment"
TRAINING_EXCL = "In training or employment (excl. apprenticeship)"
NEET_PARTS = (
    "Not in education, training or employment, owing to illness or disability",
    "Not in education, training or employment, owing to other reasons",
    "Not in education, training or employment, owing to pregnancy or parenting",
)
NOT_KNOWN = "Total information not known"
NEET = "Total not in education, employment or training"
NO_INFORMATION = "No information"
UNSUITABLE = "Accommodation considered unsuitable"
#: Rows whose small counts are published (so a count of 1 can show a k percentage).
SMALL_PUBLISHED = {NOT_KNOWN, NO_INFORMATION}

AGES = tuple(published.AGES)  # "17 to 18 years", "19 to 21 years"
#: Typical shares for the invented care leavers, by age group.
EET_CENTRE = {AGES[0]: 64.0, AGES[1]: 55.0}
SUITABLE_CENTRE = {AGES[0]: 91.0, AGES[1]: 88.0}
LEAVERS_PER_CLA = {AGES[0]: (0.13, 0.2), AGES[1]: (0.32, 0.48)}
#: The chance that a large authority has no information on exactly one care leaver aged
#: 19-21: that count of 1 is published with a k percentage (a share below 0.5%).
ONE_NOT_KNOWN = 0.04


def _key(*parts: str) -> str:
    return FILTER_SEP.join(parts)


def _share(counts: dict[str, float], count_column: str, percent_column: str) -> Values:
    """The percentage of a row's count (k when a count above 0 rounds to 0%); z on both
    columns for a row with no counts (a breakdown the year did not have)."""
    if NUM not in counts:
        return {count_column: "z", percent_column: "z"}
    share = pct(counts[NUM], counts[DEN], 0)
    if share == 0 and counts[NUM] > 0:
        share = "k"
    return {percent_column: share}


def _marked(count: float, count_column: str, percent_column: str, *, small: bool) -> Values:
    """c on a count of 1 to 5 (and its percentage) unless `small` counts are published."""
    if not small and 0 < count <= 5:
        return {count_column: "c", percent_column: "c"}
    return {}


def _not_existing(columns: tuple[str, str]) -> Values:
    return dict.fromkeys(columns, "z")


def specs(world: World) -> list[EesFile]:
    """The three outcome files, generated from the same invented world as the CLA file."""
    w = world

    def exists(a: Authority, year: int) -> bool:
        return a.code in by_code(mar31(year))

    @cache
    def stability(code: str, year: int) -> dict[str, float]:
        cla = float(cla_count(w, code, year, CLA_TYPES[1]))
        r = w.rng("stability", code, year)
        three = w.level(code, "placements3", year, centre=10, spread=0.25, low=4, high=20)
        two_total = round(cla * r.uniform(0.68, 0.78))
        two = w.level(code, "placements3_2y", year, centre=23, spread=0.2, low=12, high=35)
        long_total = round(cla * r.uniform(0.3, 0.4))
        same = w.level(code, "long_term", year, centre=69, spread=0.08, low=50, high=85)
        return {
            "cla_total": cla,
            "three_plus": float(round(cla * three / 100)),
            "two_year_total": float(two_total),
            "two_year": float(round(two_total * two / 100)),
            "long_term_total": float(long_total),
            "long_term": float(round(long_total * same / 100)),
        }

    def stability_values(
        a: Authority, year: int, flt: str
    ) -> tuple[dict[str, float] | None, Values]:
        columns = ("children_count", "children_percent")
        if not exists(a, year):
            return None, _not_existing(columns)
        group, label = flt.split(FILTER_SEP)
        part = STABILITY_FILTERS[(group, label)]
        n = stability(a.code, year)
        count, total = n[part], n[STABILITY_TOTALS[part]]
        counts = {"children_count": count, NUM: count, DEN: total}
        return counts, _marked(count, *columns, small=False)

    @cache
    def leavers(code: str, year: int) -> dict[str, dict[str, float]]:
        """Every activity and accommodation count of one authority and year, by age."""
        cla = float(cla_count(w, code, year, CLA_TYPES[1]))
        out: dict[str, dict[str, float]] = {}
        for age in AGES:
            r = w.rng("leavers", code, year, age)
            low, high = LEAVERS_PER_CLA[age]
            total = round(cla * r.uniform(low, high))
            eet_share = w.level(
                code, f"eet {age}", year, centre=EET_CENTRE[age], spread=0.12, low=35, high=85
            )
            # a few large authorities lost touch with just one young person (k, as published)
            rare = age == AGES[1] and total > 200 and r.random() < ONE_NOT_KNOWN
            not_known = 1 if rare else round(total * r.uniform(0.007, 0.05))
            eet = min(total - not_known, round(total * eet_share / 100))
            neet = total - eet - not_known
            education, higher, apprentice, work = split(
                eet, [r.uniform(0.4, 0.6), r.uniform(0.05, 0.2), 0.05, r.uniform(0.15, 0.3)]
            )
            neet_parts = split(neet, [r.uniform(0.1, 0.2), r.uniform(0.6, 0.8), 0.08])
            counted = total - round(total * r.uniform(0.0, 0.03))  # abroad, not known, ...
            suitable_share = w.level(
                code,
                f"suitable {age}",
                year,
                centre=SUITABLE_CENTRE[age],
                spread=0.03,
                low=70,
                high=99,
            )
            rare = age == AGES[1] and counted > 200 and r.random() < ONE_NOT_KNOWN
            no_info = 1 if rare else round(counted * r.uniform(0.007, 0.06))
            suitable = min(counted - no_info, round(counted * suitable_share / 100))
            out[age] = {
                "Total": float(total),
                published.EET: float(eet),
                EDUCATION: float(education),
                HIGHER: float(higher),
                APPRENTICESHIP: float(apprentice),
                TRAINING: float(apprentice + work),
                TRAINING_EXCL: float(work),
                **{k: float(v) for k, v in zip(NEET_PARTS, neet_parts, strict=True)},
                NEET: float(neet),
                NOT_KNOWN: float(not_known),
                published.SUITABLE: float(suitable),
                UNSUITABLE: float(counted - no_info - suitable),
                NO_INFORMATION: float(no_info),
                published.SUITABILITY_TOTAL: float(counted),
            }
        return out

    leaver_columns = ("care_leaver_count", "care_leaver_percent")

    def leaver_values(
        total_of: str, breakdowns_absent: Callable[[int], set[str]]
    ) -> Callable[[Authority, int, str], tuple[dict[str, float] | None, Values]]:
        def values(a: Authority, year: int, flt: str) -> tuple[dict[str, float] | None, Values]:
            age, breakdown = flt.split(FILTER_SEP)
            if not exists(a, year) or breakdown in breakdowns_absent(year):
                return None, _not_existing(leaver_columns)
            n = leavers(a.code, year)[age]
            count, total = n[breakdown], n[total_of]
            counts = {"care_leaver_count": count, NUM: count, DEN: total}
            fixed = _marked(count, *leaver_columns, small=breakdown in SMALL_PUBLISHED)
            if breakdown == published.SUITABLE and 0 < n[UNSUITABLE] <= 5:
                fixed = dict.fromkeys(leaver_columns, "c")  # else total - the rest shows it
            return counts, fixed

        return values

    def activity_absent(year: int) -> set[str]:
        return {APPRENTICESHIP, TRAINING_EXCL} if year <= 2021 else {TRAINING}

    def leaver_share(n: dict[str, float], _: str) -> Values:
        return _share(n, *leaver_columns)

    return [
        EesFile(
            "outcomes/la_cla_placement_stability.csv",
            EES_ID_CLA,
            "",
            [_key(*f) for f in STABILITY_FILTERS],
            {"children_count": 0, "children_percent": 0},
            YEARS,
            mar31,
            stability_values,
            lambda n, _: _share(n, "children_count", "children_percent"),
            units=cla_units,
            exact=EXACT,
            bom=True,
            filter_columns=published.PLACEMENT_FILTERS,
        ),
        EesFile(
            "outcomes/la_care_leavers_activity.csv",
            EES_ID_CLA,
            "",
            [_key(age, b) for age in AGES for b in sorted(published.ACTIVITY_BREAKDOWNS)],
            dict.fromkeys(leaver_columns, 0),
            YEARS,
            mar31,
            leaver_values("Total", activity_absent),
            leaver_share,
            units=cla_units,
            exact=EXACT,
            bom=True,
            filter_columns=published.CARE_LEAVER_FILTERS,
        ),
        EesFile(
            "outcomes/la_care_leavers_accommodation_suitability.csv",
            EES_ID_CLA,
            "",
            [_key(age, b) for age in AGES for b in sorted(published.ACCOMMODATION_BREAKDOWNS)],
            dict.fromkeys(leaver_columns, 0),
            YEARS,
            mar31,
            leaver_values(published.SUITABILITY_TOTAL, lambda _: set()),
            leaver_share,
            units=cla_units,
            exact=EXACT,
            filter_columns=published.CARE_LEAVER_FILTERS,
        ),
    ]
