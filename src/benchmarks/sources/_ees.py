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
from benchmarks.geography import ENGLAND_CODE, REGION_CODES
from benchmarks.indicators import catalogue
from benchmarks.schema import MARKER_CODES, OBSERVATION_SCHEMA
from benchmarks.sources._sheets import require_utf8

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

ROW = "_row"  # 1-based line number in the file (the header is row 1)
#: filter values (one per filter column) -> {file column: indicator id}; see read_observations
Layout = Mapping[tuple[str, ...], Mapping[str, str]]
_SEP = "\x1f"  # joins filter values into one key; never occurs in EES text
#: Plausible values: every published figure is >= 0 and at most this, by catalogue unit.
#: Other units (counts, FTE, days, cases per FTE) are capped at MAX_COUNT, more than all
#: the children in England (about 12 million), so 1e12 or a stray ID is caught.
MAX_COUNT = 20_000_000.0
MAX_BY_UNIT = {"%": 100.0, "per 10,000 children": 10_000.0}


def read_ees_csv(path: str | Path, *, required: list[str]) -> pl.DataFrame:
    """Read an EES CSV as text with a `_row` line number; check the required columns.

    Empty strings in the geography columns become null. Extra columns are kept, so a
    publisher's next release with another column still loads.
    """
    path = Path(path)
    require_utf8(path)
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except pl.exceptions.NoDataError as exc:
        raise DataError(
            path, "a CSV file with a header row and data", found="an empty file"
        ) from exc
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
    bad_code = la_rows.filter(~pl.col("la_code").fill_null("").str.contains(r"^\d{3}( / \d{3})*$"))
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
    nor a marker raises DataError naming its column and row, and so does an implausible
    number (negative, or above the indicator unit's maximum in MAX_BY_UNIT / MAX_COUNT).
    An empty cell becomes status "missing".
    """
    path = Path(path)
    keep = ["la_code", "la_name", "time_period", "level", "joint_code", ROW]
    long = frame.select([*keep, *columns.keys()]).unpivot(
        index=keep, on=list(columns.keys()), variable_name="column", value_name="raw"
    )
    raw = pl.col("raw").str.strip_chars()
    number = raw.cast(pl.Float64, strict=False)
    long = long.with_columns(
        # "nan"/"inf" parse as floats but are not published numbers: treat them as bad cells
        value=pl.when(number.is_finite()).then(number),
        status=pl.when(raw.is_null() | (raw == ""))
        .then(pl.lit("missing"))
        .when(raw.str.to_lowercase().is_in(list(MARKER_CODES)))
        .then(raw.str.to_lowercase())
        .otherwise(None),
    )
    bad = long.filter(pl.col("value").is_null() & pl.col("status").is_null())
    if bad.height:
        first = bad.sort(ROW).row(0, named=True)
        raise DataError(
            path,
            "a number or one of the markers " + ", ".join(m for m in MARKER_CODES if m != "missing"),
            column=first["column"],
            row=first[ROW],
            found=repr(first["raw"]),
        )
    _check_plausible(long, path, columns)
    long = long.with_columns(
        value=pl.when(pl.col("status").is_null()).then(pl.col("value")).otherwise(None),
        indicator=pl.col("column").replace_strict(dict(columns)),
        year=pl.col("time_period").cast(pl.Int32),
        source=pl.lit(source),
    )
    return long.select(list(OBSERVATION_SCHEMA.names())).cast(OBSERVATION_SCHEMA)


def _maximum(indicator_id: str) -> tuple[float, str]:
    """The largest plausible value of an indicator and its unit (columns outside the
    catalogue, such as c4's duration bands, are counts)."""
    known = catalogue().get(indicator_id)
    unit = known.unit if known is not None else "count"
    return MAX_BY_UNIT.get(unit, MAX_COUNT), unit


def _check_plausible(long: pl.DataFrame, path: Path, columns: Mapping[str, str]) -> None:
    maximum = {column: _maximum(indicator)[0] for column, indicator in columns.items()}
    limit = pl.col("column").replace_strict(maximum, return_dtype=pl.Float64)
    bad = long.filter(
        pl.col("status").is_null() & ((pl.col("value") < 0) | (pl.col("value") > limit))
    )
    if bad.height:
        first = bad.sort(ROW).row(0, named=True)
        top, unit = _maximum(columns[first["column"]])
        raise DataError(
            path,
            f"a plausible value from 0 to {top:,.0f} ({unit})",
            column=first["column"],
            row=first[ROW],
            found=repr(first["raw"]),
        )


def read_observations(
    path: str | Path,
    layout: Layout,
    *,
    source: str,
    filters: tuple[str, ...] = (),
) -> pl.DataFrame:
    """Read an EES file into observation rows, selecting rows by its filter columns.

    `filters` names the file's filter columns (e.g. ("category",)); `layout` maps each
    expected tuple of filter values to {file column: indicator id} for those rows. With no
    filters, pass `{(): {...}}`. A filter value not in `layout` raises DataError (file,
    column, row) rather than being mixed into the numbers, and so does a second row for
    the same authority, year and filter values.
    """
    if any(len(k) != len(filters) for k in layout):
        raise ValueError(f"every layout key must give one value for each of {filters}")
    path = Path(path)
    value_columns = list(dict.fromkeys(c for columns in layout.values() for c in columns))
    frame = read_ees_csv(path, required=[*filters, *value_columns])
    keys = list(layout)
    if filters:
        frame = frame.with_columns([pl.col(c).str.strip_chars() for c in filters])
        _check_filters(frame, path, filters, keys)
        key = pl.concat_str([pl.col(c) for c in filters], separator=_SEP)
    else:
        key = pl.lit("")
    frame = geography(frame.with_columns(_key=key), path)
    _check_unique(frame, path)
    parts = [
        parse_values(frame.filter(pl.col("_key") == _SEP.join(k)), path, layout[k], source=source)
        for k in keys
    ]
    return pl.concat(parts, how="vertical")


def _check_filters(
    frame: pl.DataFrame, path: Path, filters: tuple[str, ...], keys: list[tuple[str, ...]]
) -> None:
    for i, column in enumerate(filters):
        allowed = sorted({k[i] for k in keys})
        bad = frame.filter(~pl.col(column).is_in(allowed) | pl.col(column).is_null())
        if bad.height:
            first = bad.row(0, named=True)
            raise DataError(
                path,
                f"{column} to be one of {allowed}",
                column=column,
                row=first[ROW],
                found=repr(first[column]),
            )
    combined = pl.concat_str([pl.col(c) for c in filters], separator=_SEP)
    bad = frame.filter(~combined.is_in([_SEP.join(k) for k in keys]))
    if bad.height:
        first = bad.row(0, named=True)
        raise DataError(
            path,
            f"({', '.join(filters)}) to be one of {keys}",
            column=filters[-1],
            row=first[ROW],
            found=repr(tuple(first[c] for c in filters)),
        )


def _check_unique(frame: pl.DataFrame, path: Path) -> None:
    """One row per authority, year and filter value, and one code per LA name."""
    repeated = frame.filter(~pl.struct("la_code", "time_period", "_key").is_first_distinct())
    if repeated.height:
        first = repeated.sort(ROW).row(0, named=True)
        raise DataError(
            path,
            "one row per authority, year and filter value",
            column="old_la_code",
            row=first[ROW],
            found=f"a second row for {first['la_code']} in {first['time_period']}",
        )
    name = pl.col("la_name").str.strip_chars().str.to_lowercase()
    group = [name, "time_period", "_key"]
    recoded = frame.sort(ROW).filter(
        (pl.col("level") == "la")
        & name.is_not_null()
        & (pl.col("la_code") != pl.col("la_code").first().over(group))
    )
    if recoded.height:
        first = recoded.row(0, named=True)
        earlier = frame.filter(
            (name == first["la_name"].strip().lower())
            & (pl.col("time_period") == first["time_period"])
            & (pl.col("_key") == first["_key"])
        )["la_code"][0]
        raise DataError(
            path,
            "one code per authority in a year",
            column="old_la_code",
            row=first[ROW],
            found=f"{first['la_name']} under {earlier} and {first['la_code']} in "
            f"{first['time_period']}",
        )


def catalogue_columns(source: str) -> dict[str, str]:
    """{file column: indicator id} for the catalogue entries of `source` that name a column.

    Raises ValueError if two indicators share a column (such a file needs an explicit layout).
    """
    out: dict[str, str] = {}
    for indicator in catalogue().values():
        if indicator.source != source or indicator.column is None:
            continue
        if indicator.column in out:
            raise ValueError(
                f"indicators {out[indicator.column]} and {indicator.id} both read column "
                f"{indicator.column!r} of {source}: give an explicit layout"
            )
        out[indicator.column] = indicator.id
    return out
