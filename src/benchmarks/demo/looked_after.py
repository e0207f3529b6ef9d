"""Children looked after (number and rate per 10,000 children) in the EES layout.

155 units every year, z where an authority did not exist on 31 March.
"""

from __future__ import annotations

from benchmarks.demo.ees import EES_ID_CLA, EesFile, Values, mar31
from benchmarks.demo.files import half_up
from benchmarks.demo.places import Authority, by_code, units_at
from benchmarks.demo.world import CLA_TYPES, World, cla_count


def cla_units(year: int) -> list[Authority]:
    """The 155 units of the looked-after files (2021-2025): every authority that existed
    on any 31 March of those years, so each year has all-z rows for the ones that did not."""
    latest: dict[str, Authority] = {}
    for y in range(2021, 2026):
        for a in units_at(mar31(y)):
            latest[a.code] = a
    return sorted(latest.values(), key=lambda a: (a.ees_region[0], a.ons))


def spec(world: World) -> EesFile:
    """demand/cla_number_and_rate_per_10k_children.csv."""
    w = world

    def pop(a: Authority, year: int) -> float:
        return w.population(a.code, year)

    def cla(
        a: Authority, year: int, population_type: str
    ) -> tuple[dict[str, float] | None, Values]:
        if a.code not in by_code(mar31(year)):
            return None, {"population_estimate": "x", "children_count": "z", "rate_per_10000": "z"}
        counts = {
            "population_estimate": pop(a, year - 1),
            "children_count": float(cla_count(w, a.code, year, population_type)),
        }
        fixed: Values = {}
        if a.code == "420":  # as published for the Isles of Scilly
            fixed = {"children_count": "z", "rate_per_10000": "z"}
        elif 0 < counts["children_count"] <= 5:
            fixed = {"children_count": "c", "rate_per_10000": "c"}
        return counts, fixed

    def cla_derive(n: dict[str, float], _: str) -> Values:
        return {
            "rate_per_10000": "z"
            if not n["population_estimate"]
            else half_up(n["children_count"] / n["population_estimate"] * 1e4)
        }

    return EesFile(
        "demand/cla_number_and_rate_per_10k_children.csv",
        EES_ID_CLA,
        "population_type",
        CLA_TYPES,
        {"population_estimate": 0, "children_count": 0, "rate_per_10000": 0},
        range(2021, 2026),
        mar31,
        cla,
        cla_derive,
        units=cla_units,
        bom=True,
        exact=frozenset({"population_estimate"}),
    )
