"""The authority report's "Outcomes for children" section (issue 13).

* A `k` cell (a share that rounds to 0% but is not 0) written by hand into a copy of the
  demonstration folder keeps its marker, with its wording, through to the section's
  summary sentence, its "view as table", the headline tile and the comparison table.
* Leeds on the real published files: the published whole-number percentages, taken from
  the files (Leeds 2025: 13% with 3+ placements, 46% of care leavers aged 19-21 in EET,
  81% of them in suitable accommodation; 2024: 51% in EET), and every chart drawn in
  Chromium.
* The new ids in the pack index, the partner finder and `profile`.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from bs4 import BeautifulSoup, Tag

from benchmarks import indicators
from benchmarks.formatting import MARKER_NOTE, MARKERS

ACTIVITY = "outcomes/la_care_leavers_activity.csv"
EET_19_21 = "care_leavers_eet_19_21_rate"
K_WORDS = f"k ({MARKERS['k']})"  # "k (a value that rounds to zero but is not zero)"
OUTCOME_LABELS = {
    "three_plus": "Children looked after with 3 or more placements in the year",
    "eet_19_21": "Care leavers aged 19-21 in education, employment or training",
    "suitable_19_21": "Care leavers aged 19-21 in suitable accommodation",
}


def blocks(html: str) -> dict[str, dict[str, Any]]:
    """Each indicator block of a section: its summary sentence and its figures' tables
    (rows of cell texts, header row first), keyed by the block's heading."""
    soup = BeautifulSoup(html, "html.parser")
    out: dict[str, dict[str, Any]] = {}
    for heading in soup.find_all("h3"):
        text, tables = "", []
        for sibling in heading.find_next_siblings():
            if sibling.name == "h3":
                break
            if sibling.name == "p" and not text:
                text = sibling.get_text()
            if isinstance(sibling, Tag) and sibling.name == "figure":
                table = sibling.select_one("details table")
                assert table is not None
                tables.append(
                    [
                        [c.get_text() for c in tr.find_all(["th", "td"])]
                        for tr in table.find_all("tr")
                    ]
                )
        out[heading.get_text()] = {"text": text, "tables": tables}
    return out


def column(table: list[list[str]], header: str) -> dict[str, str]:
    """One column of a "view as table" by year: {year: cell}."""
    head, *rows = [r for r in table if r]
    i, year = head.index(header), head.index("Year")
    return {r[year]: r[i] for r in rows}


# ------------------------------------------------------------------ a k cell, by hand


