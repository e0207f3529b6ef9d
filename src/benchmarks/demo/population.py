"""ONS mid-year population estimates (children aged 0 to 17) in the EES layout."""

from __future__ import annotations

from datetime import date

from benchmarks.demo.ees import EES_ID, EesFile, Values
from benchmarks.demo.places import Authority
from benchmarks.demo.world import World


def spec(world: World) -> EesFile:
    """demand/ons_mid-year_population_estimates_2012_to_2024.csv (x for the pre-2019
    Dorset authorities)."""
    w = world

    def pop(a: Authority, year: int) -> float:
        return w.population(a.code, year)

    def population(a: Authority, year: int, _: str) -> tuple[dict[str, float] | None, Values]:
        fixed: Values = {"population_estimate": "x"} if a.code in {"835", "836", "837"} else {}
        return {"population_estimate": pop(a, year)}, fixed

    return EesFile(
        "demand/ons_mid-year_population_estimates_2012_to_2024.csv",
        EES_ID,
        "age_group",
        ["Children aged 0 to 17 years"],
        {"population_estimate": 0},
        range(2012, 2025),
        lambda y: date(y, 6, 30),
        population,
        lambda n, f: {},
        round_to=None,
    )
