"""Statistical neighbours: DfE's children's services SN benchmarking tool.

Three layouts of two models, each read into NEIGHBOURS_SCHEMA (one row per LA x
neighbour, rank 1 = closest, closeness band normalised):

* `read_sn2025` - sn_may_2025.xlsx, sheet "LA SN Groups" (LAIT's copy, 158 LAs);
* `read_sn2025_csv` - sn_model_2025_wide.csv (DfE CSC dashboard's copy, 153 LAs);
* `read_sn2021` - the April 2021 LGR version as CSV (156 LAs, pre-2023 geography).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from benchmarks.errors import DataError
from benchmarks.schema import NEIGHBOURS_SCHEMA, conform
from benchmarks.sources._sheets import (
    ROW,
    check_codes,
    check_unique,
    first_bad,
    read_table,
    reject_first,
    unique_names,
)

CLOSENESS = ["Extremely close", "Very close", "Close", "Somewhat close", "Not close"]
SN2025_SHEET = "LA SN Groups"
RANKS = range(1, 11)
#: The SN tool's layout (xlsx and 2021 CSV): SN1, SNP, SN2, SNP, ... SN10, SNP.
TOOL_COLUMNS = ["LA num", "LA Name", "LA number", "GOInd", "GOReg"] + [
    c for k in RANKS for c in (f"SN{k}", "SNP")
]
#: The dashboard CSV: SN_1, SN_1P, ...
WIDE_COLUMNS = ["old_la_code", "la_name"] + [c for k in RANKS for c in (f"SN_{k}", f"SN_{k}P")]


def read_sn2025(path: Path) -> pl.DataFrame:
    """The 2025 model from the SN tool workbook (incl. the 5 pre-reorganisation LAs)."""
    return _read_tool(Path(path), SN2025_SHEET, model="sn2025")


def read_sn2021(path: Path) -> pl.DataFrame:
    """The April 2021 (LGR version) model from its CSV export."""
    return _read_tool(Path(path), None, model="sn2021")


def read_sn2025_csv(path: Path) -> pl.DataFrame:
    """The 2025 model from the DfE dashboard's wide CSV (153 current LAs)."""
    path = Path(path)
    frame = read_table(path, None, header_row=1, columns=WIDE_COLUMNS, key="old_la_code")
    pairs = [(f"SN_{k}", f"SN_{k}P") for k in RANKS]
    return _long(frame, path, None, model="sn2025", code="old_la_code", name="la_name", pairs=pairs)


def _read_tool(path: Path, sheet: str | None, *, model: str) -> pl.DataFrame:
    """The SN tool layout: header on the row holding "LA num" (row 3 in the workbook).

    Rows without an `LA num` (the "Old SNs:" label, blank rows) are skipped.
    """
    header_row = 3 if sheet is not None else 1
    frame = read_table(path, sheet, header_row=header_row, columns=TOOL_COLUMNS, key="LA num")
    names = unique_names(TOOL_COLUMNS)
    pairs = [(names[5 + 2 * i], names[6 + 2 * i]) for i in range(10)]
    return _long(frame, path, sheet, model=model, code="LA num", name="LA Name", pairs=pairs)


def _long(
    frame: pl.DataFrame,
    path: Path,
    sheet: str | None,
    *,
    model: str,
    code: str,
    name: str,
    pairs: list[tuple[str, str]],
) -> pl.DataFrame:
    """Wide (code, SN1, SNP1, ...) rows into one row per LA x rank, checked.

    An LA name on two rows (the same LA under two codes) raises DataError.
    """
    check_codes(frame, path, sheet=sheet, columns=[code, *(sn for sn, _ in pairs)])
    canonical = {c.lower(): c for c in CLOSENESS}
    for _, band in pairs:
        label = pl.col(band).fill_null("").str.strip_chars().str.to_lowercase()
        reject_first(
            frame,
            ~label.is_in(list(canonical)),
            path,
            "a closeness band (" + ", ".join(CLOSENESS) + ")",
            column=band,
            sheet=sheet,
        )
    long = pl.concat(
        frame.select(
            la_code=pl.col(code),
            neighbour_code=pl.col(sn),
            rank=pl.lit(rank, pl.Int32),
            closeness=pl.col(band).str.strip_chars().str.to_lowercase().replace_strict(canonical),
        )
        for rank, (sn, band) in enumerate(pairs, start=1)
    )
    row = first_bad(frame, ~pl.col(code).is_first_distinct())
    if row is not None:
        raise DataError(
            path,
            "one row per LA",
            sheet=sheet,
            column=code,
            row=row[ROW],
            found=f"LA {row[code]} repeated",
        )
    check_unique(frame, path, sheet=sheet, column=name, what="LA (its name on one row)")
    long = long.with_columns(model=pl.lit(model)).sort("la_code", "rank")
    return conform(long, NEIGHBOURS_SCHEMA, name=f"neighbours {model}")
