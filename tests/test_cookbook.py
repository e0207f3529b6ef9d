"""docs/cookbook.md: every recipe runs as written, and its answer matches the published file.

The code is taken from the page's code blocks (so page and test cannot drift) and run in
order in one namespace, as an analyst runs them in one notebook; the expected figures are
read from the published CSV files here, not from the library.
"""

from __future__ import annotations

import os
import re
import statistics
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from benchmarks.profiles import group_keys

pytestmark = [pytest.mark.published, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
COOKBOOK = ROOT / "docs" / "cookbook.md"
BLOCK = re.compile(r"^## (?P<title>.+?)\n(?P<body>.*?)(?=^## |\Z)", re.MULTILINE | re.DOTALL)
CODE = re.compile(r"```python\n(.*?)```", re.DOTALL)
LEEDS = "383"


def recipes() -> list[tuple[str, str]]:
    """(title, code) of each section of the page, in order (the set-up first)."""
    text = COOKBOOK.read_text(encoding="utf-8")
    out = []
    for match in BLOCK.finditer(text):
        code = "\n".join(CODE.findall(match["body"]))
        if code:
            out.append((match["title"].strip(), code))
    return out


@pytest.fixture(scope="module")
def answers(
    published: Path, home: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """The namespace after running every recipe in order (in a scratch folder)."""
    namespace: dict[str, Any] = {}
    scratch = tmp_path_factory.mktemp("cookbook")
    here = Path.cwd()
    os.chdir(scratch)
    try:
        for _title, code in recipes():
            exec(  # noqa: S102 - the documentation's own code
                code.replace('"data/published"', repr(str(published))), namespace
            )
    finally:
        os.chdir(here)
    namespace["_scratch"] = scratch
    return namespace


def read_csv(published: Path, relative: str) -> pl.DataFrame:
    return pl.read_csv(published / relative, infer_schema=False)


def workforce(published: Path, column: str, year: str = "2025") -> pl.DataFrame:
    """One CSWW column for every authority in a year: `la_code`, `la_name`, `text`, `row`.

    A joint return ("314 / 318") is one published row: it gives a row for each partner,
    both with the same `row` number.
    """
    return (
        read_csv(published, "workforce/csww_indicators_2017_to_2025.csv")
        .filter((pl.col("time_period") == year) & (pl.col("geographic_level") == "Local authority"))
        .with_row_index("row")
        .select(
            "row", la_code=pl.col("old_la_code").str.split(" / "), la_name="la_name", text=column
        )
        .explode("la_code")
    )


def england(published: Path, column: str, year: str = "2025") -> float:
    rows = read_csv(published, "workforce/csww_indicators_2017_to_2025.csv").filter(
        (pl.col("time_period") == year) & (pl.col("geographic_level") == "National")
    )
    return float(rows[column][0])


def group_median(published: Path, bundle: Any, by: str, group: str, column: str) -> tuple:
    """Median and count of a CSWW column over a group's authorities, from the CSV.

    A joint return counts once; `low` sits below every published value (the medians
    checked here do not fall on it); `x`/`c` are not counted.
    """
    members = set(
        group_keys(bundle.authorities, bundle.inspections, by).filter(pl.col("group") == group)[
            "la_code"
        ]
    )
    rows = workforce(published, column).filter(pl.col("la_code").is_in(list(members))).unique("row")
    values = [
        0.0 if text == "low" else float(text)
        for text in rows["text"]
        if text not in ("x", "c", "u", "z")
    ]
    return statistics.median(values), len(values)


def test_the_page_has_eight_to_ten_recipes() -> None:
    titles = [t for t, _ in recipes()]
    assert titles[0] == "Setting up"
    assert 8 <= len(titles) - 1 <= 10
    assert all(t[0].isdigit() and t.endswith("?") or "spreadsheet" in t for t in titles[1:])


def test_1_agency_rate_against_outstanding(answers: dict, published: Path) -> None:
    by_grade, ours = answers["by_grade"], answers["ours"]
    outstanding = by_grade.filter(pl.col("group") == "Outstanding").row(0, named=True)
    median, n = group_median(
        published, answers["bundle"], "ofsted_grade", "Outstanding", "agency_rate_fte"
    )
    assert (outstanding["median"], outstanding["n"]) == (median, n) == (8.0, 34)
    leeds = workforce(published, "agency_rate_fte").filter(pl.col("la_code") == LEEDS)
    assert ours["value"].to_list() == [float(leeds["text"][0])] == [2.1]


def test_2_workforce_by_leadership(answers: dict, published: Path) -> None:
    table = answers["by_leadership"]
    for group, expected in (("Outstanding", 10.4), ("Inadequate", 14.9)):
        row = table.filter(
            (pl.col("group") == group) & (pl.col("indicator") == "sw_turnover_rate")
        ).row(0, named=True)
        median, n = group_median(
            published, answers["bundle"], "leadership", group, "turnover_rate_fte"
        )
        assert (row["median"], row["n"]) == (median, n)
        assert row["median"] == expected


def test_3_turnover_against_england(answers: dict, published: Path) -> None:
    row = answers["turnover"].row(0, named=True)
    leeds = workforce(published, "turnover_rate_fte").filter(pl.col("la_code") == LEEDS)
    assert row["value"] == float(leeds["text"][0]) == 7.0
    assert row["england"] == england(published, "turnover_rate_fte") == 11.8
    assert row["funnel_position"] == "below 99.8% limit"


def test_4_top_ten_turnover(answers: dict, published: Path) -> None:
    published_rates = sorted(
        (float(t) for t in workforce(published, "turnover_rate_fte")["text"] if t[0].isdigit()),
        reverse=True,
    )
    assert answers["top_ten"]["value"].to_list() == published_rates[:10]


def test_5_caseload_over_five_years(answers: dict, published: Path) -> None:
    expected = [
        float(
            workforce(published, "caseload_fte", str(year)).filter(pl.col("la_code") == LEEDS)[
                "text"
            ][0]
        )
        for year in range(2021, 2026)
    ]
    caseload = answers["caseload"]
    assert caseload["year"].to_list() == list(range(2021, 2026))
    assert caseload["value"].to_list() == expected


def test_6_rereferrals(answers: dict, published: Path) -> None:
    c1 = read_csv(
        published, "demand/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
    ).filter((pl.col("time_period") == "2025") & (pl.col("old_la_code") == LEEDS))
    row = answers["rereferrals"].row(0, named=True)
    assert row["value"] == float(c1["rereferral_percent"][0]) == 24.2
    assert row["significance"] == "significantly higher"
    assert row["worse_and_worsening"] is False  # no significant change over five years


def test_7_lowest_vacancy_among_neighbours(answers: dict, published: Path) -> None:
    sn = read_csv(published, "authorities/sn_model_2025_wide.csv").filter(
        pl.col("old_la_code") == LEEDS
    )
    codes = [sn[f"SN_{i}"][0] for i in range(1, 11)]
    rates = workforce(published, "vacancy_rate_fte").filter(pl.col("la_code").is_in(codes))
    vacancy = answers["vacancy"]
    assert sorted(vacancy["la_code"].to_list()) == sorted(codes)
    lowest = min(float(t) for t in rates["text"] if t[0].isdigit())
    assert vacancy["value"][0] == lowest


def test_8_looked_after_against_the_region(answers: dict, published: Path) -> None:
    cla = read_csv(published, "demand/cla_number_and_rate_per_10k_children.csv").filter(
        (pl.col("time_period") == "2025")
        & (pl.col("population_type") == "Children looked after on 31 March each year")
    )
    leeds = cla.filter(pl.col("old_la_code") == LEEDS)
    region = cla.filter(
        (pl.col("geographic_level") == "Regional")
        & (pl.col("region_name") == "Yorkshire and The Humber")
    )
    national = cla.filter(pl.col("geographic_level") == "National")
    row = answers["cla"].row(0, named=True)
    assert row["year"] == 2025
    assert row["value"] == float(leeds["rate_per_10000"][0])
    assert row["region_value"] == float(region["rate_per_10000"][0])
    assert row["england"] == float(national["rate_per_10000"][0])


def test_9_spreadsheet(answers: dict, published: Path) -> None:
    path = answers["_scratch"] / "leeds.xlsx"
    assert answers["workbook"] == Path("leeds.xlsx")
    sheet = pl.read_excel(path, sheet_name="Leeds", engine="calamine")
    agency = sheet.filter(pl.col("indicator") == "sw_agency_rate")
    leeds = workforce(published, "agency_rate_fte").filter(pl.col("la_code") == LEEDS)
    assert agency["value"].to_list() == [float(leeds["text"][0])]
    notes = pl.read_excel(path, sheet_name="notes", engine="calamine", has_header=False)
    assert "csww" in " ".join(str(v) for v in notes.to_series(1).to_list() if v).lower()
