"""Ofsted inspections: the 2025 outcomes file, the 2023 history, the D2I supplement."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from benchmarks.errors import DataError
from benchmarks.geography import resolve_la, resolver
from benchmarks.schema import AUTHORITIES_SCHEMA, GRADES, INSPECTIONS_SCHEMA
from benchmarks.sources import inspections as ins
from benchmarks.sources.authorities import read_authorities

RI = "Requires improvement to be good"
D = dt.date


def _authorities(rows: list[tuple[str, str, list[str], bool]]) -> pl.DataFrame:
    """A hand-made authorities table: (la_code, la_name, ons_codes, current)."""
    frame = pl.DataFrame(
        {
            "la_code": [r[0] for r in rows],
            "la_name": [r[1] for r in rows],
            "ons_code": [r[2][-1] for r in rows],
            "ons_codes": [r[2] for r in rows],
            "current": [r[3] for r in rows],
            "date_of_operation": [D(2009, 1, 1) if r[3] is False else D(2019, 4, 1) for r in rows],
        }
    )
    return frame.with_columns(
        [pl.lit(None, t).alias(c) for c, t in AUTHORITIES_SCHEMA.items() if c not in frame.columns]
    ).select(AUTHORITIES_SCHEMA.names())


TINY_LAS = _authorities(
    [
        ("001", "Alpha", ["E00000001", "E00000011"], True),
        ("002", "Beta, City of", ["E00000002"], True),
        ("835", "Dorset", ["E10000009"], False),
        ("838", "Dorset", ["E06000059"], True),
    ]
)

HISTORY_HEADER = [
    "Web link",
    "Local authority area code",
    "Local authority name",
    "Local authority status",
    "Ofsted region",
    "Inspection date",
    "Publication date",
    "Inspection type",
    "Overall effectiveness",
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
]
IN_YEAR_HEADER = [
    "Web link",
    "Local authority area code",
    "Local authority name",
    "Region",
    "Inspection/Visit date",
    "Publication date",
    "Inspection/Visit type",
    *HISTORY_HEADER[8:13],
    "Visit Theme",
]
HISTORY_ROWS = [
    # row 4: Alpha under its old ONS code
    ["link", "E00000001", "Alpha", "Current", "R", "2019-02-18", "2019-04-01",
     "ILACS Standard Inspection", "Good", "Good", RI, "Good", ""],
    # row 5
    ["link", "E00000011", "Alpha", "Current", "R", "2024-06-10", "2024-07-23",
     "ILACS Short Inspection", "Outstanding", "Good", "Good", "Outstanding", "Good"],
]  # fmt: skip
IN_YEAR_ROWS = [
    ["link", "E00000011", "Alpha", "R", "2024-06-10", "2024-07-23", "ILACS Short Inspection",
     "Outstanding", "Good", "Good", "Outstanding", "Good", ""],
    ["link", "E00000002", "Beta", "R", "2025-03-26", "2025-04-29", "ILACS Focused Visit",
     "", "", "", "", "", "Care leavers"],
]  # fmt: skip


def _write_outcomes(
    path: Path,
    *,
    history: list[list[str]] = HISTORY_ROWS,
    history_header: list[str] = HISTORY_HEADER,
    in_year: bool = True,
) -> Path:
    """An outcomes workbook: title rows 1-2, header on row 3, data from row 4."""
    workbook = xlsxwriter.Workbook(path)
    sheets = [("ILACS_inspection_history", history_header, history)]
    if in_year:
        sheets.append(("In-year_inspections", IN_YEAR_HEADER, IN_YEAR_ROWS))
    for name, header, rows in sheets:
        sheet = workbook.add_worksheet(name)
        sheet.write(0, 0, "A title")
        sheet.write_row(2, 0, header)
        for i, row in enumerate(rows):
            sheet.write_row(3 + i, 0, row)
    workbook.close()
    return path


def test_outcomes_tiny_file(tmp_path):
    events = ins.read_ofsted_outcomes(_write_outcomes(tmp_path / "o.xlsx"), TINY_LAS)
    assert events.schema == INSPECTIONS_SCHEMA
    # the in-year short inspection duplicates the history row: kept once
    assert events.select("la_code", "inspection_date", "event_type").rows() == [
        ("001", D(2019, 2, 18), "Standard inspection"),
        ("001", D(2024, 6, 10), "Short inspection"),
        ("002", D(2025, 3, 26), "Focused visit"),
    ]
    first = events.row(0, named=True)
    assert first["help_and_protection"] == RI
    assert first["care_leavers"] is None  # blank before 2023: not a gap
    assert first["publication_date"] == D(2019, 4, 1)
    assert first["framework"] == "ILACS"
    assert (first["source"], first["official"]) == ("ofsted_outcomes", True)
    visit = events.row(2, named=True)
    assert visit["visit_theme"] == "Care leavers"
    assert visit["overall"] is None


def test_outcomes_missing_sheet(tmp_path):
    path = _write_outcomes(tmp_path / "o.xlsx", in_year=False)
    with pytest.raises(DataError) as err:
        ins.read_ofsted_outcomes(path, TINY_LAS)
    e = err.value
    assert (e.sheet, e.column, e.row) == ("In-year_inspections", "Local authority area code", 3)
    for part in ["o.xlsx", "'In-year_inspections'", "'Local authority area code'", "row 3"]:
        assert part in str(e)


def test_outcomes_renamed_column(tmp_path):
    header = [("Overall judgement" if h == "Overall effectiveness" else h) for h in HISTORY_HEADER]
    path = _write_outcomes(tmp_path / "o.xlsx", history_header=header)
    with pytest.raises(DataError) as err:
        ins.read_ofsted_outcomes(path, TINY_LAS)
    e = err.value
    assert (e.sheet, e.column, e.row) == ("ILACS_inspection_history", "Overall effectiveness", 3)
    for part in ["o.xlsx", "'ILACS_inspection_history'", "'Overall effectiveness'", "row 3"]:
        assert part in str(e)


def test_outcomes_unknown_grade(tmp_path):
    rows = [HISTORY_ROWS[0], [*HISTORY_ROWS[1][:8], "Adequate", *HISTORY_ROWS[1][9:]]]
    path = _write_outcomes(tmp_path / "o.xlsx", history=rows)
    with pytest.raises(DataError) as err:
        ins.read_ofsted_outcomes(path, TINY_LAS)
    e = err.value
    assert (e.sheet, e.column, e.row) == ("ILACS_inspection_history", "Overall effectiveness", 5)
    for part in ["o.xlsx", "'ILACS_inspection_history'", "'Overall effectiveness'", "row 5"]:
        assert part in str(e)
    assert "'Adequate'" in str(e)


def test_outcomes_unknown_ons_code(tmp_path):
    rows = [HISTORY_ROWS[0], ["link", "E00000099", *HISTORY_ROWS[1][2:]]]
    with pytest.raises(DataError) as err:
        ins.read_ofsted_outcomes(_write_outcomes(tmp_path / "o.xlsx", history=rows), TINY_LAS)
    assert (err.value.column, err.value.row) == ("Local authority area code", 5)


def _write_2023(path: Path, table1: list[dict], table2: list[dict]) -> Path:
    """The 2023 sheet: notes, table 1 header on row 5, blanks, 'Table 11' title, table 2."""
    header = ins.COLUMNS_2023
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("LA_inspections_2009-2023")
    sheet.write(0, 0, "Children's social care data in England 2023 - LA inspections")
    sheet.write_row(4, 0, header)
    row = 5
    for cells in table1:
        sheet.write_row(row, 0, [cells.get(h, "") for h in header])
        row += 1
    row += 2
    sheet.write(row, 0, "Table 11: History of inspections of LAs before the restructure")
    sheet.write_row(row + 1, 0, header)
    for i, cells in enumerate(table2):
        sheet.write_row(row + 2 + i, 0, [cells.get(h, "") for h in header])
    workbook.close()
    return path


SLAC_DATE = "Safeguarding & Looked After Children (SLAC) Inspection publication date"
SLAC_SG = "SLAC Safeguarding Overall effectiveness (OE)"
SLAC_LAC = "SLAC Looked After Children Overall Effectiveness (OE)"
SIF_DATE = "Single Inspection of LA Children's Services (SIF) First SIF publication date"
SIF_OE = "First SIF Overall Judgement (OE)"
LSCB = "LSCB Overall Effectiveness"


def test_2023_two_tables_and_old_frameworks(tmp_path):
    table1 = [
        {"Local authority name": "Beta", SLAC_DATE: "2012-08-10", SLAC_SG: "Inadequate",
         SLAC_LAC: " -", SIF_DATE: "2014-08-08", SIF_OE: RI, LSCB: "Good"},
        {"Local authority name": "Dorset"},  # the new Dorset: no pre-ILACS inspections
    ]  # fmt: skip
    table2 = [{"Local authority name": "Dorset", SLAC_DATE: "2011-10-28", SLAC_SG: "Good"}]
    events = ins.read_ofsted_2023(_write_2023(tmp_path / "u.xlsx", table1, table2), TINY_LAS)
    assert events.schema == INSPECTIONS_SCHEMA
    rows = events.select(
        "la_code", "publication_date", "framework", "overall", "other_judgements"
    ).rows()
    assert rows == [
        ("002", D(2012, 8, 10), "SLAC", None, "Safeguarding: Inadequate"),
        ("002", D(2014, 8, 8), "SIF", RI, "LSCB: Good"),
        ("835", D(2011, 10, 28), "SLAC", None, "Safeguarding: Good"),  # table 2: old Dorset
    ]
    assert events["inspection_date"].is_null().all()
    assert set(events["event_type"]) == {"Inspection"}


def test_2023_unknown_name_names_row(tmp_path):
    table1 = [{"Local authority name": "Beta"}, {"Local authority name": "Gamma"}]
    with pytest.raises(DataError) as err:
        ins.read_ofsted_2023(_write_2023(tmp_path / "u.xlsx", table1, []), TINY_LAS)
    e = err.value
    assert (e.sheet, e.column, e.row) == ("LA_inspections_2009-2023", "Local authority name", 7)
    assert "'Gamma'" in str(e)


D2I_HEADER = [
    "urn", "la_code", "local_authority", "overall_effectiveness_grade", "inspection_framework",
    "inspection_start_date", "publication_date", "impact_of_leaders_grade",
    "help_and_protection_grade", "in_care_grade", "care_leavers_grade",
]  # fmt: skip


def test_d2i_normalised(tmp_path):
    rows = [
        ["1", "001", "alpha", "requires improvement", "short", "11/09/2023", "27/10/23",
         "good", "requires improvement", "outstanding", "inspection_pre_dates_judgement"],
        ["2", "002", "beta", "nan", "standard", "27/04/2026", "17/06/26",
         "good", "inadequate", "good", "good"],
        ["3", "838", "dorset", "inadequate", "None", "", "05/09/22",
         "inadequate", "inadequate", "inadequate", "inadequate"],
    ]  # fmt: skip
    path = tmp_path / "d2i.xlsx"
    pl.DataFrame(rows, schema=D2I_HEADER, orient="row").write_excel(
        path, worksheet="ofsted_cs_inspections_overview"
    )
    events = ins.read_d2i(path)
    assert events.schema == INSPECTIONS_SCHEMA
    assert events.select(
        "la_code", "overall", "help_and_protection", "care_leavers", "event_type"
    ).rows() == [
        ("001", RI, RI, None, "Short inspection"),
        ("002", None, "Inadequate", "Good", "Standard inspection"),
        ("838", "Inadequate", "Inadequate", "Inadequate", None),
    ]
    assert events["inspection_date"].to_list() == [D(2023, 9, 11), D(2026, 4, 27), None]
    assert events["publication_date"].to_list() == [D(2023, 10, 27), D(2026, 6, 17), D(2022, 9, 5)]
    assert not events["official"].any()
    assert set(events["source"]) == {"d2i_ilacs"}


def test_d2i_unknown_grade(tmp_path):
    row = ["1", "001", "alpha", "excellent", "short", "11/09/2023", "27/10/23"] + ["good"] * 4
    path = tmp_path / "d2i.xlsx"
    pl.DataFrame([row], schema=D2I_HEADER, orient="row").write_excel(
        path, worksheet="ofsted_cs_inspections_overview"
    )
    with pytest.raises(DataError) as err:
        ins.read_d2i(path)
    e = err.value
    assert (e.sheet, e.column, e.row) == (
        "ofsted_cs_inspections_overview",
        "overall_effectiveness_grade",
        2,
    )


def _events(rows: list[tuple]) -> pl.DataFrame:
    """(la_code, inspection_date, publication_date, event_type, overall, leaders, official)."""
    frame = pl.DataFrame(
        rows,
        schema=[
            "la_code", "inspection_date", "publication_date", "event_type", "overall",
            "leaders", "official",
        ],
        orient="row",
    )  # fmt: skip
    return frame.with_columns(
        [pl.lit(None, t).alias(c) for c, t in INSPECTIONS_SCHEMA.items() if c not in frame.columns]
    ).select(INSPECTIONS_SCHEMA.names())


def test_combine_adds_only_later_d2i_inspections():
    official = _events(
        [
            ("001", D(2023, 1, 9), D(2023, 3, 1), "Standard inspection", "Good", "Good", True),
            ("001", D(2024, 5, 1), D(2024, 6, 1), "Focused visit", None, None, True),
            ("002", D(2024, 3, 11), D(2024, 5, 16), "Short inspection", "Good", "Good", True),
        ]
    )
    d2i = _events(
        [
            # same inspection as the official one: dropped
            ("001", D(2023, 1, 9), D(2023, 3, 1), "Standard inspection", "Good", "Good", False),
            # no start date, published the same day as the official report: dropped
            ("002", None, D(2024, 5, 16), None, "Good", "Good", False),
            # after the latest official event: kept
            ("003", D(2026, 4, 27), D(2026, 6, 17), "Short inspection", None, "Good", False),
        ]
    )
    d2i_later = _events([("001", D(2025, 6, 2), D(2025, 7, 20), "Short inspection", RI, RI, False)])
    combined = ins.combine_inspections([official], pl.concat([d2i, d2i_later]))
    assert combined.schema == INSPECTIONS_SCHEMA
    assert combined.select("la_code", "inspection_date", "official").rows() == [
        ("001", D(2023, 1, 9), True),
        ("001", D(2024, 5, 1), True),
        ("001", D(2025, 6, 2), False),
        ("002", D(2024, 3, 11), True),
        ("003", D(2026, 4, 27), False),
    ]
    latest = ins.latest_judgements(combined)
    assert latest.select("la_code", "overall", "leaders", "official").rows() == [
        ("001", RI, RI, False),
        ("002", "Good", "Good", True),
        ("003", None, "Good", False),  # no overall grade, sub-judgement kept
    ]


def test_latest_skips_visits_and_uses_publication_date_when_no_start_date():
    events = _events(
        [
            ("001", None, D(2014, 8, 8), "Inspection", RI, None, True),
            ("001", D(2018, 10, 8), D(2018, 11, 19), "Standard inspection", "Good", "Good", True),
            ("001", D(2024, 11, 5), D(2024, 12, 5), "Focused visit", None, None, True),
        ]
    )
    latest = ins.latest_judgements(events)
    assert latest.select("la_code", "inspection_date").rows() == [("001", D(2018, 10, 8))]


# --- the real files ----------------------------------------------------------------

OUTCOMES = "inspections/LA_Inspection_Outcomes_as_at_31_March_2025.ods"
UNDERLYING = "inspections/Childrens_social_care_in_England_2023_underlying_data.ods"


@pytest.fixture(scope="module")
def authorities(published):
    folder = published / "authorities"
    return read_authorities(
        folder / "las.csv", folder / "region_la_hierarchy.csv", folder / "la_code_list.xlsx"
    )


@pytest.fixture(scope="module")
def outcomes(published, authorities):
    return ins.read_ofsted_outcomes(published / OUTCOMES, authorities)


@pytest.fixture(scope="module")
def history_2023(published, authorities):
    return ins.read_ofsted_2023(published / UNDERLYING, authorities)


@pytest.fixture(scope="module")
def d2i(published):
    return ins.read_d2i(published / "inspections/ofsted_csc_ilacs_overview.xlsx")


def test_outcomes_counts(outcomes):
    assert outcomes.schema == INSPECTIONS_SCHEMA
    counts = dict(outcomes["event_type"].value_counts().iter_rows())
    # MANIFEST: history Standard 171, Short 100; in-year Focused 36, Monitoring 24
    assert counts == {
        "Standard inspection": 171,
        "Short inspection": 100,
        "Focused visit": 36,
        "Monitoring visit": 24,
    }
    for column in ins.JUDGEMENTS:
        assert outcomes[column].drop_nulls().is_in(GRADES).all()


def test_latest_official_equals_the_as_at_sheet_for_all_153(published, outcomes, history_2023):
    """Read Ofsted's own 'latest judgement' sheet independently and compare every LA."""
    as_at = pl.read_excel(
        published / OUTCOMES,
        sheet_name="Inspections_as_at_31_March",
        engine="calamine",
        read_options={"header_row": 2},
    )
    las = pl.read_csv(published / "authorities/las.csv", infer_schema=False)
    ons_to_code = dict(zip(las["new_la_code"], las["old_la_code"], strict=True))
    expected = sorted(
        (
            ons_to_code[r["Local authority area code"]],
            r["Inspection date"],
            r["Publication date"],
            r["Overall effectiveness"],
            r["The impact of leaders on social work practice with children and families"],
            r["The experiences and progress of children who need help and protection"],
            r["The experiences and progress of children in care"],
            r["The experiences and progress of care leavers"],
        )
        for r in as_at.iter_rows(named=True)
    )
    assert len(expected) == 153
    latest = ins.latest_judgements(ins.combine_inspections([outcomes, history_2023], None))
    latest = latest.filter(pl.col("la_code").is_in([e[0] for e in expected]))
    assert latest["official"].all()
    got = sorted(
        latest.select("la_code", "inspection_date", "publication_date", *ins.JUDGEMENTS).iter_rows()
    )
    assert got == expected
    counts = dict(latest["overall"].value_counts().iter_rows())
    assert counts == {"Good": 67, "Outstanding": 36, RI: 31, "Inadequate": 19}


