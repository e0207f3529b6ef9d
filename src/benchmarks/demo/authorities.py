"""The lists of authorities: DfE's las.csv, region hierarchy and regions, LAIT's code
list, D2I's provider lookup and the ONS lower-tier to upper-tier lookup."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from benchmarks.demo.files import Cell, write_csv, write_xlsx
from benchmarks.demo.places import (
    AUTHORITIES,
    D2I_REGIONS,
    EES_REGIONS,
    LAIT_NAMES,
    PREDECESSORS,
    REGIONS,
    Authority,
    current,
)
from benchmarks.demo.world import World

ENTITIES = {
    "E06": "Unitary Authorities",
    "E08": "Metropolitan Districts",
    "E09": "London Boroughs",
    "E10": "Counties",
}
#: Joint codes as they appear in the DfE lists: (partners, first day).
JOINT_CODES = [
    (("940", "941"), date(2021, 4, 1)),
    (("942", "943"), date(2023, 4, 1)),
    (("314", "318"), None),
]


def _dmy(d: date | None) -> str | None:
    return d.strftime("%d/%m/%Y") if d else None


def _joint_rows() -> list[Authority]:
    latest = {a.code: a for a in AUTHORITIES if a.end is None}
    rows = []
    for codes, start in JOINT_CODES:
        a, b = (latest[c] for c in codes)
        rows.append(Authority(f"{a.code} / {b.code}", f"{a.ons} / {b.ons}", f"{a.name} / {b.name}",
                              a.lait_type, a.region, start, None))  # fmt: skip
    return rows


def write_authority_lists(root: Path) -> None:
    """las.csv, region_la_hierarchy.csv and regions.csv (DfE's lists of authorities)."""
    everyone = [*AUTHORITIES, *_joint_rows()]
    las = [
        [a.ons, a.name, _dmy(a.start) or "01/01/2009", _dmy(a.end), a.region_code, a.ons[:3],
         ENTITIES[a.ons[:3]], "terminated" if a.end else "live", a.code]
        for a in sorted(everyone, key=lambda a: (a.ons, a.end or date.max))
    ]  # fmt: skip
    write_csv(root / "authorities/las.csv",
              ["new_la_code", "la_name", "date_of_operation", "date_of_termination", "parent_geography_code",
               "entity_code", "entity_description", "status", "old_la_code"], las)  # fmt: skip
    hierarchy = sorted(
        {(a.region_code, REGIONS[a.region], a.code, a.name, a.ons) for a in everyone}
    )
    write_csv(root / "authorities/region_la_hierarchy.csv",
              ["region_code", "region_name", "old_la_code", "la_name", "new_la_code"], hierarchy)  # fmt: skip
    write_csv(root / "authorities/regions.csv", ["region_code", "region_name"], EES_REGIONS)


def lait_units() -> list[Authority]:
    """The LAIT list: today's authorities and the five pre-reorganisation ones."""
    old = [a for a in AUTHORITIES if a.code in PREDECESSORS]
    return sorted([*current(), *old], key=lambda a: lait_name(a))


def lait_name(a: Authority) -> str:
    return LAIT_NAMES.get(a.code, a.name)


def lait_region(a: Authority) -> str:
    if a.region == 7:
        return "Inner London" if a.lait_type == "ILB" else "Outer London"
    return REGIONS[a.region]


LAIT_AGGREGATES = [
    (970, "England"), (980, "North East"), (981, "North West"), (982, "Yorkshire and the Humber"),
    (983, "East Midlands"), (984, "West Midlands"), (985, "East of England"), (986, "London"),
    (987, "London (Inner)"), (988, "London (Outer)"), (989, "South East"), (990, "South West"),
    (1000, "England (discontinued)"),
]  # fmt: skip


def write_la_code_list(root: Path) -> None:
    rows: list[list[Cell]] = [["LA Number", "LA Name", "Region", "Type"]]
    rows += [[int(a.code), lait_name(a), lait_region(a), a.lait_type] for a in lait_units()]
    rows += [[code, name, "NA", "NA"] for code, name in LAIT_AGGREGATES]
    write_xlsx(root / "authorities/la_code_list.xlsx", [("Sheet1", rows)])


def write_lookups(root: Path, world: World, sn: dict[str, list[tuple[str, int]]]) -> None:
    """D2I's provider lookup and a reduced ONS lower-tier to upper-tier lookup."""
    ons_region = {**REGIONS, 3: "Yorkshire and the Humber"}
    la_type = {
        "E06": "Unitary Authority",
        "E08": "Metropolitan District",
        "E09": "London Borough",
        "E10": "County",
    }
    aka = {
        "810": "[Kingston Upon Hull, Hull]",
        "801": "[Bristol]",
        "839": "[BCP, Bournemouth, Christchurch & Poole]",
    }
    ons = {a.code: a.ons for a in current()}
    old = {a.code: a for a in AUTHORITIES if a.code in ("909", "928", "836")}
    header = ["urn", "la_code", "la_code_new", "stat_neighbours", "stat_neighbours_la_code",
              "stat_neighbours_previous", "local_authority_ons_name", "also_known_as", "region_code",
              "region_name", "domain", "ofsted_ilacs_scrape_la_name", "rgn22cd", "rgn22nm", "lad23cd",
              "ltla23cd", "ltla23nm", "ltla23nmw", "ltla23_ons", "utla23nm", "country",
              "ons_population_0-25", "ons_la_type"]  # fmt: skip
    rows = []
    for a in sorted([*current(), *old.values()], key=lait_name):
        live = a.code not in old
        now = [b for b, _ in sn.get(a.code, [])] if live else []
        before = [
            b
            for b, _ in sn.get(
                f"2021:{a.code}", sn.get("2021:909", []) if a.code in ("942", "943") else []
            )
        ]
        rows.append([
            str(urn(a)), a.code, a.ons if live else None, ", ".join(now) or None,
            ", ".join(ons[b] for b in now) or None, ", ".join(before) or None, lait_name(a), aka.get(a.code),
            D2I_REGIONS[a.region], ons_region[a.region], domain(a), a.code, a.region_code,
            ons_region[a.region], None if a.ons.startswith("E10") else a.ons, a.ons, a.name, None, a.ons,
            a.name, "England", str(round(world.population(a.code, 2022) * 1.45)) if live else None,
            la_type[a.ons[:3]] if live else None,
        ])  # fmt: skip
    write_csv(root / "authorities/Provider_data_lookup.csv", header, rows, bom=True, crlf=True)
    ltla = [
        [a.ons, a.name, None, a.ons, a.name, None] for a in sorted(current(), key=lambda a: a.ons)
    ]
    write_csv(root / "authorities/LTLA-UTLA_Apr23_Lookup_England-Wales.csv",
              ["LTLA23CD", "LTLA23NM", "LTLA23NMW", "UTLA23CD", "UTLA23NM", "UTLA23NMW", "ObjectId"],
              [[*r, str(i)] for i, r in enumerate(ltla, start=1)], bom=True)  # fmt: skip


def urn(a: Authority) -> int:
    """An invented Ofsted unique reference number for an authority."""
    return _URNS[a.code]


_NAMES_BY_CODE = {a.code: LAIT_NAMES.get(a.code, a.name) for a in AUTHORITIES}
_URNS = {
    code: 80400 + i for i, code in enumerate(sorted(_NAMES_BY_CODE, key=_NAMES_BY_CODE.__getitem__))
}


def domain(a: Authority) -> str:
    return re.sub(r"[^a-z]", "", a.name.split(",")[0].lower().replace(" and ", "")) + ".gov.uk"
