"""Ofsted inspections of local authority children's services.

* `read_ofsted_outcomes` - Ofsted's *LA inspection outcomes as at 31 March* (ILACS
  history 2018-, plus the year's focused and monitoring visits); joined by ONS code.
* `read_ofsted_2023` - the 2023 underlying data's history of the older frameworks
  (SLAC, CPI/CPRI, TLAC, SIF and SIF re-inspections), which carries names only.
* `read_d2i` - Data to Insight's unofficial scrape of the latest ILACS report per LA,
  used only for inspections after the official file (`combine_inspections`).

All return INSPECTIONS_SCHEMA; grades are one of schema.GRADES or null.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from benchmarks.errors import DataError, UnknownAuthorityError
from benchmarks.geography import resolver
from benchmarks.schema import GRADES, INSPECTIONS_SCHEMA, conform
from benchmarks.sources._sheets import (
    ROW,
    check_codes,
    check_unique,
    first_bad,
    read_grid,
    read_table,
    reject_first,
    table,
    to_dates,
)

JUDGEMENTS = ["overall", "leaders", "help_and_protection", "children_in_care", "care_leavers"]
_GRADE_WORDS = {g.lower(): g for g in GRADES} | {
    "requires improvement": "Requires improvement to be good"
}
_BLANKS = ["", "-"]  # "-" = no such judgement (e.g. Isles of Scilly adoption)
_D2I_BLANKS = [*_BLANKS, "nan", "none", "inspection_pre_dates_judgement"]

# ----------------------------------------------------------------- official 2025 file

OUTCOMES_HEADER_ROW = 3
HISTORY_SHEET = "ILACS_inspection_history"
IN_YEAR_SHEET = "In-year_inspections"
_ILACS_JUDGEMENTS = {
    "Overall effectiveness": "overall",
    "The impact of leaders on social work practice with children and families": "leaders",
    "The experiences and progress of children who need help and protection": (
        "help_and_protection"
    ),
    "The experiences and progress of children in care": "children_in_care",
    "The experiences and progress of care leavers": "care_leavers",
}
HISTORY_COLUMNS = {
    "Local authority area code": "ons_code",
    "Local authority name": "la_name",
    "Inspection date": "inspection_date",
    "Publication date": "publication_date",
    "Inspection type": "type",
    **_ILACS_JUDGEMENTS,
}
IN_YEAR_COLUMNS = {
    "Local authority area code": "ons_code",
    "Local authority name": "la_name",
    "Inspection/Visit date": "inspection_date",
    "Publication date": "publication_date",
    "Inspection/Visit type": "type",
    **_ILACS_JUDGEMENTS,
    "Visit Theme": "visit_theme",
}
#: Ofsted's inspection/visit type -> (framework, event_type); matched case-insensitively.
EVENT_TYPES = {
    "ilacs standard inspection": ("ILACS", "Standard inspection"),
    "ilacs short inspection": ("ILACS", "Short inspection"),
    "ilacs focused visit": ("ILACS", "Focused visit"),
    "la monitoring visit": ("ILACS", "Monitoring visit"),
}


def read_ofsted_outcomes(path: Path, authorities: pl.DataFrame) -> pl.DataFrame:
    """Every ILACS inspection (history sheet) plus the in-year visits, one row each.

    In-year inspections that are already in the history are dropped. LAs are joined by
    ONS code through `authorities.ons_codes`, so abolished LAs keep their own code.
    """
    path = Path(path)
    frames = []
    for sheet, columns in [(HISTORY_SHEET, HISTORY_COLUMNS), (IN_YEAR_SHEET, IN_YEAR_COLUMNS)]:
        frame = read_table(
            path,
            sheet,
            header_row=OUTCOMES_HEADER_ROW,
            columns=list(columns),
            key="Local authority area code",
        )
        frame = to_dates(frame, path, sheet=sheet, columns=_date_columns(columns))
        frame = _grades(frame, path, sheet, [c for c, n in columns.items() if n in JUDGEMENTS])
        frame = _event_types(frame, path, sheet, [k for k, v in columns.items() if v == "type"][0])
        frame = _la_by_ons(frame, path, sheet, authorities)
        frames.append(frame.rename(columns))
    events = pl.concat(frames, how="diagonal_relaxed").unique(
        ["la_code", "inspection_date", "event_type"], keep="first", maintain_order=True
    )
    events = events.with_columns(
        other_judgements=pl.lit(None, pl.String),
        source=pl.lit("ofsted_outcomes"),
        official=pl.lit(True),
    )
    return _finish(events)


def _date_columns(columns: dict[str, str]) -> list[str]:
    return [c for c, n in columns.items() if n.endswith("_date")]


def _event_types(frame: pl.DataFrame, path: Path, sheet: str, column: str) -> pl.DataFrame:
    text = pl.col(column).fill_null("").str.strip_chars().str.to_lowercase()
    reject_first(
        frame,
        ~text.is_in(list(EVENT_TYPES)),
        path,
        "an inspection type (" + ", ".join(EVENT_TYPES) + ")",
        column=column,
        sheet=sheet,
    )
    return frame.with_columns(
        framework=text.replace_strict({k: v[0] for k, v in EVENT_TYPES.items()}),
        event_type=text.replace_strict({k: v[1] for k, v in EVENT_TYPES.items()}),
    )


def _la_by_ons(
    frame: pl.DataFrame, path: Path, sheet: str, authorities: pl.DataFrame
) -> pl.DataFrame:
    """Add `la_code` from the ONS code column (any code the authority has had)."""
    column = "Local authority area code"
    lookup = authorities.select("la_code", pl.col("ons_codes").alias(column)).explode(column)
    joined = frame.join(lookup, on=column, how="left")
    reject_first(
        joined,
        pl.col("la_code").is_null(),
        path,
        "an ONS code of a known local authority (las.csv)",
        column=column,
        sheet=sheet,
    )
    return joined


# ----------------------------------------------------------------- official 2023 file

SHEET_2023 = "LA_inspections_2009-2023"
HEADER_ROW_2023 = 5
_NAME = "Local authority name"
_SIF = "Single Inspection of LA Children's Services (SIF)"


@dataclass(frozen=True)
class _Framework:
    """One older-framework inspection's columns in the 2023 sheet."""

    framework: str
    event_type: str
    date: str
    judgements: dict[str, str] = field(default_factory=dict)  # our column -> file column
    others: dict[str, str] = field(default_factory=dict)  # label -> file column


