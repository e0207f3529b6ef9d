"""Headless, offline Chromium for the browser tests, and the axe-core accessibility audit.

Debian's chromium and chromedriver (`.ci/run` installs chromium); axe-core is the copy
bundled in the `axe-selenium-python` package. Missing in CI is a failure; elsewhere the
test is skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
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
#: Per chart: did it draw (an SVG or canvas), and any error text outside the drawing.
CHART_STATE = """
return Array.from(document.querySelectorAll('div.bm-chart')).map(function (el) {
  var copy = el.cloneNode(true);
  copy.querySelectorAll('svg, canvas').forEach(function (d) { d.remove(); });
  return {id: el.id, drawn: !!el.querySelector('svg, canvas'),
          failed: el.classList.contains('bm-chart-error'), text: copy.textContent.trim()};
});
"""

#: WCAG 2.0 and 2.1, levels A and AA (axe-core's rule tags).
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
#: Tags the engine must know, or the audit would check nothing of substance.
REQUIRED_TAGS = ("wcag2a", "wcag2aa")
#: Where axe-core cannot measure colour contrast, so `color-contrast` skips it: drawn
#: charts (SVG text; hidden from assistive technology, and the theme's colours are
#: tested by `theme.contrast_ratio`) and the contents of closed <details> (not rendered).
#: Every other rule audits these parts too.
CONTRAST_UNMEASURABLE = """
var found = [];
document.querySelectorAll('div.bm-chart[id]').forEach(function (el) {
  found.push(['#' + el.id + ' > .bm-vega']);
});
document.querySelectorAll('details[id]:not([open])').forEach(function (el) {
  found.push(['#' + el.id + ' > :not(summary)']);
});
return found;
"""
AXE_RUN = """
var done = arguments[arguments.length - 1];
axe.run(arguments[0], arguments[1]).then(
  function (r) { done({violations: r.violations}); },
  function (e) { done({error: String(e)}); });
"""


def browser_binaries() -> tuple[str, str]:
    """Chromium's and chromedriver's paths; missing: a failure in CI, else a skip."""
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


@contextmanager
def chrome(profile: Path, *, log_network: bool = False) -> Iterator[Any]:
    """A headless offline Chromium (a selenium driver) with its profile in `profile`."""
    binary, driver_path = browser_binaries()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in [*CHROMIUM_ARGUMENTS, f"--user-data-dir={profile}"]:
        options.add_argument(argument)
    if log_network:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for_charts(driver: Any, timeout: float = 30.0) -> list[dict]:
    """Chart states once every chart has drawn or failed (or the time is up)."""
    deadline = time.monotonic() + timeout
    while True:
        states = driver.execute_script(CHART_STATE)
        settled = all(s["drawn"] or s["failed"] or s["text"] for s in states)
        if (states and settled) or time.monotonic() > deadline:
            return states
        time.sleep(0.2)


# ------------------------------------------------------------------ axe-core


def axe_script() -> str:
    """axe-core's source, as bundled by axe-selenium-python."""
    from axe_selenium_python import axe

    return Path(axe._DEFAULT_SCRIPT).read_text(encoding="utf-8")


@dataclass
class Audit:
    """What an axe run found: the violations, and the rule tags it ran."""

    violations: list[dict[str, Any]]
    tags: list[str]

    def rules(self) -> dict[str, int]:
        """Violated rule id -> number of nodes."""
        return {v["id"]: len(v["nodes"]) for v in self.violations}

    def report(self, nodes: int = 5) -> str:
        """A readable list of the violations (the first few nodes of each)."""
        lines = [f"{len(self.violations)} axe violation(s) with tags {self.tags}:"]
        for v in self.violations:
            lines.append(f"- {v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}")
            for node in v["nodes"][:nodes]:
                lines.append(f"    {node['target']}: {node['html'][:160]}")
        return "\n".join(lines)


def axe_audit(driver: Any, tags: Sequence[str] = WCAG_TAGS, timeout: float = 600) -> Audit:
    """Run axe-core on the page open in `driver`, with the rules tagged `tags`.

    Tags this axe-core version has no rule for are left out (the bundled 3.x has no
    `wcag21a` rule); `wcag2a` and `wcag2aa` must be there. Two runs: every rule but
    `color-contrast` on the whole page, then `color-contrast` on what it can measure
    (see `CONTRAST_UNMEASURABLE`).
    """
    driver.set_script_timeout(timeout)
    driver.execute_script(axe_script())
    known = set(
        driver.execute_script(
            "return [].concat.apply([], axe.getRules().map(function (r) { return r.tags; }));"
        )
    )
    missing = [t for t in REQUIRED_TAGS if t not in known]
    assert not missing, f"this axe-core has no rules tagged {missing}"
    used = [t for t in tags if t in known]
    # Closed <details> get an id so the contrast run can leave their contents out.
    driver.execute_script(
        "document.querySelectorAll('details:not([id])').forEach(function (d, i) {"
        "  d.id = 'axe-details-' + i; });"
    )
    everything_else = {
        "runOnly": {"type": "tag", "values": used},
        "rules": {"color-contrast": {"enabled": False}},
    }
    contrast = {"runOnly": {"type": "rule", "values": ["color-contrast"]}}
    measurable = {"include": [["html"]], "exclude": driver.execute_script(CONTRAST_UNMEASURABLE)}
    violations: list[dict[str, Any]] = []
    for context, options in (({"include": [["html"]]}, everything_else), (measurable, contrast)):
        result = driver.execute_async_script(AXE_RUN, context, options)
        if "error" in result:
            raise RuntimeError(f"axe-core failed: {result['error']}")
        violations += result["violations"]
    return Audit(violations=violations, tags=used)
