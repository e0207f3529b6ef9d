"""Shared reading of spreadsheet-like files (xlsx, ods, and CSVs with messy headers).

A file is first read as a text *grid* that keeps the spreadsheet's own row numbers
(blank rows included), so every error can name the row a person sees in Excel or
LibreOffice. `table` then finds the header on a given row, checks the expected column
names (duplicates such as the SN tool's repeated `SNP` allowed) and returns the rows
below it. `to_dates` parses the date spellings these publishers use.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from benchmarks.errors import DataError

ROW = "_row"  # 1-based spreadsheet row (or CSV line)


def _header_name(cell: str | None) -> str:
    """A header cell with the BOM, line breaks and repeated spaces removed."""
    return " ".join((cell or "").replace("\ufeff", "").split())


def unique_names(columns: Sequence[str]) -> list[str]:
    """Expected header names made unique: the k-th repeat of `SNP` becomes `SNP #k`."""
    seen: Counter[str] = Counter()
    out = []
    for name in columns:
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name} #{seen[name]}")
    return out


def require_utf8(path: str | Path) -> None:
    """Raise DataError at the first line (and CSV column) that is not UTF-8 text.

    A CSV re-saved by Excel as "CSV (comma delimited)" is Windows-1252: a name such as
    "Sainté" would otherwise be read with a replacement character, silently.
    """
    path = Path(path)
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = data.rfind(b"\n", 0, exc.start) + 1
        end = data.find(b"\n", exc.start)
        line = data[start : end if end >= 0 else len(data)].decode("utf-8", "replace")
        header = data[: max(data.find(b"\n"), 0) or len(data)].decode("utf-8", "replace")
        names = next(csv.reader([header]), [])
        cells = next(csv.reader([line]), [])
        bad = [i for i, cell in enumerate(cells) if "\ufffd" in cell and i < len(names)]
        raise DataError(
            path,
            "UTF-8 text (in Excel: Save As 'CSV UTF-8')",
            column=names[bad[0]].lstrip("\ufeff").strip() if bad else None,
            row=data.count(b"\n", 0, exc.start) + 1,
            found=f"the byte {data[exc.start : exc.start + 1]!r}, not UTF-8 (Latin-1/Windows-1252?)",
        ) from None


def read_grid(
    path: str | Path,
    sheet: str | None = None,
    *,
    column: str | None = None,
    row: int | None = None,
) -> pl.DataFrame:
    """Read one sheet (or a CSV when `sheet` is None) as text cells plus `_row`.

    Raises DataError naming the file and sheet if the file or sheet cannot be read;
    `column`/`row` (the table's key column and header row) are named there too.
    """
    path = Path(path)

    def fail(expected: str, found: str) -> DataError:
        return DataError(path, expected, sheet=sheet, column=column, row=row, found=found)

    if not path.is_file():
        raise fail("an existing file", "no such file")
    if sheet is None:
        require_utf8(path)
        try:
            grid = pl.read_csv(path, has_header=False, infer_schema=False, encoding="utf8-lossy")
        except (pl.exceptions.NoDataError, pl.exceptions.ComputeError) as exc:
            raise fail("a readable CSV file", str(exc).splitlines()[0]) from exc
        return grid.with_row_index(ROW, offset=1)
    try:
        grid = pl.read_excel(
            path,
            sheet_name=sheet,
            engine="calamine",
            read_options={"header_row": None, "skip_rows": 0},
            infer_schema_length=0,
            drop_empty_rows=False,
        )
    except Exception as exc:  # fastexcel raises its own error types per problem
        import fastexcel

        # the message already names the file: keep the library's text short and stable
        reason = " ".join(str(exc).replace(str(path), path.name).split())[:200]
        try:
            names = fastexcel.read_excel(path).sheet_names
        except Exception:
            raise fail("a readable xlsx/ods workbook", reason) from exc
        if sheet not in names:
            expected = f"a sheet named {sheet!r}" + (
                f" with its header on row {row}" if row is not None else ""
            )
            raise fail(expected, "sheets " + ", ".join(names)) from exc
        raise fail("a readable sheet", reason) from exc
    # Cells come back as text; make sure, in case a whole column was typed.
    grid = grid.with_columns(pl.all().cast(pl.String))
    return grid.with_row_index(ROW, offset=1)


def table(
    grid: pl.DataFrame,
    path: str | Path,
    *,
    sheet: str | None,
    header_row: int,
    columns: Sequence[str],
    key: str,
    last_row: int | None = None,
    allow_empty: bool = False,
) -> pl.DataFrame:
    """The table whose header is on spreadsheet row `header_row`.

    Returns the `columns` (renamed by `unique_names`, values stripped, '' -> null) and
    `_row`, for rows after the header (up to `last_row`) whose `key` column is filled.
    A missing expected column raises DataError naming it and the header row, and so
    does a table with no data rows (a header only) unless `allow_empty`.
    """
    header = grid.filter(pl.col(ROW) == header_row)
    cells = [c for c in grid.columns if c != ROW]
    names = [_header_name(v) for v in header.select(cells).row(0)] if header.height else []
    wanted = unique_names([_header_name(c) for c in columns])
    found = unique_names(names)
    missing = [w for w in wanted if w not in found]
    if missing:
        shown = ", ".join(n for n in names if n) or "nothing"
        raise DataError(
            path,
            f"a column headed {missing[0]!r} in the header row",
            sheet=sheet,
            column=missing[0],
            row=header_row,
            found=f"headers {shown[:400]}",
        )
    position = {name: cells[i] for i, name in enumerate(found)}
    rows = grid.filter(pl.col(ROW) > header_row)
    if last_row is not None:
        rows = rows.filter(pl.col(ROW) <= last_row)
    out = rows.select(
        *[pl.col(position[w]).str.strip_chars().replace("", None).alias(w) for w in wanted],
        pl.col(ROW),
    )
    out = out.filter(pl.col(_header_name(key)).is_not_null())
    if out.height == 0 and not allow_empty:
        raise DataError(
            path,
            f"rows of data below the header (a filled {_header_name(key)!r} cell)",
            sheet=sheet,
            column=_header_name(key),
            row=header_row + 1,
            found="no data rows",
        )
    return out


def read_table(
    path: str | Path,
    sheet: str | None,
    *,
    header_row: int,
    columns: Sequence[str],
    key: str,
) -> pl.DataFrame:
    """`read_grid` then `table`: the one table of a sheet or CSV."""
    grid = read_grid(path, sheet, column=key, row=header_row)
    return table(grid, path, sheet=sheet, header_row=header_row, columns=columns, key=key)


def first_bad(frame: pl.DataFrame, bad: pl.Expr) -> dict | None:
    """The first row (as a dict) where `bad` holds, or None."""
    hit = frame.filter(bad)
    return hit.sort(ROW).row(0, named=True) if hit.height else None


def reject_first(
    frame: pl.DataFrame,
    bad: pl.Expr,
    path: str | Path,
    expected: str,
    *,
    column: str,
    sheet: str | None = None,
) -> None:
    """Raise DataError at the first row where `bad` holds, showing that row's `column`."""
    row = first_bad(frame, bad)
    if row is not None:
        raise DataError(
            path, expected, sheet=sheet, column=column, row=row[ROW], found=repr(row[column])
        )


def check_unique(
    frame: pl.DataFrame, path: str | Path, *, sheet: str | None, column: str, what: str
) -> None:
    """Raise DataError at the first row whose `column` value repeats an earlier row's."""
    row = first_bad(frame, pl.col(column).is_not_null() & ~pl.col(column).is_first_distinct())
    if row is not None:
        raise DataError(
            path,
            f"one row per {what}",
            sheet=sheet,
            column=column,
            row=row[ROW],
            found=f"{row[column]!r} again",
        )


def check_codes(
    frame: pl.DataFrame, path: str | Path, *, sheet: str | None, columns: Sequence[str]
) -> None:
    """Raise DataError at the first cell of `columns` that is not a 3-digit LA code."""
    for column in columns:
        reject_first(
            frame,
            ~pl.col(column).fill_null("").str.contains(r"^\d{3}$"),
            path,
            "a 3-digit DfE LA code",
            column=column,
            sheet=sheet,
        )


def to_dates(
    frame: pl.DataFrame, path: str | Path, *, sheet: str | None, columns: Sequence[str]
) -> pl.DataFrame:
    """Parse text dates in `columns` to pl.Date.

    Accepts ISO (`2023-07-10`, `2023-07-10T00:00:00`, as calamine gives date cells),
    `dd/mm/YYYY` and `dd/mm/yy`. Empty stays null; anything else raises DataError.
    """
    exprs = []
    for column in columns:
        text = pl.col(column).str.strip_chars()
        parsed = (
            pl.when(text.str.contains(r"^\d{4}-\d{2}-\d{2}([T ]00:00:00(\.0+)?)?$"))
            .then(text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))
            .when(text.str.contains(r"^\d{1,2}/\d{1,2}/\d{4}$"))
            .then(text.str.to_date("%d/%m/%Y", strict=False))
            .when(text.str.contains(r"^\d{1,2}/\d{1,2}/\d{2}$"))
            .then(text.str.to_date("%d/%m/%y", strict=False))
        )
        exprs.append(parsed.alias(f"{column}__date"))
    parsed_frame = frame.with_columns(exprs)
    for column in columns:
        row = first_bad(
            parsed_frame, pl.col(column).is_not_null() & pl.col(f"{column}__date").is_null()
        )
        if row is not None:
            raise DataError(
                path,
                "a date (YYYY-MM-DD, dd/mm/YYYY or dd/mm/yy)",
                sheet=sheet,
                column=column,
                row=row[ROW],
                found=repr(row[column]),
            )
    return parsed_frame.with_columns([pl.col(f"{c}__date").alias(c) for c in columns]).drop(
        [f"{c}__date" for c in columns]
    )
