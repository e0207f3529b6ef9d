"""Broken and surprising variants of the real published files, made at test time.

Nothing here is committed data: every variant is derived from a file in the published
folder when the tests (or `scripts/robustness.py`) run, and written to a temporary folder.

A `Source` is one published file and the real reader that reads it. A `Variant` turns
the file's cells into a `Case`: the broken bytes plus what must happen when the reader
meets them. `run_case` classifies what did happen:

* "clear error": a `DataError` naming the file (and sheet, for spreadsheets), the row
  and the column (unless the whole file is unreadable), and the ones the case expects;
* "tolerant": the read succeeded and equals the documented expectation derived from
  reading the unmodified file (identical, or e.g. without the dropped year);
* "lost data": the read succeeded but differs from that expectation, or succeeded where
  only an error is acceptable (a silent wrong number);
* "unclear error": any other exception, or a DataError that does not say where.

`panel_cases` runs whole-folder variants through `panel.build`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

import polars as pl
import xlsxwriter

from benchmarks import indicators, panel
from benchmarks.errors import DataError
from benchmarks.sources import authorities, inspections, neighbours
from benchmarks.sources._sheets import ROW, read_grid

Cells = list[str | None]
Rows = list[Cells]
Book = dict[str | None, Rows]  # sheet name -> cells; a CSV is the one sheet None
Reader = Callable[[Path, Path], pl.DataFrame]  # (file to read, published folder) -> frame
Outcome = Literal["clear error", "tolerant", "lost data", "unclear error"]
OUTCOMES: tuple[Outcome, ...] = ("clear error", "tolerant", "lost data", "unclear error")
Kind = Literal["ees", "csv", "workbook"]

# ---------------------------------------------------------------- sources


@cache
def _authorities(published: Path) -> pl.DataFrame:
    return authorities.read_authorities(
        published / "authorities/las.csv",
        published / "authorities/region_la_hierarchy.csv",
        published / "authorities/la_code_list.xlsx",
    )


def _authority_file(slot: int) -> Reader:
    """read_authorities with the variant as argument `slot` and the real files elsewhere."""
    names = ["las.csv", "region_la_hierarchy.csv", "la_code_list.xlsx"]

    def read(path: Path, published: Path) -> pl.DataFrame:
        files = [published / "authorities" / n for n in names]
        files[slot] = path
        return authorities.read_authorities(*files)

    return read


def _observations(source_id: str) -> Reader:
    return lambda path, published: panel.OBSERVATION_READERS[source_id](path)


def _without_year(frame: pl.DataFrame, year: int) -> pl.DataFrame:
    return frame.filter(pl.col("year") != year)


def _without_inspections_in(frame: pl.DataFrame, year: int) -> pl.DataFrame:
    return frame.filter(pl.col("inspection_date").dt.year().ne_missing(year))


def _set(column: str, value: str) -> Callable[[Cells, list[str]], Cells]:
    """A row change: `column` set to `value`."""

    def change(row: Cells, header: list[str]) -> Cells:
        out = list(row)
        out[header.index(column)] = value
        return out

    return change


def _respelled(row: Cells, header: list[str]) -> Cells:
    """The row under another spelling of its LA name (resolves to the same authority)."""
    name = row[header.index("Local authority name")] or ""
    other = name.replace(" and ", " & ") if " and " in name else f"{name} Council"
    return _set("Local authority name", other)(row, header)


@dataclass(frozen=True)
class Source:
    """One published file, the reader for it and the columns the variants change."""

    id: str
    relpath: str
    kind: Kind
    read: Reader
    key: str  # the ID column: markers go here
    required: str  # a required column to rename or drop
    sheet: str | None = None  # the sheet variants change (spreadsheets)
    sheets: tuple[str, ...] = ()  # every sheet the reader needs (spreadsheets)
    header_row: int = 1
    name: str | None = None  # a text column for the Latin-1 variant (CSVs)
    year: str | None = None  # the column whose year selects the rows of a dropped year
    drop_year: Callable[[pl.DataFrame, int], pl.DataFrame] | None = None
    rate: str | None = None  # a % (max 100) or per-10,000 rate column (EES)
    per_10k: bool = False
    count: str | None = None  # a count column (EES)
    category: tuple[str, str] | None = None  # (column, a word that is not a category)
    duplicate_ok: bool = False  # documented: an exact repeated row is read identically
    second_code: Callable[[Cells, list[str]], Cells] | None = None  # the LA's second row
    second_code_ok: bool = False  # documented: the second code is ignored or merged
    pick: tuple[str, str] | None = None  # (column, value): rows whose cells are changed

    @property
    def filename(self) -> str:
        return Path(self.relpath).name


def _ees(source_id: str, relpath: str, required: str, rate: str | None, count: str, **kw):
    return Source(
        id=source_id,
        relpath=relpath,
        kind="ees",
        read=_observations(source_id),
        key="old_la_code",
        required=required,
        name="la_name",
        year="time_period",
        drop_year=_without_year,
        rate=rate,
        count=count,
        # the LA's row again under another 3-digit and ONS code
        second_code=lambda row, header: _set("new_la_code", "E99999999")(
            _set("old_la_code", "999")(row, header), header
        ),
        **kw,
    )


SOURCES: list[Source] = [
    _ees(
        "csww",
        "workforce/csww_indicators_2017_to_2025.csv",
        "turnover_rate_fte",
        "turnover_rate_fte",
        "inpost_fte",
    ),
    _ees(
        "cla_swcount",
        "workforce/la_cla_swcount.csv",
        "sw_stability",
        "percentage",
        "number",
        pick=("sw_stability", "3 or more social workers during the year"),
    ),
    _ees(
        "cin_b1",
        "demand/b1_children_in_need_2013_to_2025.csv",
        "At31_episodes",
        None,
        "At31_episodes",
    ),
    _ees(
        "cin_c1",
        "demand/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
        "referral_count",
        "rereferral_percent",
        "referral_count",
    ),
    _ees(
        "cin_c3",
        "demand/c3_factors_identified_at_end_of_assessment_2018_to_2025.csv",
        "Domestic_Abuse_parent",
        None,
        "Neglect",
    ),
    _ees(
        "cin_c4",
        "demand/c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv",
        "Section47",
        None,
        "Section47",
    ),
    _ees(
        "cin_d3",
        "demand/d3_cpps_subsequent_plan_2013_to_2025.csv",
        "CPP_subsequent",
        "CPP_subsequent_percent",
        "CPP_start",
    ),
    _ees(
        "cin_d5",
        "demand/d5_cpps_at31march_by_duration_2013_to_2025.csv",
        "CPP_At31",
        "2_years_or_more_percent",
        "CPP_At31",
    ),
    _ees(
        "cla",
        "demand/cla_number_and_rate_per_10k_children.csv",
        "population_type",
        "rate_per_10000",
        "children_count",
        per_10k=True,
        pick=("population_type", "Children looked after on 31 March each year"),
    ),
    _ees(
        "cla_placement_stability",
        "outcomes/la_cla_placement_stability.csv",
        "placement_stability",
        "children_percent",
        "children_count",
        pick=("placement_stability", "With 3 or more placements during the year"),
        category=("placement_stability", "With 4 or more placements during the year"),
    ),
    _ees(
        "care_leavers_activity",
        "outcomes/la_care_leavers_activity.csv",
        "breakdown",
        "care_leaver_percent",
        "care_leaver_count",
        pick=("breakdown", "Total in education, employment or training"),
        category=("breakdown", "In voluntary work"),
    ),
    _ees(
        "care_leavers_accommodation",
        "outcomes/la_care_leavers_accommodation_suitability.csv",
        "breakdown",
        "care_leaver_percent",
        "care_leaver_count",
        pick=("breakdown", "Accommodation considered suitable"),
        category=("care_leaver_age", "22 to 25 years"),
    ),
    _ees(
        "ons_population",
        "demand/ons_mid-year_population_estimates_2012_to_2024.csv",
        "population_estimate",
        None,
        "population_estimate",
    ),
    Source(
        id="las",
        relpath="authorities/las.csv",
        kind="csv",
        read=_authority_file(0),
        key="old_la_code",
        required="date_of_operation",
        name="la_name",
        category=("status", "probably"),
        second_code=_set("old_la_code", "999"),
        pick=("old_la_code", "383"),
    ),
    Source(
        id="region_hierarchy",
        relpath="authorities/region_la_hierarchy.csv",
        kind="csv",
        read=_authority_file(1),
        key="region_code",
        required="region_name",
        name="la_name",
        duplicate_ok=True,
        # only region names are read from this file; LA codes come from las.csv
        second_code=_set("old_la_code", "999"),
        second_code_ok=True,
    ),
    Source(
        id="la_code_list",
        relpath="authorities/la_code_list.xlsx",
        kind="workbook",
        read=_authority_file(2),
        key="LA Number",
        required="Type",
        sheet=authorities.LA_CODE_LIST_SHEET,
        sheets=(authorities.LA_CODE_LIST_SHEET,),
        category=("Type", "XYZ"),
        # LAIT types are joined onto the authorities of las.csv; an unknown code adds none
        second_code=_set("LA Number", "999"),
        second_code_ok=True,
    ),
    Source(
        id="sn2025",
        relpath="authorities/sn_may_2025.xlsx",
        kind="workbook",
        read=lambda path, published: neighbours.read_sn2025(path),
        key="LA num",
        required="GOReg",
        sheet=neighbours.SN2025_SHEET,
        sheets=(neighbours.SN2025_SHEET,),
        header_row=3,
        category=("SNP", "Very very close"),
        second_code=_set("LA num", "999"),
    ),
    Source(
        id="sn2021",
        relpath="authorities/New_Statistical_Neighbour_Groupings_April_2021.csv",
        kind="csv",
        read=lambda path, published: neighbours.read_sn2021(path),
        key="LA num",
        required="GOReg",
        name="LA Name",
        category=("SNP", "Very very close"),
        second_code=_set("LA num", "999"),
    ),
    Source(
        id="sn2025_wide",
        relpath="authorities/sn_model_2025_wide.csv",
        kind="csv",
        read=lambda path, published: neighbours.read_sn2025_csv(path),
        key="old_la_code",
        required="SN_3P",
        name="la_name",
        category=("SN_1P", "Very very close"),
        second_code=_set("old_la_code", "999"),
    ),
    Source(
        id="ofsted_outcomes",
        relpath="inspections/LA_Inspection_Outcomes_as_at_31_March_2025.ods",
        kind="workbook",
        read=lambda path, published: inspections.read_ofsted_outcomes(
            path, _authorities(published)
        ),
        key="Local authority area code",
        required="Inspection type",
        sheet=inspections.HISTORY_SHEET,
        sheets=(
            "Inspections_as_at_31_March",
            inspections.IN_YEAR_SHEET,
            inspections.HISTORY_SHEET,
        ),
        header_row=inspections.OUTCOMES_HEADER_ROW,
        year="Inspection date",
        drop_year=_without_inspections_in,
        category=("Overall effectiveness", "Excellent"),
        duplicate_ok=True,
        # Barnsley under its old and its new ONS code: one authority, merged
        second_code=_set("Local authority area code", "E08000038"),
        second_code_ok=True,
        pick=("Local authority area code", "E08000016"),
    ),
    Source(
        id="ofsted_underlying_2023",
        relpath="inspections/Childrens_social_care_in_England_2023_underlying_data.ods",
        kind="workbook",
        read=lambda path, published: inspections.read_ofsted_2023(path, _authorities(published)),
        key="Local authority name",
        required="CPI Overall Effectiveness (OE)",
        sheet=inspections.SHEET_2023,
        sheets=(inspections.SHEET_2023,),
        header_row=inspections.HEADER_ROW_2023,
        category=("TLAC Overall Effectiveness (OE)", "Excellent"),
        second_code=_respelled,  # names are this file's only codes
    ),
    Source(
        id="d2i_ilacs",
        relpath="inspections/ofsted_csc_ilacs_overview.xlsx",
        kind="workbook",
        read=lambda path, published: inspections.read_d2i(path),
        key="la_code",
        required="overall_effectiveness_grade",
        sheet=inspections.D2I_SHEET,
        sheets=(inspections.D2I_SHEET,),
        year="inspection_start_date",
        drop_year=_without_inspections_in,
        category=("in_care_grade", "excellent"),
        second_code=_set("la_code", "999"),
    ),
]

#: Published files no reader uses: no variants.
UNREAD = {
    "authorities/regions.csv": "region names are read from region_la_hierarchy.csv",
    "authorities/Provider_data_lookup.csv": "D2I's provider lookup, not used by the tool",
    "authorities/LTLA-UTLA_Apr23_Lookup_England-Wales.csv": "ONS lookup, not used by the tool",
}


def source(source_id: str) -> Source:
    """The source with this id."""
    return next(s for s in SOURCES if s.id == source_id)


# ---------------------------------------------------------------- reading and writing cells


def read_book(src: Source, published: Path) -> Book:
    """The file's cells as text: CSV rows, or every sheet the reader needs."""
    path = published / src.relpath
    if src.sheet is None:
        text = path.read_bytes().decode("utf-8-sig")
        return {None: [list(r) for r in csv.reader(io.StringIO(text, newline=""))]}
    return {
        sheet: [list(r) for r in read_grid(path, sheet).drop(ROW).iter_rows()]
        for sheet in src.sheets
    }


