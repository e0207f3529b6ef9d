"""Statistical neighbours: the 2025 model (xlsx and CSV) and the 2021 model."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from polars.testing import assert_frame_equal

from benchmarks.errors import DataError
from benchmarks.schema import NEIGHBOURS_SCHEMA
from benchmarks.sources.neighbours import read_sn2021, read_sn2025, read_sn2025_csv

TOOL_HEADER = ["LA num", "LA Name", "LA number", "GOInd", "GOReg"] + [
    c for k in range(1, 11) for c in (f"SN{k}", "SNP")
]


def _tool_row(code: str, name: str, neighbours: list[str], bands: list[str]) -> list[str]:
    return [code, name, code, "1", "Somewhere"] + [
        v for pair in zip(neighbours, bands, strict=True) for v in pair
    ]


CODES_A = [str(n) for n in range(101, 111)]
CODES_B = [str(n) for n in range(201, 211)]


def _write_tool_xlsx(path: Path, rows: list[list[str | None]]) -> None:
    """The SN tool's sheet: letters on row 1, numbers on row 2, header on row 3."""
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("LA SN Groups")
    sheet.write_row(0, 0, [chr(65 + i) for i in range(25)])
    sheet.write_row(1, 0, [str(i + 1) for i in range(25)])
    sheet.write_row(2, 0, TOOL_HEADER)
    for i, row in enumerate(rows):
        sheet.write_row(3 + i, 0, row)
    workbook.close()


def test_tool_xlsx_skips_label_rows_and_normalises_bands(tmp_path):
    path = tmp_path / "sn.xlsx"
    bands_a = ["Extremely Close", "very close ", "Close", "Somewhat close", "Not Close"] * 2
    _write_tool_xlsx(
        path,
        [
            _tool_row("001", "Alpha", CODES_A, bands_a),
            [None, "Old SNs:"],
            [],
            _tool_row("002", "Beta", CODES_B, ["Close"] * 10),
        ],
    )
    sn = read_sn2025(path)
    assert sn.schema == NEIGHBOURS_SCHEMA
    assert sn.height == 20
    alpha = sn.filter(la_code="001")
    assert alpha["neighbour_code"].to_list() == CODES_A
    assert alpha["rank"].to_list() == list(range(1, 11))
    assert alpha["closeness"].to_list()[:5] == [
        "Extremely close",
        "Very close",
        "Close",
        "Somewhat close",
        "Not close",
    ]
    assert set(sn["model"]) == {"sn2025"}


def test_unknown_closeness_names_file_sheet_column_and_row(tmp_path):
    path = tmp_path / "sn.xlsx"
    bands = ["Close", "Quite close"] + ["Close"] * 8
    _write_tool_xlsx(
        path,
        [
            _tool_row("001", "Alpha", CODES_A, ["Close"] * 10),
            _tool_row("002", "Beta", CODES_B, bands),
        ],
    )
    with pytest.raises(DataError) as err:
        read_sn2025(path)
    assert (err.value.sheet, err.value.column, err.value.row) == ("LA SN Groups", "SNP #2", 5)
    message = str(err.value)
    assert "sn.xlsx" in message and "'LA SN Groups'" in message
    assert "'SNP #2'" in message and "row 5" in message and "'Quite close'" in message


def test_missing_sheet_names_file_sheet_column_and_row(tmp_path):
    path = tmp_path / "sn.xlsx"
    pl.DataFrame({"LA num": ["001"]}).write_excel(path, worksheet="Sheet1")
    with pytest.raises(DataError) as err:
        read_sn2025(path)
    assert (err.value.sheet, err.value.column, err.value.row) == ("LA SN Groups", "LA num", 3)
    assert "sheets Sheet1" in str(err.value) and "sn.xlsx" in str(err.value)


def test_renamed_column_names_file_sheet_column_and_row(tmp_path):
    path = tmp_path / "sn.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("LA SN Groups")
    sheet.write_row(2, 0, [("SN 7" if h == "SN7" else h) for h in TOOL_HEADER])
    workbook.close()
    with pytest.raises(DataError) as err:
        read_sn2025(path)
    assert (err.value.sheet, err.value.column, err.value.row) == ("LA SN Groups", "SN7", 3)