def _sif(prefix: str, date: str, *, lscb: bool) -> dict:
    return {
        "date": date,
        "judgements": {
            "overall": f"{prefix} Overall Judgement (OE)",
            "help_and_protection": f"{prefix} children who need help and protection",
            "children_in_care": f"{prefix} children looked after and achieving permanence",
            "care_leavers": f"{prefix} CLA Sub: Experiences and progress of care leavers",
            "leaders": f"{prefix} leadership, management and governance",
        },
        "others": {"Adoption performance": f"{prefix} CLA Sub: Adoption Performance"}
        | ({"LSCB": "LSCB Overall Effectiveness"} if lscb else {}),
    }


#: The frameworks before ILACS, in the sheet's column order. SLAC gave two separate
#: overall judgements (safeguarding; looked-after children) and no single overall one,
#: so both go to `other_judgements`.
FRAMEWORKS_2023 = [
    _Framework(
        "SLAC",
        "Inspection",
        "Safeguarding & Looked After Children (SLAC) Inspection publication date",
        others={
            "Safeguarding": "SLAC Safeguarding Overall effectiveness (OE)",
            "Looked after children": "SLAC Looked After Children Overall Effectiveness (OE)",
        },
    ),
    _Framework(
        "SLAC re-inspection",
        "Re-inspection",
        "SLAC re-inspection of Safeguarding publication date",
        others={"Safeguarding": "SLAC re-inspection Safeguarding OE"},
    ),
    _Framework(
        "SLAC re-inspection",
        "Re-inspection",
        "SLAC re-inspection of services for Children Looked After publication date",
        others={"Looked after children": "SLAC re-inspection of services Children Looked After OE"},
    ),
    _Framework(
        "CPI",
        "Inspection",
        "Child Protection Inspections (CPI) publication date",
        {"overall": "CPI Overall Effectiveness (OE)"},
    ),
    _Framework(
        "CPRI",
        "Re-inspection",
        "Child Protection Re-Inspection (CPRI) publication date",
        {"overall": "CPRI Overall Effectiveness (OE)"},
    ),
    _Framework(
        "TLAC",
        "Inspection",
        "Targeted Looked After Children (TLAC) inspection publication date",
        {"overall": "TLAC Overall Effectiveness (OE)"},
    ),
    _Framework(
        "SIF",
        "Inspection",
        **_sif("First SIF", f"{_SIF} First SIF publication date", lscb=True),
    ),
    _Framework(
        "SIF re-inspection",
        "Re-inspection",
        **_sif("SIF Re-inspection", f"{_SIF} SIF Re-inspection publication date", lscb=False),
    ),
]
COLUMNS_2023 = ["Web link", _NAME, "LA region", "LA Authority Type"] + [
    c for f in FRAMEWORKS_2023 for c in [f.date, *f.judgements.values(), *f.others.values()]
]


