"""The invented world: one profile per authority code, drawn from a seeded generator.

`World(seed)` gives every authority a population, a deprivation and rurality score, and
a steady level (plus yearly noise) for any named rate. The publication writers turn
these into the publishers' counts and rates, so the files agree with one another.
"""

from __future__ import annotations

import math
from functools import cache, cached_property, partial

from benchmarks.demo.draws import Draws
from benchmarks.demo.places import PREDECESSORS, current

#: Typical 0-17 population by LAIT type (low, high) for the invented profiles.
_POPULATION = {
    "ILB": (35e3, 60e3),
    "OLB": (45e3, 85e3),
    "MD": (45e3, 170e3),
    "UA": (25e3, 95e3),
    "SC": (110e3, 330e3),
}
_TINY = {"201": 900.0, "420": 330.0}  # City of London, Isles of Scilly


class World:
    """Seeded, invented quantities for every authority code and year."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        # memoised per world (not per process), so the caches go when the world does
        self.population = cache(self._population)
        self._base = cache(self._draw_base)
        self.cla_count = cache(partial(_cla_count, self))

    def rng(self, *keys: object) -> Draws:
        """An independent stream of draws for one purpose (so files do not shift each other)."""
        return Draws(f"{self.seed}|" + "|".join(map(str, keys)))

    @cached_property
    def profiles(self) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for a in current():
            r = self.rng("profile", a.code)
            low, high = _POPULATION[a.lait_type]
            deprivation = r.gauss(0.0, 1.0) + {"MD": 0.5, "ILB": 0.4, "SC": -0.5}.get(
                a.lait_type, 0.0
            )
            out[a.code] = {
                "population": _TINY.get(a.code, math.exp(r.uniform(math.log(low), math.log(high)))),
                "growth": r.uniform(-0.004, 0.009),
                "deprivation": deprivation,
                "rurality": r.gauss(0.0, 1.0)
                + (1.2 if a.lait_type == "SC" else -0.6 if a.region == 7 else 0.0),
            }
        return out

    def level(
        self,
        code: str,
        name: str,
        year: int,
        *,
        centre: float,
        spread: float,
        low: float,
        high: float,
        deprivation: float = 0.0,
        trend: float = 0.0,
    ) -> float:
        """An invented rate for one authority and year: a steady level plus a little noise."""
        if code in PREDECESSORS:
            code = next(iter(PREDECESSORS[code]))
        base = self._base(name, code) * spread
        wobble = self.rng("year", name, code, year).gauss(0.0, spread / 4)
        dep = self.profiles[code]["deprivation"]
        value = centre * math.exp(base + wobble + deprivation * dep + trend * (year - 2020))
        return min(high, max(low, value))

    def _draw_base(self, name: str, code: str) -> float:
        return self.rng("level", name, code).gauss(0.0, 1.0)

    def _population(self, code: str, year: int) -> float:
        """Invented children aged 0-17 at mid-year `year`."""
        if code in PREDECESSORS:
            return sum(self.population(c, year) * share for c, share in PREDECESSORS[code].items())
        p = self.profiles[code]
        noise = self.rng("pop", code, year).gauss(0.0, 0.002)
        return round(p["population"] * (1 + p["growth"]) ** (year - 2024) * (1 + noise))


CLA_TYPES = [
    "Children ceasing to be looked after each year",
    "Children looked after on 31 March each year",
    "Children starting to be looked after each year",
]


def cla_count(world: World, code: str, year: int, population_type: str) -> int:
    """Invented children looked after (31 March), starting or ceasing in the year."""
    return world.cla_count(code, year, population_type)


def _cla_count(world: World, code: str, year: int, population_type: str) -> int:
    if code == "420":  # the Isles of Scilly: none
        return 0
    p = world.population(code, year - 1)
    on31 = world.level(code, "cla", year, centre=68, spread=0.3, low=25, high=160, deprivation=0.3)
    starting = world.level(
        code, "cla_start", year, centre=25, spread=0.3, low=10, high=60, deprivation=0.2
    )
    ceasing = starting * world.rng("cla_cease", code, year).uniform(0.85, 1.05)
    return round(
        p
        * {CLA_TYPES[0]: ceasing, CLA_TYPES[1]: on31, CLA_TYPES[2]: starting}[population_type]
        / 1e4
    )
