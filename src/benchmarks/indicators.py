"""The indicator catalogue (indicators.toml): what each indicator id means."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import polars as pl

POLARITIES = ("higher_better", "lower_better", "neutral")
SECTIONS = ("workforce", "demand", "outcomes")


@dataclass(frozen=True)
class Indicator:
    """One catalogue entry; see the comments at the top of indicators.toml."""

    id: str
    label: str
    unit: str
    polarity: str
    theme: str
    source: str
    reference_date: str
    definition: str
    column: str | None = None
    numerator: str | None = None
    denominator: tuple[str, ...] = ()
    multiplier: float = 1.0
    interval: str | None = None
    decimals: int | None = None
    population_lag: int = 0
    headline: bool = False
    variant_of: str | None = None  # e.g. a headcount measure restating an FTE one
    series_breaks: tuple[tuple[int, str], ...] = field(default=())
    section: str | None = None  # report section showing it as a chart block
    section_order: int | None = None  # its place in that section
    tile: int | None = None  # its place among the report's headline tiles
    index_column: int | None = None  # its place among the pack index's headline columns

    @property
    def is_rate(self) -> bool:
        return self.numerator is not None and bool(self.denominator)


@cache
def catalogue() -> dict[str, Indicator]:
    """All indicators, keyed by id, in catalogue order."""
    raw = tomllib.loads(
        resources.files("benchmarks").joinpath("indicators.toml").read_text(encoding="utf-8")
    )
    out: dict[str, Indicator] = {}
    for key, entry in raw.items():
        entry = dict(entry)
        if entry["polarity"] not in POLARITIES:
            raise ValueError(f"indicators.toml [{key}]: polarity must be one of {POLARITIES}")
        if entry.get("section", "workforce") not in SECTIONS:
            raise ValueError(f"indicators.toml [{key}]: section must be one of {SECTIONS}")
        entry["denominator"] = tuple(entry.get("denominator", ()))
        entry["series_breaks"] = tuple(
            (int(b["year"]), str(b["note"])) for b in entry.get("series_breaks", ())
        )
        out[key] = Indicator(id=key, **entry)
    return out


def get(indicator_id: str) -> Indicator:
    """One indicator by id; KeyError names the known ids."""
    try:
        return catalogue()[indicator_id]
    except KeyError:
        raise KeyError(
            f"Unknown indicator {indicator_id!r}; known: {', '.join(catalogue())}"
        ) from None


def label_with_unit(indicator_id: str) -> str:
    """'Social worker turnover (%)', but 'Social workers in post (FTE)' (no unit twice)."""
    ind = get(indicator_id)
    return ind.label if f"({ind.unit})" in ind.label else f"{ind.label} ({ind.unit})"


def _ordered(place: Callable[[Indicator], int | None]) -> tuple[str, ...]:
    placed = [(p, i.id) for i in catalogue().values() if (p := place(i)) is not None]
    return tuple(ind_id for _, ind_id in sorted(placed))


def section_indicators(section: str) -> tuple[str, ...]:
    """The indicators a report section ("workforce", "demand" or "outcomes") shows, in order."""
    if section not in SECTIONS:
        raise KeyError(f"Unknown section {section!r}; known: {', '.join(SECTIONS)}")
    return _ordered(lambda i: i.section_order if i.section == section else None)


def headline_tiles() -> tuple[str, ...]:
    """The indicators of the report's headline tiles, in reading order."""
    return _ordered(lambda i: i.tile)


def index_columns() -> tuple[str, ...]:
    """The pack index page's headline indicators (each shown with its band), in order."""
    return _ordered(lambda i: i.index_column)


def latest_rows(frame: pl.DataFrame, by: Sequence[str] = ("indicator",)) -> pl.DataFrame:
    """Each indicator's latest year: the rows whose `year` is the largest within `by`
    (e.g. `("la_code", "indicator")` for many authorities). Filter the rows to those
    with a value or a marker first if a missing row should not count."""
    return frame.filter(pl.col("year") == pl.col("year").max().over(list(by)))


def catalogue_frame() -> pl.DataFrame:
    """The catalogue as a frame (one row per indicator), for joins and data notes."""
    rows = [
        {
            "indicator": i.id,
            "label": i.label,
            "unit": i.unit,
            "polarity": i.polarity,
            "theme": i.theme,
            "source": i.source,
            "reference_date": i.reference_date,
            "definition": i.definition,
            "numerator": i.numerator,
            "denominator": list(i.denominator),
            "multiplier": float(i.multiplier),
            "interval": i.interval,
            "decimals": i.decimals,
            "headline": i.headline,
        }
        for i in catalogue().values()
    ]
    return pl.DataFrame(
        rows, schema_overrides={"denominator": pl.List(pl.String), "decimals": pl.Int32}
    )


