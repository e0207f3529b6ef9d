"""Accessibility, audited in a real browser: axe-core's WCAG 2.0/2.1 A and AA rules find
nothing on each page we publish, and every control works from the keyboard.

Pages come from the demonstration data (a pack of two authorities in two regions: the
authority report and the pack index). A page that is added later (the partnership report,
the exploration HTML) is one fixture returning its path and one line in `PAGES`.
The audit can fail: `test_the_audit_finds_known_violations` shows it on a page built
to break the rules. See docs/accessibility.md for what a person should still check.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from browser_support import axe_audit, chrome, wait_for_charts
from report_support import benchmarks_home

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: The pack: two authorities in different regions, so the region filter has work to do.
LAS = ("Leeds", "Camden")

#: Each page we publish, by the fixture that renders it.
PAGES = [
    pytest.param("authority_report", id="authority-report"),
    pytest.param("pack_index", id="pack-index"),
    pytest.param("partnership_report", id="partnership-report"),
    pytest.param("explore_page", id="explore-page"),
]


@pytest.fixture(scope="module")
def pack_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pack of `LAS` from demonstration data: the reports and the index page."""
    from benchmarks import demo, packs

    home = tmp_path_factory.mktemp("a11y-home")
    with benchmarks_home(home):
        data = demo.write_demo(home / "demo")
        result = packs.run_pack(
            packs.Selection(las=LAS),
            packs.PackOptions(out_dir=home / "reports", data_dir=data, workers=1),
        )
    assert result.index is not None and not result.failed
    return result.folder


@pytest.fixture(scope="module")
def authority_report(pack_folder: Path) -> Path:
    return pack_folder / "leeds.html"


@pytest.fixture(scope="module")
def pack_index(pack_folder: Path) -> Path:
    return pack_folder / "index.html"


@pytest.fixture(scope="module")
def partnership_report(pack_folder: Path) -> Path:
    """West Yorkshire with Bradford as focus, from the pack's demonstration data."""
    from benchmarks.packs.partnerships import render_partnership

    home = pack_folder.parents[1]
    with benchmarks_home(home):
        return render_partnership(
            "West Yorkshire", focus="Bradford", data_dir=home / "demo", out_dir=home / "reports"
        )


@pytest.fixture(scope="module")
def explore_page(pack_folder: Path) -> Path:
    """The exploration notebook rendered for Leeds from the pack's demonstration data."""
    from benchmarks import render

    home = pack_folder.parents[1]
    with benchmarks_home(home):
        return render.render_explore("Leeds", data_dir=home / "demo", out_dir=home / "reports")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    with chrome(tmp_path_factory.mktemp("a11y-profile")) as driver:
        yield driver


def open_page(driver: Any, page: Path) -> None:
    """Load `page` and, if it has charts, wait until every one has drawn."""
    driver.get(page.as_uri())
    if driver.execute_script("return document.querySelectorAll('div.bm-chart').length"):
        states = wait_for_charts(driver)
        assert [s["id"] for s in states if not s["drawn"]] == []


# ------------------------------------------------------------------ the axe audit


@pytest.mark.parametrize("page_fixture", PAGES)
def test_page_has_no_wcag_a_or_aa_violations(
    page_fixture: str, request: pytest.FixtureRequest, browser: Any
) -> None:
    open_page(browser, request.getfixturevalue(page_fixture))
    audit = axe_audit(browser)
    assert audit.violations == [], audit.report()


def test_the_audit_finds_known_violations(tmp_path: Path, browser: Any, pack_folder: Path) -> None:
    """A page with an image without alt text, grey-on-white text at 2.3:1, and a Vega chart
    drawn without the report's wrapper and theme (the SVG roles axe rejected before the fix);
    the audit names each rule, and nothing else."""
    import vl_convert

    bundle = _vega_bundle(pack_folder / "leeds.html")
    spec = {
        "data": {"values": [{"x": 1, "y": 2}, {"x": 2, "y": 3}]},
        "mark": "point",
        "encoding": {"x": {"field": "x", "type": "quantitative"}},
    }
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Broken</title>'
        f"<script>{bundle}</script></head><body><main><h1>Broken on purpose</h1>"
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="20" height="20">'
        '<p style="color:#AAAAAA;background:#FFFFFF">Pale text, 2.3 to 1.</p>'
        '<div id="bare"></div><script>bmDraw(document.getElementById("bare"), '
        f"{json.dumps(vl_convert.vegalite_to_vega(spec))});"
        "</script></main></body></html>",
        encoding="utf-8",
    )
    browser.get(page.as_uri())
    wait_for_svg(browser, "#bare")
    found = axe_audit(browser).rules()
    assert set(found) == {"image-alt", "color-contrast", "aria-roles", "aria-valid-attr"}, found
    assert found["image-alt"] == 1 and found["color-contrast"] == 1


def _vega_bundle(report: Path) -> str:
    """The Vega bundle as a report inlines it (the script that defines bmDraw)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(report.read_text(encoding="utf-8"), "html.parser")
    scripts = [s.string for s in soup.find_all("script") if "window.bmDraw=" in (s.string or "")]
    assert len(scripts) == 1
    return str(scripts[0])


def wait_for_svg(driver: Any, selector: str, timeout: float = 20.0) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script(f"return !!document.querySelector('{selector} svg')")
    )


# ------------------------------------------------------------------ charts as images


def test_every_chart_is_one_labelled_image_with_its_drawing_hidden(
    browser: Any, authority_report: Path
) -> None:
    open_page(browser, authority_report)
    found = browser.execute_script(
        """
