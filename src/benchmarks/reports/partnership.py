"""The partnership report as data: a pure function from the loaded data, the comparison of
every authority and the reader's choices to the section model (`reports.model`).

`choose(bundle, table, partners, focus=, start_year=, comparator=, groups_file=)` resolves
the partners (names, codes, or a named group), the focus and the comparator;
`build(bundle, table, choice)` makes the six sections of issue 10: side by side,
inspection trajectories, event-aligned trends, what improvers looked like, the partner
finder and data notes. Nothing here reads files or writes HTML (`reports.partnership_notebook`
does, for the notebook).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from benchmarks import alignment, charts, formatting, improvement, indicators, partners
from benchmarks.charts import partnership as pcharts
from benchmarks.charts._common import and_list
from benchmarks.panel import Bundle
from benchmarks.reports import model
from benchmarks.reports.partnership_choice import PartnershipChoice, choose, split_partners
from benchmarks.reports.parts import (
    POLAR_BAND_MEANING,
    definitions,
    label_with_unit,
    long_date,
    source_table,
)

CONTENTS = (
    ("side-by-side", "1. Side by side"),
    ("trajectories", "2. Inspection trajectories"),
    ("aligned", "3. Before and after inspections"),
    ("improvers", "4. What improvers looked like"),
    ("finder", "5. Partner finder"),
    ("notes", "6. Data notes"),
)
#: Section 3's indicators: the workforce, then demand on children's services.
ALIGNED_INDICATORS = (
    "sw_turnover_rate",
    "sw_agency_rate",
    "sw_vacancy_rate",
    "sw_caseload",
    "cin_rate_per_10k",
    "cpp_rate_per_10k",
)
#: Section 3 shows this many years either side of each event.
ALIGNED_BEFORE, ALIGNED_AFTER = 3, 3
NEUTRAL_BAND_MEANING = {
    "Q1": "lowest quarter of authorities",
    "Q2": "second-lowest quarter",
    "Q3": "second-highest quarter",
    "Q4": "highest quarter of authorities",
}


@dataclass(frozen=True)
class PartnershipReport:
    """The partnership report's sections, in reading order."""

    header: model.ReportHeader
    side_by_side: model.SideBySideSection
    trajectories: model.FigureSection
    aligned: model.IndicatorSection
    improvers: model.FigureSection
    finder: model.FinderSection
    notes: model.NotesSection


def build(
    bundle: Bundle,
    table: pl.DataFrame,
    choice: PartnershipChoice,
    *,
    finder_indicators: Sequence[str] = partners.DEFAULT_FEATURES,
    finder_weights: dict[str, float] | None = None,
) -> PartnershipReport:
    """Every section of a partnership report (pure: data in, section model out).

    `finder_indicators` and `finder_weights` are the partner finder's features and weights."""
    return _Builder(bundle, table, choice, finder_indicators, finder_weights).report()


