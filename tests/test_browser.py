"""A rendered report in a real browser with no network: every chart draws.

Debian's chromium and chromedriver (`.ci/run` and `tasks.py test` install the `chromium`
and `chromium-driver` packages). Missing under CI=true is a failure; elsewhere the test is
skipped with the reason (and the root conftest fails every skip under CI anyway).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from benchmarks import render
from report_support import benchmarks_home

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOTS = ROOT / "reports" / "screenshots"
#: Headless, offline: every name resolves nowhere and any proxy use goes to a dead port.
CHROMIUM_ARGUMENTS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
    "--window-size=1100,1400",
]
NETWORK_SCHEMES = {"http", "https", "ws", "wss", "ftp"}
#: Per chart: did it draw (an SVG or canvas), and any error text outside the drawing.
CHART_STATE = """
return Array.from(document.querySelectorAll('div.bm-chart')).map(function (el) {
  var copy = el.cloneNode(true);
  copy.querySelectorAll('svg, canvas').forEach(function (d) { d.remove(); });
  return {id: el.id, drawn: !!el.querySelector('svg, canvas'),
          failed: el.classList.contains('bm-chart-error'), text: copy.textContent.trim()};
});
"""


@pytest.fixture(scope="module")
def browser_binaries() -> tuple[str, str]:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        message = (
            f"chromium/chromedriver not installed ({', '.join(missing)}); "
            "apt-get install chromium chromium-driver"
        )
        if os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM, CHROMEDRIVER


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from benchmarks import demo

    home = tmp_path_factory.mktemp("browser-home")
    with benchmarks_home(home):
        data = demo.write_demo(home / "demo")
        return render.render_report("Leeds", data_dir=data, out_dir=home / "reports")


@pytest.fixture
def driver(browser_binaries: tuple[str, str], tmp_path: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser_binaries[0]
    for argument in [*CHROMIUM_ARGUMENTS, f"--user-data-dir={tmp_path / 'profile'}"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    chrome = webdriver.Chrome(service=Service(browser_binaries[1]), options=options)
    try:
        yield chrome
    finally:
        chrome.quit()


def wait_for_charts(driver, timeout: float = 30.0) -> list[dict]:
    """Chart states once every chart has drawn or failed (or the time is up)."""
    deadline = time.monotonic() + timeout
    while True:
        states = driver.execute_script(CHART_STATE)
        settled = all(s["drawn"] or s["failed"] or s["text"] for s in states)
        if (states and settled) or time.monotonic() > deadline:
            return states
        time.sleep(0.2)


def test_every_chart_draws_offline(driver, report: Path, tmp_path: Path) -> None:
    driver.get(report.as_uri())
    states = wait_for_charts(driver)
    assert len(states) == 30
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
