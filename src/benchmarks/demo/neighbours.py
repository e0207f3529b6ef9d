"""The statistical neighbour models: DfE's 2025 model (workbook and wide CSV) and the
2021 model, in their published layouts, from an invented feature space."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from benchmarks.demo.authorities import lait_name
from benchmarks.demo.files import Cell, write_csv, write_xlsx
from benchmarks.demo.places import (
    AUTHORITIES,
    PREDECESSORS,
    REGIONS,
    SN_REGIONS,
    Authority,
    current,
    units_at,
)
from benchmarks.demo.world import World

SN_GOREG = {
    1: "East Midlands", 2: "East of England", 3: "London", 4: "North East", 5: "North West",
    6: "South East", 7: "South West", 8: "West Midlands", 9: "Yorkshire and the Humber",
}  # fmt: skip
BANDS_2025 = ("Extremely close", "Very close", "Close", "Somewhat close", "Not close")
BANDS_2021 = ("Extremely Close", "Very Close", "Close", "Somewhat close", "Not Close")


def sn_goreg(a: Authority) -> str:
    if a.region == 7:
        return "London (Inner)" if a.lait_type == "ILB" else "London (Outer)"
    return SN_GOREG[SN_REGIONS[a.region]]


def neighbours(world: World, model: str, units: Sequence[Authority], pool: Sequence[Authority]
               ) -> dict[str, list[tuple[str, int]]]:  # fmt: skip
    """Ten nearest authorities in an invented feature space: code -> [(code, band index)]."""

    def features(a: Authority) -> tuple[float, ...]:
        code = next(iter(PREDECESSORS[a.code])) if a.code in PREDECESSORS else a.code
        p = world.profiles[code]
        r = world.rng("sn", model, a.code)
        kind = {"ILB": 6.0, "OLB": 5.0, "MD": 3.0, "UA": 1.5, "SC": 0.0}[a.lait_type]
        return (math.log(world.population(a.code, 2020)) + r.gauss(0, 0.3), p["deprivation"] + r.gauss(0, 0.3),
                p["rurality"] + r.gauss(0, 0.3), kind)  # fmt: skip

    feats = {a.code: features(a) for a in {*units, *pool}}
    lists = {}
    for a in units:
        ranked = sorted(
            (math.dist(feats[a.code], feats[b.code]), b.code) for b in pool if b.code != a.code
        )
        lists[a.code] = ranked[:10]
    distances = sorted(d for near in lists.values() for d, _ in near)
    cuts = [distances[int(len(distances) * q)] for q in (0.01, 0.55, 0.88, 0.97)]
    return {code: [(b, sum(d > c for c in cuts)) for d, b in near] for code, near in lists.items()}


def write_neighbours(root: Path, world: World) -> dict[str, list[tuple[str, int]]]:
    """Both SN models in their three published layouts; returns the 2025 lists."""
    now = sorted(current(), key=lait_name)
    old = {a.code: a for a in AUTHORITIES if a.code in PREDECESSORS}
    pre_lg = [old[c] for c in ("835", "836", "837", "928", "909")]
    sn25 = neighbours(world, "2025", [*now, *pre_lg], now)
    # sn_may_2025.xlsx: two rows of column labels, the header on row 3, the old LAs below
    header = ["LA num", "LA Name", "LA number", "GOInd", "GOReg"]
    header += [x for i in range(1, 11) for x in (f"SN{i}", "SNP")]
    letters: list[Cell] = ["A", "B", "C", "D", "E", *range(3, 23)]
    rows: list[list[Cell]] = [letters, [*range(1, 26)], [*header]]

    def xlsx_row(a: Authority, bands: Sequence[str]) -> list[Cell]:
        cells: list[Cell] = [
            int(a.code),
            lait_name(a),
            int(a.code),
            SN_REGIONS[a.region],
            sn_goreg(a),
        ]
        return cells + [x for b, band in sn25[a.code] for x in (int(b), bands[band])]

    rows += [xlsx_row(a, BANDS_2025) for a in now]
    rows += [[None] * 26, [None, "Old SNs:"], [None] * 26]
    rows += [xlsx_row(a, BANDS_2021) for a in pre_lg]
    write_xlsx(root / "authorities/sn_may_2025.xlsx", [("LA SN Groups", rows)])
    # sn_model_2025_wide.csv: current LAs only, London not split, "Close " with a space
    wide = [["old_la_code", "la_name", "region_ind", "region_name"]]
    wide[0] += [x for i in range(1, 11) for x in (f"SN_{i}", f"SN_{i}P")]
    for a in sorted(now, key=lambda a: a.name.replace("St. ", "St ")):
        cells = [
            a.code,
            a.name.replace("St. ", "St "),
            str(SN_REGIONS[a.region]),
            REGIONS[a.region],
        ]
        cells += [
            x for b, band in sn25[a.code] for x in (b, BANDS_2025[band].replace("Close", "Close "))
        ]
        wide.append(cells)
    write_csv(root / "authorities/sn_model_2025_wide.csv", wide[0], wide[1:], bom=True)
    # New_Statistical_Neighbour_Groupings_April_2021.csv: the 2021 (LGR) model
    in_2021 = [a for a in units_at(date(2021, 4, 1))]
    sn21 = neighbours(world, "2021", [*in_2021, *pre_lg[:4]], in_2021)
    names21 = {"839": "Bournemouth, Christchurch & Poole"}
    rows21: list[list[str | None]] = []
    for unit in [*sorted(in_2021, key=lambda a: a.code), None, *pre_lg[:4]]:
        if unit is None:
            rows21 += [[None] * 26, [None, "Old SNs:", *[None] * 24], [None] * 26]
            continue
        row: list[str | None] = [
            unit.code,
            names21.get(unit.code, lait_name(unit)),
            unit.code,
            str(SN_REGIONS[unit.region]),
            sn_goreg(unit),
        ]
        row += [x for b, band in sn21[unit.code] for x in (b, BANDS_2021[band])]
        rows21.append([*row, None])
    write_csv(root / "authorities/New_Statistical_Neighbour_Groupings_April_2021.csv",
              [*header, ""], rows21, bom=True)  # fmt: skip
    return {**sn25, **{f"2021:{k}": v for k, v in sn21.items()}}