class _Builder:
    """The frames one report reads, and a method per section."""

    def __init__(
        self,
        bundle: Bundle,
        table: pl.DataFrame,
        choice: PartnershipChoice,
        finder_indicators: Sequence[str],
        finder_weights: dict[str, float] | None,
    ) -> None:
        self.bundle, self.table, self.c = bundle, table, choice
        self.finder_indicators, self.finder_weights = tuple(finder_indicators), finder_weights
        self.demo = bool(bundle.meta.get("demo"))
        self.seen: dict[str, int] = {}
        self.record = improvement.inspection_record(
            bundle.inspections, authorities=bundle.authorities
        ).filter(pl.col("la_code").is_in(list(choice.codes)))

    def report(self) -> PartnershipReport:
        return PartnershipReport(
            header=self.header(),
            side_by_side=self.side_by_side(),
            trajectories=self.trajectories(),
            aligned=self.aligned(),
            improvers=self.improvers(),
            finder=self.finder(),
            notes=self.data_notes(),
        )

    def section(self, anchor: str) -> model.Section:
        return model.Section(anchor, dict(CONTENTS)[anchor], self.demo)

    def figure(self, chart: Any, number_format: str = ",.1f") -> model.Figure:
        return charts.figure(chart, seen=self.seen, number_format=number_format)

    # -------------------------------------------------------------- sections

    def header(self) -> model.ReportHeader:
        c = self.c
        title = f"Partnership benchmarks: {c.label}"
        lede = [
            f"The authorities: {and_list(list(c.names))}. Comparator figures are "
            f"{c.comparator_label}.",
        ]
        if c.focus_name:
            lede.append(f"The supported (focus) authority: {c.focus_name}.")
        if c.start_year:
            lede.append(f"The partnership began in {c.start_year}.")
        info = {
            "kind": "partnership",
            "name": c.slug_name,
            "label": c.label,
            "partners": list(c.codes),
            "focus": c.focus_code or "",
            "start_year": c.start_year or 0,
            "comparator": c.comparator,
            "year": c.year,
            "title": title + (" (demonstration data)" if self.demo else ""),
            "demo": self.demo,
        }
        return model.ReportHeader(
            title=title,
            lede=tuple(lede),
            demo=self.demo,
            contents=tuple(model.Section(a, t) for a, t in CONTENTS),
            info=info,
        )

    def side_by_side(self) -> model.SideBySideSection:
        latest = {
            r["la_code"]: r for r in improvement.latest_record(self.record).iter_rows(named=True)
        }
        grades = tuple(
            _grade(latest[code], name)
            for code, name in zip(self.c.codes, self.c.names, strict=True)
            if code in latest
        )
        ungraded = tuple(
            n for code, n in zip(self.c.codes, self.c.names, strict=True) if code not in latest
        )
        return model.SideBySideSection(self.section("side-by-side"), grades, ungraded, self.rug())

    def rug(self) -> model.Rug:
        ids = indicators.headline_tiles()
        rows = self.table.filter(
            pl.col("la_code").is_in(list(self.c.codes))
            & pl.col("indicator").is_in(list(ids))
            & (pl.col("value").is_not_null() | pl.col("status").is_not_null())
        ).unique(["la_code", "indicator", "year"], keep="first", maintain_order=True)
        latest = indicators.latest_rows(rows, by=("la_code", "indicator"))
        cells = {(r["la_code"], r["indicator"]): r for r in latest.iter_rows(named=True)}
        out = []
        for code, name in zip(self.c.codes, self.c.names, strict=True):
            row = []
            for ind in ids:
                cell = cells.get((code, ind))
                if cell is None:
                    row.append(model.RugCell(formatting.DASH, "", "no data", ""))
                    continue
                band = cell["band"] or ""
                letter = band if band in POLAR_BAND_MEANING else band.split(" ")[0]
                meaning = POLAR_BAND_MEANING.get(band) or NEUTRAL_BAND_MEANING.get(letter, "")
                row.append(
                    model.RugCell(
                        formatting.format_value(cell["value"], cell["status"], ind),
                        letter,
                        meaning,
                        str(cell["year"]),
                    )
                )
            out.append((name, tuple(row)))
        key = tuple(POLAR_BAND_MEANING.items()) + tuple(NEUTRAL_BAND_MEANING.items())
        return model.Rug(
            caption="Headline indicators, latest year each authority has (band: position "
            "among all authorities in England)",
            headers=("Authority", *(label_with_unit(i) for i in ids)),
            rows=tuple(out),
            key=key,
        )

    def trajectories(self) -> model.FigureSection:
        section = self.section("trajectories")
        if self.record.height == 0:
            return model.FigureSection(
                section, ("No graded inspection is recorded for these authorities.",)
            )
        record = self.record.with_columns(
            la_name=pl.col("la_code").replace_strict(
                dict(zip(self.c.codes, self.c.names, strict=True))
            )
        )
        order = {code: i for i, code in enumerate(self.c.codes)}
        record = record.sort(pl.col("la_code").replace_strict(order, return_dtype=pl.Int32), "date")
        paragraphs = [_trajectory_sentence(r) for r in _histories(record)]
        chart = pcharts.trajectory_chart(record, self.c.label)
        return model.FigureSection(section, tuple(paragraphs), (self.figure(chart),))

    def aligned(self) -> model.IndicatorSection:
        c = self.c
        frame = alignment.align_to_events(
            self.bundle.panel,
            self.bundle.inspections,
            ALIGNED_INDICATORS,
            list(c.codes),
            start_year=c.start_year,
            authorities=self.bundle.authorities,
            comparator_codes=None,  # the band: every authority in England
            before=ALIGNED_BEFORE,
            after=ALIGNED_AFTER,
        )
        blocks = []
        for code, name in zip(c.codes, c.names, strict=True):
            mine = frame.filter(pl.col("la_code") == code)
            series = mine.filter(pl.col("value").is_not_null())
            notes = [n for n in mine["note"].drop_nulls().unique(maintain_order=True).to_list()]
            if series.height == 0:
                text = notes[0] if notes else f"No figures for {name} around a graded inspection."
                blocks.append(model.IndicatorBlock(name, text))
                continue
            events = series["event_label"].unique(maintain_order=True).to_list()
            text = (
                f"{name}: {len(events)} event{'s' * (len(events) > 1)} with figures around "
                f"{'it' if len(events) == 1 else 'them'} ({'; '.join(events)})."
            )
            if notes:
                text += " " + " ".join(notes)
            chart = pcharts.aligned_chart(series, name, "all authorities in England")
            blocks.append(model.IndicatorBlock(name, text, (self.figure(chart),)))
        return model.IndicatorSection(self.section("aligned"), tuple(blocks))

    def improvers(self) -> model.FigureSection:
        c = self.c
        moves = improvement.improvers(self.bundle.inspections, authorities=self.bundle.authorities)
        paths = alignment.improver_paths(
            self.bundle.panel, moves, authorities=self.bundle.authorities
        )
        band = alignment.improver_band(paths)
        focus = pl.DataFrame(schema=alignment.PATHS_SCHEMA)
        if c.focus_code:
            focus = alignment.focus_path(
                self.bundle.panel,
                self.bundle.inspections,
                c.focus_code,
                authorities=self.bundle.authorities,
            )
        both = alignment.improvers_vs_focus(band, focus)
        section = self.section("improvers")
        if band.height == 0:
            return model.FigureSection(
                section, ("No improvement has workforce figures around it.",)
            )
        paragraphs = [
            f"Across {moves.height} improvements in the inspection record (a move to Good or "
            "Outstanding from Requires improvement or Inadequate between two consecutive graded "
            f"inspections), the number with a figure at each point ranges from {int(band['n'].min())} "  # type: ignore[arg-type]
            f"to {int(band['n'].max())}."  # type: ignore[arg-type]
        ]
        if c.focus_name:
            if focus.height:
                year0 = focus.filter(pl.col("offset") == 0)["year"]
                paragraphs.append(
                    f"{c.focus_name}'s own figures are drawn around its latest graded inspection"
                    + (f" (year {year0[0]} is 0)." if year0.len() else ".")
                )
            else:
                paragraphs.append(
                    f"{c.focus_name} has no graded inspection to line its figures up with."
                )
        else:
            paragraphs.append("Name a focus authority to draw its path against the improvers'.")
        chart = pcharts.improvers_chart(both, c.focus_name if focus.height else None)
        return model.FigureSection(section, tuple(paragraphs), (self.figure(chart),))

    def finder(self) -> model.FinderSection:
        c = self.c
        method = _method_paragraphs(
            partners.finder_method(self.finder_indicators, self.finder_weights)
        )
        section = self.section("finder")
        if not c.focus_code:
            return model.FinderSection(
                section,
                "Name a focus authority to see partners who have been where it is.",
                None,
                (),
                method,
            )
        found = partners.partner_candidates(
            self.bundle.panel,
            self.bundle.inspections,
            focus=c.focus_code,
            indicators=self.finder_indicators,
            weights=self.finder_weights,
            authorities=self.bundle.authorities,
        )
        if found.height == 0:
            return model.FinderSection(
                section,
                f"No authority was found that was rated as {c.focus_name} is (or worse) with a "
                "comparable profile and has since improved.",
                None,
                (),
                method,
            )
        rows = tuple(
            (
                str(r["la_name"]),
                f"{r['distance']:.2f}",
                (
                    formatting.SHORT_GRADES.get(r["then_grade"], r["then_grade"]),
                    f"{r['then_date']:%B %Y}",
                ),
                (
                    formatting.SHORT_GRADES.get(r["now_grade"], r["now_grade"]),
                    f"{r['now_date']:%B %Y}",
                ),
            )
            for r in found.iter_rows(named=True)
        )
        table = model.DataTable(
            caption=f"Suggested partners for {c.focus_name}, closest first",
            headers=("Authority", "Distance", "Then", "Now"),
            rows=rows,
        )
        return model.FinderSection(
            section,
            f"Up to {partners.DEFAULT_N} authorities that were where {c.focus_name} is now and "
            "have improved since, each with the reason in one sentence.",
            table,
            tuple(found["reason"].to_list()),
            method,
        )

    def data_notes(self) -> model.NotesSection:
        names = dict(zip(self.c.codes, self.c.names, strict=True))
        flags = (
            self.bundle.flags.filter(
                pl.col("la_code").is_in(list(self.c.codes)) & (pl.col("year") <= self.c.year)
            )
            .sort("la_code", "indicator", "flag", "year")
            .group_by("la_code", "indicator", "flag", maintain_order=True)
            .agg(pl.col("year").unique().sort(), pl.col("explanation").last())
        )
        flag_table = None
        if flags.height:
            flag_table = model.DataTable(
                caption="Flags by authority and indicator (latest explanation shown)",
                headers=("Authority", "Indicator", "Flag", "Years", "Explanation"),
                rows=tuple(
                    (
                        names.get(r["la_code"], r["la_code"]),
                        label_with_unit(r["indicator"]),
                        r["flag"].replace("_", " "),
                        ", ".join(str(y) for y in r["year"]),
                        str(r["explanation"]),
                    )
                    for r in flags.iter_rows(named=True)
                ),
            )
        shown = [
            *indicators.headline_tiles(),
            *ALIGNED_INDICATORS,
            *alignment.PATH_INDICATORS,
            *self.finder_indicators,
        ]
        notes = model.DataNotes(flag_table, source_table(self.bundle), definitions(shown))
        return model.NotesSection(self.section("notes"), notes)


