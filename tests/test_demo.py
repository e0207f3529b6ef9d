"""The demonstration dataset: official layouts, deterministic, plausible, clearly marked."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import fastexcel
import polars as pl
import pytest

from benchmarks import demo, panel
from benchmarks.datadir import DEMO_MARKER
from benchmarks.errors import BenchmarksError

#: Sheets the demo reproduces, with the 0-based row of their header (as in the MANIFEST);
#: the other sheets of the official workbooks hold only a note.
DATA_SHEETS = {
    "inspections/LA_Inspection_Outcomes_as_at_31_March_2025.ods": {
        "Inspections_as_at_31_March": 2,
        "In-year_inspections": 2,
        "ILACS_inspection_history": 2,
    },
    "inspections/Childrens_social_care_in_England_2023_underlying_data.ods": {
        "LA_level_at_31_Mar_2023": 3,
        "LA_level_in_year_2022-23": 2,
        "LA_inspections_2009-2023": 4,
    },
    "inspections/ofsted_csc_ilacs_overview.xlsx": {"ofsted_cs_inspections_overview": 0},
    "authorities/la_code_list.xlsx": {"Sheet1": 0},
    "authorities/sn_may_2025.xlsx": {"LA SN Groups": 2},
}
EES = {
    "csww": "workforce/csww_indicators_2017_to_2025.csv",
    "b1": "demand/b1_children_in_need_2013_to_2025.csv",
    "pop": "demand/ons_mid-year_population_estimates_2012_to_2024.csv",
    "cla": "demand/cla_number_and_rate_per_10k_children.csv",
}


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo.write_demo(tmp_path_factory.mktemp("demo") / "data")


def read(demo_dir: Path, key: str) -> pl.DataFrame:
    return pl.read_csv(demo_dir / EES[key], infer_schema=False)


def la_rows(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("geographic_level") == "Local authority")


def header(path: Path) -> tuple[bool, list[str]]:
    """(starts with a byte-order mark, the CSV header cells)."""
    raw = path.read_bytes()
    first = raw.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    return first.startswith("\ufeff"), next(csv.reader(io.StringIO(first.lstrip("\ufeff"))))


def sheet_rows(path: Path, sheet: str, n: int) -> list[tuple]:
    reader = fastexcel.read_excel(path)
    return reader.load_sheet(sheet, header_row=None, n_rows=n).to_polars().rows()


# -- layout ------------------------------------------------------------------------------


@pytest.mark.timeout(120)
def test_every_published_file_has_a_demo_twin_with_the_same_layout(
    published: Path, demo_dir: Path
) -> None:
    real_files = sorted(
        p.relative_to(published).as_posix()
        for p in published.rglob("*")
        if p.is_file() and p.suffix != ".md"
    )
    assert len(real_files) == 25
    for rel in real_files:
        ours = demo_dir / rel
        assert ours.exists(), rel
        if rel.endswith(".csv"):
            assert header(ours) == header(published / rel), rel
            continue
        theirs = fastexcel.read_excel(published / rel).sheet_names
        assert fastexcel.read_excel(ours).sheet_names == theirs, rel
        for sheet, row in DATA_SHEETS[rel].items():
            expected = sheet_rows(published / rel, sheet, row + 1)
            got = sheet_rows(ours, sheet, row + 1)
            assert got[row] == expected[row], (rel, sheet)


def test_csv_quirks_follow_the_publishers(demo_dir: Path) -> None:
    # c4/d3/d5 write missing geography as "" ; the others leave the cell empty
    c4 = (
        demo_dir / "demand/c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv"
    ).read_text()
    assert c4.splitlines()[1].startswith(
        '2025,Reporting year,National,E92000001,England,"","",,"",""'
    )
    b1 = (demo_dir / EES["b1"]).read_text()
    assert b1.splitlines()[1].startswith("2025,Reporting year,National,E92000001,England,,,,,,")
    lookup = (demo_dir / "authorities/Provider_data_lookup.csv").read_bytes()
    assert lookup.startswith(b"\xef\xbb\xbf") and b"\r\n" in lookup


def test_the_2023_history_sheet_keeps_its_second_table(demo_dir: Path) -> None:
    rows = sheet_rows(
        demo_dir / "inspections/Childrens_social_care_in_England_2023_underlying_data.ods",
        "LA_inspections_2009-2023",
        170,
    )
    # header on row 5, 152 authorities, two blank rows, then Table 11 of the old LAs
    assert rows[4][1] == "Local authority name"
    assert all(r[1] for r in rows[5:157])
    assert rows[157] == rows[158] == (None,) * len(rows[0])
    assert rows[159][0].startswith("Table 11")
    assert [r[1] for r in rows[161:165]] == ["Bournemouth", "Dorset", "Poole", "Northamptonshire"]


# -- marked as demonstration data ----------------------------------------------------------


def test_marker_and_readme_say_it_is_invented(demo_dir: Path) -> None:
    assert (demo_dir / DEMO_MARKER).exists()
    assert "INVENTED" in (demo_dir / "README.txt").read_text()


def test_ensure_writes_a_missing_demo_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "demo"
    assert demo.ensure(dest) is True
    err = capsys.readouterr().err
    assert err == (
        f"Writing demonstration data to {dest} (first run; "
        "`benchmarks demo-data` does this explicitly)\n"
    )
    assert "seed=2025" in (dest / DEMO_MARKER).read_text()
    before = (dest / EES["b1"]).stat().st_mtime_ns
    assert demo.ensure(dest) is False  # there now: nothing written, nothing said
    assert capsys.readouterr().err == ""
    assert (dest / EES["b1"]).stat().st_mtime_ns == before


def test_ensure_keeps_a_demo_of_another_generator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An older demo folder is used as it is; only `benchmarks demo-data` refreshes it.
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / DEMO_MARKER).write_text("seed=2025\ngenerator=older\n")
    assert demo.ensure(tmp_path / "demo") is False
    assert [p.name for p in (tmp_path / "demo").iterdir()] == [DEMO_MARKER]
    assert capsys.readouterr().err == ""


def test_ensure_refuses_a_folder_of_other_files(tmp_path: Path) -> None:
    (tmp_path / "mine.csv").write_text("real data")
    with pytest.raises(BenchmarksError, match="not demonstration data"):
        demo.ensure(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["mine.csv"]


def test_refuses_to_overwrite_a_folder_of_other_files(tmp_path: Path) -> None:
    (tmp_path / "mine.csv").write_text("real data")
    with pytest.raises(BenchmarksError, match="not demonstration data"):
        demo.write_demo(tmp_path)
    assert (tmp_path / "mine.csv").read_text() == "real data"


# -- deterministic ---------------------------------------------------------------------------


@pytest.mark.timeout(60)
def test_same_seed_same_bytes_other_seed_other_values(demo_dir: Path, tmp_path: Path) -> None:
    # another process with another hash seed: nothing may depend on set or dict order
    again = tmp_path / "again"
    code = f"from benchmarks import demo; demo.write_demo({str(again)!r})"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=50)
    files = sorted(p.relative_to(demo_dir) for p in demo_dir.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for rel in files:
        assert (demo_dir / rel).read_bytes() == (again / rel).read_bytes(), rel
    other = demo.write_demo(tmp_path / "other", seed=7)
    assert (other / EES["csww"]).read_bytes() != (demo_dir / EES["csww"]).read_bytes()
    assert header(other / EES["csww"]) == header(demo_dir / EES["csww"])


def test_existing_identical_demo_is_left_alone(demo_dir: Path) -> None:
    before = (demo_dir / EES["b1"]).stat().st_mtime_ns
    assert demo.write_demo(demo_dir) == demo_dir
    assert (demo_dir / EES["b1"]).stat().st_mtime_ns == before


# -- plausible and consistent ---------------------------------------------------------------


def numbers(frame: pl.DataFrame, column: str) -> pl.Series:
    return frame[column].cast(pl.Float64, strict=False).drop_nulls()


def test_workforce_rates_in_realistic_ranges(demo_dir: Path) -> None:
    la = la_rows(read(demo_dir, "csww")).filter(pl.col("old_la_code") != "420")
    turnover = numbers(la, "turnover_rate_fte")
    agency = numbers(la, "agency_rate_fte")
    assert turnover.len() > 1300 and turnover.min() >= 4.9 and turnover.max() <= 30.1
    assert agency.min() >= 0 and agency.max() <= 40.1
    caseload = numbers(la, "caseload_fte")
    assert caseload.min() >= 9.9 and caseload.max() <= 24.1


def test_workforce_rates_agree_with_their_counts(demo_dir: Path) -> None:
    la = la_rows(read(demo_dir, "csww")).with_columns(
        [
            pl.col(c).cast(pl.Float64, strict=False)
            for c in ["leavers_fte", "inpost_fte", "turnover_rate_fte"]
        ]
    )
    checked = la.drop_nulls(["leavers_fte", "inpost_fte", "turnover_rate_fte"]).filter(
        pl.col("inpost_fte") > 0
    )
    gap = (
        checked["leavers_fte"] / checked["inpost_fte"] * 100 - checked["turnover_rate_fte"]
    ).abs()
    assert gap.max() <= 0.05 + 1e-9  # published to one decimal place


def test_cin_rate_per_10k_between_200_and_600(demo_dir: Path) -> None:
    b1 = la_rows(read(demo_dir, "b1")).select("time_period", "old_la_code", "At31_episodes")
    pop = la_rows(read(demo_dir, "pop")).select(
        (pl.col("time_period").cast(pl.Int32) + 1).cast(pl.String).alias("time_period"),
        "old_la_code",
        pl.col("population_estimate").cast(pl.Float64, strict=False),
    )
    joined = b1.join(pop, on=["time_period", "old_la_code"]).with_columns(
        rate=pl.col("At31_episodes").cast(pl.Float64, strict=False)
        / pl.col("population_estimate")
        * 1e4
    )
    big = joined.filter(pl.col("population_estimate") > 5000).drop_nulls("rate")
    assert big.height > 1800
    assert big["rate"].min() >= 199 and big["rate"].max() <= 601


def test_england_and_regions_add_up_from_the_authorities(demo_dir: Path) -> None:
    pop = read(demo_dir, "pop").filter(pl.col("time_period") == "2024")
    value = pl.col("population_estimate").cast(pl.Int64)
    england = pop.filter(pl.col("geographic_level") == "National").select(value).item()
    assert la_rows(pop).select(value.sum()).item() == england
    regions = pop.filter(pl.col("geographic_level") == "Regional")
    london = regions.filter(pl.col("region_code") == "E12000007").select(value).item()
    inner_outer = regions.filter(pl.col("region_code").is_in(["E13000001", "E13000002"]))
    assert inner_outer.select(value.sum()).item() == london
    nine = regions.filter(pl.col("region_code").str.starts_with("E12")).select(value.sum()).item()
    assert nine == england


def test_joint_returns_and_code_changes_as_published(demo_dir: Path) -> None:
    csww = la_rows(read(demo_dir, "csww"))
    codes_2025 = set(csww.filter(pl.col("time_period") == "2025")["old_la_code"])
    assert {"314 / 318", "940 / 941"} <= codes_2025
    assert not {"314", "318", "940", "941"} & codes_2025
    assert "928" in set(csww.filter(pl.col("time_period") == "2020")["old_la_code"])
    barnsley = csww.filter(pl.col("old_la_code") == "370").select("time_period", "new_la_code")
    assert dict(barnsley.iter_rows())["2025"] == "E08000038"
    assert dict(barnsley.iter_rows())["2024"] == "E08000016"
    cla = la_rows(read(demo_dir, "cla"))
    assert cla.group_by("time_period").len()["len"].to_list() == [465] * 5
    cumbria_2025 = cla.filter((pl.col("old_la_code") == "909") & (pl.col("time_period") == "2025"))
    assert set(cumbria_2025["children_count"]) == {"z"}


def test_every_marker_is_used_somewhere(demo_dir: Path) -> None:
    cells: set[str] = set()
    for path in (demo_dir / "workforce").glob("*.csv"):
        cells |= set(pl.read_csv(path, infer_schema=False).unpivot()["value"].drop_nulls())
    for path in (demo_dir / "demand").glob("*.csv"):
        cells |= set(pl.read_csv(path, infer_schema=False).unpivot()["value"].drop_nulls())
    for path in (demo_dir / "outcomes").glob("*.csv"):
        frame = pl.read_csv(path, infer_schema=False)
        cells |= set(frame.select(pl.col("^.*_(count|percent)$")).unpivot()["value"].drop_nulls())
    assert set(demo.MARKERS) <= cells


OUTCOME_FILES = {
    "activity": "outcomes/la_care_leavers_activity.csv",
    "accommodation": "outcomes/la_care_leavers_accommodation_suitability.csv",
    "stability": "outcomes/la_cla_placement_stability.csv",
}


@pytest.mark.parametrize("name", ["activity", "accommodation"])
def test_k_marks_a_count_of_one_that_rounds_to_zero_percent(demo_dir: Path, name: str) -> None:
    # As published: k only on a count of 1 whose share is below 0.5%, and a published
    # 0% is a true zero.
    rows = la_rows(pl.read_csv(demo_dir / OUTCOME_FILES[name], infer_schema=False))
    k = rows.filter(pl.col("care_leaver_percent") == "k")
    assert k.height >= 5
    assert set(k["care_leaver_count"]) == {"1"}
    zero = rows.filter(pl.col("care_leaver_percent") == "0")
    assert set(zero["care_leaver_count"]) <= {"0"}


def test_care_leaver_breakdowns_add_up_and_follow_the_series_break(demo_dir: Path) -> None:
    rows = la_rows(pl.read_csv(demo_dir / OUTCOME_FILES["activity"], infer_schema=False))
    wide = rows.pivot(
        on="breakdown",
        index=["time_period", "old_la_code", "care_leaver_age"],
        values="care_leaver_count",
    )
    numbers = wide.select(
        "time_period",
        pl.exclude("time_period", "old_la_code", "care_leaver_age").cast(pl.Float64, strict=False),
    ).drop_nulls(["Total", "Total in education, employment or training"])
    parts = (
        pl.col("Total in education, employment or training")
        + pl.col("Total not in education, employment or training")
        + pl.col("Total information not known")
    )
    checked = numbers.drop_nulls("Total not in education, employment or training").filter(
        pl.col("Total information not known").is_not_null()
    )
    assert checked.height > 1000
    assert (checked["Total"] == checked.select(parts).to_series()).all()
    by_year = rows.group_by("time_period", "breakdown").agg(pl.col("care_leaver_count").unique())
    z_only = {(y, b) for y, b, v in by_year.iter_rows() if v == ["z"]}
    assert ("2021", "In an apprenticeship") in z_only
    assert ("2025", "In training or employment") in z_only
    assert ("2021", "In training or employment") not in z_only


def test_looked_after_stability_total_is_the_looked_after_count(demo_dir: Path) -> None:
    cla = la_rows(read(demo_dir, "cla")).filter(
        (pl.col("time_period") == "2024")
        & (pl.col("population_type") == "Children looked after on 31 March each year")
    )
    stability = la_rows(pl.read_csv(demo_dir / "workforce/la_cla_swcount.csv", infer_schema=False))
    total = stability.filter(pl.col("sw_stability") == "Total children")
    numeric = pl.col("children_count").str.contains(r"^\d+$") & pl.col("number").str.contains(
        r"^\d+$"
    )
    both = total.join(cla, on="old_la_code").filter(numeric)
    assert both.height > 140
    assert (both["number"] == both["children_count"]).all()


# -- the project's own readers load it -------------------------------------------------------


@pytest.mark.parametrize("source_id", sorted(panel.OBSERVATION_READERS))
def test_each_observation_reader_loads_the_demo(demo_dir: Path, source_id: str) -> None:
    files = panel.input_files(demo_dir)
    frame = panel.OBSERVATION_READERS[source_id](files[source_id])
    assert frame.height > 0


@pytest.mark.timeout(120)
def test_the_whole_bundle_builds_from_the_demo(demo_dir: Path) -> None:
    bundle = panel.build(panel.input_files(demo_dir))
    assert bundle.panel.height > 10_000
    assert bundle.inspections.height > 300
    assert bundle.neighbours["la_code"].n_unique() > 150
    current = bundle.authorities
    assert current.height >= 158


@pytest.mark.timeout(60)
def test_generation_takes_under_three_seconds_of_cpu(tmp_path: Path) -> None:
    import odf.opendocument  # noqa: F401 - import costs are not generation
    import xlsxwriter  # noqa: F401

    start = time.process_time()  # CPU time: fair on a busy machine
    demo.generate(tmp_path / "timed")
    assert time.process_time() - start < 3.0


def test_the_other_readers_load_the_demo_and_agree(demo_dir: Path) -> None:
    from benchmarks.sources import authorities, inspections, neighbours

    folder = demo_dir / "authorities"
    auth = authorities.read_authorities(
        folder / "las.csv", folder / "region_la_hierarchy.csv", folder / "la_code_list.xlsx"
    )
    assert {"383", "909", "928", "942", "314", "318"} <= set(auth["la_code"])
    workbook = neighbours.read_sn2025(folder / "sn_may_2025.xlsx")
    wide = neighbours.read_sn2025_csv(folder / "sn_model_2025_wide.csv")
    assert wide["la_code"].n_unique() == 153 and workbook["la_code"].n_unique() == 158
    current = workbook.filter(pl.col("la_code").is_in(wide["la_code"].to_list()))
    assert current.sort(current.columns).equals(wide.sort(wide.columns))  # one model, two layouts
    assert (
        neighbours.read_sn2021(folder / "New_Statistical_Neighbour_Groupings_April_2021.csv")[
            "la_code"
        ].n_unique()
        == 156
    )
    d2i = inspections.read_d2i(demo_dir / "inspections/ofsted_csc_ilacs_overview.xlsx")
    assert d2i.height == 153
    official = inspections.read_ofsted_outcomes(
        demo_dir / "inspections/LA_Inspection_Outcomes_as_at_31_March_2025.ods", auth
    )
    assert official["la_code"].n_unique() == 156  # 153 current + 3 that no longer exist


@pytest.mark.timeout(60)
def test_a_demo_of_another_seed_is_replaced_whole(tmp_path: Path) -> None:
    first = demo.write_demo(tmp_path / "d", seed=7)
    (first / "stray.txt").write_text("left over")
    demo.write_demo(first, seed=8)
    assert "seed=8" in (first / DEMO_MARKER).read_text()
    assert not (first / "stray.txt").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".d.")] == [".d.lock"]


@pytest.mark.timeout(60)
def test_same_bytes_when_the_process_made_a_demo_before(tmp_path: Path) -> None:
    # odfpy remembers every namespace earlier documents used; the demo must not depend on it.
    first = demo.write_demo(tmp_path / "first")
    second = demo.write_demo(tmp_path / "second")
    for ods in sorted(first.rglob("*.ods")):
        assert ods.read_bytes() == (second / ods.relative_to(first)).read_bytes(), ods.name