def catalogue_markdown() -> str:
    """docs/indicators.md, generated from the catalogue (a test keeps the file in step)."""
    polarity = {
        "higher_better": "higher is better",
        "lower_better": "lower is better",
        "neutral": "no direction",
    }
    lines = [
        "# Indicators",
        "",
        "Generated from `src/benchmarks/indicators.toml` by",
        "`python -c 'from benchmarks.indicators import catalogue_markdown as m; print(m(), end=\"\")'`.",
        "Polarity decides ranks and bands; indicators with no direction are never called better",
        "or worse. Rates not published by DfE are recomputed by the published formula.",
        "",
    ]
    for theme in ("workforce", "demand", "outcomes", "population"):
        lines += [
            f"## {theme.capitalize()}",
            "",
            "| id | label | unit | polarity | reference date | definition |",
            "|---|---|---|---|---|---|",
        ]
        for i in catalogue().values():
            if i.theme != theme:
                continue
            breaks = "".join(f" Series break {y}: {n}" for y, n in i.series_breaks)
            origin = f"`{i.source}`" + (f" column `{i.column}`" if i.column else " (recomputed)")
            lines.append(
                f"| `{i.id}` | {i.label} | {i.unit} | {polarity[i.polarity]} | {i.reference_date} | "
                f"{i.definition} Source: {origin}.{breaks} |"
            )
        lines.append("")
    return "\n".join(lines)


_POLARITY_WORDS = {
    "higher_better": "higher is better",
    "lower_better": "lower is better",
    "neutral": "no direction (never called better or worse)",
}
_INTERVAL_WORDS = {
    "wilson": "Wilson 95% interval (a proportion)",
    "poisson": "exact Poisson 95% interval (a rate)",
}


@dataclass(frozen=True)
class Description:
    """What an indicator means, as readable text (`str`) and HTML (`_repr_html_`)."""

    indicator: Indicator
    source_title: str | None = None

    def lines(self) -> list[tuple[str, str]]:
        """(field, text) pairs in reading order."""
        i = self.indicator
        source = f"{self.source_title} (`{i.source}`)" if self.source_title else f"`{i.source}`"
        origin = (
            f"published column `{i.column}`" if i.column else "recomputed by the published formula"
        )
        out = [
            ("definition", i.definition),
            ("unit", i.unit),
            ("polarity", _POLARITY_WORDS[i.polarity]),
            ("source", f"{source}, {origin}"),
            ("reference date", i.reference_date),
        ]
        if i.is_rate:
            out.append(
                (
                    "formula",
                    f"{i.numerator} / ({' + '.join(i.denominator)}) x {i.multiplier:g}"
                    + (
                        f", population from {i.population_lag} year earlier"
                        if i.population_lag
                        else ""
                    ),
                )
            )
        if i.interval:
            out.append(("uncertainty", _INTERVAL_WORDS.get(i.interval, i.interval)))
        breaks = "; ".join(f"{year}: {note}" for year, note in i.series_breaks)
        out.append(("series breaks", breaks or "none known"))
        if i.variant_of:
            out.append(("variant of", i.variant_of))
        return out

    def __str__(self) -> str:
        head = f"{self.indicator.label} ({self.indicator.id})"
        return "\n".join([head, *(f"  {k}: {v}" for k, v in self.lines())])

    def _repr_html_(self) -> str:
        from html import escape

        rows = "".join(
            f"<tr><th style='text-align:left;padding-right:1em'>{escape(k)}</th>"
            f"<td style='text-align:left'>{escape(v)}</td></tr>"
            for k, v in self.lines()
        )
        head = escape(f"{self.indicator.label} ({self.indicator.id})")
        return f"<div><h4>{head}</h4><table>{rows}</table></div>"


def describe(indicator_id: str) -> Description:
    """Definition, unit, polarity, source, reference date and series breaks of one indicator.

    `print(describe("sw_agency_rate"))` for text; in Jupyter it shows as a small table.
    """
    ind = get(indicator_id)
    try:
        from benchmarks.datadir import registry  # the source titles (sources.toml)

        title = registry().get(ind.source, {}).get("title")
    except (OSError, ValueError):
        title = None
    return Description(ind, title)
