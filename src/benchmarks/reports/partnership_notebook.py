"""What the partnership notebook calls: load the data, compare, build, display.

`partnership_page(partners, focus=, start_year=, comparator=, data_dir=, groups_file=)`
loads the data, compares every authority once (the comparison cache), builds the
section model with `reports.partnership.build` and returns a `PartnershipPage`, which
displays as the whole report; its methods each return one section's HTML.
`partnership_html(report)` renders every section (the same HTML).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from benchmarks import charts, components
from benchmarks.components import METADATA_KEY, Html, ShownReport
from benchmarks.panel import Bundle, load
from benchmarks.reports import model, partnership

PARTNERSHIP_TEMPLATE = "reports/partnership.html.j2"

_MACROS = {
    model.SideBySideSection: "side_by_side",
    model.FigureSection: "figures",
    model.IndicatorSection: "indicators",
    model.FinderSection: "finder",
    model.NotesSection: "notes",
}

Section = (
    model.ReportHeader
    | model.SideBySideSection
    | model.FigureSection
    | model.IndicatorSection
    | model.FinderSection
    | model.NotesSection
)


def section_html(part: Section) -> Html:
    """One section as a displayable HTML block (the header carries the report's metadata)."""
    if isinstance(part, model.ReportHeader):
        body = components.render(PARTNERSHIP_TEMPLATE, "header", part)
        return Html(body, {METADATA_KEY: dict(part.info)})
    return Html(components.render(PARTNERSHIP_TEMPLATE, _MACROS[type(part)], part))


def partnership_html(report: partnership.PartnershipReport) -> list[Html]:
    """Every section of a partnership report, in reading order."""
    return [
        section_html(part)
        for part in (
            report.header,
            report.side_by_side,
            report.trajectories,
            report.aligned,
            report.improvers,
            report.finder,
            report.notes,
        )
    ]


@dataclass(frozen=True, repr=False)
class PartnershipPage(ShownReport):
    """One partnership's report: its data, choices and section model. It displays as the
    whole report; each method shows one section."""

    bundle: Bundle
    table: pl.DataFrame
    choice: partnership.PartnershipChoice
    model: partnership.PartnershipReport

    def sections(self) -> list[Html]:
        """Every section's HTML, in reading order: what the notebook shows."""
        return partnership_html(self.model)

    def header(self) -> Html:
        """Title, demonstration banner, the partners, focus and start year, contents."""
        return section_html(self.model.header)

    def side_by_side(self) -> Html:
        """Each partner's latest graded inspection, then the tartan rug of headline indicators."""
        return section_html(self.model.side_by_side)

    def trajectories(self) -> Html:
        """Every partner's graded inspections on one time line, with the sub-judgements."""
        return section_html(self.model.trajectories)

    def aligned_trends(self) -> Html:
        """Workforce and demand before and after each inspection (and the start year)."""
        return section_html(self.model.aligned)

    def improvers(self) -> Html:
        """The improvers' median path, band and n, with the focus authority's path."""
        return section_html(self.model.improvers)

    def partner_finder(self) -> Html:
        """Up to 5 authorities that were where the focus is and improved, and the method."""
        return section_html(self.model.finder)

    def data_notes(self) -> Html:
        """Data-quality flags on the partners, the sources, and what each indicator means."""
        return section_html(self.model.notes)


def partnership_page(
    partners: str,
    *,
    focus: str = "",
    start_year: int = 0,
    comparator: str = "sn2025",
    data_dir: str | Path | None = None,
    groups_file: str | Path | None = None,
) -> PartnershipPage:
    """Load the data and build a partnership's report.

    `partners` is a comma-separated list of names or codes, or one named group's name;
    `focus` "" means none; `start_year` 0 means none; `data_dir` "" follows
    `benchmarks.datadir`'s order; `groups_file` "" means the shipped example groups.
    """
    from benchmarks.comparison import comparison_for

    charts.enable_offline_renderer()
    bundle = load(data_dir or None)
    groups = Path(groups_file) if groups_file else None
    table = comparison_for(bundle, comparator, groups)
    choice = partnership.choose(
        bundle,
        table,
        partners,
        focus=focus or None,
        start_year=start_year or None,
        comparator=comparator,
        groups_file=groups,
    )
    return PartnershipPage(bundle, table, choice, partnership.build(bundle, table, choice))
