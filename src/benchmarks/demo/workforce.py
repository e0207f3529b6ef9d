"""The social work workforce files in the EES layout.

- workforce/csww_indicators_2017_to_2025.csv: the children's social work workforce at
  30 September, joint returns (e.g. Kingston and Richmond) as one row;
- workforce/la_cla_swcount.csv: children looked after on 31 March 2024 who had 3 or more
  social workers during the year.
"""

from __future__ import annotations

import math
from datetime import date

from benchmarks.demo.ees import (
    EES_ID,
    EES_ID_CLA,
    EesFile,
    Values,
    all_marked,
    mar31,
    pct,
)
from benchmarks.demo.files import half_up
from benchmarks.demo.places import JOINT_RETURNS, Authority, units_at
from benchmarks.demo.world import CLA_TYPES, World, cla_count

SW_STABILITY = ["Total children", "3 or more social workers during the year"]
CSWW = {
    "inpost_fte": 1, "inpost_headcount": 0, "starters_fte": 1, "starters_headcount": 0,
    "leavers_fte": 1, "leavers_headcount": 0, "turnover_rate_fte": 1, "turnover_rate_headcount": 1,
    "agency_fte": 1, "agency_headcount": 0, "agency_rate_fte": 1, "agency_rate_headcount": 1,
    "agency_cover_fte": 1, "agency_cover_rate_fte": 1, "vacancy_fte": 1, "vacancy_rate_fte": 1,
    "vacancy_agency_cover_rate_fte": 1, "case_holders_fte": 1, "cases": 0, "caseload_fte": 1,
    "working_days_lost_fte": 1, "absence_rate_fte": 1,
}  # fmt: skip
WORKING_DAYS = 253


def csww_units(year: int) -> list[Authority]:
    """Authorities with a workforce row at 30 September: joint returns merged into one."""
    alive = {a.code: a for a in units_at(date(year, 9, 30))}
    for first, second, since in JOINT_RETURNS:
        if year >= since and first in alive and second in alive:
            a, b = alive.pop(first), alive.pop(second)
            alive[f"{first} / {second}"] = Authority(
                f"{a.code} / {b.code}", f"{a.ons} / {b.ons}", f"{a.name} / {b.name}",
                a.lait_type, a.region, None, None,
            )  # fmt: skip
    return sorted(alive.values(), key=lambda a: (a.ees_region[0], a.name))


def csww_counts(world: World, code: str, year: int) -> dict[str, float]:
    """Invented workforce counts for one authority (FTE to 1 dp, as published)."""
    if " / " in code:
        parts = [csww_counts(world, c, year) for c in code.split(" / ")]
        return {k: half_up(sum(p[k] for p in parts), CSWW[k]) for k in parts[0]}
    r = world.rng("csww", code, year)
    level = world.level
    if code == "420":
        inpost = 2.0
    else:
        per_child = (
            0.0030 * math.exp(world.rng("csww_size", code).gauss(0, 0.15)) * 1.015 ** (year - 2017)
        )
        inpost = world.population(code, year) * per_child
    turnover = level(code, "turnover", year, centre=15, spread=0.3, low=5, high=30)
    agency = level(code, "agency", year, centre=14, spread=0.55, low=0.5, high=40)
    vacancy = level(code, "vacancy", year, centre=16, spread=0.45, low=3, high=35)
    caseload = level(code, "caseload", year, centre=16, spread=0.15, low=10, high=24)
    absence = level(code, "absence", year, centre=3.3, spread=0.3, low=1, high=6)
    n = {"inpost_fte": inpost, "leavers_fte": inpost * turnover / 100}
    n["starters_fte"] = n["leavers_fte"] * r.uniform(0.8, 1.3)
    n["agency_fte"] = 0.3 if code == "394" and year >= 2023 else inpost * agency / (100 - agency)
    n["vacancy_fte"] = inpost * vacancy / (100 - vacancy)
    n["agency_cover_fte"] = min(n["agency_fte"], n["vacancy_fte"]) * r.uniform(0.6, 1.0)
    n["case_holders_fte"] = inpost * r.uniform(0.55, 0.72)
    n = {k: half_up(v, 1) for k, v in n.items()}
    n["cases"] = float(round(n["case_holders_fte"] * caseload))
    n["working_days_lost_fte"] = half_up(n["inpost_fte"] * WORKING_DAYS * absence / 100, 1)
    for kind in ("inpost", "starters", "leavers", "agency"):
        n[f"{kind}_headcount"] = float(math.ceil(n[f"{kind}_fte"] * r.uniform(1.02, 1.08)))
    return n


