"""The authority report as data: a pure function from the loaded data, the comparison of
every authority and the reader's choices to the section model (`reports.model`).

`choose(bundle, table, la, year=, comparator=)` resolves the authority, year and
comparator group; `build(bundle, table, choice)` makes every section. Nothing here
reads files or writes HTML: `reports.html` renders the model, `reports.page` loads the
data for a notebook.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import polars as pl

from benchmarks import charts, formatting, indicators, narrative, tables
from benchmarks.charts.templates import starters_leavers_spec, timeline_spec
from benchmarks.errors import BenchmarksError
from benchmarks.panel import Bundle
from benchmarks.reports import model
from benchmarks.reports.parts import (
    POLAR_BAND_MEANING,
    definitions,
    label_with_unit,
    long_date,
    marker_words,
    sentence_case,
    source_table,
)
from benchmarks.sources.inspections import latest_judgements

CONTENTS = (
    ("headline", "1. Headline"),
    ("inspections", "2. Inspection history"),
    ("workforce", "3. Workforce"),
    ("demand", "4. Demand and practice"),
    ("outcomes", "5. Outcomes for children"),
    ("compares", "6. How the authority compares"),
    ("notes", "7. Data notes"),
)
#: Markers of a published figure too small to show: said as what they are, not "not published".
ROUNDS_TO_ZERO = ("k", "low")
#: Said after the summary of a percentage published as a whole number.
WHOLE_PERCENT_NOTE = "Percentages are published as whole numbers, rounded half up."


@dataclass(frozen=True)
class Choice:
    """One authority, year and comparator group, resolved against the data."""

    la_code: str
    la_name: str
    region_name: str
    year: int
    group: str
    group_label: str
    method: str
    neighbour_model: str
    neighbours: tuple[str, ...]

    @property
    def comparator_name(self) -> str:
        """The comparator as a legend label, e.g. 'Statistical neighbours in the 2025 model (median)'."""
        return f"{sentence_case(self.group_label)} ({self.method})"


def choose(
    bundle: Bundle,
    table: pl.DataFrame,
    la: str,
    *,
    year: int | None = None,
    comparator: str = "sn2025",
) -> Choice:
    """Resolve `la` (name or code) and check `year` (None: the latest with data)."""
    from benchmarks.geography import resolve_la

    code = resolve_la(bundle.authorities, la)
    mine = table.filter(pl.col("la_code") == code)
    years = mine.filter(pl.col("value").is_not_null())["year"]
    if years.len() == 0:
        raise BenchmarksError(
            f"There is no data for {la!r} (code {code}) in {bundle.meta.get('data_dir')}."
        )
    first, latest = int(years.min()), int(years.max())  # type: ignore[arg-type]
    if year is not None and not first <= year <= latest:
        raise BenchmarksError(f"No data for {la!r} in {year}: the data cover {first} to {latest}.")
    auth = bundle.authorities.filter(pl.col("la_code") == code).row(0, named=True)
    neighbour_model = comparator if comparator in ("sn2021", "sn2025") else "sn2025"
    neighbours = tuple(
        bundle.neighbours.filter((pl.col("la_code") == code) & (pl.col("model") == neighbour_model))
        .sort("rank")["neighbour_code"]
        .to_list()
    )
    labels = mine["group_label"].drop_nulls()
    return Choice(
        la_code=code,
        la_name=str(auth["la_name"]),
        region_name=auth.get("region_name") or "Region",
        year=year if year is not None else latest,
        group=comparator,
        group_label=str(labels[0]) if labels.len() else comparator,
        method=str(mine["comparator_method"].drop_nulls().first() or "median"),
        neighbour_model=neighbour_model,
        neighbours=neighbours,
    )


@dataclass(frozen=True)
class AuthorityReport:
    """The authority report's sections, in reading order."""

    header: model.Header
    headline: model.HeadlineSection
    inspections: model.InspectionSection
    workforce: model.IndicatorSection
    demand: model.IndicatorSection
    outcomes: model.IndicatorSection
    comparison: model.ComparisonSection
    notes: model.NotesSection


def build(bundle: Bundle, table: pl.DataFrame, choice: Choice) -> AuthorityReport:
    """Every section of one authority's report (pure: data in, section model out)."""
    return _Builder(bundle, table, choice).report()