@pytest.fixture(scope="module")
def k_folder(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demonstration folder with Leeds's 2025 share of care leavers aged 19-21 in
    education, employment or training published as k, on a count of 1."""
    folder = tmp_path_factory.mktemp("k-data") / "data"
    shutil.copytree(demo_dir, folder)
    path = folder / ACTIVITY
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").split("\n")
    wanted = [
        i
        for i, line in enumerate(lines)
        if line.startswith("2025,Reporting year,Local authority,")
        and ",383,Leeds," in line
        and ',19 to 21 years,"Total in education, employment or training",' in line
    ]
    assert len(wanted) == 1
    lines[wanted[0]] = lines[wanted[0]].rsplit(",", 2)[0] + ",1,k"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "\n".join(lines).encode("utf-8"))
    return folder


@pytest.fixture(scope="module")
def k_page(k_folder: Path, home: Path):
    from benchmarks.reports import authority_page

    return authority_page("Leeds", data_dir=k_folder)


def test_the_k_row_reaches_the_panel_as_a_marker_not_a_zero(k_page) -> None:
    row = k_page.bundle.panel.filter(
        (pl.col("la_code") == "383") & (pl.col("year") == 2025) & (pl.col("indicator") == EET_19_21)
    )
    assert row.select("value", "status").rows() == [(None, "k")]


def test_k_in_the_summary_sentence_and_the_view_as_table(k_page) -> None:
    block = blocks(str(k_page.outcomes()))[OUTCOME_LABELS["eet_19_21"]]
    assert block["text"].startswith(f"2025: Leeds {K_WORDS}; ")
    assert "not published" not in block["text"] and "Leeds 0%" not in block["text"]
    trend = column(block["tables"][0], "Leeds")
    assert trend["2025"] == K_WORDS
    assert trend["2024"].isdigit()  # a published whole number
    # the position chart has no mark for a value that is not a number: no 0 either
    position = [r for r in block["tables"][1] if r and r[0] == "Leeds (this authority)"]
    assert position == []


def test_k_in_the_tile_and_the_comparison_table(k_page) -> None:
    headline = BeautifulSoup(str(k_page.headline()), "html.parser")
    tiles = {
        t.h3.get_text(): t.select_one(".bm-tile-value").get_text()
        for t in headline.select(".bm-tile")
    }
    assert tiles[OUTCOME_LABELS["eet_19_21"]] == "k"
    table = BeautifulSoup(str(k_page.comparison()), "html.parser")
    label = f"{OUTCOME_LABELS['eet_19_21']} (%)"
    (row,) = [tr for tr in table.select("#cmp tbody tr") if tr.th.get_text() == label]
    value = row.select_one("td[headers$='cmp-value']")
    assert value is not None and value.get_text() == "k"
    assert table.select_one(".gt_sourcenote").get_text() == MARKER_NOTE
    assert "low and k round to zero (but are not zero)" in MARKER_NOTE


def test_k_in_the_data_notes(k_page) -> None:
    notes = BeautifulSoup(str(k_page.data_notes()), "html.parser")
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in notes.select("tr")]
    flagged = [r for r in rows if r and r[0] == f"{OUTCOME_LABELS['eet_19_21']} (%)"]
    assert any(r[1] == "rounds to zero" and "2025" in r[2] and "(k)" in r[3] for r in flagged), (
        flagged
    )


# ------------------------------------------------------------------ the section on the demo


def test_the_section_sits_between_demand_and_the_comparison(k_page) -> None:
    titles = [s.title for s in k_page.model.header.contents]
    assert titles[3:6] == [
        "4. Demand and practice",
        "5. Outcomes for children",
        "6. How the authority compares",
    ]
    section = BeautifulSoup(str(k_page.outcomes()), "html.parser")
    assert section.h2["id"] == "outcomes" and section.h2.get_text().startswith("5. Outcomes")
    found = blocks(str(k_page.outcomes()))
    assert list(found) == [
        indicators.get(i).label for i in indicators.section_indicators("outcomes")
    ]
    for title, block in found.items():
        assert len(block["tables"]) == 2, title  # trend and position, each with its table


def test_whole_number_percentages_say_so_and_assessment_factors_do_not(k_page) -> None:
    found = blocks(str(k_page.outcomes()))
    note = "Percentages are published as whole numbers, rounded half up."
    assert note in found[OUTCOME_LABELS["three_plus"]]["text"]
    assert note not in found["Neglect identified at assessment"]["text"]  # a rate per 10,000
    assert note not in found[indicators.get("icpc_s47_conversion_rate").label]["text"]


def test_context_indicators_are_never_strengths_or_concerns(k_page) -> None:
    from benchmarks import narrative

    neutral = [
        "icpc_s47_conversion_rate",
        *(i for i in indicators.section_indicators("outcomes") if i.startswith("af_")),
    ]
    assert len(neutral) == 6
    assert all(indicators.get(i).polarity == "neutral" for i in neutral)
    every = narrative.findings(k_page.table.filter(pl.col("indicator").is_in(neutral)), top=50)
    assert every.height > 150 * len(neutral) / 2
    assert set(every["kind"]) <= {"context", "suppressed"}


# ------------------------------------------------------------------ the new ids elsewhere


def test_the_pack_index_shows_the_two_outcome_columns(k_page, tmp_path: Path) -> None:
    from benchmarks.packs.index import index_page

    out = tmp_path / "out"
    (out / "2025").mkdir(parents=True)
    (out / "2025" / "leeds.html").write_text("report")
    manifest = {"reports": {"383": {"file": "2025/leeds.html"}}}
    page = index_page(
        k_page.bundle,
        k_page.table,
        manifest,
        out_dir=out,
        year=2025,
        comparator="sn2025",
        groups={},
    )
    soup = BeautifulSoup(page, "html.parser")
    heads = [b.get_text(" ", strip=True) for b in soup.select("#authorities thead button")]
    assert any(h.startswith(OUTCOME_LABELS["three_plus"]) for h in heads), heads
    assert any(h.startswith(OUTCOME_LABELS["eet_19_21"]) for h in heads), heads
    (row,) = soup.select("#authorities tbody tr")
    cells = row.select("td.num")
    assert len(cells) == len(indicators.index_columns()) == 8
    shown = k_page.table.filter(
        (pl.col("la_code") == "383")
        & (pl.col("year") == 2025)
        & (pl.col("indicator") == "cla_3plus_placements_rate")
    )["value"].item()
    assert cells[6].get_text().startswith(f"{shown:.0f}%")
    assert cells[7].get_text().startswith("k")  # the hand-made k, never 0


def test_the_partner_finder_takes_the_outcome_ids(k_page) -> None:
    from benchmarks import partners

    ids = ("cla_3plus_placements_rate", "care_leavers_eet_19_21_rate", "sw_turnover_rate")
    found = partners.find_partners(k_page.bundle, "Leeds", indicators=ids, min_features=2)
    assert found.schema == partners.PARTNERS_SCHEMA
    assert found.height > 0
    assert (found["then_year"] >= 2021).all()  # the outcome files start in 2021
    # the reasons quote the outcome figures; Leeds's k (2025) is left out, never read as 0%
    assert any("with 3 or more placements in the year" in r for r in found["reason"])
    assert not any("against 0%" in r for r in found["reason"])
    method = partners.finder_method(ids, min_features=2)
    assert indicators.get("care_leavers_eet_19_21_rate").label.lower() in method


def test_profile_takes_the_outcome_ids(k_page) -> None:
    from benchmarks import profile

    ids = ["cla_3plus_placements_rate", "af_neglect_per_10k"]
    table = profile(k_page.bundle, indicators=ids)
    assert set(table["indicator"]) == set(ids)
    assert set(table["year"]) == {2025}
    assert table.group_by("indicator").agg(pl.col("n").sum())["n"].min() > 100


# ------------------------------------------------------------------ Leeds, published data


@pytest.fixture(scope="module")
def leeds(published: Path, home: Path):
    from benchmarks.reports import authority_page

    return authority_page("Leeds", data_dir=published)


@pytest.mark.published
@pytest.mark.slow
def test_leeds_outcomes_show_the_published_figures(leeds) -> None:
    found = blocks(str(leeds.outcomes()))
    for key, value in (("three_plus", "13%"), ("eet_19_21", "46%"), ("suitable_19_21", "81%")):
        assert found[OUTCOME_LABELS[key]]["text"].startswith(f"2025: Leeds {value}; "), key
        assert found[OUTCOME_LABELS[key]]["tables"], key
    eet = column(found[OUTCOME_LABELS["eet_19_21"]]["tables"][0], "Leeds")
    assert (eet["2024"], eet["2025"]) == ("51", "46")
    headline = BeautifulSoup(str(leeds.headline()), "html.parser")
    tiles = {
        t.h3.get_text(): t.select_one(".bm-tile-value").get_text()
        for t in headline.select(".bm-tile")
    }
    assert tiles[OUTCOME_LABELS["three_plus"]] == "13%"
    assert tiles[OUTCOME_LABELS["eet_19_21"]] == "46%"


@pytest.mark.published
@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(600)
def test_leeds_report_on_the_published_data_draws_every_chart(
    published: Path, home: Path, tmp_path: Path
) -> None:
    import browser_support
    from benchmarks import render

    browser_support.browser_binaries()
    report = render.render_report("Leeds", data_dir=published, out_dir=home / "reports")
    html = report.read_text(encoding="utf-8")
    section = html[html.index('id="outcomes"') : html.index('id="compares"')]
    assert section.count('class="bm-chart"') == 24  # 12 indicators: trend and position
    assert "5. Outcomes for children" in section
    with browser_support.chrome(tmp_path / "profile") as driver:
        driver.get(report.as_uri())
        states = browser_support.wait_for_charts(driver, timeout=90)
    assert len(states) == html.count('class="bm-chart"') >= 54
    assert [s["id"] for s in states if not s["drawn"]] == []
    assert [s["id"] for s in states if s["failed"]] == []