def test_2021_csv_drops_junk_rows(tmp_path):
    path = tmp_path / "sn2021.csv"
    lines = [
        ",".join([*TOOL_HEADER, ""]),
        ",".join([*_tool_row("001", "Alpha", CODES_A, ["Very Close"] * 10), ""]),
        "," * 25,
        ",Old SNs:" + "," * 24,
        "," * 25,
        ",".join([*_tool_row("003", "Gamma (Pre LG)", CODES_B, ["Not Close"] * 10), ""]),
    ]
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    sn = read_sn2021(path)
    assert sn["la_code"].unique().sort().to_list() == ["001", "003"]
    assert set(sn.filter(la_code="003")["closeness"]) == {"Not close"}
    assert set(sn["model"]) == {"sn2021"}


def test_bad_neighbour_code_names_row(tmp_path):
    path = tmp_path / "wide.csv"
    header = ["old_la_code", "la_name"] + [c for k in range(1, 11) for c in (f"SN_{k}", f"SN_{k}P")]
    row = ["001", "Alpha"] + [v for c in CODES_A for v in (c, "Close ")]
    row[2 + 2 * 3] = "10"  # SN_4 is not a 3-digit code
    path.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_sn2025_csv(path)
    assert (err.value.column, err.value.row) == ("SN_4", 2)


# --- the real files ----------------------------------------------------------------


@pytest.fixture(scope="module")
def sn2025(published):
    return read_sn2025(published / "authorities" / "sn_may_2025.xlsx")


def test_leeds_2025_neighbours(sn2025):
    # sn_may_2025.xlsx, sheet "LA SN Groups", row for 383 Leeds (read by eye)
    leeds = sn2025.filter(la_code="383").sort("rank")
    assert leeds["neighbour_code"].to_list() == [
        "851",  # Portsmouth
        "882",  # Southend-on-Sea
        "373",  # Sheffield
        "826",  # Milton Keynes
        "382",  # Kirklees
        "355",  # Salford
        "801",  # Bristol
        "852",  # Southampton
        "306",  # Croydon
        "839",  # Bournemouth, Christchurch and Poole
    ]
    assert leeds["closeness"].to_list() == ["Very close"] * 3 + ["Close"] * 7


def test_2025_workbook_has_153_current_and_5_former_las(sn2025):
    codes = set(sn2025["la_code"])
    assert len(codes) == 158
    assert {"835", "836", "837", "909", "928"} <= codes
    counts = sn2025.group_by("la_code").agg(pl.col("rank").sort())
    assert all(r == list(range(1, 11)) for r in counts["rank"].to_list())
    # MANIFEST band counts after case normalisation: Very close 820 + 45, Extremely 12 + 4
    bands = dict(sn2025["closeness"].value_counts().iter_rows())
    assert bands == {
        "Very close": 865,
        "Close": 514,
        "Somewhat close": 136,
        "Not close": 49,
        "Extremely close": 16,
    }


def test_2025_csv_equals_workbook_for_current_las(published, sn2025):
    csv = read_sn2025_csv(published / "authorities" / "sn_model_2025_wide.csv")
    assert csv["la_code"].n_unique() == 153
    from_xlsx = sn2025.filter(pl.col("la_code").is_in(csv["la_code"].unique().implode()))
    assert_frame_equal(csv, from_xlsx)


def test_2021_model(published):
    sn = read_sn2021(
        published / "authorities" / "New_Statistical_Neighbour_Groupings_April_2021.csv"
    )
    assert sn.schema == NEIGHBOURS_SCHEMA
    codes = set(sn["la_code"])
    assert len(codes) == 156
    assert "928" in codes and "940" in codes
    assert not {"942", "943"} & codes
    # CSV line 64: Leeds' 2021 neighbours start 373 (Sheffield), 841 (Darlington)
    leeds = sn.filter(la_code="383").sort("rank")
    assert leeds["neighbour_code"].to_list()[:2] == ["373", "841"]
    assert leeds["closeness"].to_list()[0] == "Very close"