def _grade(row: dict[str, Any], name: str) -> model.Grade:
    """A partner's latest graded inspection as a grade box."""
    when = ("published " if row["date_is_publication"] else "inspected ") + long_date(row["date"])
    return model.Grade(
        heading=name,
        overall=row["overall"] or "No overall grade",
        framework=row["framework"],
        event=(row["event_type"] or "").lower(),
        when=when,
        unofficial=not row["official"],
        judgements=tuple((k, str(row[c] or "not judged separately")) for c, k in formatting.SUB_JUDGEMENTS.items()),
    )


def _histories(record: pl.DataFrame) -> list[dict[str, Any]]:
    return (
        record.group_by("la_code", maintain_order=True)
        .agg(pl.col("la_name").first(), pl.col("date"), pl.col("key_grade"), pl.col("key_basis"))
        .to_dicts()
    )


def _trajectory_sentence(history: dict[str, Any]) -> str:
    """'Kirklees: Requires improvement (2019) to Good (2024).'"""
    steps = []
    for when, grade, basis in zip(
        history["date"], history["key_grade"], history["key_basis"], strict=True
    ):
        short = formatting.SHORT_GRADES.get(grade or "", "not graded")
        extra = " leadership, no overall grade" if basis == "sub-judgements" else ""
        steps.append(f"{short} ({when.year}{extra})")
    return f"{history['la_name']}: " + " to ".join(steps) + "."


_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _method_paragraphs(markdown: str) -> tuple[tuple[str, str], ...]:
    """`finder_method`'s Markdown ("**Heading.** text **Heading:** text") as (heading, text)."""
    parts = _BOLD.split(markdown)
    return tuple((parts[i].strip(), parts[i + 1].strip()) for i in range(1, len(parts) - 1, 2))


__all__ = [
    "ALIGNED_INDICATORS",
    "CONTENTS",
    "PartnershipChoice",
    "PartnershipReport",
    "build",
    "choose",
    "split_partners",
]
