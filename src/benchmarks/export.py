"""Excel export: any tables to one .xlsx workbook, with a notes sheet.

`write_xlsx(tables, path, meta=...)` writes one sheet per table and a `notes` sheet
(first) with the demonstration flag, the data versions (every source file's sha256 and
fetch time from `bundle.meta`), the sources and what each status marker means. The
write is atomic (`benchmarks.atomic`): a reader never sees half a workbook.

* Values are written as Excel numbers, text, dates and TRUE/FALSE; a null is an empty
  cell, never 0. Markers stay as text in the `status` column beside the empty value.
* List columns (an authority's ONS codes, predecessors) are written "; "-joined.
* Sheet names are cut to Excel's 31 characters and made unique; a table above Excel's
  1,048,576 rows raises ValueError rather than being cut short.
* The workbook is streamed (xlsxwriter's constant-memory mode): about 8 s per million
  cells on a small machine, so the all-authority comparison table (about 3 million
  cells) takes about 25 s; the bundle's own tables take a few seconds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from benchmarks import __version__, atomic
from benchmarks.formatting import MARKERS

BUNDLE_TABLES = ("panel", "inspections", "authorities", "neighbours", "flags")
NOTES = "notes"
MAX_ROWS = 1_048_576
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def write_xlsx(
    tables: pl.DataFrame | Mapping[str, pl.DataFrame] | Any,
    path: str | Path,
    *,
    meta: Mapping[str, Any] | None = None,
) -> Path:
    """Write a frame, a {sheet name: frame} mapping or a Bundle to an .xlsx file.

    A Bundle gives its five tables and its own `meta`; otherwise pass `meta=bundle.meta`
    so the notes sheet can name the sources and the demonstration flag.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"Cannot write {path}: name an .xlsx file")
    frames = _as_tables(tables)
    if meta is None and hasattr(tables, "meta"):
        meta = tables.meta
    sheets = _sheet_names(list(frames))
    for name, frame in frames.items():
        if frame.height + 1 > MAX_ROWS:
            raise ValueError(
                f"table {name!r} has {frame.height:,} rows; an Excel sheet holds at most "
                f"{MAX_ROWS - 1:,}: filter it first or write .parquet"
            )
    with atomic.atomic_path(path) as tmp:
        workbook = xlsxwriter.Workbook(
            str(tmp), {"constant_memory": True, "nan_inf_to_errors": True}
        )
        formats = {
            "bold": workbook.add_format({"bold": True}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        }
        _write_sheet(
            workbook.add_worksheet(NOTES),
            notes_frame(frames, sheets, meta),
            formats,
            header=False,
        )
        for name, frame in frames.items():
            _write_sheet(workbook.add_worksheet(sheets[name]), frame, formats)
        workbook.close()
    return path


def bundle_tables(
    bundle: Any,
    tables: tuple[str, ...] | list[str] = BUNDLE_TABLES,
    *,
    comparison: pl.DataFrame | None = None,
) -> dict[str, pl.DataFrame]:
    """The named tables of a bundle (plus `comparison`, when given) in order."""
    out: dict[str, pl.DataFrame] = {}
    for name in tables:
        if name == "comparison":
            if comparison is None:
                raise ValueError("pass the comparison table to export it")
            out[name] = comparison
        else:
            out[name] = getattr(bundle, name)
    return out


def notes_frame(
    frames: Mapping[str, pl.DataFrame],
    sheets: Mapping[str, str],
    meta: Mapping[str, Any] | None,
) -> pl.DataFrame:
    """The notes sheet as two text columns (what, detail), one line each."""
    meta = meta or {}
    lines: list[tuple[str, str]] = [("la-benchmarks export", f"version {__version__}")]
    lines.append(("written at", dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
    if "demo" in meta:
        lines.append(
            (
                "DEMONSTRATION DATA" if meta["demo"] else "demonstration data",
                "YES: invented values, not any authority's real figures"
                if meta["demo"]
                else "no: built from the published files listed below",
            )
        )
    else:
        lines.append(("demonstration data", "unknown: no data provenance was given"))
    for key in ("origin", "built_at"):
        if meta.get(key):
            lines.append((f"data {key.replace('_', ' ')}", str(meta[key])))
    lines += [("", ""), ("sheet", "rows x columns")]
    lines += [(sheets[n], f"{f.height:,} x {f.width}") for n, f in frames.items()]
    lines += [("", ""), ("status marker", "meaning: the value cell is empty, never 0")]
    lines += [(marker, meaning) for marker, meaning in MARKERS.items()]
    sources = meta.get("sources") or []
    if sources:
        lines += [("", ""), ("source", "title; publisher; official; file; sha256; fetched")]
    for s in sources:
        official = "official" if s.get("official", True) else "UNOFFICIAL"
        detail = "; ".join(
            str(part)
            for part in (
                s.get("title"),
                s.get("publisher"),
                official,
                s.get("file"),
                f"sha256 {s.get('sha256')}",
                f"fetched {s.get('fetched_at') or 'not recorded'}",
                s.get("landing_page") or "",
            )
        )
        lines.append((str(s.get("id")), detail))
    return pl.DataFrame(lines, schema={"what": pl.String, "detail": pl.String}, orient="row")


def _as_tables(tables: Any) -> dict[str, pl.DataFrame]:
    if isinstance(tables, pl.DataFrame):
        return {"table": tables}
    if isinstance(tables, Mapping):
        return dict(tables)
    if all(hasattr(tables, name) for name in BUNDLE_TABLES):
        return bundle_tables(tables)
    raise TypeError("write a polars DataFrame, a {name: DataFrame} mapping or a Bundle")


def _sheet_names(names: list[str]) -> dict[str, str]:
    """Excel-safe, unique sheet names (31 characters, no []:*?/\\), never "notes"."""
    out: dict[str, str] = {}
    used = {NOTES}
    for name in names:
        base = _BAD_SHEET_CHARS.sub("_", str(name)).strip("'")[:31] or "table"
        sheet, n = base, 1
        while sheet.lower() in used:
            n += 1
            sheet = f"{base[: 31 - len(str(n)) - 1]}_{n}"
        used.add(sheet.lower())
        out[name] = sheet
    return out


def _write_sheet(
    ws: Any, frame: pl.DataFrame, formats: dict[str, Any], *, header: bool = True
) -> None:
    """Stream a frame row by row (constant-memory mode writes rows in order)."""
    frame = frame.with_columns(
        pl.col(c).cast(pl.List(pl.String)).list.join("; ")
        for c, t in frame.schema.items()
        if isinstance(t, pl.List)
    )
    writers = [_cell_writer(ws, t, formats) for t in frame.schema.values()]
    first = 0
    if header:
        ws.write_row(0, 0, frame.columns, formats["bold"])
        ws.freeze_panes(1, 0)
        first = 1
    for r, row in enumerate(frame.iter_rows(), first):
        for c, value in enumerate(row):
            if value is not None:
                writers[c](r, c, value)
    ws.set_column(0, max(frame.width - 1, 0), 14)


def _cell_writer(ws: Any, dtype: pl.DataType, formats: dict[str, Any]) -> Any:
    if dtype.is_numeric():
        return ws.write_number
    if dtype == pl.Boolean:
        return ws.write_boolean
    if dtype == pl.Date:
        return lambda r, c, v: ws.write_datetime(r, c, v, formats["date"])
    if isinstance(dtype, pl.Datetime):
        return lambda r, c, v: ws.write_datetime(r, c, v, formats["datetime"])
    return lambda r, c, v: ws.write_string(r, c, str(v))
