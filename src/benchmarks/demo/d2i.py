"""Data to Insight's ofsted_csc_ilacs_overview.xlsx: its scrape of the latest Ofsted
report per authority (unofficial; it runs past the official file)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from benchmarks.demo.authorities import urn
from benchmarks.demo.files import Cell, write_xlsx
from benchmarks.demo.inspections import SHORT, Event
from benchmarks.demo.places import D2I_REGIONS, OFSTED_NAMES, current
from benchmarks.schema import GRADES

D2I_NAMES = {
    **{k: v.lower() for k, v in OFSTED_NAMES.items()},
    "201": "london corporation",
    "868": "windsor & maidenhead",
}


def write_d2i(root: Path, events: list[Event], sn: dict[str, list[tuple[str, int]]]) -> None:
    """ofsted_csc_ilacs_overview.xlsx: Data to Insight's scrape of the latest report per LA
    (unofficial; runs past the official file, and has no overall grade after 2026)."""
    latest = {e.unit.code: e for e in events if e.inspection}

    def low(g: int | None) -> str:
        return "nan" if g is None else GRADES[g].lower().replace(" to be good", "")

    header = ["urn", "la_code", "region_code", "ltla23cd", "stat_neighbours", "stat_neighbour_judgement",
              "local_authority", "inspection_link", "overall_effectiveness_grade", "inspection_framework",
              "inspector_name", "inspection_start_date", "inspection_end_date", "publication_date",
              "local_link_to_all_inspections", "impact_of_leaders_grade", "help_and_protection_grade",
              "in_care_grade", "care_leavers_grade", "inspectors_inspections_count"]  # fmt: skip
    units = sorted(current(), key=urn)
    inspectors = {a.code: f"demo inspector {urn(a) % 23 + 1}" for a in units}
    counts = {name: list(inspectors.values()).count(name) for name in set(inspectors.values())}
    rows: list[list[Cell]] = [[*header]]
    for i, a in enumerate(units):
        e, near = latest[a.code], [b for b, _ in sn[a.code]]
        judged = ", ".join(f"({b}, '{low(latest[b].overall)}')" for b in near)
        kind = "None" if i == 17 else "short" if e.kind == SHORT else "standard"
        end = e.start + timedelta(days=4 if e.kind == SHORT else 11)
        leavers = "inspection_pre_dates_judgement" if e.subs[3] is None else low(e.subs[3])
        rows.append([
            str(urn(a)), a.code, D2I_REGIONS[a.region], a.ons, ", ".join(near), f"[{judged}]",
            D2I_NAMES.get(a.code, a.name.lower()), f"https://reports.ofsted.gov.uk/provider/44/{urn(a)}",
            low(e.overall), kind, inspectors[a.code], None if kind == "None" else e.start.strftime("%d/%m/%Y"),
            None if kind == "None" else end.strftime("%d/%m/%Y"), e.published.strftime("%d/%m/%y"), 0,
            low(e.subs[0]), low(e.subs[1]), low(e.subs[2]), leavers, str(counts[inspectors[a.code]]),
        ])  # fmt: skip
    write_xlsx(
        root / "inspections/ofsted_csc_ilacs_overview.xlsx",
        [("ofsted_cs_inspections_overview", rows)],
    )
