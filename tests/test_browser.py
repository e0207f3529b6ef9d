"""A rendered report in a real browser with no network: every chart draws.

The browser is `browser_support.chrome` (headless, offline); missing in CI is a failure,
elsewhere the test is skipped with the reason.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

import browser_support
from benchmarks import render
from browser_support import chrome, wait_for_charts
from report_support import benchmarks_home

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "reports" / "screenshots"
NETWORK_SCHEMES = {"http", "https", "ws", "wss", "ftp"}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from benchmarks import demo

    home = tmp_path_factory.mktemp("browser-home")
    with benchmarks_home(home):
        data = demo.write_demo(home / "demo")
        return render.render_report("Leeds", data_dir=data, out_dir=home / "reports")


@pytest.fixture(scope="module")
def browser_binaries() -> tuple[str, str]:
    """Chromium's and chromedriver's paths (missing: a failure in CI, else a skip)."""
    return browser_support.browser_binaries()


@pytest.fixture
def driver(browser_binaries: tuple[str, str], tmp_path: Path):
    with chrome(tmp_path / "profile", log_network=True) as browser:
        yield browser


def test_every_chart_draws_offline(driver, report: Path, tmp_path: Path) -> None:
    driver.get(report.as_uri())
    states = wait_for_charts(driver)
    assert len(states) == 54  # 30 before the outcomes section: 12 blocks of 2 charts
    assert [s["id"] for s in states if not s["drawn"]] == []
    assert [s["id"] for s in states if s["failed"]] == []
    assert [s["text"] for s in states if s["text"]] == []  # no vega error text
    body = driver.find_element("tag name", "body").text
    assert "Chart failed to draw" not in body and "did not load" not in body
    # The page asked the network for nothing (chrome:// requests are the browser's own
    # start page, before the report loads).
    requested = [
        json.loads(entry["message"])["message"]["params"]["request"]["url"]
        for entry in driver.get_log("performance")
        if '"Network.requestWillBeSent"' in entry["message"]
    ]
    assert report.as_uri() in requested
    assert [url for url in requested if url.split(":", 1)[0] in NETWORK_SCHEMES] == []
    severe = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []
    # Screenshots of the top and of the workforce section, to look at.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, anchor in (("leeds-demo-top", None), ("leeds-demo-workforce", "workforce")):
        if anchor:
            driver.execute_script(f"document.getElementById('{anchor}').scrollIntoView()")
            time.sleep(0.3)
        shot = tmp_path / f"{name}.png"
        assert driver.save_screenshot(str(shot))
        assert shot.stat().st_size > 20_000  # a drawn page, not a blank one
        shutil.copy(shot, SCREENSHOTS / shot.name)


def test_comparison_table_columns_keep_their_look(driver, report: Path) -> None:
    # The authority's value column is bold and value, rank and change never wrap; the
    # other columns are neither (one CSS rule a column, `tables.COLUMN_CSS`).
    driver.get(report.as_uri())
    looks = driver.execute_script(
        """
        const out = {};
        for (const td of document.querySelectorAll('#cmp tbody td')) {
          const column = td.getAttribute('headers').split(' ').pop().replace('cmp-', '');
          const style = getComputedStyle(td);
          out[column] = [style.fontWeight, style.whiteSpace];
        }
        return out;
        """
    )
    assert looks["value"] == ["700", "nowrap"]
    assert looks["rank"][1] == looks["change"][1] == "nowrap"
    assert looks["comparator"] == looks["england"] == ["400", "normal"]
    assert looks["rank"][0] == looks["band"][0] == "400"
