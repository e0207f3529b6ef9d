"""The publishers' file formats: numbers as they write them, CSV, .xlsx and .ods.

Every writer gives the same bytes for the same rows (fixed zip timestamps, sorted XML
namespace declarations), whatever the process did before.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from itertools import groupby
from pathlib import Path

_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def half_up(value: float, dp: int = 0) -> float:
    """Round half away from zero (the publishers' rounding), not Python's half-to-even."""
    scale = 10.0**dp
    scaled = abs(value) * scale
    rounded = math.floor(scaled + 0.5 + 1e-9 * max(1.0, scaled)) / scale
    return math.copysign(rounded, value) if rounded else 0.0


def fmt(value: float | str | None, dp: int = 0) -> str | None:
    """A number as the publishers write it: rounded, no trailing zeros; markers as given."""
    if value is None or isinstance(value, str):
        return value
    if value == int(value):  # most cells are whole numbers: no rounding to do
        return str(int(value))
    text = f"{half_up(value, dp):.{dp}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[str | None]],
    *,
    bom: bool = False,
    crlf: bool = False,
    quote_empty: set[int] | None = None,
) -> Path:
    """Write a CSV the way the publishers do: minimal quoting, None as an empty cell.

    Columns in `quote_empty` write a missing value as `""` (some EES files do).
    """
    quote_empty = quote_empty or set()
    end = "\r\n" if crlf else "\n"

    def cell(i: int, value: str | None) -> str:
        if value is None:
            return '""' if i in quote_empty else ""
        if _NEEDS_QUOTES.search(value):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [",".join(cell(-1, h) for h in header)]
    lines += [",".join(cell(i, v) for i, v in enumerate(row)) for row in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\ufeff" if bom else "").encode() + (end.join(lines) + end).encode("utf-8"))
    return path


Cell = str | int | float | date | None
FIXED_TIME = (2025, 1, 1, 0, 0, 0)


_ROOT_NAMESPACES = re.compile(rb"(?:\s+xmlns:[\w.-]+=\"[^\"]*\")+")


def _sort_namespaces(xml: bytes) -> bytes:
    """The root element's xmlns declarations: only the prefixes the document uses, sorted.

    odfpy declares every namespace any earlier document in the process used, so the raw
    declarations depend on what the process did before; the used ones do not.
    """
    found = _ROOT_NAMESPACES.search(xml)
    if not found:
        return xml
    rest = xml[: found.start()] + xml[found.end() :]
    used = set(re.findall(rb"[<\s/]([\w.-]+):[\w.-]+", rest))
    declarations = sorted(
        d for d in re.findall(rb"\s+xmlns:([\w.-]+)=\"[^\"]*\"", found.group(0)) if d in used
    )
    pairs = dict(re.findall(rb"\s+xmlns:([\w.-]+)=(\"[^\"]*\")", found.group(0)))
    text = b"".join(b" xmlns:" + prefix + b"=" + pairs[prefix] for prefix in declarations)
    return xml[: found.start()] + text + xml[found.end() :]


def write_xlsx(path: Path, sheets: Sequence[tuple[str, Sequence[Sequence[Cell]]]]) -> Path:
    """An .xlsx workbook: text, numbers and dates in their own cell types."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_urls": False})
    book.set_properties(
        {"title": "Demonstration data (invented values)", "created": datetime(*FIXED_TIME)}
    )
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets:
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif isinstance(value, date):
                    sheet.write_datetime(
                        r, c, datetime(value.year, value.month, value.day), date_format
                    )
                elif value is not None:
                    sheet.write_number(r, c, value)
    book.close()
    return _freeze_zip(path)


def write_ods(path: Path, sheets: Sequence[tuple[str, Sequence[Sequence[Cell]]]]) -> Path:
    """An OpenDocument spreadsheet (odfpy). A run of empty cells is one repeated cell and an
    empty row is an empty row, as spreadsheet programs write them."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    def cell(value: Cell) -> TableCell:
        if isinstance(value, date):
            out = TableCell(valuetype="date", datevalue=f"{value.isoformat()}T00:00:00")
            text = value.strftime("%d/%m/%Y")
        elif isinstance(value, str):
            out, text = TableCell(valuetype="string"), value
        else:
            out, text = TableCell(valuetype="float", value=value), str(value)
        out.addElement(P(text=text))
        return out

    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets:
        table = Table(name=name)
        for row in rows:
            tr = TableRow()
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            for empty, run in groupby(values, key=lambda v: v is None):
                if empty:
                    tr.addElement(TableCell(numbercolumnsrepeated=len(list(run))))
                else:
                    for value in run:
                        tr.addElement(cell(value))
            if not values:
                tr.addElement(TableCell())
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return _freeze_zip(path)


def _freeze_zip(path: Path) -> Path:
    """Rewrite a zip container so the same seed gives the same bytes: fixed timestamps,
    and XML namespace declarations in sorted order (odfpy's order varies by process)."""
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info, data in members:
            fixed = zipfile.ZipInfo(info.filename, FIXED_TIME)
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            target.writestr(
                fixed, _sort_namespaces(data) if info.filename.endswith(".xml") else data
            )
    path.write_bytes(buffer.getvalue())
    return path