def csv_bytes(
    rows: Rows,
    *,
    bom: bool = False,
    crlf: bool = False,
    quote_all: bool = False,
    encoding: str = "utf-8",
) -> bytes:
    """Rows as CSV bytes (minimal quoting unless `quote_all`, LF unless `crlf`)."""
    out = io.StringIO(newline="")
    writer = csv.writer(
        out,
        lineterminator="\r\n" if crlf else "\n",
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerows([["" if c is None else c for c in row] for row in rows])
    return (("\ufeff" if bom else "") + out.getvalue()).encode(encoding)


_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" '
    'manifest:media-type="text/xml"/></manifest:manifest>'
)


def _ods_cell(cell: str | None) -> str:
    if cell is None or cell == "":
        return "<table:table-cell/>"
    paragraphs = "".join(f"<text:p>{escape(p)}</text:p>" for p in cell.split("\n"))
    return f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'


def ods_bytes(book: Book) -> bytes:
    """A minimal OpenDocument spreadsheet holding every cell as text."""
    parts = [
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} '
        'office:version="1.2"><office:body><office:spreadsheet>'
    ]
    for sheet, rows in book.items():
        parts.append(f'<table:table table:name="{escape(str(sheet), {chr(34): "&quot;"})}">')
        parts += [
            "<table:table-row>" + "".join(_ods_cell(c) for c in row) + "</table:table-row>"
            for row in rows
        ]
        parts.append("</table:table>")
    parts.append("</office:spreadsheet></office:body></office:document-content>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        mimetype = "application/vnd.oasis.opendocument.spreadsheet"
        zf.writestr("mimetype", mimetype, zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", _ODS_MANIFEST, zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", "".join(parts), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def xlsx_bytes(book: Book) -> bytes:
    """An xlsx workbook holding every cell as text."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    for sheet, rows in book.items():
        worksheet = workbook.add_worksheet(str(sheet))
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell is not None and cell != "":
                    worksheet.write_string(r, c, cell)
    workbook.close()
    return out.getvalue()


# ---------------------------------------------------------------- variants


@dataclass(frozen=True)
class Case:
    """One broken copy of one source and what must happen to it."""

    data: bytes
    # what a tolerant read must equal, given the reading of the unmodified file;
    # None: only a clear error is acceptable
    expect: Callable[[pl.DataFrame], pl.DataFrame] | None = None
    note: str = ""  # e.g. which year was dropped
    whole_file: bool = False  # the error need not name a column or row
    row_only: bool = False  # the error need not name a column (there is no data row)
    column: str | None = None  # the column the error must name (when known)
    row: int | None = None  # the row the error must name (when known)


@dataclass(frozen=True)
class Table:
    """The sheet (or CSV) a source's variants change, inside its book."""

    source: Source
    book: Book
    original: bytes
    rows: Rows = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", self.book[self.source.sheet])

    @property
    def h(self) -> int:
        """Index of the header row."""
        return self.source.header_row - 1

    @property
    def header(self) -> list[str]:
        return [" ".join((c or "").split()) for c in self.rows[self.h]]

    def col(self, name: str) -> int:
        return self.header.index(name)

    def data_rows(self, *, picked: bool = True) -> list[int]:
        """Indices of rows below the header with the key filled: LA rows for EES files,
        and (if `picked`) only the source's `pick` rows."""
        wanted = []
        if picked and self.source.pick:
            wanted.append((self.col(self.source.pick[0]), self.source.pick[1]))
        if self.source.kind == "ees":
            wanted.append((self.col("geographic_level"), "Local authority"))
        key = self.col(self.source.key)
        return [
            i
            for i in range(self.h + 1, len(self.rows))
            if (self.rows[i][key] or "").strip() and all(self.rows[i][c] == v for c, v in wanted)
        ]

    def bytes(self, rows: Rows) -> bytes:
        """The book with `rows` in place of the table, in the source's own format."""
        book = {**self.book, self.source.sheet: rows}
        if self.source.kind != "workbook":
            return csv_bytes(rows)
        return ods_bytes(book) if self.source.relpath.endswith(".ods") else xlsx_bytes(book)

    def changed(self, i: int, column: str, value: str) -> Rows:
        out = [list(r) for r in self.rows]
        out[i][self.col(column)] = value
        return out


def _identical(frame: pl.DataFrame) -> pl.DataFrame:
    return frame


def empty_file(t: Table) -> Case:
    return Case(b"", whole_file=True)


def header_only(t: Table) -> Case:
    return Case(t.bytes(t.rows[: t.h + 1]), row_only=True, row=t.h + 2)


def bom_crlf(t: Table) -> Case | None:
    if t.source.kind == "workbook":
        return None
    return Case(csv_bytes(t.rows, bom=True, crlf=True), _identical)


def latin1(t: Table) -> Case | None:
    if t.source.kind == "workbook" or t.source.name is None:
        return None
    i = t.data_rows()[0]
    name = t.rows[i][t.col(t.source.name)] or ""
    accented = name.replace("e", "é", 1) if "e" in name else name + "é"
    rows = t.changed(i, t.source.name, accented)
    return Case(csv_bytes(rows, encoding="latin-1"), note=accented, column=t.source.name, row=i + 1)


def resaved(t: Table) -> Case | None:
    if t.source.kind != "workbook":
        return None
    return Case(t.bytes(t.rows), _identical)


def renamed_column(t: Table) -> Case:
    rows = t.changed(t.h, t.source.required, f"{t.source.required} (renamed)")
    return Case(t.bytes(rows), column=t.source.required, row=t.h + 1)


def missing_column(t: Table) -> Case:
    c = t.col(t.source.required)
    rows = [r[:c] + r[c + 1 :] for r in t.rows]
    return Case(t.bytes(rows), column=t.source.required, row=t.h + 1)


def extra_column(t: Table) -> Case:
    c = t.col(t.source.key) + 1

    def cell(i: int) -> str | None:
        return "notes, added by hand" if i == t.h else ("see note 3" if i > t.h else None)

    rows = [r[:c] + [cell(i)] + r[c:] for i, r in enumerate(t.rows)]
    return Case(t.bytes(rows), _identical)


def marker_in_id(t: Table) -> Case:
    i = t.data_rows()[0]
    rows = t.changed(i, t.source.key, "c")
    return Case(t.bytes(rows), column=t.source.key, row=i + 1)


def duplicated_row(t: Table) -> Case:
    i = t.data_rows()[0]
    rows = [list(r) for r in t.rows]
    rows.insert(i + 1, list(rows[i]))
    if t.source.duplicate_ok:
        return Case(t.bytes(rows), _identical)
    return Case(t.bytes(rows), row=i + 2)


def _year(cell: str | None) -> int | None:
    match = re.search(r"\b(19|20)\d\d\b", cell or "")
    return int(match.group(0)) if match else None


def dropped_year(t: Table) -> Case | None:
    src = t.source
    if src.year is None or src.drop_year is None:
        return None
    c = t.col(src.year)
    below = range(t.h + 1, len(t.rows))
    years = sorted({y for i in below if (y := _year(t.rows[i][c])) is not None})
    if len(years) < 3:
        return None
    gone = years[len(years) // 2]
    rows = [r for k, r in enumerate(t.rows) if k <= t.h or _year(r[c]) != gone]
    drop = src.drop_year
    return Case(t.bytes(rows), lambda frame: drop(frame, gone), note=f"{gone} dropped")


def _number(t: Table, column: str | None, value: str) -> Case | None:
    """`value` in the first LA row's `column` that holds a number (EES only)."""
    if t.source.kind != "ees" or column is None:
        return None
    for i in t.data_rows():
        try:
            float(t.rows[i][t.col(column)] or "")
        except ValueError:
            continue
        return Case(t.bytes(t.changed(i, column, value)), note=value, column=column, row=i + 1)
    return None


def negative_value(t: Table) -> Case | None:
    return _number(t, t.source.count, "-5")


def impossible_rate(t: Table) -> Case | None:
    return _number(t, t.source.rate, "25000" if t.source.per_10k else "250")


def absurd_count(t: Table) -> Case | None:
    return _number(t, t.source.count, "1e12")


def unknown_category(t: Table) -> Case | None:
    if t.source.category is None:
        return None
    column, word = t.source.category
    i = next(i for i in t.data_rows() if (t.rows[i][t.col(column)] or "").strip())
    return Case(t.bytes(t.changed(i, column, word)), note=word, column=column, row=i + 1)


def truncated(t: Table) -> Case | None:
    if t.source.kind != "workbook":
        return None
    return Case(t.original[: len(t.original) // 2], whole_file=True)


def excel_quoted(t: Table) -> Case | None:
    if t.source.kind == "workbook":
        return None
    return Case(csv_bytes(t.rows, quote_all=True), _identical)


def _with_separators(cell: str | None) -> str | None:
    try:
        number = float(cell or "")
    except ValueError:
        return cell
    if abs(number) < 1000:
        return cell
    decimals = len(cell.split(".")[1]) if cell and "." in cell else 0
    return f"{number:,.{decimals}f}"


def excel_thousands(t: Table) -> Case | None:
    if t.source.kind != "ees":
        return None
    first_value = t.col("la_name") + 1
    rows = [
        r if k <= t.h else r[:first_value] + [_with_separators(c) for c in r[first_value:]]
        for k, r in enumerate(t.rows)
    ]
    return Case(csv_bytes(rows, quote_all=True))


def second_code(t: Table) -> Case | None:
    if t.source.second_code is None:
        return None
    i = t.data_rows()[-1]
    rows = [list(r) for r in t.rows]
    rows.insert(i + 1, t.source.second_code(rows[i], t.header))
    if t.source.second_code_ok:
        return Case(t.bytes(rows), _identical)
    return Case(t.bytes(rows), row=i + 2)


@dataclass(frozen=True)
class Variant:
    """A way to break a file: what is done, and the documented outcome."""

    id: str
    label: str
    make: Callable[[Table], Case | None]  # None: does not apply to this source
    change: str  # what is done to the file
    rule: str  # the documented outcome


VARIANTS: list[Variant] = [
    Variant(
        "empty",
        "empty file",
        empty_file,
        "0 bytes.",
        "Error naming the file (and the sheet wanted, for spreadsheets).",
    ),
    Variant(
        "header_only",
        "header only",
        header_only,
        "Everything below the header row removed.",
        "Error: no data rows, naming the row after the header.",
    ),
    Variant(
        "bom_crlf",
        "BOM and CRLF",
        bom_crlf,
        "UTF-8 byte-order mark and Windows line ends.",
        "Tolerant: read identically (the BOM is stripped from the first header).",
    ),
    Variant(
        "latin1",
        "Latin-1 bytes",
        latin1,
        "An 'e' in an LA name made 'é' and the file saved as Latin-1 (as Excel's plain "
        "'CSV' does).",
        "Error naming the row and column of the first byte that is not UTF-8, asking for "
        "'CSV UTF-8'. Never read with a replacement character.",
    ),
    Variant(
        "resaved",
        "re-saved unchanged (control)",
        resaved,
        "The spreadsheet's cells written back as text by the test's own writer.",
        "Tolerant: read identically. A control: the other spreadsheet variants are written "
        "the same way.",
    ),
    Variant(
        "renamed_column",
        "renamed required column",
        renamed_column,
        "A required header renamed ('X' → 'X (renamed)').",
        "Error naming the column and the header row.",
    ),
    Variant(
        "missing_column",
        "missing required column",
        missing_column,
        "A required column deleted.",
        "Error naming the column and the header row.",
    ),
    Variant(
        "extra_column",
        "extra unknown column",
        extra_column,
        "A new column inserted after the ID column.",
        "Tolerant: ignored, read identically (a publisher's next release may add columns).",
    ),
    Variant(
        "marker_in_id",
        "marker in an ID column",
        marker_in_id,
        "The first LA row's code set to 'c'.",
        "Error naming the cell. An LA is never dropped because its code is not a code.",
    ),
    Variant(
        "duplicated_row",
        "duplicated row",
        duplicated_row,
        "The first LA row repeated directly below itself.",
        "Error naming the second copy; tolerant (identical) where repeated events are "
        "merged by key (Ofsted outcomes, region names).",
    ),
    Variant(
        "dropped_year",
        "a year with no rows",
        dropped_year,
        "Every row of the middle year removed.",
        "Tolerant: that year simply has no rows; every other row is identical. (In the "
        "panel, rates that need the missing population get status 'missing' — see below.)",
    ),
    Variant(
        "negative",
        "negative value",
        negative_value,
        "A count set to -5.",
        "Error naming the cell: every published figure is 0 or more.",
    ),
    Variant(
        "impossible_rate",
        "rate above its maximum",
        impossible_rate,
        "A percentage set to 250 (a rate per 10,000 to 25,000).",
        "Error naming the cell: % must be 0-100, a rate per 10,000 children 0-10,000.",
    ),
    Variant(
        "absurd_count",
        "count of 1e12",
        absurd_count,
        "A count set to 1e12.",
        "Error naming the cell: counts, FTE and days must be 0-20,000,000 (more than all "
        "children in England).",
    ),
    Variant(
        "unknown_category",
        "unknown category word",
        unknown_category,
        "A grade, closeness band, status, LA type or EES breakdown (care leavers, placement "
        "stability) replaced by a word that is not one.",
        "Error naming the cell and listing the expected words.",
    ),
    Variant(
        "truncated",
        "truncated (zip cut in half)",
        truncated,
        "The original .ods/.xlsx cut to half its bytes.",
        "Error: not a readable workbook, naming the file and the sheet wanted.",
    ),
    Variant(
        "excel_quoted",
        "Excel CSV: every field quoted",
        excel_quoted,
        'Every field in double quotes ("2025","383",...).',
        "Tolerant: read identically.",
    ),
    Variant(
        "excel_thousands",
        "Excel CSV: thousands separators",
        excel_thousands,
        'Every field quoted and numbers of 1,000 or more written "1,234.5".',
        "Error naming the first such cell: thousands separators are rejected, not guessed "
        "(use the original download).",
    ),
    Variant(
        "second_code",
        "an LA under two codes in one year",
        second_code,
        "An LA's last row repeated under a second code (EES, las.csv, SN, D2I: code 999; "
        "Ofsted outcomes: Barnsley's new ONS code; 2023 Ofsted: another spelling of the "
        "name, its only key).",
        "Error naming the second row; tolerant (identical) where the second code is "
        "merged by the authorities lookup (Ofsted outcomes) or not read (region hierarchy, "
        "LAIT list: codes come from las.csv).",
    ),
]


def cases(src: Source, published: Path) -> Iterator[tuple[Variant, Case]]:
    """Every variant that applies to `src`, with its case."""
    table = Table(src, read_book(src, published), (published / src.relpath).read_bytes())
    for variant in VARIANTS:
        case = variant.make(table)
        if case is not None:
            yield variant, case


# ---------------------------------------------------------------- running


@dataclass(frozen=True)
class Result:
    """What happened to one case."""

    source: str
    variant: str  # Variant.id
    outcome: Outcome
    detail: str  # the error message (file path as the file name), or what differed
    expected: Outcome  # the documented outcome of the case


@cache
def original_frame(src: Source, published: Path) -> pl.DataFrame:
    """The reading of the unmodified published file."""
    return src.read(published / src.relpath, published)


def _unclear(err: DataError, src: Source, case: Case, path: Path) -> str | None:
    """Why `err` is not a clear error for this case, or None if it is."""
    if err.path != str(path):
        return f"names {err.path}, not the file"
    if src.kind == "workbook" and err.sheet is None:
        return "names no sheet"
    if not case.whole_file and err.row is None:
        return "names no row"
    if not (case.whole_file or case.row_only) and err.column is None:
        return "names no column"
    if case.column is not None and err.column != case.column:
        return f"names column {err.column!r}, not {case.column!r}"
    if case.row is not None and err.row != case.row:
        return f"names row {err.row}, not {case.row}"
    return None


def run_case(src: Source, variant: Variant, case: Case, published: Path, workdir: Path) -> Result:
    """Write the case under `workdir` (same file name), read it and classify the outcome."""
    folder = workdir / src.id / variant.id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / src.filename
    path.write_bytes(case.data)
    expected: Outcome = "clear error" if case.expect is None else "tolerant"

    def result(outcome: Outcome, detail: str) -> Result:
        detail = detail.replace(str(path), src.filename)
        return Result(src.id, variant.id, outcome, detail, expected)

    try:
        frame = src.read(path, published)
    except DataError as err:
        why = _unclear(err, src, case, path)
        return (
            result("clear error", str(err))
            if why is None
            else result("unclear error", f"{why}: {err}")
        )
    except Exception as err:  # noqa: BLE001 - anything but DataError is the finding
        return result("unclear error", f"{type(err).__name__}: {err}")
    if case.expect is None:
        return result("lost data", "read without an error")
    if frame.equals(case.expect(original_frame(src, published))):
        return result("tolerant", f"read as documented{f' ({case.note})' if case.note else ''}")
    return result("lost data", difference(frame, case.expect(original_frame(src, published))))


def difference(found: pl.DataFrame, expected: pl.DataFrame) -> str:
    """A short description of how two frames differ."""
    if found.schema != expected.schema:
        return f"schema {dict(found.schema)} != {dict(expected.schema)}"
    if found.height != expected.height:
        return f"{found.height} rows, expected {expected.height}"
    for column in expected.columns:
        differs = ~found[column].eq_missing(expected[column])
        if differs.any():
            i = differs.arg_true()[0]
            return (
                f"{differs.sum()} rows differ in {column}, e.g. row {i}: "
                f"{found[column][i]!r} != {expected[column][i]!r}"
            )
    return "equal"


def run_source(src: Source, published: Path, workdir: Path) -> list[Result]:
    """Every case of one source, classified."""
    return [run_case(src, v, c, published, workdir) for v, c in cases(src, published)]


def run_all(published: Path, workdir: Path) -> list[Result]:
    """Every case of every source, the panel cases and the fetch faults, classified."""
    results = [r for src in SOURCES for r in run_source(src, published, workdir)]
    return results + panel_results(published, workdir) + fetch_results(published, workdir)


# ---------------------------------------------------------------- the whole panel

PANEL = "panel (all files)"


def _bundle_frames(bundle: panel.Bundle) -> dict[str, pl.DataFrame]:
    return {name: getattr(bundle, name) for name in panel.TABLES}


@cache
def original_bundle(published: Path) -> dict[str, pl.DataFrame]:
    """The bundle built from the unmodified published files."""
    return _bundle_frames(panel.build(panel.input_files(published)))


def _lagged_rates() -> list[indicators.Indicator]:
    return [
        i
        for i in indicators.catalogue().values()
        if i.denominator == ("population_0_17",) and i.population_lag
    ]


def expected_without_population(
    original: dict[str, pl.DataFrame], year: int
) -> dict[str, pl.DataFrame]:
    """The bundle when mid-year `year` of the population file has no rows.

    Each rate per 10,000 that divides by that mid-year (the year after, by its
    population_lag) becomes null with its numerator's marker, else status "missing".
    """
    frame = original["panel"]
    numerators = frame.select(
        "la_code",
        "year",
        num_status=pl.col("status"),
        numerator=pl.col("indicator"),
    )
    parts = []
    for rate in _lagged_rates():
        hit = (pl.col("indicator") == rate.id) & (pl.col("year") == year + rate.population_lag)
        parts.append(
            frame.filter(hit)
            .join(
                numerators.filter(pl.col("numerator") == rate.numerator),
                on=["la_code", "year"],
                how="left",
            )
            .with_columns(
                value=pl.lit(None, pl.Float64),
                status=pl.coalesce("num_status", pl.lit("missing")),
            )
            .select(frame.columns)
        )
    changed = pl.concat(parts)
    keys = ["la_code", "year", "indicator"]
    out = (
        frame.filter(~((pl.col("indicator") == "population_0_17") & (pl.col("year") == year)))
        .join(changed.select(keys), on=keys, how="anti")
        .vstack(changed)
        .sort("indicator", "la_code", "year")
    )
    return {**original, "panel": out}


def panel_results(published: Path, workdir: Path) -> list[Result]:
    """Whole-folder variants run through `panel.build` against the original bundle."""
    files = panel.input_files(published)
    original = original_bundle(published)
    results = []

    # every CSV with a BOM and CRLF line ends at once
    folder = workdir / "panel" / "bom_crlf"
    swapped = dict(files)
    for src in SOURCES:
        if src.kind != "workbook" and src.id in files:
            text = csv_bytes(read_book(src, published)[None], bom=True, crlf=True)
            (folder / src.id).mkdir(parents=True, exist_ok=True)
            swapped[src.id] = folder / src.id / src.filename
            swapped[src.id].write_bytes(text)
    results.append(_panel_result("bom_crlf", swapped, original, "every CSV at once"))

    # the population file without a mid-year: the rates that divide by it are flagged
    pop = source("ons_population")
    table = Table(pop, read_book(pop, published), b"")
    case = dropped_year(table)
    assert case is not None
    year = int(case.note.split()[0])
    folder = workdir / "panel" / "dropped_year"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / pop.filename).write_bytes(case.data)
    swapped = {**files, "ons_population": folder / pop.filename}
    expected = expected_without_population(original, year)
    note = f"population mid-{year} dropped: rates of {year + 1} flagged 'missing'"
    results.append(_panel_result("dropped_year", swapped, expected, note))
    return results


def _panel_result(
    variant: str, files: dict[str, Path], expected: dict[str, pl.DataFrame], note: str
) -> Result:
    try:
        bundle = _bundle_frames(panel.build(files))
    except DataError as err:
        return Result(PANEL, variant, "unclear error", str(err), "tolerant")
    for name in ("panel", "authorities", "inspections", "neighbours"):
        if not bundle[name].equals(expected[name]):
            detail = f"{name}: {difference(bundle[name], expected[name])}"
            return Result(PANEL, variant, "lost data", detail, "tolerant")
    return Result(PANEL, variant, "tolerant", f"read as documented ({note})", "tolerant")


# ---------------------------------------------------------------- network faults

FETCH = "benchmarks fetch"
#: fault -> (label, words the failure must contain to say what happened)
FETCH_FAULTS = {
    "stall": ("the server stalls", "stalled"),
    "truncate": ("the connection drops mid-body", "truncated download"),
    "500": ("HTTP 500", "HTTP 500"),
    "html": ("an HTML error page with status 200", "HTML page"),
    "other": ("a valid file of another publication (b1 served as CSWW)", "columns"),
}


def fetch_results(published: Path, workdir: Path) -> list[Result]:
    """`benchmarks fetch` of the CSWW file from a fake publisher on 127.0.0.1 that fails.

    Each fault hits a data folder that already holds the good file. A "clear error" is a
    failure whose message says what happened and names the URL, with the good file and
    its manifest record unchanged and nothing left beside it; "lost data" is a changed
    or missing good file.
    """
    from benchmarks import fetch
    from fakeserver import FakePublisher  # tests/fakeserver.py

    csww = source("csww")
    good = (published / csww.relpath).read_bytes()
    lines = good.splitlines(keepends=True)
    newer = b"".join([lines[0], lines[1].replace(b"2025,", b"2026,", 1), *lines[1:]])
    other = (published / source("cin_b1").relpath).read_bytes()
    results = []
    with FakePublisher(published, stall_seconds=1.5) as pub:
        options = {"only": ["csww"], "base_urls": pub.base_urls, "progress": False}
        for fault, (_, words) in FETCH_FAULTS.items():
            dest = workdir / "fetch" / fault
            pub.publish("csww", csww.filename, good)
            if fetch.run_fetch(dest, timeout=5, retries=0, **options).failed:
                results.append(
                    Result(FETCH, fault, "unclear error", "first fetch failed", "clear error")
                )
                continue
            recorded = fetch.read_manifest(dest)["sources"]["csww"]["sha256"]
            pub.publish("csww", csww.filename, other if fault == "other" else newer)
            if fault != "other":
                pub.fail("csww", fault)
            url = pub.root + pub.sources["csww"].download_path
            result = fetch.run_fetch(dest, timeout=0.5, retries=0, **options)
            kept = (dest / csww.relpath).read_bytes() == good
            same_record = fetch.read_manifest(dest)["sources"]["csww"]["sha256"] == recorded
            alone = [p.name for p in (dest / csww.relpath).parent.iterdir()] == [csww.filename]
            status = " ".join(str(o) for o in result.failed).replace(pub.root, "http://127.0.0.1")
            if not (kept and same_record and alone):
                outcome: Outcome = "lost data"
            elif result.failed and words in status and url in str(result.failed[0]):
                outcome = "clear error"
            else:
                outcome = "unclear error"
            results.append(
                Result(FETCH, fault, outcome, status or "no failure reported", "clear error")
            )
    return results


# ---------------------------------------------------------------- the generated page

FAULTS_START = "<!-- faults -->"
FAULTS_END = "<!-- /faults -->"
FAULTS_PLACEHOLDER = (
    "_Killed runs (the pack killed with SIGKILL at random points; every report on disk "
    "must be the previous good version or a complete new one) are recorded here by the "
    "work on that feature. `scripts/robustness.py` keeps whatever is between these "
    "markers._"
)
_SHORT = {
    "clear error": "error",
    "tolerant": "tolerant",
    "lost data": "**LOST**",
    "unclear error": "**UNCLEAR**",
}


def totals(results: list[Result]) -> dict[str, int]:
    """tried / clear error / tolerant / lost data / unclear error counts."""
    counts = {"tried": len(results)} | {o: 0 for o in OUTCOMES}
    for r in results:
        counts[r.outcome] += 1
    return counts


def faults_section(text: str | None) -> str:
    """The text between the faults markers of an existing page (or the placeholder)."""
    if text and FAULTS_START in text and FAULTS_END in text:
        return text.split(FAULTS_START, 1)[1].split(FAULTS_END, 1)[0].strip("\n")
    return FAULTS_PLACEHOLDER


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(results: list[Result], *, faults: str = FAULTS_PLACEHOLDER) -> str:
    """docs/robustness.md for these results; `faults` is kept between the faults markers."""
    count = totals(results)
    by_key = {(r.source, r.variant): r for r in results}
    ids = [s.id for s in SOURCES]
    lines = [
        "# Robustness: broken and surprising published files",
        "",
        "<!-- Generated by `python scripts/robustness.py`; edit tests/corpus.py, not this "
        "page (except between the faults markers). -->",
        "",
        "Analysts feed this tool files they downloaded by hand, edited in Excel or got from "
        "a colleague. Every variant below is made **at test time** from the real published "
        "files (`../shared/data/published`; nothing of them is committed) and read by the "
        "tool's own reader for that file, or by `panel.build` for whole-folder variants; "
        "network faults run `benchmarks fetch` against a fake publisher on 127.0.0.1. "
        "`tests/test_robustness_files.py` runs them all, checks each outcome against the "
        "rule below, and fails if this page is out of date. Property-based tests "
        "(`tests/test_robustness_properties.py`) add random text, markers, number "
        "formats and out-of-range values in random cells.",
        "",
        "Every variant must end in one of two ways, never a silent wrong number:",
        "",
        "* **clear error**: a `DataError` that names the file, the sheet (spreadsheets), "
        "the row and the column, with what was expected and what was found. For a file "
        "that cannot be opened at all there is no row or column to name; for a header "
        "with no data the row below the header is named.",
        "* **tolerant with flag**: the read succeeds and equals the reading of the "
        "unmodified file except for what the variant deliberately changed, as documented "
        "below. An identical read needs no flag; where values are lost (a population "
        "year missing) the affected values are null with status `missing` and a "
        "`missing` flag in the flags table.",
        "",
        "**Lost data** counts reads that succeeded but differed from the reading of the "
        "unmodified file in any cell that was not deliberately changed, or succeeded where "
        "only an error is acceptable. **Unclear error** counts any other exception, or an "
        "error that does not name where. Both must be 0.",
        "",
        "## Totals",
        "",
        "| tried | clear error | tolerant with flag | lost data | unclear error |",
        "|---:|---:|---:|---:|---:|",
        f"| {count['tried']} | {count['clear error']} | {count['tolerant']} | "
        f"{count['lost data']} | {count['unclear error']} |",
        "",
        "## Variants and the documented outcome",
        "",
        "| variant | what is done to the file | documented outcome |",
        "|---|---|---|",
        *[f"| {v.label} | {_cell(v.change)} | {_cell(v.rule)} |" for v in VARIANTS],
        "",
        "## Outcome by variant and source",
        "",
        "`error` = clear error, `tolerant` = tolerant read as documented, `–` = does not "
        "apply (e.g. no encoding inside a spreadsheet, no numbers in a reference list).",
        "",
        "| variant | " + " | ".join(f"`{i}`" for i in ids) + " |",
        "|---|" + "---|" * len(ids),
    ]
    for v in VARIANTS:
        cells = [_SHORT[r.outcome] if (r := by_key.get((i, v.id))) else "–" for i in ids]
        lines.append(f"| {v.label} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Sources (files under `../shared/data/published`):",
        "",
        *[
            f"* `{s.id}`: `{s.relpath}`" + (f", sheet `{s.sheet}`" if s.sheet else "")
            for s in SOURCES
        ],
        "",
        "Files no reader uses, so not varied: "
        + "; ".join(f"`{path}` ({why})" for path, why in UNREAD.items())
        + ".",
        "",
        "## Whole panel",
        "",
        "| variant | outcome | detail |",
        "|---|---|---|",
        *[
            f"| {_label(r.variant)} | {r.outcome} | {_cell(r.detail)} |"
            for r in results
            if r.source == PANEL
        ],
        "",
        "## Network faults",
        "",
        "`benchmarks fetch` of the CSWW file from a fake publisher on 127.0.0.1 "
        "(`tests/fakeserver.py`) into a data folder that already holds the good file. "
        "**clear error**: fetch reports the failure, says what happened and names the URL; "
        "the good file, its manifest record and its folder are unchanged. **lost data**: "
        "the good file changed or went.",
        "",
        "| fault | outcome | what fetch said |",
        "|---|---|---|",
        *[
            f"| {FETCH_FAULTS[r.variant][0]} | {r.outcome} | {_cell(r.detail)} |"
            for r in results
            if r.source == FETCH
        ],
        "",
        "## Decisions",
        "",
        '* **Thousands separators** (`"1,234"`) are rejected with an error naming the '
        "first such cell, not parsed: a comma is also a decimal mark in many locales, so "
        "guessing could turn 1,5 into 15. Quoted plain numbers are read as usual.",
        "* **Latin-1 / Windows-1252** files are rejected with the row and column of the "
        "first byte that is not UTF-8 (before, `utf8-lossy` read `Sainté` as `Saint�` "
        "silently).",
        "* **Plausibility** (`_ees.parse_values`, shared by every EES reader): every "
        "published figure is 0 or more; a percentage at most 100; a rate per 10,000 "
        "children at most 10,000; any other count, FTE or number of days at most "
        "20,000,000 (more than all children in England). Outside that: an error naming the "
        "cell. The published files have no value outside these limits.",
        "* **Duplicates and second codes**: one row per authority, year and filter value, "
        "and one code per LA name in a year (EES); one row per ONS code (`las.csv`), per "
        "LAIT number, per LA name (statistical neighbours, D2I) and per authority (2023 "
        "Ofsted sheet). The Ofsted outcomes file merges the same inspection listed twice "
        "(or under an LA's old and new ONS code) by LA, date and type: identical read.",
        "* **Breakdowns that feed no indicator** (the care leavers' other activities and "
        "accommodation rows, the 2-year placement group) are read and checked like the "
        "rest, then left out of the panel: a bad cell there is an error too. An unknown "
        "breakdown or age group is an error naming the cell, never silently skipped.",
        "* **`k`** (the CLA outcome files' symbol for a share that rounds to 0 but is not 0) "
        "is a marker like `low`: null value and status `k`, never 0.",
        "* **Markers in ID columns**: an ID cell that is not a code is an error; only the "
        "publishers' own non-authority rows are left out (`las.csv`: combined codes, `x` on "
        "terminated pre-2009 counties, ONS code `z`; hierarchy: region `z`).",
        "",
        "## Not covered here",
        "",
        "* A wrong but well-formed code (Leeds as `999` in a year with no other Leeds row) "
        "passes every reader, which cannot know the list of authorities. A cross-file "
        "check in `panel.build` (every LA-level `la_code` of the panel, neighbours and "
        "inspections is in the authorities table) would catch it; proposed, not done here.",
        "* A CSV cut short in the middle of a number (`123` → `12`) cannot be told from "
        "the file itself; `benchmarks fetch` checks the announced length of what it "
        "downloads (see Network faults).",
        "",
        "## Killed runs",
        "",
        FAULTS_START,
        faults,
        FAULTS_END,
        "",
        "## Every case",
        "",
        "<details><summary>What each reader said (file paths shortened to the file name)</summary>",
        "",
        "| source | variant | outcome | message or check |",
        "|---|---|---|---|",
        *[
            f"| `{r.source}` | {_label(r.variant)} | {r.outcome} | {_cell(r.detail)} |"
            for r in results
        ],
        "",
        "</details>",
        "",
    ]
    return "\n".join(lines)


def _label(variant_id: str) -> str:
    if variant_id in FETCH_FAULTS:
        return FETCH_FAULTS[variant_id][0]
    return next((v.label for v in VARIANTS if v.id == variant_id), variant_id)