def test_abolished_las_keep_their_codes(outcomes, authorities):
    ilacs = outcomes.filter(pl.col("event_type").is_in(["Standard inspection", "Short inspection"]))
    # "No longer exists" rows: Bournemouth, Cumbria, Northamptonshire
    assert ilacs.filter(la_code="909").select("inspection_date", "overall").rows() == [
        (D(2022, 9, 20), RI)
    ]
    assert ilacs.filter(la_code="837")["inspection_date"].to_list() == [D(2018, 7, 16)]
    assert ilacs.filter(la_code="928")["overall"].to_list() == ["Inadequate"]
    cumbria = authorities.filter(la_code="909").row(0, named=True)
    assert cumbria["current"] is False and cumbria["date_of_termination"] is not None
    # Barnsley's ONS code in this file is the old E08000016
    assert ilacs.filter(la_code="370").height == 2


def test_ofsted_names_resolve_to_the_same_code_as_the_ons_join(outcomes, authorities):
    pairs = outcomes.select("la_name", "la_code").unique().rows()
    resolve = resolver(authorities)  # resolve_la for many names at once
    wrong = [(n, c) for n, c in pairs if resolve(n) != c]
    assert wrong == []


def test_2023_older_frameworks(history_2023):
    assert history_2023.schema == INSPECTIONS_SCHEMA
    assert set(history_2023["framework"]) <= {
        "SLAC", "SLAC re-inspection", "CPI", "CPRI", "TLAC", "SIF", "SIF re-inspection",
    }  # fmt: skip
    counts = dict(history_2023["framework"].value_counts().iter_rows())
    # non-empty publication-date cells in the sheet, both tables
    assert counts == {
        "SLAC": 152,
        "SLAC re-inspection": 11,
        "CPI": 50,
        "CPRI": 1,
        "TLAC": 5,
        "SIF": 152,
        "SIF re-inspection": 21,
    }
    assert history_2023["inspection_date"].is_null().all()
    assert history_2023["publication_date"].is_not_null().all()


def test_2023_barnsley_slac_and_sif(history_2023):
    barnsley = history_2023.filter(la_code="370").sort("publication_date")
    slac, sif = barnsley.rows(named=True)
    assert (slac["framework"], slac["publication_date"]) == ("SLAC", D(2012, 8, 10))
    assert slac["overall"] is None
    assert slac["other_judgements"] == f"Safeguarding: Inadequate; Looked after children: {RI}"
    assert (sif["framework"], sif["publication_date"]) == ("SIF", D(2014, 8, 8))
    assert (sif["overall"], sif["help_and_protection"], sif["children_in_care"]) == (RI, RI, RI)
    assert (sif["care_leavers"], sif["leaders"]) == ("Good", RI)
    assert sif["other_judgements"] == f"Adoption performance: {RI}; LSCB: {RI}"


def test_2023_second_table_and_placeholders(history_2023):
    # Table 11 "Dorset" is the old county (835); table 1 "Dorset" (838) has no old inspections
    assert "838" not in set(history_2023["la_code"])
    dorset_sif = history_2023.filter(la_code="835", framework="SIF").row(0, named=True)
    assert dorset_sif["publication_date"] == D(2016, 5, 23)
    assert dorset_sif["other_judgements"].endswith("LSCB: Inadequate")
    northants = history_2023.filter(la_code="928").sort("publication_date")
    assert northants.select("framework", "overall").rows()[1:3] == [
        ("CPI", "Inadequate"),
        ("TLAC", "Inadequate"),
    ]
    # Isles of Scilly: " -" (no looked-after children judgement) is null, not an error
    scilly = history_2023.filter(la_code="420", framework="SLAC").row(0, named=True)
    assert scilly["other_judgements"] == "Safeguarding: Good"
    cumbria = history_2023.filter(la_code="909", framework="SIF re-inspection")
    assert cumbria.select("publication_date", "overall").rows() == [(D(2018, 1, 29), RI)]