def read_ofsted_2023(path: Path, authorities: pl.DataFrame) -> pl.DataFrame:
    """Inspections under the frameworks before ILACS (2009-2018), one row per event.

    Reads both tables of the sheet: current LAs (header on row 5) and "Table 11",
    LAs that existed before the restructure (names there resolve to abolished LAs, so
    "Dorset" is 835 in table 11 and 838 in table 1). Only publication dates are known.
    ILACS columns are ignored: the outcomes file holds every ILACS inspection.
    """
    path = Path(path)
    grid = read_grid(path, SHEET_2023, column=_NAME, row=HEADER_ROW_2023)
    first = table(
        grid, path, sheet=SHEET_2023, header_row=HEADER_ROW_2023, columns=COLUMNS_2023, key=_NAME
    )
    later_headers = first.filter(pl.col(_NAME) == _NAME)[ROW].to_list()
    parts = [(first, True)]
    if later_headers:
        end = later_headers[0]
        second = table(
            grid,
            path,
            sheet=SHEET_2023,
            header_row=end,
            columns=COLUMNS_2023,
            key=_NAME,
            allow_empty=True,
        )
        parts = [(first.filter(pl.col(ROW) < end), True), (second, False)]
    frames = []
    for part, current in parts:
        resolve = resolver(authorities, prefer_current=current)
        codes = []
        for name, row in part.select(_NAME, ROW).iter_rows():
            try:
                codes.append(resolve(name))
            except UnknownAuthorityError as exc:
                raise DataError(
                    path,
                    "a local authority name that matches las.csv",
                    sheet=SHEET_2023,
                    column=_NAME,
                    row=row,
                    found=f"{name!r} ({exc})",
                ) from exc
        frames.append(part.with_columns(la_code=pl.Series(codes, dtype=pl.String)))
    wide = pl.concat(frames)
    row = first_bad(wide, ~pl.col("la_code").is_first_distinct())
    if row is not None:
        raise DataError(
            path,
            "one row per local authority in each table",
            sheet=SHEET_2023,
            column=_NAME,
            row=row[ROW],
            found=f"{row[_NAME]!r}, authority {row['la_code']} again",
        )
    wide = to_dates(wide, path, sheet=SHEET_2023, columns=[f.date for f in FRAMEWORKS_2023])
    grade_columns = [
        c for f in FRAMEWORKS_2023 for c in [*f.judgements.values(), *f.others.values()]
    ]
    wide = _grades(wide, path, SHEET_2023, grade_columns)
    events = pl.concat(
        [_framework_events(wide, f) for f in FRAMEWORKS_2023], how="diagonal_relaxed"
    ).with_columns(
        inspection_date=pl.lit(None, pl.Date),
        visit_theme=pl.lit(None, pl.String),
        source=pl.lit("ofsted_underlying_2023"),
        official=pl.lit(True),
    )
    return _finish(events)


def _framework_events(wide: pl.DataFrame, spec: _Framework) -> pl.DataFrame:
    """One framework's events: rows with a publication date or any judgement."""
    others = [
        pl.when(pl.col(c).is_not_null()).then(pl.lit(f"{label}: ") + pl.col(c))
        for label, c in spec.others.items()
    ]
    filled = [
        pl.col(c).is_not_null()
        for c in [spec.date, *spec.judgements.values(), *spec.others.values()]
    ]
    return wide.filter(pl.any_horizontal(filled)).select(
        "la_code",
        pl.col(_NAME).alias("la_name"),
        pl.col(spec.date).alias("publication_date"),
        framework=pl.lit(spec.framework),
        event_type=pl.lit(spec.event_type),
        **{
            j: pl.col(spec.judgements[j]) if j in spec.judgements else pl.lit(None, pl.String)
            for j in JUDGEMENTS
        },
        other_judgements=(
            pl.concat_str(others, separator="; ", ignore_nulls=True).replace("", None)
            if others
            else pl.lit(None, pl.String)
        ),
    )


# ----------------------------------------------------------------- D2I scrape

D2I_SHEET = "ofsted_cs_inspections_overview"
D2I_COLUMNS = {
    "la_code": "la_code",
    "local_authority": "la_name",
    "inspection_start_date": "inspection_date",
    "publication_date": "publication_date",
    "inspection_framework": "type",
    "overall_effectiveness_grade": "overall",
    "impact_of_leaders_grade": "leaders",
    "help_and_protection_grade": "help_and_protection",
    "in_care_grade": "children_in_care",
    "care_leavers_grade": "care_leavers",
}
D2I_TYPES = {"standard": "Standard inspection", "short": "Short inspection"}


