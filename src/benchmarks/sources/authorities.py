"""The authorities table and name/code lookups.

`read_authorities` builds one row per children's services authority (3-digit DfE code)
from DfE's `las.csv` (codes, names, dates, status, region, ONS entity type), the region
hierarchy (region names) and LAIT's `la_code_list.xlsx` (Inner/Outer London, LA type).
Reorganisations are not recorded in those files, so `REORGANISATIONS` lists them.

Name and code resolution (`resolve_la`, `resolver`) lives in `benchmarks.geography`.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from benchmarks.errors import DataError
from benchmarks.geography import LONDON
from benchmarks.schema import AUTHORITIES_SCHEMA, conform
from benchmarks.sources._sheets import (
    ROW,
    check_unique,
    first_bad,
    read_table,
    reject_first,
    to_dates,
)

LAS_COLUMNS = [
    "new_la_code",
    "la_name",
    "date_of_operation",
    "date_of_termination",
    "parent_geography_code",
    "entity_code",
    "entity_description",
    "status",
    "old_la_code",
]
HIERARCHY_COLUMNS = ["region_code", "region_name", "old_la_code", "la_name", "new_la_code"]
LA_CODE_LIST_SHEET = "Sheet1"
LA_CODE_LIST_COLUMNS = ["LA Number", "LA Name", "Region", "Type"]

#: Children's services reorganisations since 2009: predecessor -> successors.
#: From MANIFEST §4 and las.csv dates; old Dorset county (835) lost Christchurch to BCP,
#: so it has two successors. Same-area code changes (825, 815, 933, 370, 373, 390, 929)
#: keep their 3-digit code and are not reorganisations here.
REORGANISATIONS: dict[str, tuple[str, ...]] = {
    "820": ("822", "823"),  # Bedfordshire -> Bedford, Central Bedfordshire (2009)
    "875": ("895", "896"),  # Cheshire -> Cheshire East, Cheshire West and Chester (2009)
    "835": ("838", "839"),  # Dorset county -> Dorset, BCP (2019)
    "836": ("839",),  # Poole -> BCP (2019)
    "837": ("839",),  # Bournemouth -> BCP (2019)
    "928": ("940", "941"),  # Northamptonshire -> North, West Northamptonshire (2021)
    "909": ("942", "943"),  # Cumbria -> Cumberland, Westmorland and Furness (2023)
}

LAIT_TYPES = {
    "ILB": "London borough",
    "OLB": "London borough",
    "MD": "Metropolitan district",
    "UA": "Unitary authority",
    "SC": "Shire county",
}
ENTITY_TYPES = {
    "E09": "London borough",
    "E08": "Metropolitan district",
    "E06": "Unitary authority",
    "E10": "Shire county",
}


def read_authorities(las: Path, hierarchy: Path, la_code_list: Path) -> pl.DataFrame:
    """One row per children's services authority, current and predecessor ones.

    Combined codes ("314 / 318"), pre-2009 counties without a DfE number and the
    British Forces row are not authorities and are left out.
    """
    rows = _read_las(Path(las))
    regions = _read_region_names(Path(hierarchy))
    lait = _read_lait(Path(la_code_list))

    bad = rows.join(regions, left_on="parent_geography_code", right_on="region_code", how="anti")
    if bad.height:
        first = bad.sort(ROW).row(0, named=True)
        raise DataError(
            las,
            f"a region code listed in {Path(hierarchy).name}",
            column="parent_geography_code",
            row=first[ROW],
            found=repr(first["parent_geography_code"]),
        )

    rows = rows.sort("la_code", "date_of_operation", "new_la_code")
    authorities = (
        rows.group_by("la_code", maintain_order=True)
        .agg(
            la_name=pl.col("la_name").last(),
            ons_code=pl.col("new_la_code").last(),
            ons_codes=pl.col("new_la_code"),
            region_code=pl.col("parent_geography_code").last(),
            entity_code=pl.col("entity_code").last(),
            date_of_operation=pl.col("date_of_operation").min(),
            current=pl.col("live").any(),
            last_termination=pl.col("date_of_termination").max(),
        )
        .with_columns(
            date_of_termination=pl.when(pl.col("current"))
            .then(None)
            .otherwise(pl.col("last_termination"))
        )
        .join(regions, on="region_code", how="left")
        .join(lait, on="la_code", how="left")
    )
    codes = set(authorities["la_code"])
    successors = {
        old: [n for n in new if n in codes] for old, new in REORGANISATIONS.items() if old in codes
    }
    predecessors: dict[str, list[str]] = {}
    for old, new in successors.items():
        for code in new:
            predecessors.setdefault(code, []).append(old)
    authorities = authorities.with_columns(
        la_type=pl.coalesce(
            pl.col("lait_type").replace_strict(LAIT_TYPES, default=None),
            pl.col("entity_code").replace_strict(ENTITY_TYPES, default=None),
        ),
        london_area=pl.when(pl.col("region_code") == LONDON).then(pl.col("lait_region")),
        predecessors=pl.col("la_code").replace_strict(
            {k: sorted(v) for k, v in predecessors.items()},
            default=[],
            return_dtype=pl.List(pl.String),
        ),
        successors=pl.col("la_code").replace_strict(
            successors, default=[], return_dtype=pl.List(pl.String)
        ),
    )
    return conform(authorities.sort("la_code"), AUTHORITIES_SCHEMA, name="authorities")


def _read_las(path: Path) -> pl.DataFrame:
    """las.csv rows for 3-digit LAs, one per ONS code, dates parsed.

    Combined codes ("314 / 318"), `x` (terminated counties with no DfE number) and the
    ONS code `z` (British Forces) are left out; any other old_la_code or new_la_code,
    or an ONS code listed twice, raises DataError rather than dropping an authority.
    """
    frame = read_table(path, None, header_row=1, columns=LAS_COLUMNS, key="old_la_code")
    code = pl.col("old_la_code")
    is_la = code.str.contains(r"^\d{3}$")
    left_out = code.str.contains(r"^\d{3}( / \d{3})+$") | (
        (code == "x") & (pl.col("status") == "terminated")
    )
    reject_first(
        frame,
        ~is_la & ~left_out,
        path,
        "a 3-digit DfE LA code (or a combined code, or 'x' on a terminated row)",
        column="old_la_code",
    )
    # 'z': no ONS code applies (the British Forces row)
    frame = frame.filter(is_la & pl.col("new_la_code").ne_missing("z"))
    reject_first(
        frame,
        ~pl.col("new_la_code").fill_null("").str.contains(r"^E\d{8}$"),
        path,
        "an English ONS code (E and 8 digits) or 'z'",
        column="new_la_code",
    )
    check_unique(frame, path, sheet=None, column="new_la_code", what="ONS code")
    frame = to_dates(frame, path, sheet=None, columns=["date_of_operation", "date_of_termination"])
    reject_first(
        frame,
        ~pl.col("status").is_in(["live", "terminated"]),
        path,
        "status 'live' or 'terminated'",
        column="status",
    )
    row = first_bad(frame, pl.col("date_of_operation").is_null())
    if row is not None:
        raise DataError(
            path,
            "a date of operation",
            column="date_of_operation",
            row=row[ROW],
            found="an empty cell",
        )
    return frame.with_columns(
        la_code=pl.col("old_la_code"),
        live=(pl.col("status") == "live") & pl.col("date_of_termination").is_null(),
    )


def _read_region_names(path: Path) -> pl.DataFrame:
    frame = read_table(path, None, header_row=1, columns=HIERARCHY_COLUMNS, key="region_code")
    reject_first(
        frame,
        ~pl.col("region_code").str.contains(r"^(E1\d{7}|z)$"),
        path,
        "a region code (E12000001...) or 'z'",
        column="region_code",
    )
    return (
        frame.filter(pl.col("region_code").str.starts_with("E12"))
        .select("region_code", "region_name")
        .unique("region_code", keep="first")
    )


def _read_lait(path: Path) -> pl.DataFrame:
    frame = read_table(
        path, LA_CODE_LIST_SHEET, header_row=1, columns=LA_CODE_LIST_COLUMNS, key="LA Number"
    )
    reject_first(
        frame,
        ~pl.col("LA Number").str.contains(r"^\d+$"),
        path,
        "an LA number (3 digits; 4 for England and region rows)",
        column="LA Number",
        sheet=LA_CODE_LIST_SHEET,
    )
    frame = frame.filter(pl.col("LA Number").str.contains(r"^\d{3}$"))
    check_unique(frame, path, sheet=LA_CODE_LIST_SHEET, column="LA Number", what="LA number")
    known = [*LAIT_TYPES, "NA"]
    reject_first(
        frame,
        ~pl.col("Type").fill_null("").is_in(known),
        path,
        "a type " + ", ".join(known),
        column="Type",
        sheet=LA_CODE_LIST_SHEET,
    )
    return frame.select(
        la_code=pl.col("LA Number"),
        lait_type=pl.col("Type"),
        lait_region=pl.when(pl.col("Region").is_in(["Inner London", "Outer London"])).then(
            pl.col("Region")
        ),
    )
