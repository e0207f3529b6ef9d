"""Render a report's section model to HTML with the shared components.

`section_html(part)` renders one section (a notebook cell shows each one);
`authority_html(report)` renders them all, in order. The comparison table is drawn by
great_tables from the section's display rows.
"""

from __future__ import annotations

from markupsafe import Markup

from benchmarks import components, tables
from benchmarks.components import METADATA_KEY, Html
from benchmarks.reports import model
from benchmarks.reports.authority import AuthorityReport

AUTHORITY_TEMPLATE = "reports/authority.html.j2"

_MACROS = {
    model.HeadlineSection: "headline",
    model.InspectionSection: "inspections",
    model.IndicatorSection: "indicators",
    model.NotesSection: "notes",
}

Section = (
    model.Header
    | model.HeadlineSection
    | model.InspectionSection
    | model.IndicatorSection
    | model.ComparisonSection
    | model.NotesSection
)


def section_html(part: Section) -> Html:
    """One section as a displayable HTML block (the header carries the report's metadata)."""
    if isinstance(part, model.Header):
        body = components.render(AUTHORITY_TEMPLATE, "header", part)
        return Html(body, {METADATA_KEY: dict(part.info)})
    if isinstance(part, model.ComparisonSection):
        table = tables.comparison_gt(
            part.display, la_name=part.la_name, group_label=part.group_label, year=part.year
        )
        return Html(
            components.render(AUTHORITY_TEMPLATE, "comparison", part, Markup(table.as_raw_html()))
        )
    return Html(components.render(AUTHORITY_TEMPLATE, _MACROS[type(part)], part))


def authority_html(report: AuthorityReport) -> list[Html]:
    """Every section of an authority report, in reading order."""
    return [
        section_html(part)
        for part in (
            report.header,
            report.headline,
            report.inspections,
            report.workforce,
            report.demand,
            report.outcomes,
            report.comparison,
            report.notes,
        )
    ]