def csww_derive(n: dict[str, float], _: str = "") -> Values:
    """The published rates, from the published counts."""
    return {
        "turnover_rate_fte": pct(n["leavers_fte"], n["inpost_fte"]),
        "turnover_rate_headcount": pct(n["leavers_headcount"], n["inpost_headcount"]),
        "agency_rate_fte": pct(n["agency_fte"], n["agency_fte"] + n["inpost_fte"]),
        "agency_rate_headcount": pct(
            n["agency_headcount"], n["agency_headcount"] + n["inpost_headcount"]
        ),
        "agency_cover_rate_fte": pct(n["agency_cover_fte"], n["agency_fte"]),
        "vacancy_rate_fte": pct(n["vacancy_fte"], n["vacancy_fte"] + n["inpost_fte"]),
        "vacancy_agency_cover_rate_fte": pct(n["agency_cover_fte"], n["vacancy_fte"]),
        "caseload_fte": "z"
        if not n["case_holders_fte"]
        else half_up(n["cases"] / n["case_holders_fte"], 1),
        "absence_rate_fte": pct(n["working_days_lost_fte"], n["inpost_fte"] * WORKING_DAYS),
    }


def csww_spec(world: World) -> EesFile:
    def values(a: Authority, year: int, _: str) -> tuple[dict[str, float], Values]:
        counts = csww_counts(world, a.code, year)
        fixed: Values = {}
        if a.code in {"207", "213"} and year == 2025:  # not submitted
            fixed = all_marked(CSWW, "x")
        elif a.code == "394" and year >= 2023:  # a positive number that rounds to zero
            fixed = all_marked(["agency_fte", "agency_rate_fte", "agency_cover_fte"], "low")
        elif a.code == "330" and year == 2024:  # withheld: low reliability
            fixed = all_marked(
                [c for c in CSWW if c.startswith(("agency", "case", "working", "absence"))], "u"
            )
            fixed.update({"vacancy_agency_cover_rate_fte": "u", "cases": "u"})
        elif a.code == "420" and year <= 2018:
            fixed = {"working_days_lost_fte": "c", "absence_rate_fte": "c"}
        return counts, fixed

    return EesFile(
        "workforce/csww_indicators_2017_to_2025.csv", EES_ID, "", [], CSWW, range(2017, 2026),
        lambda y: date(y, 9, 30), values, csww_derive, round_to=None, units=csww_units,
    )  # fmt: skip


def swcount_spec(world: World) -> EesFile:
    """workforce/la_cla_swcount.csv: children looked after with 3 or more social workers."""
    w = world

    def swcount(a: Authority, year: int, stability: str) -> tuple[dict[str, float] | None, Values]:
        total = cla_count(w, a.code, year, CLA_TYPES[1])
        three = round(
            total
            * w.level(a.code, "sw_stability", year, centre=17, spread=0.35, low=5, high=40)
            / 100
        )
        number = total if stability == SW_STABILITY[0] else three
        if a.code == "302":  # not available
            return None, {"number": "x", "percentage": "x"}
        if a.code == "420":
            return {"number": 0.0, "total": 0.0}, {
                "number": 0 if stability == SW_STABILITY[0] else "z",
                "percentage": "z",
            }
        return {"number": float(number), "total": float(total)}, {}

    def swcount_derive(n: dict[str, float], stability: str) -> Values:
        return {"percentage": pct(n["number"], n["total"], 0)}

    return EesFile(
        "workforce/la_cla_swcount.csv",
        EES_ID_CLA,
        "sw_stability",
        SW_STABILITY,
        {"number": 0, "percentage": 0},
        [2024],
        mar31,
        swcount,
        swcount_derive,
        bom=True,
        extra_filters=[("cla_group", "CLA on 31 March")],
    )