def read_d2i(path: Path) -> pl.DataFrame:
    """Data to Insight's latest-ILACS-per-LA scrape (unofficial), in official wording."""
    path = Path(path)
    frame = read_table(
        path,
        D2I_SHEET,
        header_row=1,
        columns=list(D2I_COLUMNS),
        key="la_code",
    )
    check_codes(frame, path, sheet=D2I_SHEET, columns=["la_code"])
    check_unique(frame, path, sheet=D2I_SHEET, column="la_code", what="LA code")
    check_unique(frame, path, sheet=D2I_SHEET, column="local_authority", what="LA name")
    nulls = pl.col(["inspection_start_date", "publication_date", "inspection_framework"])
    frame = frame.with_columns(
        pl.when(nulls.str.to_lowercase().is_in(_D2I_BLANKS)).then(None).otherwise(nulls).name.keep()
    )
    frame = to_dates(frame, path, sheet=D2I_SHEET, columns=_date_columns(D2I_COLUMNS))
    grades = [c for c, n in D2I_COLUMNS.items() if n in JUDGEMENTS]
    frame = _grades(frame, path, D2I_SHEET, grades, blanks=_D2I_BLANKS)
    kind = pl.col("inspection_framework").str.to_lowercase()
    reject_first(
        frame,
        kind.is_not_null() & ~kind.is_in(list(D2I_TYPES)),
        path,
        "an inspection framework 'standard' or 'short'",
        column="inspection_framework",
        sheet=D2I_SHEET,
    )
    events = frame.rename(D2I_COLUMNS).with_columns(
        framework=pl.lit("ILACS"),
        event_type=pl.col("type").str.to_lowercase().replace_strict(D2I_TYPES, default=None),
        other_judgements=pl.lit(None, pl.String),
        visit_theme=pl.lit(None, pl.String),
        source=pl.lit("d2i_ilacs"),
        official=pl.lit(False),
    )
    return _finish(events)


# ----------------------------------------------------------------- shared steps


def _grades(
    frame: pl.DataFrame,
    path: Path,
    sheet: str,
    columns: list[str],
    *,
    blanks: list[str] = _BLANKS,
) -> pl.DataFrame:
    """Normalise grade cells to schema.GRADES wording; blanks -> null; else DataError."""
    exprs = []
    for column in columns:
        text = pl.col(column).fill_null("").str.strip_chars().str.to_lowercase()
        reject_first(
            frame,
            ~text.is_in(blanks) & ~text.is_in(list(_GRADE_WORDS)),
            path,
            "an Ofsted grade (" + ", ".join(GRADES) + ") or an empty cell",
            column=column,
            sheet=sheet,
        )
        exprs.append(text.replace_strict(_GRADE_WORDS, default=None).alias(column))
    return frame.with_columns(exprs)


def _date_key() -> pl.Expr:
    return pl.coalesce("inspection_date", "publication_date")


def _finish(events: pl.DataFrame) -> pl.DataFrame:
    events = events.sort("la_code", _date_key(), "publication_date", "framework", nulls_last=True)
    return conform(events, INSPECTIONS_SCHEMA, name="inspections")


def combine_inspections(official: list[pl.DataFrame], d2i: pl.DataFrame | None) -> pl.DataFrame:
    """The official history plus D2I rows for inspections after each LA's latest official event.

    "After" compares start dates where D2I has one (against the latest official start
    date, or publication date if the LA has no start dates), else publication dates.
    """
    history = pl.concat([o.pipe(conform, INSPECTIONS_SCHEMA) for o in official])
    if d2i is not None and d2i.height:
        latest = history.group_by("la_code").agg(
            last_start=pl.coalesce(
                pl.col("inspection_date").max(), pl.col("publication_date").max()
            ),
            last_published=pl.col("publication_date").max(),
        )
        extra = (
            d2i.join(latest, on="la_code", how="left")
            .filter(
                pl.when(pl.col("inspection_date").is_not_null())
                .then(pl.col("inspection_date") > pl.col("last_start"))
                .otherwise(pl.col("publication_date") > pl.col("last_published"))
                .fill_null(True)  # an LA with no official inspection at all
            )
            .select(INSPECTIONS_SCHEMA.names())
        )
        history = pl.concat([history, extra])
    return _finish(history)


def latest_judgements(inspections: pl.DataFrame) -> pl.DataFrame:
    """One row per LA: its latest graded inspection (any judgement present).

    The overall grade may be null (the 2026 framework has none); sub-judgements and
    `source`/`official` are kept so a report can label an unofficial grade.
    """
    graded = inspections.filter(
        pl.any_horizontal(pl.col([*JUDGEMENTS, "other_judgements"]).is_not_null())
    )
    latest = (
        graded.sort("la_code", _date_key(), "publication_date", nulls_last=False)
        .group_by("la_code", maintain_order=True)
        .last()
    )
    return conform(latest, INSPECTIONS_SCHEMA, name="latest judgements")
