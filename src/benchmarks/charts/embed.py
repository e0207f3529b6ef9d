"""Charts in a page: a deterministic element id, the drawing call (`bmDraw`, defined by
the page's Vega bundle, `benchmarks.offline`) with the chart compiled to Vega, "view as
table", and the offline altair renderer a report kernel uses (rendered by the shared
components)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

from benchmarks import components, formatting
from benchmarks.charts._common import HEADERS, ROLE_SUFFIX, ChartSpec
from benchmarks.charts.vega import compile_spec, for_page
from benchmarks.components import DataTable, Figure

if TYPE_CHECKING:
    import altair as alt

FIGURE_TEMPLATE = "components/figure.html.j2"
#: The name of `offline_renderer` among altair's renderers.
OFFLINE_RENDERER = "benchmarks_offline"
TABLE_TEMPLATE = "components/table.html.j2"


def chart_id(spec: dict[str, Any] | str, seen: dict[str, int] | None = None) -> str:
    """A deterministic element id for a chart spec, or for the JSON text a page draws it
    from (same spec, same report: same id)."""
    text = spec if isinstance(spec, str) else json.dumps(spec, sort_keys=True)
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    if seen is None:
        return f"chart-{digest}"
    seen[digest] = seen.get(digest, 0) + 1
    return f"chart-{digest}" + (f"-{seen[digest]}" if seen[digest] > 1 else "")


def embed_html(spec: dict[str, Any], element_id: str, *, label: str = "Chart") -> str:
    """A div and a `bmDraw` call drawing the Vega-Lite `spec` compiled to Vega; the page
    must load the Vega bundle once (the template does).

    `label` is the chart's sentence (see the figure component for how the chart is hidden
    from assistive technology behind it). The compiled spec names no URL (`charts.vega`).
    """
    return components.render(
        FIGURE_TEMPLATE,
        "chart",
        element_id,
        label,
        components.script_json(for_page(compile_spec(spec))),
    )


def chart_sentence(spec: dict[str, Any]) -> str:
    """The chart's text alternative: its `description` (what it shows, in a sentence),
    else its title (for the chart's aria-label)."""
    description = spec.get("description")
    return str(description) if description else chart_title(spec)


def chart_title(spec: dict[str, Any]) -> str:
    """The chart's title text (for aria-label and table captions)."""
    title = spec.get("title", "Chart")
    if isinstance(title, dict):
        title = title.get("text", "Chart")
    return " ".join(title) if isinstance(title, list) else str(title)


def table_of(frame: pl.DataFrame, *, caption: str, number_format: str = ",.1f") -> DataTable:
    """A frame as a data table's text: headers from `HEADERS`, nulls as a dash, dates as
    ISO dates, every float written with `number_format` (as the chart's own format)."""
    return _data_table(frame.columns, frame.iter_rows(), caption, number_format)


def _data_table(
    columns: list[str],
    rows: Iterable[Sequence[Any]],
    caption: str,
    number_format: str,
    headers: Mapping[str, str] = HEADERS,
) -> DataTable:
    return DataTable(
        caption=caption,
        headers=tuple(headers.get(c, c) for c in columns),
        rows=tuple(tuple([formatting.table_cell(v, number_format) for v in row]) for row in rows),
    )


def chart_table(
    frame: pl.DataFrame,
    *,
    caption: str,
    number_format: str = ",.1f",
    headers: Mapping[str, str] = HEADERS,
) -> DataTable:
    """`table_of(table_frame(frame), ...)`, made from the frame's rows in Python: a
    chart's data is a few dozen rows, where each polars query costs more than the rows
    (tests compare the two on real data). `headers` names the columns."""
    columns, rows = _table_rows(frame)
    return _data_table(columns, rows, caption, number_format, headers)


def _table_rows(frame: pl.DataFrame) -> tuple[list[str], list[tuple[Any, ...]]]:
    """`table_frame(frame)`'s columns and rows."""
    columns = frame.columns
    if {"name", "role"} <= set(columns):
        kept = [c for c in columns if c != "role"]
        lists = {c: frame[c].to_list() for c in columns}
        lists["name"] = [
            name if name is None else name + ROLE_SUFFIX.get(role, "")
            for name, role in zip(lists["name"], lists["role"], strict=True)
        ]
        return kept, list(zip(*(lists[c] for c in kept), strict=True))
    key = next((c for c in ("series", "measure") if c in columns), None)
    if key is None or "year" not in columns or frame.height == 0:
        return columns, frame.rows()
    records = list(zip(*(frame[c].to_list() for c in ("year", key, "value")), strict=True))
    if any(year is None or name is None for year, name, _ in records):
        wide = table_frame(frame)  # nulls in the pivot's keys: polars' own rules
        return wide.columns, wide.rows()
    years = list(dict.fromkeys(year for year, _, _ in records))
    names = list(dict.fromkeys(name for _, name, _ in records))
    cells: dict[tuple[Any, Any], Any] = {}
    for year, name, value in records:
        if (year, name) in cells:  # two values for one cell: polars' own rules (it refuses)
            wide = table_frame(frame)
            return wide.columns, wide.rows()
        cells[year, name] = value
    out_columns = ["year", *names]
    own: dict[Any, tuple[Any, Any]] = {}
    if {"low", "high", "role"} <= set(columns):
        out_columns += ["low", "high"]
        own_rows = zip(*(frame[c].to_list() for c in ("year", "role", "low", "high")), strict=True)
        for year, role, low, high in own_rows:
            if role == "la":
                own.setdefault(year, (low, high))
    rows: list[tuple[Any, ...]] = []
    for year in sorted(years):
        line = (year, *(cells.get((year, name)) for name in names))
        if len(out_columns) > len(line):
            line += own.get(year, (None, None))
        rows.append(line)
    return out_columns, rows


def data_table(frame: pl.DataFrame, *, caption: str, number_format: str = ",.1f") -> str:
    """An HTML table of a frame (every name HTML-escaped, nulls shown as a dash)."""
    table = table_of(frame, caption=caption, number_format=number_format)
    return components.render(TABLE_TEMPLATE, "data_table", table)


def table_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """A chart's data shaped for reading.

    Year-by-series data is pivoted to one row a year (a column per series, plus the
    interval of the authority's own series); in a position chart's data the role is
    written after the name ("Leeds (this authority)").
    """
    if {"name", "role"} <= set(frame.columns):
        suffix = pl.col("role").replace_strict(ROLE_SUFFIX, default="", return_dtype=pl.String)
        return frame.with_columns(pl.col("name") + suffix).drop("role")
    key = next((c for c in ("series", "measure") if c in frame.columns), None)
    if key is None or "year" not in frame.columns or frame.height == 0:
        return frame
    wide = frame.pivot(on=key, index="year", values="value", maintain_order=True)
    if {"low", "high", "role"} <= set(frame.columns):
        own = frame.filter(pl.col("role") == "la").select("year", "low", "high")
        wide = wide.join(own, on="year", how="left")
    return wide.sort("year")


def figure(
    chart: alt.TopLevelMixin | ChartSpec,
    *,
    seen: dict[str, int] | None = None,
    number_format: str = ",.1f",
) -> Figure:
    """A chart and its own data as a table, as plain data for the figure component.

    The spec is not schema-validated here (that costs ~50 ms a chart); the builders'
    tests validate every builder's output with `to_dict()`. `number_format` formats
    every number in the table; `seen` (one per page) keeps element ids unique.
    """
    if isinstance(chart, ChartSpec):  # a template's: compiled already, no spec needed
        head = chart.head
        drawn = (
            for_page(chart.vega, chart.shared) if chart.vega else for_page(compile_spec(chart.spec))
        )
    else:
        head = chart.to_dict(validate=False)
        drawn = for_page(compile_spec(head))
    title = chart_title(head)
    frame = chart.data if isinstance(chart.data, pl.DataFrame) else pl.DataFrame()
    spec_json = components.script_json(drawn)
    return Figure(
        element_id=chart_id(spec_json, seen),  # the page's text: no second encoding
        title=title,
        label=chart_sentence(head),
        spec_json=spec_json,
        table=chart_table(frame, caption=f"Data for: {title}", number_format=number_format),
    )


def figure_html(
    chart: alt.TopLevelMixin | ChartSpec,
    *,
    seen: dict[str, int] | None = None,
    number_format: str = ",.1f",
) -> str:
    """A chart and, under it, a `<details>` "view as table" of the chart's own data."""
    made = figure(chart, seen=seen, number_format=number_format)
    return components.render(FIGURE_TEMPLATE, "figure", made)


def offline_renderer(spec: dict[str, Any], **_: Any) -> dict[str, str]:
    """altair renderer for reports: only a div and a `bmDraw` call (no CDN, no bundle)."""
    return {"text/html": embed_html(spec, chart_id(spec), label=chart_sentence(spec))}