def test_2023_ilacs_columns_are_all_in_the_outcomes_history(published, authorities, outcomes):
    """Why read_ofsted_2023 drops ILACS: every ILACS report it lists is in the 2025 file."""
    sheet = pl.read_excel(
        published / UNDERLYING,
        sheet_name="LA_inspections_2009-2023",
        engine="calamine",
        read_options={"header_row": 4},
        infer_schema_length=0,
    )
    names = sheet["Local authority name"]
    pairs = set()
    for column in [
        "First ILACS framework publication date",
        "Second ILACS framework publication date",
    ]:
        for name, date in zip(names, sheet[column], strict=True):
            if date and name and name != "Local authority name":
                pairs.add((resolve_la(authorities, name), dt.date.fromisoformat(date[:10])))
    assert len(pairs) == 154 + 23  # first ILACS 154 (2 of them in table 11), second 23
    published_pairs = set(outcomes.select("la_code", "publication_date").iter_rows())
    # One difference: the 2023 file dates Nottingham's second ILACS (Inadequate) report
    # 5 Nov 2022; the 2025 file (and D2I) date the same Inadequate inspection 5 Sep 2022.
    assert pairs - published_pairs == {("892", D(2022, 11, 5))}
    assert ("892", D(2022, 9, 5)) in published_pairs


