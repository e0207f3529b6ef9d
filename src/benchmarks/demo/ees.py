"""EES-layout CSV files: one spec per file, rows in the publishers' order.

An `EesFile` says which columns, years and authorities a file has and how to invent
each authority's counts; `write_ees` adds the England and regional rows (sums of the
true counts, rounded as the publisher rounds) and writes the file. The publication
modules (workforce, children_in_need, looked_after, population) hold the specs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from benchmarks.demo.files import fmt, half_up, write_csv
from benchmarks.demo.places import EES_REGIONS, Authority, units_at
from benchmarks.geography import ENGLAND_ONS
from benchmarks.sources._ees import ID_COLUMNS

EES_ID = ID_COLUMNS  # the standard EES geography columns, in the publishers' order
#: The looked-after and stability files put la_name before new_la_code.
EES_ID_CLA = [*EES_ID[:8], "la_name", "new_la_code"]

Values = dict[str, "float | str | None"]
LaValues = Callable[[Authority, int, str], "tuple[dict[str, float] | None, Values]"]


@dataclass
class EesFile:
    """How to generate one EES file: its columns, years and the invented values."""

    path: str
    id_columns: list[str]
    filter_column: str  # e.g. "category" or "population_type"
    filters: list[str]
    columns: dict[str, int]  # value column -> decimal places
    years: Sequence[int]
    when: Callable[[int], date]  # the reference date of a year (who existed)
    la_values: LaValues  # (true counts or None, displayed overrides incl. markers)
    derive: Callable[[dict[str, float], str], Values]  # rates/percentages from counts
    round_to: int | None = 10  # England/regional counts rounded to the nearest ...
    exact: frozenset[str] = frozenset()  # ... except these columns (e.g. populations)
    aggregate_fixed: Values | None = None
    units: Callable[[int], list[Authority]] | None = None
    new_code: Callable[[Authority, int], str] | None = None
    quote_empty: frozenset[str] = frozenset()
    bom: bool = False
    extra_filters: list[tuple[str, str]] | None = None  # constant columns before the filter
    #: Files with two filter columns (e.g. cla_group, placement_stability) name them here;
    #: each filter value then joins their values with FILTER_SEP.
    filter_columns: tuple[str, ...] = ()

    def filter_header(self) -> list[str]:
        """The filter column(s) of the header."""
        if self.filter_columns:
            return list(self.filter_columns)
        return [self.filter_column] if self.filter_column else []


#: Joins the values of a file's filter columns into one filter value (see `filter_columns`).
FILTER_SEP = "\x1f"


def pct(numerator: float | None, denominator: float | None, dp: int = 1) -> float | str:
    """A percentage, or 'z' when the denominator is zero."""
    if numerator is None or denominator is None:
        return "x"
    return "z" if denominator == 0 else half_up(numerator / denominator * 100, dp)


def ees_rows(spec: EesFile) -> list[list[str | None]]:
    """Every row of an EES file: newest year first; National, Regional, then LA rows;
    within a geography one row per filter value (e.g. per population type)."""
    out: list[list[str | None]] = []
    filters = spec.filters or [""]
    for year in sorted(spec.years, reverse=True):
        units = spec.units(year) if spec.units else rows_for_date(spec.when(year))
        la = {flt: [spec.la_values(a, year, flt) for a in units] for flt in filters}
        groups: list[tuple[tuple[str, str] | None, list[int]]] = [(None, list(range(len(units))))]
        for code, name in EES_REGIONS:
            members = [i for i, a in enumerate(units) if code in (a.ees_region[0], a.region_code)]
            groups.append(((code, name), members))
        for geo, members in groups:
            level = "National" if geo is None else "Regional"
            for flt in filters:
                values = _aggregate(spec, [la[flt][i] for i in members], flt)
                out.append(_ees_line(spec, year, level, geo, flt, values))
        for i, a in enumerate(units):
            for flt in filters:
                counts, fixed = la[flt][i]
                shown: Values = {
                    **(counts or {}),
                    **(spec.derive(counts, flt) if counts else {}),
                    **fixed,
                }
                out.append(_ees_line(spec, year, "Local authority", a, flt, shown))
    return out


def rows_for_date(when: date) -> list[Authority]:
    return sorted(units_at(when), key=lambda a: (a.ees_region[0], a.name))


def _aggregate(
    spec: EesFile, members: list[tuple[dict[str, float] | None, Values]], flt: str
) -> Values:
    """An England or regional row: the sum of every member's true counts (suppressed or not),
    rounded as the publisher rounds, with rates worked out from the sums."""
    sums: dict[str, float] = {}
    for counts, _ in members:
        for k, v in (counts or {}).items():
            sums[k] = sums.get(k, 0.0) + v
    if spec.round_to:
        sums = {
            k: v if k in spec.exact else half_up(v / spec.round_to) * spec.round_to
            for k, v in sums.items()
        }
    return {**sums, **spec.derive(sums, flt), **(spec.aggregate_fixed or {})}


def _ees_line(
    spec: EesFile,
    year: int,
    level: str,
    geo: Authority | tuple[str, str] | None,
    flt: str,
    values: Values,
) -> list[str | None]:
    ids: dict[str, str | None] = {
        "time_period": str(year),
        "time_identifier": "Reporting year",
        "geographic_level": level,
        "country_code": ENGLAND_ONS,
        "country_name": "England",
        "region_code": None,
        "region_name": None,
        "old_la_code": None,
        "new_la_code": None,
        "la_name": None,
    }
    if isinstance(geo, tuple):
        ids["region_code"], ids["region_name"] = geo
    elif isinstance(geo, Authority):
        ids["region_code"], ids["region_name"] = geo.ees_region
        ids["old_la_code"], ids["la_name"] = geo.code, geo.name
        ids["new_la_code"] = spec.new_code(geo, year) if spec.new_code else geo.ons
    line = [ids[c] for c in spec.id_columns]
    line += [value for _, value in spec.extra_filters or []]
    if spec.filter_columns:
        line += flt.split(FILTER_SEP)
    elif spec.filter_column:
        line += [flt]
    line += [fmt(values.get(c), dp) for c, dp in spec.columns.items()]
    return line


def write_ees(root: Path, spec: EesFile) -> Path:
    header = [*spec.id_columns, *(n for n, _ in spec.extra_filters or [])]
    header += spec.filter_header()
    header += list(spec.columns)
    quote = {i for i, c in enumerate(header) if c in spec.quote_empty}
    return write_csv(root / spec.path, header, ees_rows(spec), bom=spec.bom, quote_empty=quote)


def suppress_small(counts: dict[str, float], columns: Iterable[str]) -> Values:
    """'c' for a count of 1 to 5 (the publishers' small-number suppression)."""
    return {c: "c" for c in columns if 0 < counts.get(c, 0) <= 5}


def all_marked(columns: Iterable[str], marker: str) -> Values:
    """The same marker in every column (a whole return not submitted or withheld)."""
    return dict.fromkeys(columns, marker)


def mar31(year: int) -> date:
    """31 March of a year: the reference date of the children's social care returns."""
    return date(year, 3, 31)


#: Columns some EES files write as "" when empty.
QUOTED_EMPTY = frozenset({"region_code", "region_name", "new_la_code", "la_name"})


def split(total: float, shares: Sequence[float]) -> list[int]:
    """Split a whole number into parts proportional to `shares` (largest remainder)."""
    total = int(total)
    weights = [s / sum(shares) * total for s in shares]
    parts = [int(x) for x in weights]
    order = sorted(range(len(shares)), key=lambda i: weights[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts
