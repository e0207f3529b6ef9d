"""Broken and surprising published files (issue 6): a clear error or a documented
tolerant read for every variant, never a silent wrong number.

The corpus (tests/corpus.py) derives each variant from the real published files at test
time; the small tests at the end pin the new rules on tiny hand-written files.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import corpus
from benchmarks import panel
from benchmarks.errors import DataError
from benchmarks.sources import _ees, _sheets, neighbours
from benchmarks.sources.authorities import read_authorities
from ees_testdata import la, national, write_ees
from test_sources_authorities import TINY_LAS, _files

pytestmark = pytest.mark.timeout(30)  # each test; the corpus tests set their own
ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "robustness.md"
SOURCE_IDS = [s.id for s in corpus.SOURCES]


@pytest.fixture(scope="module")
def results(published: Path, tmp_path_factory: pytest.TempPathFactory) -> list[corpus.Result]:
    """Every variant of every source and the whole-panel variants, run once."""
    return corpus.run_all(published, tmp_path_factory.mktemp("corpus"))


# ---------------------------------------------------------------- the corpus


@pytest.mark.timeout(180)
@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_every_variant_ends_as_documented(results, source_id):
    mine = [r for r in results if r.source == source_id]
    assert len(mine) >= 10, f"only {len(mine)} variants applied to {source_id}"
    wrong = [f"{r.variant}: {r.outcome} ({r.detail})" for r in mine if r.outcome != r.expected]
    assert not wrong, "\n".join(wrong)


@pytest.mark.timeout(180)
def test_no_lost_data_and_no_unclear_error(results):
    counts = corpus.totals(results)
    assert counts["lost data"] == 0
    assert counts["unclear error"] == 0
    assert counts["tried"] == counts["clear error"] + counts["tolerant"]


#: Variants every source of a kind must get (the rest depend on its columns).
MUST_APPLY = {
    "ees": {
        "empty", "header_only", "bom_crlf", "latin1", "renamed_column", "missing_column",
        "extra_column", "marker_in_id", "duplicated_row", "negative", "absurd_count",
        "excel_quoted", "excel_thousands", "second_code",
    },
    "csv": {
        "empty", "header_only", "bom_crlf", "latin1", "renamed_column", "missing_column",
        "extra_column", "marker_in_id", "duplicated_row", "excel_quoted", "second_code",
    },
    "workbook": {
        "empty", "header_only", "resaved", "renamed_column", "missing_column",
        "extra_column", "marker_in_id", "duplicated_row", "unknown_category", "truncated",
        "second_code",
    },
}  # fmt: skip


@pytest.mark.timeout(180)
def test_every_kind_of_breakage_is_tried_where_it_applies(results):
    tried = {(r.source, r.variant) for r in results}
    for src in corpus.SOURCES:
        missing = {v for v in MUST_APPLY[src.kind] if (src.id, v) not in tried}
        assert not missing, f"{src.id}: {sorted(missing)} not tried"
    # each rate / year variant reaches at least the files that have such columns
    assert {r.source for r in results if r.variant == "impossible_rate"} == {
        "csww", "cla_swcount", "cin_c1", "cin_d3", "cin_d5", "cla",
        "cla_placement_stability", "care_leavers_activity", "care_leavers_accommodation",
    }  # fmt: skip
    assert {r.source for r in results if r.variant == "dropped_year"} >= {
        "csww", "cin_b1", "cla", "ons_population", "ofsted_outcomes", corpus.PANEL,
    }  # fmt: skip
    assert {r.variant for r in results if r.source == corpus.FETCH} == set(corpus.FETCH_FAULTS)


def test_every_published_file_is_varied_or_listed_as_unread(published):
    files = {
        p.relative_to(published).as_posix()
        for p in published.rglob("*")
        if p.suffix in {".csv", ".ods", ".xlsx"}
    }
    covered = {s.relpath for s in corpus.SOURCES} | set(corpus.UNREAD)
    assert files == covered


@pytest.mark.timeout(180)
def test_doc_is_up_to_date(results):
    text = DOC.read_text(encoding="utf-8")
    fresh = corpus.render(results, faults=corpus.faults_section(text))
    assert text == fresh, "docs/robustness.md is out of date: run python scripts/robustness.py"
    counts = corpus.totals(results)
    assert f"| {counts['tried']} | {counts['clear error']} | {counts['tolerant']} | 0 | 0 |" in text


@pytest.mark.timeout(120)
def test_missing_population_year_flags_the_rates_that_need_it(published, tmp_path):
    """Cross-file: mid-2018 population gone -> 2019 rates per 10,000 null, 'missing'."""
    pop = corpus.source("ons_population")
    rows = corpus.read_book(pop, published)[None]
    kept = [r for r in rows if r[0] != "2018"]
    assert len(kept) < len(rows)
    (tmp_path / pop.filename).write_bytes(corpus.csv_bytes(kept))
    files = {**panel.input_files(published), "ons_population": tmp_path / pop.filename}
    bundle = panel.build(files)
    leeds = bundle.panel.filter(la_code="383", indicator="cin_rate_per_10k")
    by_year = {r["year"]: (r["value"], r["status"]) for r in leeds.iter_rows(named=True)}
    assert by_year[2019] == (None, "missing")
    assert by_year[2018][1] is None and by_year[2020][1] is None  # neighbours untouched
    flags = bundle.flags.filter(la_code="383", year=2019, indicator="cin_rate_per_10k")
    assert "missing" in flags["flag"].to_list()
    # the counts themselves are untouched
    count = bundle.panel.filter(la_code="383", indicator="cin_count", year=2019)
    assert count["status"].to_list() == [None]


# ---------------------------------------------------------------- the rules, on tiny files

PCT = {(): {"pct": "sw_turnover_rate"}}  # unit %
PER_10K = {(): {"rate": "cla_rate_per_10k"}}  # unit per 10,000 children
COUNT = {(): {"n": "cin_count"}}  # unit children


@pytest.mark.parametrize(
    ("layout", "cell", "value"),
    [
        (PCT, "0", 0.0),
        (PCT, "100", 100.0),
        (PER_10K, "10000", 10000.0),
        (COUNT, "20000000", 20_000_000.0),
        (COUNT, "2e7", 20_000_000.0),
    ],
)
def test_plausible_edges_are_read(tmp_path, layout, cell, value):
    column = next(iter(layout[()]))
    path = write_ees(tmp_path / "f.csv", [column], [(la(2025, "383", "Leeds"), [cell])])
    frame = _ees.read_observations(path, layout, source="t")
    assert frame["value"].to_list() == [value]


@pytest.mark.parametrize(
    ("layout", "cell", "expected"),
    [
        (PCT, "-0.1", "from 0 to 100 (%)"),
        (PCT, "100.1", "from 0 to 100 (%)"),
        (PER_10K, "10000.5", "from 0 to 10,000 (per 10,000 children)"),
        (COUNT, "-5", "from 0 to 20,000,000 (children)"),
        (COUNT, "1e12", "from 0 to 20,000,000 (children)"),
    ],
)
def test_implausible_value_names_the_cell(tmp_path, layout, cell, expected):
    column = next(iter(layout[()]))
    rows = [(national(2025), ["7"]), (la(2025, "383", "Leeds"), [cell])]
    path = write_ees(tmp_path / "f.csv", [column], rows)
    with pytest.raises(DataError) as info:
        _ees.read_observations(path, layout, source="t")
    err = info.value
    assert (err.column, err.row, err.found) == (column, 3, repr(cell))
    assert expected in str(err)


def test_a_marker_is_not_judged_for_plausibility(tmp_path):
    path = write_ees(tmp_path / "f.csv", ["pct"], [(la(2025, "383", "Leeds"), ["c"])])
    row = _ees.read_observations(path, PCT, source="t").row(0, named=True)
    assert (row["value"], row["status"]) == (None, "c")


def test_latin1_byte_names_row_and_column(tmp_path):
    rows = [(la(2024, "383", "Leeds"), ["1"]), (la(2025, "383", "Leeds Cité"), ["2"])]
    path = write_ees(tmp_path / "f.csv", ["n"], rows)
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    with pytest.raises(DataError) as info:
        _ees.read_observations(path, COUNT, source="t")
    assert (info.value.column, info.value.row) == ("la_name", 3)
    assert "UTF-8" in str(info.value) and "b'\\xe9'" in str(info.value)


def test_utf8_names_with_accents_are_fine(tmp_path):
    path = write_ees(tmp_path / "f.csv", ["n"], [(la(2025, "383", "Leeds Cité"), ["2"])])
    frame = _ees.read_observations(path, COUNT, source="t")
    assert frame["la_name"].to_list() == ["Leeds Cité"]


def test_one_la_under_two_codes_in_a_year_is_an_error(tmp_path):
    rows = [(la(2025, "383", "Leeds"), ["1"]), (la(2025, "999", "leeds "), ["2"])]
    path = write_ees(tmp_path / "f.csv", ["n"], rows)
    with pytest.raises(DataError) as info:
        _ees.read_observations(path, COUNT, source="t")
    assert (info.value.column, info.value.row) == ("old_la_code", 3)
    assert "383 and 999 in 2025" in str(info.value)


def test_one_name_under_two_codes_in_different_years_is_fine(tmp_path):
    # old Dorset county (835) and the Dorset UA (838) share a name, not a year
    rows = [(la(2018, "835", "Dorset"), ["1"]), (la(2020, "838", "Dorset"), ["2"])]
    path = write_ees(tmp_path / "f.csv", ["n"], rows)
    frame = _ees.read_observations(path, COUNT, source="t")
    assert frame["la_code"].to_list() == ["835", "838"]


def test_header_only_table_is_an_error_unless_allowed(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("code,name\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        _sheets.read_table(path, None, header_row=1, columns=["code", "name"], key="code")
    assert (info.value.column, info.value.row, info.value.found) == ("code", 2, "no data rows")
    grid = _sheets.read_grid(path)
    empty = _sheets.table(
        grid, path, sheet=None, header_row=1, columns=["code"], key="code", allow_empty=True
    )
    assert empty.height == 0


@pytest.mark.parametrize(
    ("old", "replacement", "column", "row"),
    [
        # a marker where the City of London's code was: row 5 of the tiny file
        ("live,201", "live,c", "old_la_code", 5),
        # an 'x' (no DfE number) is only for terminated pre-2009 counties
        ("live,201", "live,x", "old_la_code", 5),
        # a marker where its ONS code was ('z' is the British Forces row's, left out)
        ("E09000001,City", "c,City", "new_la_code", 5),
    ],
)
def test_las_never_drops_an_authority_silently(tmp_path, old, replacement, column, row):
    rows = TINY_LAS.replace(old, replacement, 1)
    assert rows != TINY_LAS
    with pytest.raises(DataError) as info:
        read_authorities(*_files(tmp_path, rows))
    assert (info.value.column, info.value.row) == (column, row)


def test_las_left_out_rows_stay_out(tmp_path):
    terminated_county = (
        "E10000005,Cornwall and Isles of Scilly,01/01/2009,31/03/2009,E12000009,E10,"
        "Counties,terminated,x\n"
    )
    frame = read_authorities(*_files(tmp_path, TINY_LAS + terminated_county))
    assert frame["la_code"].to_list() == ["201", "909", "942"]


def test_las_repeated_ons_code_names_the_second_row(tmp_path):
    repeat = "E09000001,City of London,01/01/2009,,E12000007,E09,London Boroughs,live,999\n"
    with pytest.raises(DataError) as info:
        read_authorities(*_files(tmp_path, TINY_LAS + repeat))
    assert (info.value.column, info.value.row) == ("new_la_code", 7)
    assert "'E09000001' again" in str(info.value)


@pytest.mark.parametrize(
    ("numbers", "row", "found"),
    [(["201", "c", "942"], 3, "'c'"), (["201", "909", "201"], 4, "'201' again")],
)
def test_lait_numbers_must_be_codes_and_unique(tmp_path, numbers, row, found):
    lait = pl.DataFrame(
        {
            "LA Number": numbers,
            "LA Name": ["City of London", "Cumbria", "Cumberland"],
            "Region": ["Inner London", "North West", "North West"],
            "Type": ["ILB", "SC", "UA"],
        }
    )
    with pytest.raises(DataError) as info:
        read_authorities(*_files(tmp_path, TINY_LAS, lait))
    err = info.value
    assert (err.sheet, err.column, err.row) == ("Sheet1", "LA Number", row)
    assert found in str(err)


def test_neighbours_name_under_two_codes_is_an_error(tmp_path):
    bands = ",".join(f"{201 + k},Close" for k in range(10))
    header = ",".join(neighbours.WIDE_COLUMNS)
    lines = [header, f"301,Barking and Dagenham,{bands}", f"999,Barking and Dagenham,{bands}"]
    path = tmp_path / "sn.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        neighbours.read_sn2025_csv(path)
    assert (info.value.column, info.value.row) == ("la_name", 3)
