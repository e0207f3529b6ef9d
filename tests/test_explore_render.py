"""The exploration notebook rendered to one offline page, and every chart drawn in a browser."""

from __future__ import annotations

import re
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


def test_in_jupyterlab_every_chart_is_an_offline_widget(demo_dir: Path, home: Path) -> None:
    """Run as JupyterLab runs it (a kernel, no offline renderer), the notebook shows each
    chart as altair's JupyterChart widget whose JavaScript is bundled (vl-convert), not a
    script loading Vega from a CDN."""
    import json
    import os

    import nbformat
    from nbclient import NotebookClient

    from benchmarks.render import notebook_path
    from report_support import benchmarks_home

    nb = nbformat.read(notebook_path("explore.ipynb"), as_version=4)
    parameters = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    parameters.source += f"\ndata_dir = {json.dumps(str(demo_dir))}"
    with benchmarks_home(home):
        NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": os.getcwd()}}
        ).execute()
    bundles = [o.get("data", {}) for c in nb.cells for o in c.get("outputs", [])]
    widgets = [b for b in bundles if "application/vnd.jupyter.widget-view+json" in b]
    assert len(widgets) >= 5  # trend, funnel, relation, and the strips by grade and leadership
    html = " ".join(str(b.get("text/html", "")) for b in bundles)
    assert "cdn.jsdelivr" not in html and "vega@" not in html
    # The widgets' code, as the kernel sent it: bundled, importing nothing from the web.
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    code = [m["state"]["_esm"] for m in state.values() if "_esm" in m.get("state", {})]
    assert len(code) == len(widgets)
    for esm in code:
        assert not re.search(r"""(from|import)\s*\(?\s*["']https?://""", esm)
        assert "vegaEmbed" in esm or "vega-embed" in esm
