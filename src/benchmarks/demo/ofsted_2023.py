"""Ofsted's Childrens_social_care_in_England_2023_underlying_data.ods: the three LA
sheets in their published layout (the provider-level sheets hold only a note), with
invented judgements for the frameworks before ILACS (2009-2018)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from benchmarks.demo.files import Cell, write_ods
from benchmarks.demo.inspections import (
    LINK,
    SUB_2023,
    Event,
    grades,
    ofsted_name,
    placeholder,
    random_grade,
    random_monday,
)
from benchmarks.demo.places import (
    AUTHORITIES,
    OFSTED_2023_NAMES,
    OFSTED_REGIONS,
    Authority,
    first_day,
    units_at,
)
from benchmarks.demo.world import World
from benchmarks.schema import GRADES

HISTORY_2009 = [
    "Web link", "Local authority name", "LA region", "LA Authority Type",
    "Safeguarding & Looked After Children (SLAC) Inspection publication date",
    "SLAC Safeguarding Overall effectiveness (OE)", "SLAC Looked After Children Overall Effectiveness (OE)",
    "SLAC re-inspection of Safeguarding publication date", "SLAC re-inspection Safeguarding OE",
    "SLAC re-inspection of services for Children Looked After publication date",
    "SLAC re-inspection of services Children Looked After OE",
    "Child Protection Inspections (CPI) publication date", "CPI Overall Effectiveness (OE)",
    "Child Protection Re-Inspection (CPRI) publication date", "CPRI Overall Effectiveness (OE)",
    "Targeted Looked After Children (TLAC) inspection publication date", "TLAC Overall Effectiveness (OE)",
    "Single Inspection of LA Children's Services (SIF)  First SIF publication date",
    " First SIF Overall Judgement\n(OE)", " First SIF children who need help and protection ",
    " First SIF children looked after and achieving permanence ", " First SIF CLA Sub: Adoption Performance",
    " First SIF CLA Sub: Experiences and progress of care leavers",
    " First SIF leadership, management and governance", "LSCB Overall Effectiveness ",
    "Single Inspection of LA Children's Services (SIF) SIF Re-inspection publication date",
    " SIF Re-inspection Overall Judgement\n(OE)", " SIF Re-inspection children who need help and protection ",
    " SIF Re-inspection children looked after and achieving permanence ",
    " SIF Re-inspection CLA Sub: Adoption Performance",
    " SIF Re-inspection CLA Sub: Experiences and progress of care leavers",
    " SIF Re-inspection leadership, management and governance",
]  # fmt: skip
ILACS_2009 = [
    "{} framework inspection type", "{} framework publication date", "{} framework overall effectiveness",
    "{} framework impact of leaders",
    "{} framework experiences and progress of children who need help and protection",
    "{} framework experiences and progress of children in care and care leavers",
]  # fmt: skip
SECOND_ILACS_2009 = [
    *(c.format("Second ILACS") for c in ILACS_2009[:5]),
    "Second ILACS framework experiences and progress of children in care",
    "Second ILACS framework experiences and progress of care leavers",
]
OFSTED_TYPES = {
    "E06": "Unitary",
    "E08": "Metropolitan District",
    "E09": "London Borough",
    "E10": "Shire County",
}


def _pre_ilacs(world: World, a: Authority) -> list[Cell]:
    """Invented judgements of the frameworks before ILACS (2009-2018), publication dates."""
    began = first_day(a.code)
    if began and began >= date(2019, 4, 1):
        return [None] * 28
    r = world.rng("pre-ilacs", a.code)

    def grade(weights: Sequence[float] = (0.1, 0.45, 0.3, 0.15)) -> str:
        return GRADES[random_grade(r, weights)]

    def maybe(probability: float, low: date, high: date, n: int = 1) -> list[Cell]:
        return (
            [random_monday(r, low, high), *(grade() for _ in range(n))]
            if r.random() < probability
            else [None] * (n + 1)
        )

    slac: list[Cell] = [random_monday(r, date(2009, 9, 1), date(2012, 12, 31)), grade(), grade()]
    cells: list[Cell] = [
        *slac,
        *maybe(0.06, date(2010, 6, 1), date(2013, 3, 31)),
        *maybe(0.02, date(2010, 6, 1), date(2013, 3, 31)),
    ]
    cells += [
        *maybe(0.33, date(2012, 6, 1), date(2013, 6, 30)),
        *maybe(0.01, date(2013, 7, 1), date(2013, 9, 30)),
    ]
    cells += maybe(0.03, date(2013, 6, 1), date(2013, 10, 31))
    sif: list[Cell] = [
        random_monday(r, date(2013, 12, 1), date(2017, 12, 31)),
        *(grade() for _ in range(7)),
    ]
    cells += sif
    cells += maybe(0.8 if sif[1] == GRADES[3] else 0.0, date(2016, 6, 1), date(2018, 3, 31), 6)
    return cells


def write_ofsted_2023(root: Path, world: World, events: list[Event]) -> None:
    """Childrens_social_care_in_England_2023_underlying_data.ods: the three LA sheets in
    their published layout; the provider-level sheets are not reproduced."""
    as_at = date(2023, 3, 31)
    units = sorted(units_at(as_at), key=lambda a: ofsted_name(a, OFSTED_2023_NAMES))
    name = {a.code: ofsted_name(a, OFSTED_2023_NAMES) for a in AUTHORITIES}
    by_unit: dict[str, list[Event]] = {}
    for e in events:
        if e.inspection and e.published <= as_at:
            by_unit.setdefault(e.unit.code, []).append(e)
    level: list[list[Cell]] = [
        ["Children's social care data in England 2023 - LA level at 31 March 2023"],
        ["This worksheet contains one table. Demonstration data: every value is invented."],
        [],
        [
            "Web link",
            "Local authority name",
            "Ofsted region",
            "Inspection date",
            "Overall effectiveness",
            *SUB_2023,
        ],
    ]
    for a in units:
        e = by_unit[a.code][-1]
        level.append([LINK, name[a.code], OFSTED_REGIONS[a.region], e.start, *grades(e)])
    in_year: list[list[Cell]] = [
        ["Children's social care data in England 2023 - LA level in year 2022-23"],
        ["This worksheet contains one table. Demonstration data: every value is invented."],
        ["Web link", "Local authority name", "Ofsted region", "Inspection/Visit date", "Inspection/Visit type",
         "Overall effectiveness", *SUB_2023, "Visit Theme"],
    ]  # fmt: skip
    alive = {a.code for a in units}
    year = [e for e in events if date(2022, 4, 1) <= e.start <= as_at and e.unit.code in alive]
    for e in sorted(year, key=lambda e: (name[e.unit.code], e.start)):
        in_year.append(
            [
                LINK,
                name[e.unit.code],
                OFSTED_REGIONS[e.unit.region],
                e.start,
                e.kind,
                *grades(e),
                e.theme,
            ]
        )

    def ilacs(e: Event | None, second: bool) -> list[Cell]:
        if e is None:
            return [None] * (7 if second else 6)
        cells = grades(e)
        return [e.kind, e.published, *cells[:4], *([cells[4]] if second else [])]

    def region(a: Authority) -> str:
        return OFSTED_REGIONS[a.region].replace("the Humber", "The Humber")

    header = [*HISTORY_2009, *(c.format("First ILACS") for c in ILACS_2009), *SECOND_ILACS_2009]
    history: list[list[Cell]] = [
        ["Children's social care data in England 2023 - LA inspections 2009-2023"],
        ["This worksheet contains two tables. Demonstration data: every value is invented."],
        ["Column A includes a link to the Local Authority Webpage for each local authority."],
        ["Some cells in this table are empty because data was not provided to Ofsted. "],
        [*header],
    ]
    for a in units:
        done = by_unit.get(a.code, [])
        row = [LINK, name[a.code], region(a), OFSTED_TYPES[a.ons[:3]], *_pre_ilacs(world, a)]
        history.append(
            row
            + ilacs(done[0] if done else None, False)
            + ilacs(done[1] if len(done) > 1 else None, True)
        )
    history += [
        [],
        [],
        [
            "Table 11:History of inspections of local authorities that existed before the restructure"
        ],
    ]
    history.append([*HISTORY_2009, *(c.format("ILACS") for c in ILACS_2009)])
    old = {a.code: a for a in AUTHORITIES if a.code in ("837", "835", "836", "928")}
    for code in ("837", "835", "836", "928"):
        a, done = old[code], by_unit.get(code, [])
        history.append([LINK, a.name, region(a), OFSTED_TYPES[a.ons[:3]], *_pre_ilacs(world, a),
                        *ilacs(done[0] if done else None, False)])  # fmt: skip
    sheets: list[tuple[str, list[list[Cell]]]] = [
        placeholder(n)
        for n in ("Cover", "Accessibility", "Contents", "Guidance", "Notes", "Meta-data")
    ]
    sheets += [("LA_level_at_31_Mar_2023", level), ("LA_level_in_year_2022-23", in_year)]
    sheets += [placeholder(n) for n in (
        "Provider_level_at_31_Mar_2023", "Provider_level_in_year_2022-23", "Providers+places_at_31_Mar_2023",
        "Leavers+Joiners_at_31_Mar_2023", "Providers+places_Time_series", "Latest_OE_31_Mar_Time_Series",
        "In_Year_Time_series")]  # fmt: skip
    sheets.append(("LA_inspections_2009-2023", history))
    write_ods(
        root / "inspections/Childrens_social_care_in_England_2023_underlying_data.ods", sheets
    )
