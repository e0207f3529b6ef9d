"""The authority report's sections, built from library calls (the notebook only displays them).

`report_context(la, year=, comparator=, data_dir=)` loads the data, compares every
authority once (cached in the process, so a kept-alive kernel rendering a pack pays for
it once), and returns a `Report`. Each of its section methods returns an `Html` block
that a notebook cell displays: header, headline, inspection_history, workforce, demand,
comparison, data_notes.

Every name that reaches HTML is escaped here or by great_tables.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl

from benchmarks import charts, indicators, tables
from benchmarks.errors import BenchmarksError
from benchmarks.panel import Bundle, load
from benchmarks.schema import MARKERS

#: The headline tiles (6-8), in reading order.
HEADLINE_TILES = (
    "sw_turnover_rate",
    "sw_agency_rate",
    "sw_vacancy_rate",
    "sw_caseload",
    "cin_rate_per_10k",
    "rereferral_rate",
    "cpp_repeat_rate",
    "cla_rate_per_10k",
)
WORKFORCE = (
    "sw_turnover_rate",
    "sw_agency_rate",
    "sw_vacancy_rate",
    "sw_caseload",
    "sw_absence_rate",
)
DEMAND = (
    "cin_rate_per_10k",
    "referral_rate_per_10k",
    "rereferral_rate",
    "s47_rate_per_10k",
    "icpc_rate_per_10k",
    "cpp_rate_per_10k",
    "cpp_repeat_rate",
    "cla_rate_per_10k",
    "cla_3plus_sw_rate",
)
METADATA_KEY = "benchmarks"  # read by benchmarks.render.report_info
POLAR_BAND_MEANING = {
    "A": "best quarter of authorities",
    "B": "second-best quarter",
    "C": "second-worst quarter",
    "D": "worst quarter of authorities",
}


class Html:
    """A block of HTML a notebook displays as itself (optionally with output metadata)."""

    def __init__(self, body: str, metadata: dict[str, Any] | None = None) -> None:
        self.body = body
        self.metadata = metadata or {}

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        return {"text/html": self.body}, self.metadata

    def __str__(self) -> str:
        return self.body


def esc(value: object) -> str:
    """HTML-escape any value's text."""
    return html.escape(str(value))


def long_date(value: date | None) -> str:
    """'30 June 2025' (or 'date not known')."""
    return f"{value.day} {value:%B %Y}" if value else "date not known"


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


# ------------------------------------------------------------------ data and caching

_COMPARISONS: dict[str, pl.DataFrame] = {}
#: Files whose code or content shapes the comparison table (part of its cache key).
_COMPARE_CODE = (
    "comparison.py",
    "comparators.py",
    "intervals.py",
    "groups.py",
    "indicators.toml",
    "partnerships.example.toml",
)


def comparison_key(bundle: Bundle, group: str, groups_file: Path | None = None) -> str:
    """A digest of what the comparison depends on: the bundle's provenance (every input
    file's sha256, its folder, and when the panel was built, so a rebuilt panel never meets
    an old comparison), the group, the comparison code and catalogue, and polars' version."""
    package = resources.files("benchmarks")
    digest = hashlib.sha256(
        json.dumps([bundle.meta, group, pl.__version__], sort_keys=True, default=str).encode()
    )
    for name in _COMPARE_CODE:
        digest.update(package.joinpath(name).read_bytes())
    if groups_file is not None and groups_file.is_file():
        digest.update(groups_file.read_bytes())
    return digest.hexdigest()


def comparison_for(bundle: Bundle, group: str, groups_file: Path | None = None) -> pl.DataFrame:
    """Every authority's comparison with `group`, computed once per data version and group.

    Kept in this process (a pack's kept-alive kernel computes it once) and as parquet in
    BENCHMARKS_HOME/cache/comparison (a single report in a fresh process reads it back).
    """
    from benchmarks import atomic, datadir
    from benchmarks.comparison import comparison_for_bundle

    key = comparison_key(bundle, group, groups_file)
    if key in _COMPARISONS:
        return _COMPARISONS[key]
    cached = datadir.home() / "cache" / "comparison" / f"{key}.parquet"
    try:
        table = pl.read_parquet(cached)
    except (OSError, pl.exceptions.PolarsError):
        table = comparison_for_bundle(bundle, group=group, partnerships=groups_file)
        try:
            atomic.write_frame(table, cached)
        except OSError:
            pass  # an unwritable cache only costs time
    _COMPARISONS.clear()  # one data version and group at a time
    _COMPARISONS[key] = table
    return table