class _Builder:
    """The frames one report reads, and a method per section."""

    def __init__(self, bundle: Bundle, table: pl.DataFrame, choice: Choice) -> None:
        self.bundle, self.table, self.c = bundle, table, choice
        self.demo = bool(bundle.meta.get("demo"))
        self.seen: dict[str, int] = {}  # chart ids on this page
        self.parts = _parts(table)
        mine = self.parts.authority(choice.la_code)
        self.rows = mine.filter(pl.col("year") <= choice.year)
        present = self.rows.filter(pl.col("value").is_not_null() | pl.col("status").is_not_null())
        self.latest = indicators.latest_rows(present)
        # Each indicator's first latest row and its rows, looked up once (not a query each).
        self.latest_by: dict[str, dict[str, Any]] = {}
        for row in self.latest.iter_rows(named=True):
            self.latest_by.setdefault(row["indicator"], row)
        self.series_by = {
            key[0]: frame
            for key, frame in self.rows.partition_by(
                "indicator", as_dict=True, maintain_order=True
            ).items()
        }
        self.inspections = bundle.inspections.filter(pl.col("la_code") == choice.la_code)

    def report(self) -> AuthorityReport:
        # Sections are built in reading order: chart ids count repeats in that order.
        return AuthorityReport(
            header=self.header(),
            headline=self.headline(),
            inspections=self.inspection_history(),
            workforce=self.workforce(),
            demand=self.demand(),
            outcomes=self.outcomes(),
            comparison=self.comparison(),
            notes=self.data_notes(),
        )

    def latest_row(self, indicator: str) -> dict[str, Any] | None:
        return self.latest_by.get(indicator)

    def section(self, anchor: str) -> model.Section:
        return model.Section(anchor, dict(CONTENTS)[anchor], self.demo)

    def figure(self, chart: Any, indicator: str | None = None) -> model.Figure:
        number_format = formatting.d3_format(indicator) if indicator else ",.1f"
        return charts.figure(chart, seen=self.seen, number_format=number_format)

    # -------------------------------------------------------------- sections

    def header(self) -> model.Header:
        c = self.c
        title = f"Children's social care benchmarks: {c.la_name}, {c.year}"
        info = {
            "la_code": c.la_code,
            "la_name": c.la_name,
            "year": c.year,
            "comparator": c.group,
            "title": title + (" (demonstration data)" if self.demo else ""),
            "demo": self.demo,
        }
        return model.Header(
            title=title,
            la_name=c.la_name,
            region_name=c.region_name,
            group_label=c.group_label,
            method=c.method,
            demo=self.demo,
            contents=tuple(model.Section(a, t) for a, t in CONTENTS),
            info=info,
        )

    def headline(self) -> model.HeadlineSection:
        strengths, concerns = self.strengths_and_concerns()
        return model.HeadlineSection(
            section=self.section("headline"),
            grades=self.grades(),
            tiles=tuple(self.tile(i) for i in indicators.headline_tiles() if self.latest_row(i)),
            findings=model.Findings(tuple(strengths), tuple(concerns)),
        )

    def grades(self) -> tuple[model.Grade, ...]:
        latest = latest_judgements(self.inspections)
        if latest.height == 0:
            return ()
        row = latest.row(0, named=True)
        out = [_grade(row, "Latest Ofsted inspection")]
        if not row["official"]:
            official = latest_judgements(self.inspections.filter(pl.col("official")))
            if official.height:
                out.append(
                    _grade(
                        official.row(0, named=True), "Latest grade in Ofsted's official statistics"
                    )
                )
        return tuple(out)

    def tile(self, indicator: str) -> model.Tile:
        row = self.latest_row(indicator)
        assert row is not None
        ind = indicators.get(indicator)
        extra: dict[str, str] = {}
        band = row["band"]
        if band:
            extra["band"] = band
            extra["band_meaning"] = POLAR_BAND_MEANING.get(band, "position among all authorities")
        if row["direction_1y"]:
            change = row["change_1y"]
            extra["arrow"] = "▬" if not change else ("▲" if change > 0 else "▼")
            extra["change"] = formatting.format_number(change, indicator, signed=True)
            extra["direction"] = row["direction_1y"]
        if row["significance"]:
            extra["significance"] = sentence_case(row["significance"])
            extra["versus"] = "from" if row["significance"].startswith("not") else "than"
        return model.Tile(
            label=ind.label,
            value=formatting.format_value(row["value"], row["status"], indicator),
            year=str(row["year"]),
            unit=ind.unit,
            comparator_label=sentence_case(self.c.group_label),
            comparator=formatting.format_number(row["comparator"], indicator),
            **extra,
        )

    def strengths_and_concerns(self) -> tuple[list[str], list[str]]:
        """The findings engine's top 3 strengths and top 3 concerns, as sentences."""
        picked = narrative.strengths_and_concerns(self.latest, top=3)

        def sentences(kind: str) -> list[str]:
            return picked.filter(pl.col("kind") == kind)["sentence"].to_list()

        return sentences("strength"), sentences("concern")

    def inspection_history(self) -> model.InspectionSection:
        if self.inspections.height == 0:
            timeline = model.Timeline(None)
        else:
            timeline = model.Timeline(
                self.figure(timeline_spec(self.inspections, self.c.la_name)),
                unofficial=not self.inspections["official"].all(),
            )
        return model.InspectionSection(self.section("inspections"), timeline)

    def indicator_block(self, indicator: str) -> model.IndicatorBlock:
        c = self.c
        ind = indicators.get(indicator)
        series = self.series_by.get(indicator, self.rows.clear())
        row = self.latest_row(indicator)
        if series["value"].null_count() == series.height:  # no values (or no rows)
            if row is None:
                return model.IndicatorBlock(ind.label, f"No published values for {c.la_name}.")
            return model.IndicatorBlock(
                ind.label, f"{self.summary(row)} There are no figures for {c.la_name} to chart."
            )
        series = series.with_columns(group_label=pl.lit(c.comparator_name))
        assert row is not None
        trend = charts.trend_spec(series, indicator, c.la_name, region_name=c.region_name)
        position = charts.position_spec(
            self.parts.one_year(indicator, row["year"]),
            indicator,
            c.la_code,
            c.neighbours,
            year=row["year"],
            england=row["england"],
        )
        figures = (
            _with_markers(self.figure(trend, indicator), series, c.la_name),
            self.figure(position, indicator),
        )
        return model.IndicatorBlock(ind.label, self.summary(row), figures)

    def summary(self, row: dict[str, Any]) -> str:
        """One factual sentence for an indicator's latest row."""
        c = self.c
        ind = indicators.get(row["indicator"])
        value = formatting.format_value(row["value"], row["status"], ind.id)
        if row["status"] in ROUNDS_TO_ZERO:
            value = marker_words(row["status"])
        elif row["status"] is not None:
            value = f"not published ({row['status']}: {formatting.marker_meaning(row['status'])})"
        text = (
            f"{row['year']}: {c.la_name} {value}; {c.group_label} "
            f"{formatting.format_number(row['comparator'], ind.id)}; "
            f"{c.region_name} {formatting.format_number(row['region_value'], ind.id)}; "
            f"England {formatting.format_number(row['england'], ind.id)}."
        )
        if row["rank"] is not None:
            order = {"lower_better": "1 = lowest", "higher_better": "1 = highest"}.get(
                ind.polarity, "1 = highest"
            )
            text += f" Rank {row['rank']} of {row['rank_of']} ({order})."
        if ind.unit == "%" and ind.decimals == 0 and ind.column is not None:
            text += " " + WHOLE_PERCENT_NOTE
        return text

    def workforce(self) -> model.IndicatorSection:
        blocks = [self.indicator_block(i) for i in indicators.section_indicators("workforce")]
        flows = self.bundle.panel.filter(
            (pl.col("la_code") == self.c.la_code)
            & pl.col("indicator").is_in(list(charts.STARTERS_LEAVERS))
            & (pl.col("year") <= self.c.year)
        )
        chart = starters_leavers_spec(flows, self.c.la_name)
        blocks.append(
            model.IndicatorBlock(
                "Starters and leavers", "", (self.figure(chart, "sw_starters_fte"),)
            )
        )
        return model.IndicatorSection(self.section("workforce"), tuple(blocks))

    def demand(self) -> model.IndicatorSection:
        blocks = tuple(self.indicator_block(i) for i in indicators.section_indicators("demand"))
        return model.IndicatorSection(self.section("demand"), blocks)

    def outcomes(self) -> model.IndicatorSection:
        blocks = tuple(self.indicator_block(i) for i in indicators.section_indicators("outcomes"))
        return model.IndicatorSection(self.section("outcomes"), blocks)

    def comparison(self) -> model.ComparisonSection:
        return model.ComparisonSection(
            section=self.section("compares"),
            display=tables.comparison_display(self.latest),
            la_name=self.c.la_name,
            group_label=self.c.comparator_name,
            year=self.c.year,
        )

    def data_notes(self) -> model.NotesSection:
        flags = (
            self.bundle.flags.filter(
                (pl.col("la_code") == self.c.la_code) & (pl.col("year") <= self.c.year)
            )
            .sort("indicator", "flag", "year")
            .group_by("indicator", "flag", maintain_order=True)
            .agg(pl.col("year").unique().sort(), pl.col("explanation").last())
        )
        flag_table = None
        if flags.height:
            flag_table = model.DataTable(
                caption="Flags by indicator (latest explanation shown)",
                headers=("Indicator", "Flag", "Years", "Explanation"),
                rows=tuple(
                    (
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
            *indicators.section_indicators("workforce"),
            *indicators.section_indicators("demand"),
            *indicators.section_indicators("outcomes"),
            *charts.STARTERS_LEAVERS,
        ]
        notes = model.DataNotes(flag_table, self.sources(), definitions(shown))
        return model.NotesSection(self.section("notes"), notes)

    def sources(self) -> model.DataTable:
        return source_table(self.bundle)


class _Partitions:
    """What a report reads from the comparison table of every authority: one authority's
    rows, and each indicator's year across authorities (the position chart's data), kept
    while the table is the same, so a pack's kept kernel filters the table for each
    (indicator, year) once, not once a report. (Splitting the whole table with
    `partition_by` costs ~0.1 s, more than a single report's filters.)"""

    def __init__(self, table: pl.DataFrame) -> None:
        self.table = table  # kept, so `_parts` can tell this table from a new one
        self._years: dict[tuple[str, int], pl.DataFrame] = {}

    def authority(self, la_code: str) -> pl.DataFrame:
        """The table's rows for one authority, in the table's order."""
        return self.table.filter(pl.col("la_code") == la_code)

    def one_year(self, indicator: str, year: int) -> pl.DataFrame:
        """`la_code, la_name, value` of every authority for one indicator and year (first
        row per authority, in the table's order): what the position chart draws."""
        key = (indicator, year)
        if key not in self._years:
            self._years[key] = (
                self.table.filter((pl.col("indicator") == indicator) & (pl.col("year") == year))
                .select("la_code", "la_name", "value")
                .unique("la_code", maintain_order=True)
            )
        return self._years[key]


_PARTS: list[_Partitions] = []  # the last table's partitions (one table per kept kernel)


def _parts(table: pl.DataFrame) -> _Partitions:
    """The partitions of `table`, made once while it is the table reports are built from."""
    if not _PARTS or _PARTS[0].table is not table:
        _PARTS[:] = [_Partitions(table)]
    return _PARTS[0]


def _with_markers(figure: model.Figure, series: pl.DataFrame, la_name: str) -> model.Figure:
    """A trend figure whose "view as table" writes the authority's markers with their
    meaning where the chart's own table has a dash (a marker is no number to draw)."""
    marks = {
        str(year): str(status)
        for year, status in zip(series["year"].to_list(), series["status"].to_list(), strict=True)
        if status is not None
    }
    headers = figure.table.headers
    if not marks or la_name not in headers or "Year" not in headers:
        return figure
    column, year = headers.index(la_name), headers.index("Year")
    rows = tuple(
        tuple(
            marker_words(marks[str(row[year])]) if i == column and row[year] in marks else cell
            for i, cell in enumerate(row)
        )
        for row in figure.table.rows
    )
    return replace(figure, table=replace(figure.table, rows=rows))


def _grade(row: dict[str, Any], heading: str) -> model.Grade:
    """One inspection's grade, dates, framework, sub-judgements and whether it is official."""
    dates = f"inspected {long_date(row['inspection_date'])}" if row["inspection_date"] else ""
    published = f"published {long_date(row['publication_date'])}" if row["publication_date"] else ""
    subs = [(label, row[column]) for column, label in formatting.SUB_JUDGEMENTS.items()]
    judgements = [(k, str(v)) for k, v in subs if v]
    if row["other_judgements"]:
        judgements += [
            (part.split(":", 1)[0], part.split(":", 1)[-1].strip())
            for part in str(row["other_judgements"]).split("; ")
        ]
    return model.Grade(
        heading=heading,
        overall=row["overall"] or "No overall grade",
        framework=row["framework"] or "",
        event=(row["event_type"] or "").lower(),
        when="; ".join(d for d in (dates, published) if d),
        unofficial=not row["official"],
        judgements=tuple(judgements),
    )
