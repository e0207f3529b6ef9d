"""The exploration notebook rendered to one offline page, and every chart drawn in a browser."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from benchmarks import render
from browser_support import chrome, wait_for_charts
from report_support import external_references, vega_bundles

pytestmark = pytest.mark.slow

#: trend, funnel, two indicators, then the five workforce indicators by grade and by leadership
CHARTS = 1 + 1 + 1 + 5 + 5


@pytest.fixture(scope="module")
def page(demo_dir: Path, home: Path) -> Path:
    return render.render_explore("Leeds", data_dir=demo_dir, out_dir=home / "reports")


def test_page_is_one_offline_file_with_every_step(page: Path, home: Path) -> None:
    assert page == home / "reports" / "explore" / "leeds.html"
    text = page.read_text(encoding="utf-8")
    assert external_references(text) == []
    assert vega_bundles(text) == 1
    soup = BeautifulSoup(text, "html.parser")
    assert "(demonstration data)" in soup.title.get_text()
    assert soup.select_one(".bm-demo-banner") is not None
    headings = [h.get_text() for h in soup.select("h2")]
    for step in ("1. Load the data", "3. The comparison table", "5. Funnel plot",
                 "6. How two indicators relate", "8. Export any result"):  # fmt: skip
        assert any(h.startswith(step) for h in headings), headings
    assert soup.select("a.anchor-link") == []  # no empty links on the headings
    charts = soup.select("div.bm-chart")
    assert len(charts) == CHARTS and len({c["id"] for c in charts}) == CHARTS
    assert len(soup.select("figure details table.bm-data")) == CHARTS
    assert len(soup.select("div.bm-controls")) == 2  # the funnel's and the scatter's dropdowns
    assert soup.select("pre") == [] or not any("Traceback" in p.get_text() for p in soup("pre"))
    assert (home / "exports" / "383" / "exploration.xlsx").is_file()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chrome(tmp_path_factory.mktemp("explore-profile")) as driver:
        yield driver


@pytest.mark.browser
def test_every_chart_draws_and_the_dropdown_moves_the_highlight(page: Path, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(page.as_uri())
    states = wait_for_charts(browser)
    assert len(states) == CHARTS
    assert [s["id"] for s in states if not s["drawn"] or s["failed"] or s["text"]] == []
    selects = browser.find_elements(By.CSS_SELECTOR, ".bm-controls select")
    assert [Select(s).first_selected_option.text for s in selects] == ["Leeds", "Leeds"]
    funnel = browser.find_elements(By.CSS_SELECTOR, "figure.bm-figure")[1]
    label = funnel.find_element(By.CSS_SELECTOR, ".bm-controls label")
    assert label.text.startswith("Highlight an authority")

    def names_drawn() -> str:
        return funnel.find_element(By.CSS_SELECTOR, ".bm-chart svg").get_attribute("innerHTML")

    assert ">Leeds<" in names_drawn()
    Select(funnel.find_element(By.CSS_SELECTOR, "select")).select_by_visible_text("Camden")
    deadline = time.monotonic() + 10
    while ">Camden<" not in names_drawn() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert ">Camden<" in names_drawn() and ">Leeds<" not in names_drawn()
