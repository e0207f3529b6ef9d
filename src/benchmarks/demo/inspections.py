"""Ofsted inspections: one invented ILACS history (2018 to June 2026) drives every
inspection file; this module writes the official outcomes file as at 31 March 2025.

The history is shared with `ofsted_2023` (Ofsted's 2023 underlying data) and `d2i`
(Data to Insight's scrape, which runs past the official file).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from benchmarks.demo.draws import Draws
from benchmarks.demo.files import Cell, write_ods
from benchmarks.demo.places import (
    AUTHORITIES,
    OFSTED_NAMES,
    OFSTED_REGIONS,
    Authority,
    current,
    first_day,
)
from benchmarks.demo.world import World
from benchmarks.schema import GRADES

ILACS_START = date(2018, 1, 29)
AS_AT_2025 = date(2025, 3, 31)
NEW_FRAMEWORK = date(2026, 1, 1)  # no overall effectiveness grade from here on
THEMES = ("Children in need/subject to a plan", "Children in care", "Care leavers",
          "Achieving permanence", "Front door", "Vulnerable adolescents")  # fmt: skip
STANDARD, SHORT = "ILACS Standard Inspection", "ILACS Short Inspection"
FOCUSED, MONITORING = "ILACS Focused Visit", "LA Monitoring visit"


@dataclass(frozen=True)
class Event:
    """An inspection (with grades) or a visit (with a theme) of one authority."""

    unit: Authority
    start: date
    published: date
    kind: str
    overall: int | None = None  # index into GRADES; None for visits and the new framework
    subs: tuple[int | None, ...] = ()  # leaders, help and protection, in care, care leavers
    theme: str | None = None

    @property
    def inspection(self) -> bool:
        return self.kind in (STANDARD, SHORT)


def random_monday(r: Draws, low: date, high: date) -> date:
    """A Monday between two dates."""
    d = low + timedelta(days=int(r.uniform(0, max(0, (high - low).days))))
    return d - timedelta(days=d.weekday())


def random_grade(r: Draws, weights: Sequence[float]) -> int:
    x, total = r.random() * sum(weights), 0.0
    for i, weight in enumerate(weights):
        total += weight
        if x < total:
            return i
    return len(weights) - 1


def _inspection(r: Draws, unit: Authority, start: date, previous: int | None) -> Event:
    if previous is None:
        overall = random_grade(r, (0.12, 0.45, 0.28, 0.15))
    else:
        step = (0.45, 0.45, 0.1) if previous >= 2 else (0.15, 0.6, 0.25)
        overall = min(3, max(0, previous + random_grade(r, step) - 1))
    subs = [min(3, max(0, overall + random_grade(r, (0.1, 0.8, 0.1)) - 1)) for _ in range(4)]
    if 3 in subs[1:3] and overall == 2:
        overall = 3
    kind = SHORT if previous is not None and previous <= 1 else STANDARD
    published = start + timedelta(days=int(r.uniform(35, 60)))
    leavers = subs[3] if start >= date(2023, 1, 1) else None
    grade = None if start >= NEW_FRAMEWORK else overall
    return Event(unit, start, published, kind, grade, (*subs[:3], leavers))


def ofsted_history(world: World) -> list[Event]:
    """Every invented ILACS inspection and visit, 2018 to June 2026, in date order."""
    old = {a.code: a for a in AUTHORITIES if a.code in ("837", "909", "928")}
    events: list[Event] = []
    for a in [*current(), *old.values()]:
        r = world.rng("ofsted", a.code)
        previous = random_grade(r, (0.1, 0.4, 0.35, 0.15))  # the last pre-ILACS (SIF) judgement
        began = first_day(a.code)
        if a.code in old:
            window = (
                ILACS_START + timedelta(days=30),
                min(a.end or AS_AT_2025, date(2022, 12, 31)) - timedelta(days=90),
            )
        elif began and began >= date(2023, 4, 1):
            window = (began + timedelta(days=60), date(2025, 3, 24))
        else:
            window = (max(ILACS_START, began or ILACS_START), date(2022, 12, 31))
        history = [
            _inspection(r, a, random_monday(r, *window), previous if a.code not in old else None)
        ]
        while True:  # the next inspection: sooner after a poor grade; up to June 2026
            last, grade = history[-1].start, history[-1].subs[0]
            years = {3: (1.5, 2.5), 2: (2.5, 3.5)}.get(
                grade if grade is not None else 1, (3.0, 4.0)
            )
            low = max(last + timedelta(days=int(years[0] * 365)), date(2021, 10, 4))
            high = min(last + timedelta(days=int(years[1] * 365)), date(2026, 6, 1))
            if a.code in old or low >= high or (low > AS_AT_2025 and r.random() < 0.3):
                break
            history.append(_inspection(r, a, random_monday(r, low, high), history[-1].subs[0]))
        events += history
        events += _visits(world, a, history)
    return sorted(events, key=lambda e: (e.start, e.unit.code))


def _visits(world: World, a: Authority, history: list[Event]) -> list[Event]:
    """Focused visits between inspections; monitoring visits after an inadequate one."""
    r = world.rng("visits", a.code)
    out = []
    for this, after in zip(history, [*history[1:], None], strict=True):
        end = after.start if after else date(2026, 6, 1)
        when = this.start + timedelta(days=240)
        while when < end - timedelta(days=120):
            kind = MONITORING if this.overall == 3 else FOCUSED
            if kind == MONITORING or r.random() < 0.45:
                start = when - timedelta(days=when.weekday())
                out.append(
                    Event(
                        a,
                        start,
                        start + timedelta(days=int(r.uniform(25, 40))),
                        kind,
                        theme=r.choice(THEMES),
                    )
                )
            when += timedelta(days=200 if kind == MONITORING else 420)
    return out


LINK = "Ofsted Local Authority Webpage"
SUB_2025 = [
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
]
SUB_2023 = [
    "Impact of leaders",
    "Experiences and progress of children who need help and protection",
    "Experiences and progress of children in care",
    "Experiences and progress of care leavers",
]


def grades(e: Event) -> list[Cell]:
    if not e.inspection:
        return [None] * 5
    overall = None if e.overall is None else GRADES[e.overall]
    return [overall, *(None if g is None else GRADES[g] for g in e.subs)]


def ofsted_name(a: Authority, names: dict[str, str] = OFSTED_NAMES) -> str:
    return names.get(a.code, a.name)


def placeholder(name: str) -> tuple[str, list[list[Cell]]]:
    note = "Demonstration data: this worksheet of the official file is not reproduced."
    return name, [[name.replace("_", " ")], [note]]


def write_ofsted_2025(root: Path, events: list[Event]) -> None:
    """LA_Inspection_Outcomes_as_at_31_March_2025.ods: latest judgements, the year's
    activity and the ILACS history, each with its header on row 3."""
    official = [e for e in events if e.start <= AS_AT_2025]
    inspections = [e for e in official if e.inspection]
    latest = {e.unit.code: e for e in inspections}
    now = sorted(current(), key=ofsted_name)
    old_codes = {"837", "909", "928"}
    order = {a.code: i for i, a in enumerate(sorted({e.unit for e in official}, key=ofsted_name))}

    def ident(e: Event) -> list[Cell]:
        return [LINK, e.unit.ons, ofsted_name(e.unit)]

    as_at: list[list[Cell]] = [
        ["Local authority inspection judgements as at 31 March 2025"],
        ["This worksheet contains one table. Demonstration data: every value is invented."],
        ["Web link", "Local authority area code", "Local authority name", "Ofsted region", "Inspection date",
         "Publication date", "Overall effectiveness", *SUB_2025],
    ]  # fmt: skip
    for a in now:
        e = latest[a.code]
        as_at.append([*ident(e), OFSTED_REGIONS[a.region], e.start, e.published, *grades(e)])
    in_year: list[list[Cell]] = [
        ["Local authority in-year inspection activity 2024-25"],
        ["This worksheet contains one table. Demonstration data: every value is invented."],
        ["Web link", "Local authority area code", "Local authority name", "Region", "Inspection/Visit date",
         "Publication date", "Inspection/Visit type", "Overall effectiveness", *SUB_2025, "Visit Theme"],
    ]  # fmt: skip
    year = [e for e in official if e.start >= date(2024, 4, 1) and e.unit.code not in old_codes]
    for e in sorted(year, key=lambda e: (order[e.unit.code], e.start)):
        in_year.append(
            [
                *ident(e),
                OFSTED_REGIONS[e.unit.region],
                e.start,
                e.published,
                e.kind,
                *grades(e),
                e.theme,
            ]
        )
    history: list[list[Cell]] = [
        ["ILACS inspection history from 2018-2025"],
        ["This worksheet contains one table. Demonstration data: every value is invented."],
        ["Web link", "Local authority area code", "Local authority name", "Local authority status",
         "Ofsted region", "Inspection date", "Publication date", "Inspection type", "Overall effectiveness",
         *SUB_2025],
    ]  # fmt: skip
    for e in sorted(inspections, key=lambda e: (order[e.unit.code], e.start)):
        status = "No longer exists" if e.unit.code in old_codes else "Current"
        history.append(
            [
                *ident(e),
                status,
                OFSTED_REGIONS[e.unit.region],
                e.start,
                e.published,
                e.kind,
                *grades(e),
            ]
        )
    write_ods(
        root / "inspections/LA_Inspection_Outcomes_as_at_31_March_2025.ods",
        [
            placeholder("Cover"),
            placeholder("Contents"),
            placeholder("Notes"),
            ("Inspections_as_at_31_March", as_at),
            ("In-year_inspections", in_year),
            ("ILACS_inspection_history", history),
        ],
    )