return Array.from(document.querySelectorAll('figure.bm-figure')).map(function (f) {
  var chart = f.querySelector('div.bm-chart'), drawing = chart.querySelector('.bm-vega');
  var svg = drawing && drawing.querySelector('svg');
  return {role: chart.getAttribute('role'), label: chart.getAttribute('aria-label') || '',
          hidden: drawing && drawing.getAttribute('aria-hidden'), svg: !!svg,
          summary: (f.querySelector('details > summary') || {}).textContent || ''};
});"""
    )
    assert len(found) == 1 + 2 * (5 + 9 + 12) + 1  # timeline, trend + position per indicator, starters
    for chart in found:
        assert chart["role"] == "img" and chart["hidden"] == "true" and chart["svg"], chart
        assert chart["summary"].startswith("View as table: "), chart
        # a sentence, not just a title: it says what kind of chart and where the figures are
        assert chart["label"].endswith("in the table below."), chart
    labels = [c["label"] for c in found]
    assert labels[0].startswith("Timeline of Ofsted inspections and visits of Leeds: ")
    assert any(
        label.startswith("Line chart of Social worker turnover (%) by year for Leeds, ")
        for label in labels
    )
    assert any(label.startswith("Strip chart of Social worker turnover (%)") for label in labels)


# ------------------------------------------------------------------ keyboard

ACTIVE = """
var a = document.activeElement, th = a.closest && a.closest('th'), f = a.closest && a.closest('figure');
return {tag: a.tagName.toLowerCase(), id: a.id || '', text: (a.textContent || '').trim().slice(0, 80),
        column: th ? th.cellIndex : null,
        chart: a.tagName === 'SUMMARY' && f ? f.querySelector('div.bm-chart').id : null};
"""


def press(driver: Any, *keys: str) -> dict[str, Any]:
    """Press `keys` on whatever has focus; returns the element that has focus after."""
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(*keys).perform()
    return driver.execute_script(ACTIVE)


def tab_through(driver: Any, limit: int = 400) -> list[dict[str, Any]]:
    """Every element Tab reaches from the top of the page, in order (once round)."""
    from selenium.webdriver.common.keys import Keys

    driver.execute_script(
        "document.activeElement && document.activeElement.blur(); window.focus();"
    )
    stops: list[dict[str, Any]] = []
    for _ in range(limit):
        now = press(driver, Keys.TAB)
        if now["tag"] == "body" or (stops and now == stops[0]):
            return stops
        stops.append(now)
    raise AssertionError(f"Tab went on past {limit} stops")


def visible_rows(driver: Any) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#authorities tbody tr'))"
        ".filter(function (r) { return !r.hidden; }).map(function (r) { return r.dataset.name; });"
    )


def test_index_filters_and_sort_headers_work_from_the_keyboard(
    browser: Any, pack_index: Path
) -> None:
    from selenium.webdriver.common.keys import Keys

    open_page(browser, pack_index)
    stops = tab_through(browser)
    ids = [s["id"] for s in stops]
    assert ids.index("filter-region") < ids.index("filter-group") < ids.index("filter-name")
    headers = browser.execute_script(
        "return Array.from(document.querySelectorAll('#authorities thead th')).length"
    )
    sort_buttons = [s["column"] for s in stops if s["tag"] == "button"]
    assert sort_buttons == list(range(headers))  # every column's sort button, left to right
    assert sum(s["tag"] == "a" for s in stops) >= len(LAS)  # each report's link

    # Sort: Enter on "Authority" sorts A-Z, Space then Z-A.
    browser.execute_script("document.querySelector('#authorities thead th button').focus()")
    press(browser, Keys.ENTER)
    assert visible_rows(browser) == ["Camden", "Leeds"]
    assert (
        browser.execute_script(
            "return document.querySelector('#authorities thead th').getAttribute('aria-sort')"
        )
        == "ascending"
    )
    press(browser, Keys.SPACE)
    assert visible_rows(browser) == ["Leeds", "Camden"]

    # Filters: type into the name box; choose a region with the arrow keys.
    browser.execute_script("document.getElementById('filter-name').focus()")
    press(browser, "lee")
    assert visible_rows(browser) == ["Leeds"]
    assert browser.find_element("id", "shown").text == "1"
    press(browser, Keys.BACKSPACE, Keys.BACKSPACE, Keys.BACKSPACE)
    assert sorted(visible_rows(browser)) == ["Camden", "Leeds"]
    browser.execute_script("document.getElementById('filter-region').focus()")
    press(browser, Keys.ARROW_DOWN)  # the first region after "All regions": London
    assert (
        browser.execute_script("return document.getElementById('filter-region').value") == "London"
    )
    assert visible_rows(browser) == ["Camden"]


def test_report_view_as_table_opens_and_closes_from_the_keyboard(
    browser: Any, authority_report: Path
) -> None:
    from selenium.webdriver.common.keys import Keys

    open_page(browser, authority_report)
    charts_on_page = browser.execute_script(
        "return Array.from(document.querySelectorAll('div.bm-chart')).map(function (c) { return c.id; })"
    )
    stops = tab_through(browser)
    summaries = [s["chart"] for s in stops if s["tag"] == "summary"]
    assert summaries == charts_on_page  # each chart's "view as table", in page order
    is_open = "return document.activeElement.parentNode.open"
    for chart in charts_on_page[:3] + charts_on_page[-1:]:
        browser.execute_script(
            f"document.getElementById('{chart}').parentNode.querySelector('summary').focus()"
        )
        press(browser, Keys.ENTER)
        assert browser.execute_script(is_open) is True, chart
        press(browser, Keys.SPACE)
        assert browser.execute_script(is_open) is False, chart
