"""What the authority report notebook calls: load the data, compare, build, display.

`authority_page(la, year=, comparator=, data_dir=, groups_file=)` loads the data (the
panel's cache), compares every authority once (`benchmarks.cache`: kept in the process
for a pack's kept-alive kernel, and as parquet), builds the section model with
`reports.authority.build` and returns a `Page`. A notebook shows the whole report by
showing the page (its one output); each method returns one section's HTML: header,
headline, inspection_history, workforce, demand, outcomes, comparison, data_notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from benchmarks.comparison import comparison_for
from benchmarks.components import Html, ShownReport
from benchmarks.panel import Bundle, load
from benchmarks.reports import authority
from benchmarks.reports.html import authority_html, section_html


@dataclass(frozen=True, repr=False)
class Page(ShownReport):
    """One authority's report: its data, choices and section model. It displays as the
    whole report; each method shows one section."""

    bundle: Bundle
    table: pl.DataFrame  # comparison of every authority with the group, all years
    choice: authority.Choice
    model: authority.AuthorityReport

    def sections(self) -> list[Html]:
        """Every section's HTML, in reading order: what the notebook shows."""
        return authority_html(self.model)

    def header(self) -> Html:
        """Title, demonstration banner (screen and every printed page), contents."""
        return section_html(self.model.header)

    def headline(self) -> Html:
        """Latest Ofsted grade, headline tiles and the top strengths and concerns."""
        return section_html(self.model.headline)

    def inspection_history(self) -> Html:
        """Every inspection and visit on a time line, with a table of every event."""
        return section_html(self.model.inspections)

    def workforce(self) -> Html:
        """Turnover, agency, vacancy, caseload, absence, and starters against leavers."""
        return section_html(self.model.workforce)

    def demand(self) -> Html:
        """Children in need, referrals, section 47, ICPC, CP plans, CLA, CLA with 3+ social workers."""
        return section_html(self.model.demand)

    def outcomes(self) -> Html:
        """Placement stability, care leavers in education, employment or training and in
        suitable accommodation, ICPC conversion, and factors identified at assessment."""
        return section_html(self.model.outcomes)

    def comparison(self) -> Html:
        """Section 6: the great_tables table for every indicator."""
        return section_html(self.model.comparison)

    def data_notes(self) -> Html:
        """Every data-quality flag on this authority, the sources, and what each indicator means."""
        return section_html(self.model.notes)


def authority_page(
    la: str,
    *,
    year: int | None = None,
    comparator: str = "sn2025",
    data_dir: str | Path | None = None,
    groups_file: str | Path | None = None,
) -> Page:
    """Load the data and build one authority's report for a year and comparator.

    `year` None or 0 means the latest year with data; `data_dir` None or "" follows
    `benchmarks.datadir`'s resolution order (the notebook's parameters use 0 and "");
    `groups_file` None or "" means the shipped example partnership groups.
    """
    bundle = load(data_dir or None)
    table = comparison_for(bundle, comparator, Path(groups_file) if groups_file else None)
    choice = authority.choose(bundle, table, la, year=year or None, comparator=comparator)
    return Page(bundle, table, choice, authority.build(bundle, table, choice))