def report_context(
    la: str,
    *,
    year: int | None = None,
    comparator: str = "sn2025",
    data_dir: str | Path | None = None,
    groups_file: str | Path | None = None,
) -> Report:
    """Load the data and pick out one authority, year and comparator for the report.

    `year` None or 0 means the latest year with data; `data_dir` None or "" follows
    `benchmarks.datadir`'s resolution order (the notebook's parameters use 0 and "");
    `groups_file` None or "" means the shipped example partnership groups.
    """
    from benchmarks.sources.authorities import resolve_la

    charts.enable_offline_renderer()
    year = year or None
    bundle = load(data_dir or None)
    code = resolve_la(bundle.authorities, la)
    table = comparison_for(bundle, comparator, Path(groups_file) if groups_file else None)
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
    model = comparator if comparator in ("sn2021", "sn2025") else "sn2025"
    neighbours = tuple(
        bundle.neighbours.filter((pl.col("la_code") == code) & (pl.col("model") == model))
        .sort("rank")["neighbour_code"]
        .to_list()
    )
    labels = mine["group_label"].drop_nulls()
    return Report(
        bundle=bundle,
        table=table,
        la_code=code,
        la_name=str(auth["la_name"]),
        region_name=auth.get("region_name") or "Region",
        year=year if year is not None else latest,
        group=comparator,
        group_label=str(labels[0]) if labels.len() else comparator,
        method=str(mine["comparator_method"].drop_nulls().first() or "median"),
        neighbour_model=model,
        neighbours=neighbours,
    )