def test_d2i_file(d2i):
    assert d2i.height == 153 and d2i["la_code"].is_unique().all()
    assert d2i["overall"].null_count() == 2  # Brent and Somerset 2026: "nan"
    assert d2i["care_leavers"].null_count() == 7  # inspection_pre_dates_judgement
    barnsley = d2i.filter(la_code="370").row(0, named=True)
    assert (barnsley["inspection_date"], barnsley["publication_date"]) == (
        D(2023, 9, 11),
        D(2023, 10, 27),
    )
    assert barnsley["help_and_protection"] == RI


def test_combined_with_d2i(outcomes, history_2023, d2i):
    official = [outcomes, history_2023]
    combined = ins.combine_inspections(official, d2i)
    unofficial = combined.filter(~pl.col("official"))
    assert unofficial.height == 44
    last_official = (
        combined.filter("official").group_by("la_code").agg(last=pl.col("inspection_date").max())
    )
    after = unofficial.join(last_official, on="la_code", how="left")
    assert (after["inspection_date"] > after["last"]).all()
    # Wakefield: inspected 24 Mar 2025 but published 18 Jul 2025, after the official
    # file's cut-off (reports published by 30 June), so only D2I has it
    wakefield = unofficial.filter(la_code="384").row(0, named=True)
    assert (wakefield["inspection_date"], wakefield["publication_date"]) == (
        D(2025, 3, 24),
        D(2025, 7, 18),
    )
    latest = ins.latest_judgements(combined)
    leeds = latest.filter(la_code="383").row(0, named=True)
    # D2I: Leeds short inspection 30/06/2025, published 12/08/25, outstanding
    assert (leeds["inspection_date"], leeds["overall"], leeds["official"]) == (
        D(2025, 6, 30),
        "Outstanding",
        False,
    )
    brent = latest.filter(la_code="304").row(0, named=True)
    assert brent["overall"] is None and brent["leaders"] == "Good"
    assert brent["source"] == "d2i_ilacs"
    # Nottingham's D2I row has no start date and repeats the official 2022 report
    assert latest.filter(la_code="892")["official"].to_list() == [True]
    order = combined.select("la_code", pl.coalesce("inspection_date", "publication_date"))
    assert order.rows() == sorted(order.rows())
