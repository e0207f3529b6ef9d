"""Excel export: values and markers survive a round trip through .xlsx (read by fastexcel)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import fastexcel
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from benchmarks import export
from benchmarks.cli import main

_KINDS = {pl.Boolean: "boolean", pl.Date: "date", pl.String: "string"}


def read_sheet(path: Path, sheet: str, like: pl.DataFrame) -> pl.DataFrame:
    """Read one sheet with fastexcel, typed like `like` (list columns as "; "-joined text)."""
    dtypes = {
        c: "int" if t.is_integer() else "float" if t.is_float() else _KINDS.get(t, "string")  # type: ignore[call-overload]
        for c, t in like.schema.items()
    }
    frame = fastexcel.read_excel(path).load_sheet_by_name(sheet, dtypes=dtypes).to_polars()  # type: ignore[arg-type]
    return frame.cast({c: t for c, t in _flat(like).schema.items()})  # type: ignore[arg-type]


def _flat(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col(c).list.join("; ") for c, t in frame.schema.items() if isinstance(t, pl.List)
    )


def _hand_table() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "la_code": ["901", "902", "903", "904"],
            "year": [2025, 2025, 2024, 2025],
            "value": [12.5, None, None, 0.0],  # a real zero stays 0; markers stay empty
            "status": [None, "c", "low", None],
            "when": [date(2025, 3, 31), None, date(2024, 9, 30), None],
            "official": [True, False, None, True],
            "codes": [["E1", "E2"], [], None, ["E3"]],
        },
        schema_overrides={"year": pl.Int32},
    )


def test_hand_made_round_trip_keeps_values_markers_dates_and_lists(tmp_path: Path) -> None:
    table = _hand_table()
    out = export.write_xlsx({"panel": table}, tmp_path / "t.xlsx", meta={"demo": True})
    back = read_sheet(out, "panel", table)
    expected = _flat(table)
    assert_frame_equal(back, expected)  # an empty list is an empty text cell
    # the markers are text beside an empty value, never 0
    assert back.filter(pl.col("status").is_not_null())["value"].to_list() == [None, None]
    assert back["value"].to_list()[3] == 0.0


def test_notes_sheet_names_demo_flag_versions_and_markers(tmp_path: Path) -> None:
    meta = {
        "demo": False,
        "built_at": "2026-01-01T00:00:00+00:00",
        "sources": [
            {
                "id": "csww",
                "title": "Children's social work workforce",
                "publisher": "Department for Education",
                "official": True,
                "file": "workforce/csww.csv",
                "sha256": "ab" * 32,
                "fetched_at": None,
            },
            {"id": "d2i_ilacs", "title": "ILACS scrape", "official": False, "sha256": "cd"},
        ],
    }
    out = export.write_xlsx(_hand_table(), tmp_path / "n.xlsx", meta=meta)
    sheets = fastexcel.read_excel(out).sheet_names
    assert sheets == ["notes", "table"]
    notes = fastexcel.read_excel(out).load_sheet_by_name("notes", header_row=None).to_polars()
    text = "\n".join(" | ".join(str(v) for v in row if v is not None) for row in notes.iter_rows())
    assert "demonstration data | no: built from the published files" in text
    assert "csww | Children's social work workforce; Department for Education; official" in text
    assert "sha256 " + "ab" * 32 in text
    assert "d2i_ilacs | ILACS scrape; None; UNOFFICIAL" in text
    assert "low | a positive value that rounds to zero" in text
    assert "table | 4 x 7" in text


def test_demo_flag_is_shouted(tmp_path: Path) -> None:
    out = export.write_xlsx(_hand_table(), tmp_path / "d.xlsx", meta={"demo": True})
    notes = fastexcel.read_excel(out).load_sheet_by_name("notes", header_row=None).to_polars()
    assert notes.row(2) == (
        "DEMONSTRATION DATA",
        "YES: invented values, not any authority's real figures",
    )


def test_sheet_names_are_made_safe_and_unique(tmp_path: Path) -> None:
    frame = pl.DataFrame({"a": [1]})
    out = export.write_xlsx(
        {"notes": frame, "a/b": frame, "x" * 40: frame, "X" * 40: frame}, tmp_path / "s.xlsx"
    )
    assert fastexcel.read_excel(out).sheet_names == [
        "notes",
        "notes_2",
        "a_b",
        "x" * 31,
        "X" * 29 + "_2",
    ]


def test_bad_target_and_failed_write_leave_nothing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="xlsx"):
        export.write_xlsx(_hand_table(), tmp_path / "t.csv")
    target = tmp_path / "keep.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        export.write_xlsx("not a table", target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.xlsx"]


@pytest.mark.published
@pytest.mark.slow
def test_cli_xlsx_matches_the_parquet_export(
    published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BENCHMARKS_HOME", str(tmp_path / "home"))
    tables = ["panel", "inspections", "authorities", "neighbours", "flags"]
    xlsx = tmp_path / "all.xlsx"
    assert main(["export", "--data-dir", str(published), "--out", str(xlsx)]) == 0
    assert fastexcel.read_excel(xlsx).sheet_names == ["notes", *tables]
    for table in tables:
        parquet = tmp_path / f"{table}.parquet"
        argv = ["export", "--data-dir", str(published), "--table", table, "--out", str(parquet)]
        assert main(argv) == 0
        expected = pl.read_parquet(parquet)
        assert_frame_equal(read_sheet(xlsx, table, expected), _flat(expected))
    panel = read_sheet(xlsx, "panel", pl.read_parquet(tmp_path / "panel.parquet"))
    # MANIFEST: Kensington and Chelsea (207) CSWW 2025 is entirely x: text marker, no value
    kc = panel.filter(
        (pl.col("la_code") == "207") & (pl.col("year") == 2025) & (pl.col("source") == "csww")
    )
    assert kc.height > 0 and set(kc["status"]) == {"x"} and kc["value"].null_count() == kc.height
    assert panel.filter(pl.col("status") == "low").height > 0