@dataclass
class Report:
    """One authority's report: the data, the choices, and a builder for each section."""

    bundle: Bundle
    table: pl.DataFrame  # comparison of every authority with the group, all years
    la_code: str
    la_name: str
    region_name: str
    year: int
    group: str
    group_label: str
    method: str
    neighbour_model: str
    neighbours: tuple[str, ...]
    _seen: dict[str, int] = field(default_factory=dict, repr=False)

    # -------------------------------------------------------------- frames

    @property
    def demo(self) -> bool:
        return bool(self.bundle.meta.get("demo"))

    @cached_property
    def rows(self) -> pl.DataFrame:
        """This authority's comparison rows up to the report year."""
        return self.table.filter(
            (pl.col("la_code") == self.la_code) & (pl.col("year") <= self.year)
        )

    @cached_property
    def latest(self) -> pl.DataFrame:
        """Each indicator's latest row (with a value or a marker) up to the report year."""
        present = self.rows.filter(pl.col("value").is_not_null() | pl.col("status").is_not_null())
        return present.filter(pl.col("year") == pl.col("year").max().over("indicator"))

    def latest_row(self, indicator: str) -> dict[str, Any] | None:
        found = self.latest.filter(pl.col("indicator") == indicator)
        return found.row(0, named=True) if found.height else None

    @property
    def comparator_name(self) -> str:
        """The comparator as a legend label, e.g. 'Statistical neighbours in the 2025 model (median)'."""
        return f"{sentence_case(self.group_label)} ({self.method})"

    @cached_property
    def inspections(self) -> pl.DataFrame:
        return self.bundle.inspections.filter(pl.col("la_code") == self.la_code)

    def _figure(self, chart: Any, indicator: str | None = None) -> str:
        places = tables.decimals_for(indicator) if indicator else 1
        return charts.figure_html(chart, seen=self._seen, number_format=f",.{places}f")

    # -------------------------------------------------------------- sections

    def header(self) -> Html:
        """Title, demonstration banner (screen and every printed page), contents."""
        title = f"Children's social care benchmarks: {self.la_name}, {self.year}"
        banner = ""
        if self.demo:
            banner = (
                '<div class="bm-demo-banner" role="alert"><strong>DEMONSTRATION DATA: NOT REAL FIGURES'
                "</strong>Every number, grade and finding in this report is invented, generated to "
                "show how the report works. Do not use it for any decision.</div>"
                '<div class="bm-demo-print" aria-hidden="true">DEMONSTRATION DATA: NOT REAL FIGURES</div>'
            )
        sections = [
            ("headline", "1. Headline"),
            ("inspections", "2. Inspection history"),
            ("workforce", "3. Workforce"),
            ("demand", "4. Demand and practice"),
            ("compares", "5. How the authority compares"),
            ("notes", "6. Data notes"),
        ]
        nav = "".join(f'<li><a href="#{a}">{esc(t)}</a></li>' for a, t in sections)
        body = (
            f"{banner}<h1>{esc(title)}</h1>"
            f'<p class="bm-lede">{esc(self.la_name)} ({esc(self.region_name)}) compared with '
            f"{esc(self.group_label)}, its region and England. Comparator figures are the "
            f"{esc(self.method)} of the group's other authorities.</p>"
            f'<nav aria-label="Contents"><ul class="bm-contents">{nav}</ul></nav>'
        )
        info = {
            "la_code": self.la_code,
            "la_name": self.la_name,
            "year": self.year,
            "comparator": self.group,
            "title": title + (" (demonstration data)" if self.demo else ""),
            "demo": self.demo,
        }
        return Html(body, {METADATA_KEY: info})

    def _section(self, anchor: str, title: str) -> str:
        tag = '<span class="bm-demo-tag">Demonstration data</span>' if self.demo else ""
        return f'<h2 id="{anchor}">{esc(title)}{tag}</h2>'

    def headline(self) -> Html:
        """Latest Ofsted grade, headline tiles and the top strengths and concerns."""
        parts = [self._section("headline", "1. Headline"), self._grade_box()]
        parts.append('<h3>Headline indicators</h3><div class="bm-tiles">')
        parts += [self._tile(i) for i in HEADLINE_TILES if self.latest_row(i)]
        parts.append("</div>")
        parts.append(self._findings())
        return Html("".join(parts))

    def _grade_box(self) -> str:
        from benchmarks.sources.inspections import latest_judgements

        latest = latest_judgements(self.inspections)
        if latest.height == 0:
            return '<div class="bm-grade"><p>No graded Ofsted inspection is recorded for this authority.</p></div>'
        row = latest.row(0, named=True)
        out = ['<div class="bm-grade">', _grade_block(row, "Latest Ofsted inspection")]
        if not row["official"]:
            official = latest_judgements(self.inspections.filter(pl.col("official")))
            if official.height:
                out.append(
                    _grade_block(
                        official.row(0, named=True), "Latest grade in Ofsted's official statistics"
                    )
                )
        out.append("</div>")
        return "".join(out)

    def _tile(self, indicator: str) -> str:
        row = self.latest_row(indicator)
        assert row is not None
        ind = indicators.get(indicator)
        value = tables.format_value(row["value"], row["status"], indicator)
        lines = [
            f"{esc(sentence_case(self.group_label))}: {esc(tables.format_number(row['comparator'], indicator))}",
        ]
        band = row["band"]
        if band:
            meaning = POLAR_BAND_MEANING.get(band, "position among all authorities")
            lines.append(
                f'<span class="bm-band" title="{esc(meaning)}">{esc(band)}</span> {esc(meaning)}'
            )
        if row["direction_1y"]:
            arrow = "▬" if not row["change_1y"] else ("▲" if row["change_1y"] > 0 else "▼")
            lines.append(
                f"{arrow} {esc(tables.format_number(row['change_1y'], indicator, signed=True))} "
                f"on a year ago ({esc(row['direction_1y'])})"
            )
        if row["significance"]:
            versus = "from" if row["significance"].startswith("not") else "than"
            lines.append(
                f'<span class="bm-sig">{esc(sentence_case(row["significance"]))}</span> '
                f"{versus} the comparator"
            )
        return (
            f'<div class="bm-tile"><h3>{esc(ind.label)}</h3>'
            f'<div class="bm-tile-value">{esc(value)}</div>'
            f"<p>{esc(row['year'])} ({esc(ind.unit)})</p>"
            + "".join(f"<p>{line}</p>" for line in lines)
            + "</div>"
        )

    def _findings(self) -> str:
        strengths, concerns = self.strengths_and_concerns()

        def block(kind: str, title: str, items: list[str]) -> str:
            body = (
                "".join(f"<li>{esc(s)}</li>" for s in items)
                or "<li>None stands out this year.</li>"
            )
            return f'<section class="bm-{kind}"><h3>{esc(title)}</h3><ul>{body}</ul></section>'

        return (
            '<div class="bm-findings">'
            + block("strengths", "Top strengths", strengths)
            + block("concerns", "Top concerns", concerns)
            + "</div>"
        )

    def strengths_and_concerns(self) -> tuple[list[str], list[str]]:
        """The findings engine's top 3 strengths and top 3 concerns, as sentences."""
        from benchmarks import narrative

        picked = narrative.strengths_and_concerns(self.latest, top=3)

        def sentences(kind: str) -> list[str]:
            return picked.filter(pl.col("kind") == kind)["sentence"].to_list()

        return sentences("strength"), sentences("concern")

    def inspection_history(self) -> Html:
        """Every inspection and visit on a time line, with a table of every judgement."""
        parts = [self._section("inspections", "2. Inspection history")]
        if self.inspections.height == 0:
            parts.append("<p>No Ofsted inspections or visits are recorded for this authority.</p>")
        else:
            parts.append(self._figure(charts.inspection_timeline(self.inspections, self.la_name)))
            if not self.inspections["official"].all():
                parts.append(
                    '<p class="bm-note"><span class="bm-unofficial">Unofficial:</span> events after '
                    "Ofsted's latest official statistics come from Data to Insight's scrape of "
                    "published Ofsted reports, not from an official statistic.</p>"
                )
        return Html("".join(parts))

    def _indicator_block(self, indicator: str) -> str:
        ind = indicators.get(indicator)
        series = self.rows.filter(pl.col("indicator") == indicator)
        if series.filter(pl.col("value").is_not_null()).height == 0:
            return f"<h3>{esc(ind.label)}</h3><p>No published values for {esc(self.la_name)}.</p>"
        series = series.with_columns(group_label=pl.lit(self.comparator_name))
        row = self.latest_row(indicator)
        assert row is not None
        parts = [f"<h3>{esc(ind.label)}</h3>", f"<p>{esc(self.summary(row))}</p>"]
        parts.append(
            self._figure(
                charts.trend_spec(series, indicator, self.la_name, region_name=self.region_name),
                indicator,
            )
        )
        one_year = self.table.filter(
            (pl.col("indicator") == indicator) & (pl.col("year") == row["year"])
        )
        parts.append(
            self._figure(
                charts.position_spec(
                    one_year.select("la_code", "la_name", "value").unique(
                        "la_code", maintain_order=True
                    ),
                    indicator,
                    self.la_code,
                    self.neighbours,
                    year=row["year"],
                    england=row["england"],
                ),
                indicator,
            )
        )
        return "".join(parts)

    def summary(self, row: dict[str, Any]) -> str:
        """One factual sentence for an indicator's latest row."""
        ind = indicators.get(row["indicator"])
        value = tables.format_value(row["value"], row["status"], ind.id)
        if row["status"] is not None:
            value = f"not published ({row['status']}: {MARKERS.get(row['status'], 'marker')})"
        text = (
            f"{row['year']}: {self.la_name} {value}; {self.group_label} "
            f"{tables.format_number(row['comparator'], ind.id)}; "
            f"{self.region_name} {tables.format_number(row['region_value'], ind.id)}; "
            f"England {tables.format_number(row['england'], ind.id)}."
        )
        if row["rank"] is not None:
            order = {"lower_better": "1 = lowest", "higher_better": "1 = highest"}.get(
                ind.polarity, "1 = highest"
            )
            text += f" Rank {row['rank']} of {row['rank_of']} ({order})."
        return text

    def workforce(self) -> Html:
        """Turnover, agency, vacancy, caseload, absence, and starters against leavers."""
        parts = [self._section("workforce", "3. Workforce")]
        parts += [self._indicator_block(i) for i in WORKFORCE]
        flows = self.bundle.panel.filter(
            (pl.col("la_code") == self.la_code)
            & pl.col("indicator").is_in(["sw_starters_fte", "sw_leavers_fte"])
            & (pl.col("year") <= self.year)
        )
        parts.append("<h3>Starters and leavers</h3>")
        parts.append(
            self._figure(charts.starters_leavers_chart(flows, self.la_name), "sw_starters_fte")
        )
        return Html("".join(parts))

    def demand(self) -> Html:
        """Children in need, referrals, section 47, ICPC, CP plans, CLA, CLA with 3+ social workers."""
        parts = [self._section("demand", "4. Demand and practice")]
        parts += [self._indicator_block(i) for i in DEMAND]
        return Html("".join(parts))

    def comparison(self) -> Html:
        """Section 5: the great_tables table for every indicator."""
        table = tables.comparison_table(
            self.latest, la_name=self.la_name, group_label=self.comparator_name, year=self.year
        )
        return Html(
            self._section("compares", "5. How the authority compares") + table.as_raw_html()
        )

    def data_notes(self) -> Html:
        """Every data-quality flag on this authority, the sources, and what each indicator means."""
        parts = [
            self._section("notes", "6. Data notes"),
            "<h3>Data-quality flags for this authority</h3>",
        ]
        flags = (
            self.bundle.flags.filter(
                (pl.col("la_code") == self.la_code) & (pl.col("year") <= self.year)
            )
            .sort("indicator", "flag", "year")
            .group_by("indicator", "flag", maintain_order=True)
            .agg(pl.col("year").unique().sort(), pl.col("explanation").last())
        )
        if flags.height == 0:
            parts.append("<p>No data-quality flags touch this authority.</p>")
        else:
            rows = "".join(
                f"<tr><td>{esc(_label(r['indicator']))}</td><td>{esc(r['flag'].replace('_', ' '))}</td>"
                f"<td>{esc(', '.join(str(y) for y in r['year']))}</td><td>{esc(r['explanation'])}</td></tr>"
                for r in flags.iter_rows(named=True)
            )
            parts.append(
                '<table class="bm-data"><caption>Flags by indicator (latest explanation shown)</caption>'
                '<thead><tr><th scope="col">Indicator</th><th scope="col">Flag</th>'
                '<th scope="col">Years</th><th scope="col">Explanation</th></tr></thead>'
                f"<tbody>{rows}</tbody></table>"
            )
        parts.append("<h3>Sources</h3>")
        parts.append(self._sources())
        parts.append('<h3>What each indicator means</h3><dl class="bm-notes">')
        for ind_id in dict.fromkeys(
            [*HEADLINE_TILES, *WORKFORCE, *DEMAND, "sw_starters_fte", "sw_leavers_fte"]
        ):
            ind = indicators.get(ind_id)
            parts.append(
                f"<dt>{esc(ind.label)} ({esc(ind.unit)})</dt><dd>{esc(ind.definition)} "
                f"Reference date: {esc(ind.reference_date)}. {esc(_polarity_text(ind.polarity))}</dd>"
            )
        parts.append("</dl>")
        if self.demo:
            parts.append(
                '<div class="bm-demo-banner"><strong>DEMONSTRATION DATA</strong>'
                "The figures above are invented.</div>"
            )
        return Html("".join(parts))

    def _sources(self) -> str:
        latest_year = self.bundle.panel.group_by("source").agg(pl.col("year").max())
        years = dict(latest_year.iter_rows())
        rows = []
        for s in self.bundle.meta.get("sources", []):
            status = (
                "official statistics"
                if s.get("official", True)
                else "unofficial, not an official statistic"
            )
            covers = f"to {years[s['id']]}" if s["id"] in years else "–"
            fetched = s.get("fetched_at") or "not recorded (folder supplied)"
            rows.append(
                f'<tr><td>{esc(s["title"])}<br><span class="bm-meta">{esc(s["publisher"])}; '
                f'{esc(status)}</span></td><td>{esc(s["file"])}<br><span class="bm-meta">sha256 '
                f"{esc(str(s.get('sha256', ''))[:16])}</span></td><td>{esc(covers)}</td><td>{esc(fetched)}</td></tr>"
            )
        return (
            '<table class="bm-data"><caption>Files this report was built from</caption><thead><tr>'
            '<th scope="col">Source</th><th scope="col">File</th><th scope="col">Data years</th>'
            '<th scope="col">Downloaded</th>'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )


def _label(indicator: str) -> str:
    try:
        return tables.label_with_unit(indicator)
    except KeyError:
        return indicator


def _polarity_text(polarity: str) -> str:
    return {
        "lower_better": "Lower is better.",
        "higher_better": "Higher is better.",
    }.get(polarity, "Neither higher nor lower is better in itself.")


def _grade_block(row: dict[str, Any], heading: str) -> str:
    """One inspection's grade, dates, framework, sub-judgements and (if so) unofficial label."""
    overall = row["overall"] or "No overall grade"
    dates = f"inspected {long_date(row['inspection_date'])}" if row["inspection_date"] else ""
    published = f"published {long_date(row['publication_date'])}" if row["publication_date"] else ""
    when = "; ".join(d for d in (dates, published) if d)
    subs = [
        ("Leadership", row["leaders"]),
        ("Help and protection", row["help_and_protection"]),
        ("Children in care", row["children_in_care"]),
        ("Care leavers", row["care_leavers"]),
    ]
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in subs if v)
    if row["other_judgements"]:
        items += "".join(
            f"<dt>{esc(part.split(':', 1)[0])}</dt><dd>{esc(part.split(':', 1)[-1].strip())}</dd>"
            for part in str(row["other_judgements"]).split("; ")
        )
    label = ""
    if not row["official"]:
        label = (
            '<p class="bm-unofficial">Unofficial: from Data to Insight\'s scrape of the published '
            "Ofsted report, not from Ofsted's official statistics.</p>"
        )
    return (
        f"<h3>{esc(heading)}</h3>"
        f'<div class="bm-grade-value">{esc(overall)}</div>'
        f"<p>{esc(row['framework'] or '')} {esc((row['event_type'] or '').lower())}, {esc(when)}.</p>"
        f"{label}<dl>{items}</dl>"
    )
