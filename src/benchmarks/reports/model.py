"""The section model: plain dataclasses saying what each part of a report shows.

Report kinds (`reports.authority`, and the partnership and exploration reports) build
these from data; `reports.html` renders them with the shared components. Every field
is display text (already formatted by `benchmarks.formatting`), a flag, or another
part; nothing here computes or formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from benchmarks.components import Cell, DataTable, Figure

__all__ = [
    "Cell",
    "ComparisonSection",
    "DataNotes",
    "DataTable",
    "Definition",
    "Figure",
    "FigureSection",
    "FinderSection",
    "Findings",
    "Grade",
    "Header",
    "HeadlineSection",
    "IndicatorBlock",
    "IndicatorSection",
    "InspectionSection",
    "NotesSection",
    "ReportHeader",
    "Rug",
    "RugCell",
    "Section",
    "SideBySideSection",
    "Tile",
    "Timeline",
]


@dataclass(frozen=True)
class Section:
    """A numbered section's heading: its anchor, title, and the demonstration tag."""

    anchor: str
    title: str
    demo: bool = False


@dataclass(frozen=True)
class Header:
    """The title, the demonstration banner, the lede and the contents list."""

    title: str
    la_name: str
    region_name: str
    group_label: str
    method: str
    demo: bool
    contents: tuple[Section, ...]
    info: dict[str, Any] = field(default_factory=dict)  # recorded in the notebook's output


@dataclass(frozen=True)
class Tile:
    """A headline tile. Empty strings leave a line out (no band, no change, no significance)."""

    label: str
    value: str
    year: str
    unit: str
    comparator_label: str
    comparator: str
    band: str = ""
    band_meaning: str = ""
    arrow: str = ""
    change: str = ""
    direction: str = ""
    significance: str = ""
    versus: str = ""


@dataclass(frozen=True)
class Grade:
    """One inspection's grade, as the grade box shows it."""

    heading: str
    overall: str
    framework: str
    event: str
    when: str
    unofficial: bool
    judgements: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Findings:
    """The top strengths and concerns, as sentences."""

    strengths: tuple[str, ...]
    concerns: tuple[str, ...]


@dataclass(frozen=True)
class HeadlineSection:
    section: Section
    grades: tuple[Grade, ...]  # none: no graded inspection
    tiles: tuple[Tile, ...]
    findings: Findings


@dataclass(frozen=True)
class Timeline:
    """The inspection timeline chart (None: no inspection recorded) and the unofficial note."""

    figure: Figure | None
    unofficial: bool = False


@dataclass(frozen=True)
class InspectionSection:
    section: Section
    timeline: Timeline


@dataclass(frozen=True)
class IndicatorBlock:
    """A heading, one factual sentence (or why there is no chart), and its charts."""

    title: str
    text: str
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class IndicatorSection:
    section: Section
    blocks: tuple[IndicatorBlock, ...]


@dataclass(frozen=True)
class ComparisonSection:
    """The comparison table: `tables.comparison_display` rows and its title's names."""

    section: Section
    display: pl.DataFrame
    la_name: str
    group_label: str
    year: int


@dataclass(frozen=True)
class Definition:
    """What an indicator means, for the data notes."""

    label: str
    unit: str
    definition: str
    reference_date: str
    polarity: str


@dataclass(frozen=True)
class DataNotes:
    """Data-quality flags (None: no flag), the source files, and the definitions."""

    flags: DataTable | None
    sources: DataTable
    definitions: tuple[Definition, ...]


@dataclass(frozen=True)
class NotesSection:
    section: Section
    notes: DataNotes


# ------------------------------------------------------------------ shared by other report kinds


@dataclass(frozen=True)
class ReportHeader:
    """A report's title, demonstration banner, lede sentences and contents list (for report
    kinds about more than one authority, such as the partnership report)."""

    title: str
    lede: tuple[str, ...]
    demo: bool
    contents: tuple[Section, ...]
    info: dict[str, Any] = field(default_factory=dict)  # recorded in the notebook's output


@dataclass(frozen=True)
class RugCell:
    """One cell of a tartan rug: the value, its band's letter (empty: no band) and what the
    band means, and the cell's year."""

    text: str
    band: str
    meaning: str
    year: str


@dataclass(frozen=True)
class Rug:
    """A compact grid of authorities (rows) by indicators (columns), each cell banded."""

    caption: str
    headers: tuple[str, ...]  # the first is the authorities' column
    rows: tuple[tuple[str, tuple[RugCell, ...]], ...]
    key: tuple[tuple[str, str], ...]  # band letter, meaning


@dataclass(frozen=True)
class SideBySideSection:
    """Each authority's latest graded inspection (a grade box each), then the rug."""

    section: Section
    grades: tuple[Grade, ...]
    ungraded: tuple[str, ...]  # names with no graded inspection
    rug: Rug


@dataclass(frozen=True)
class FigureSection:
    """Paragraphs of text and charts (each with "view as table")."""

    section: Section
    paragraphs: tuple[str, ...]
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class FinderSection:
    """The partner finder: a lede, the suggestions (None: none found) with a reason each,
    and the method as (heading, text) paragraphs."""

    section: Section
    text: str
    suggestions: DataTable | None
    reasons: tuple[str, ...]
    method: tuple[tuple[str, str], ...]
