"""Rich display in Jupyter: readable HTML summaries of a bundle, a comparison and a group.

Pure functions from plain data to an HTML string; the objects' `_repr_html_` methods
call them (`panel.Bundle`, `groups.GroupSpec`, and `Comparison`, the frame
`benchmarks.compare` returns). Every name and value shown is escaped (`html.escape`).
This module imports only the bottom floor (indicators, schema), so any layer may use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

import polars as pl

from benchmarks import indicators
from benchmarks.formatting import MARKERS

_STYLE = "border-collapse:collapse;font-size:0.9em"
_CELL = "padding:2px 8px;text-align:left;border-bottom:1px solid #ddd"
MAX_ROWS = 60


def e(value: Any) -> str:
    """Escaped text of any value ("" for None)."""
    return "" if value is None else escape(str(value), quote=True)


def html_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A small escaped HTML table."""
    head = "".join(f'<th style="{_CELL}">{e(h)}</th>' for h in header)
    body = "".join(
        "<tr>" + "".join(f'<td style="{_CELL}">{e(v)}</td>' for v in row) + "</tr>" for row in rows
    )
    return f'<table style="{_STYLE}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def number(value: float | None, status: str | None = None) -> str:
    """A number for a summary (up to 2 decimals), or what its marker means."""
    if value is None:
        return f"{status}: {MARKERS[status]}" if status in MARKERS else ""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text or "0"


def bundle_html(tables: Mapping[str, pl.DataFrame], meta: Mapping[str, Any], *, demo: bool) -> str:
    """Summary of a loaded bundle: provenance, table sizes, years, sources."""
    panel = tables.get("panel")
    kind = "<strong>Demonstration data: invented values</strong>" if demo else "Published data"
    parts = [f"<div><h4>benchmarks bundle</h4><p>{kind}"]
    details = [
        f"{k.replace('_', ' ')}: {e(meta[k])}" for k in ("origin", "built_at") if meta.get(k)
    ]
    if details:
        parts.append(" &middot; " + " &middot; ".join(details))
    parts.append("</p>")
    if panel is not None and panel.height:
        years = panel["year"]
        parts.append(
            f"<p>Panel: {panel['indicator'].n_unique()} indicators, "
            f"{panel['la_code'].n_unique()} areas, years {e(years.min())}&ndash;{e(years.max())}; "
            f"{panel['status'].is_not_null().sum():,} values carry a status marker.</p>"
        )
    parts.append(
        html_table(
            ["table", "rows", "columns"],
            [(name, f"{frame.height:,}", frame.width) for name, frame in tables.items()],
        )
    )
    sources = meta.get("sources") or []
    if sources:
        parts.append("<p>Sources:</p>")
        parts.append(
            html_table(
                ["id", "title", "publisher", "status", "file"],
                [
                    (
                        s.get("id"),
                        s.get("title"),
                        s.get("publisher"),
                        "official" if s.get("official", True) else "unofficial",
                        s.get("file"),
                    )
                    for s in sources
                ],
            )
        )
    return "".join(parts) + "</div>"


def group_html(name: str, description: str, focal: pl.DataFrame, members: pl.DataFrame) -> str:
    """Summary of a comparator group: what it is, how many authorities, group sizes."""
    sizes = members.group_by("key").agg(pl.col("member_code").n_unique().alias("members"))
    with_group = focal.filter(pl.col("key").is_not_null())
    parts = [
        f"<div><h4>Comparator group {e(name)}</h4><p>{e(description)}</p>",
        f"<p>{with_group.height:,} authorities have a group; {sizes.height:,} distinct "
        f"group{'s' if sizes.height != 1 else ''}. An authority is never its own comparator.</p>",
    ]
    if sizes.height:
        labels = with_group.unique("key", keep="first").select("key", "group_label")
        rows = sizes.join(labels, on="key", how="left").sort("key")
        parts.append(
            html_table(
                ["key", "members", "example label"],
                [
                    (k, n, label)
                    for k, n, label in rows.head(MAX_ROWS)
                    .select("key", "members", "group_label")
                    .iter_rows()
                ],
            )
        )
        if rows.height > MAX_ROWS:
            parts.append(f"<p>&hellip; and {rows.height - MAX_ROWS:,} more.</p>")
    return "".join(parts) + "</div>"


_COMPARISON_COLUMNS = {"la_code", "la_name", "indicator", "year", "value", "status"}


def comparison_html(frame: pl.DataFrame) -> str | None:
    """Summary of comparison rows (one authority's, typically); None if not that shape."""
    if not _COMPARISON_COLUMNS <= set(frame.columns):
        return None
    authorities = sorted({str(n) for n in frame["la_name"].unique().drop_nulls()})
    who = ", ".join(authorities[:3]) + (
        f" and {len(authorities) - 3} more" if len(authorities) > 3 else ""
    )
    against = ""
    if "group_label" in frame.columns and frame.height:
        labels = frame["group_label"].drop_nulls().unique().to_list()
        group = frame["group"].drop_nulls().unique().to_list() if "group" in frame.columns else []
        if len(labels) == 1:
            against = f" compared with {e(labels[0])}" + (
                f" ({e(group[0])})" if len(group) == 1 else ""
            )
    parts = [f"<div><h4>{e(who)}{against}</h4>"]
    catalogue = indicators.catalogue()

    rows = []
    for row in frame.head(MAX_ROWS).iter_rows(named=True):
        ind = catalogue.get(row["indicator"])
        rows.append(
            (
                ind.label if ind else row["indicator"],
                row["year"],
                number(row["value"], row["status"]),
                number(row.get("comparator")),
                number(row.get("england")),
                row.get("band"),
                row.get("significance"),
                row.get("recent_trend"),
            )
        )
    parts.append(
        html_table(
            [
                "indicator",
                "year",
                "value",
                "comparator",
                "England",
                "band",
                "vs comparator",
                "recent trend",
            ],
            rows,
        )
    )
    if frame.height > MAX_ROWS:
        parts.append(f"<p>&hellip; {frame.height - MAX_ROWS:,} more rows.</p>")
    parts.append(
        f"<p><small>{frame.height:,} rows x {frame.width} columns: a polars DataFrame "
        "(filter or export it as any other).</small></p></div>"
    )
    return "".join(parts)


class Comparison(pl.DataFrame):
    """Comparison rows that show a readable summary in Jupyter.

    A polars DataFrame in every other way; operations on it return plain DataFrames.
    """

    def _repr_html_(self, *args: Any, **kwargs: Any) -> str:
        summary = comparison_html(self)
        return summary if summary is not None else super()._repr_html_(*args, **kwargs)
