"""Shared reading of DfE Explore Education Statistics (EES) CSV files.

Every EES file starts with the same geography columns and then has value columns that
may hold GSS markers (c, x, z, u, low). We read everything as text, check the columns,
keep each marker in `status`, and turn the geography into our 3-digit `la_code`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import polars as pl

from benchmarks.errors import DataError
from benchmarks.schema import MARKERS, OBSERVATION_SCHEMA

ID_COLUMNS = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
]

#: EES region codes -> LAIT 3-digit aggregate codes (England is 970).
REGION_CODES: dict[str, tuple[str, str]] = {
    "E12000001": ("980", "North East"),
    "E12000002": ("981", "North West"),
    "E12000003": ("982", "Yorkshire and The Humber"),
    "E12000004": ("983", "East Midlands"),
    "E12000005": ("984", "West Midlands"),
    "E12000006": ("985", "East of England"),
    "E12000007": ("986", "London"),
    "E13000001": ("987", "Inner London"),
    "E13000002": ("988", "Outer London"),
    "E12000008": ("989", "South East"),
    "E12000009": ("990", "South West"),
}
ENGLAND_CODE = "970"
ROW = "_row"  # 1-based line number in the file (the header is row 1)


def read_ees_csv(path: str | Path, *, required: list[str]) -> pl.DataFrame:
    """Read an EES CSV as text with a `_row` line number; check the required columns.

    Empty strings in the geography columns become null. Extra columns are kept, so a
    publisher's next release with another column still loads.
    """
    path = Path(path)
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except pl.exceptions.NoDataError as exc:
        raise DataError(path, "a CSV file with a header row and data", found="an empty file") from exc
    except pl.exceptions.ComputeError as exc:
        raise DataError(path, "a well-formed CSV file", found=str(exc).splitlines()[0]) from exc
    frame = frame.rename({c: c.strip().lstrip("\ufeff") for c in frame.columns})
    missing = [c for c in [*ID_COLUMNS, *required] if c not in frame.columns]
    if missing:
        raise DataError(
            path,
            f"columns {', '.join(missing)} (an EES file with {len(required)} value columns)",
            column=missing[0],
            row=1,
            found="header: " + ", ".join(frame.columns[:14]) + ("…" if frame.width > 14 else ""),
        )
    if frame.height == 0:
        raise DataError(path, "at least one data row", row=2, found="a header only")
    frame = frame.with_columns(
        [pl.col(c).str.strip_chars().replace("", None) for c in ID_COLUMNS]
    ).with_row_index(ROW, offset=2)
    _check_years(frame, path)
    return frame


def _check_years(frame: pl.DataFrame, path: Path) -> None:
    bad = frame.filter(~pl.col("time_period").fill_null("").str.contains(r"^\d{4}$"))
    if bad.height:
        first = bad.row(0, named=True)
        raise DataError(
            path,
            "a four-digit year in time_period",
            column="time_period",
            row=first[ROW],
            found=repr(first["time_period"]),
        )


def geography(frame: pl.DataFrame, path: str | Path) -> pl.DataFrame:
    """Add `level`, `la_code`, `la_name`, `joint_code`; expand joint returns to each partner.

    National rows become England (970); regional rows become LAIT codes 980..990; LA rows
    keep their 3-digit `old_la_code`. A combined code such as "314 / 318" becomes two rows
    (one per partner, same values) with `joint_code` "314 / 318".
    """
    path = Path(path)
    level = (
        pl.col("geographic_level")
        .replace_strict(
            {"National": "national", "Regional": "regional", "Local authority": "la"},
            default=None,
        )
        .alias("level")
    )
    frame = frame.with_columns(level)
    unknown = frame.filter(pl.col("level").is_null())
    if unknown.height:
        first = unknown.row(0, named=True)
        raise DataError(
            path,
            "geographic_level National, Regional or Local authority",
            column="geographic_level",
            row=first[ROW],
            found=repr(first["geographic_level"]),
        )
    region = pl.col("region_code").replace_strict(
        {k: v[0] for k, v in REGION_CODES.items()}, default=None
    )
    region_name = pl.col("region_code").replace_strict(
        {k: v[1] for k, v in REGION_CODES.items()}, default=None
    )
    frame = frame.with_columns(
        la_code=pl.when(pl.col("level") == "national")
        .then(pl.lit(ENGLAND_CODE))
        .when(pl.col("level") == "regional")
        .then(region)
        .otherwise(pl.col("old_la_code")),
        la_name_out=pl.when(pl.col("level") == "national")
        .then(pl.lit("England"))
        .when(pl.col("level") == "regional")
        .then(region_name)
        .otherwise(pl.col("la_name")),
    )
    bad_region = frame.filter((pl.col("level") == "regional") & pl.col("la_code").is_null())
    if bad_region.height:
        first = bad_region.row(0, named=True)
        raise DataError(
            path,
            "an English region code (E12000001-E12000009, E13000001/2)",
            column="region_code",
            row=first[ROW],
            found=repr(first["region_code"]),
        )
    la_rows = frame.filter(pl.col("level") == "la")
    bad_code = la_rows.filter(
        ~pl.col("la_code").fill_null("").str.contains(r"^\d{3}( / \d{3})*$")
    )
    if bad_code.height:
        first = bad_code.row(0, named=True)
        raise DataError(
            path,
            "a 3-digit DfE LA code (or a combined code such as '314 / 318') in old_la_code",
            column="old_la_code",
            row=first[ROW],
            found=repr(first["old_la_code"]),
        )
    frame = frame.with_columns(
        joint_code=pl.when(pl.col("la_code").str.contains(" / "))
        .then(pl.col("la_code"))
        .otherwise(None),
        la_code=pl.col("la_code").str.split(" / "),
        la_name_out=pl.col("la_name_out").str.split(" / "),
    ).explode(["la_code", "la_name_out"])
    return frame.drop("la_name").rename({"la_name_out": "la_name"})


def parse_values(
    frame: pl.DataFrame,
    path: str | Path,
    columns: Mapping[str, str],
    *,
    source: str,
) -> pl.DataFrame:
    """Unpivot value columns into observation rows, keeping markers in `status`.

    `columns` maps a file column to an indicator id. A cell that is neither a number
    nor a marker raises DataError naming its column and row. An empty cell becomes
    status "missing".
    """
    path = Path(path)
    keep = ["la_code", "la_name", "time_period", "level", "joint_code", ROW]
    long = frame.select([*keep, *columns.keys()]).unpivot(
        index=keep, on=list(columns.keys()), variable_name="column", value_name="raw"
    )
    raw = pl.col("raw").str.strip_chars()
    long = long.with_columns(
        value=raw.cast(pl.Float64, strict=False),
        status=pl.when(raw.is_null() | (raw == ""))
        .then(pl.lit("missing"))
        .when(raw.str.to_lowercase().is_in(list(MARKERS)))
        .then(raw.str.to_lowercase())
        .otherwise(None),
    )
    bad = long.filter(pl.col("value").is_null() & pl.col("status").is_null())
    if bad.height:
        first = bad.sort(ROW).row(0, named=True)
        raise DataError(
            path,
            "a number or one of the markers " + ", ".join(m for m in MARKERS if m != "missing"),
            column=first["column"],
            row=first[ROW],
            found=repr(first["raw"]),
        )
    long = long.with_columns(
        value=pl.when(pl.col("status").is_null()).then(pl.col("value")).otherwise(None),
        indicator=pl.col("column").replace_strict(dict(columns)),
        year=pl.col("time_period").cast(pl.Int32),
        source=pl.lit(source),
    )
    return long.select(list(OBSERVATION_SCHEMA.names())).cast(dict(OBSERVATION_SCHEMA))
