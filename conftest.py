"""Test-session setup shared by tests/ and the nbval run of notebooks/.

Every test session works in a private BENCHMARKS_HOME, so tests (and notebook kernels,
which inherit the environment) never write demo data or caches into the working tree.

Under CI (the environment variable CI set to true, as CI services and `.ci/run` do), a
skipped test is a failed test: a skip in CI hides a failure (a missing browser, driver
or data folder). Expected failures (xfail) are not skips and stay as they are.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Generator
from typing import Any

import pytest

_created: list[str] = []


def in_ci() -> bool:
    """True when the environment says this is a CI run (CI=true, 1 or yes)."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def pytest_configure(config: object) -> None:
    if "BENCHMARKS_HOME" not in os.environ:
        home = tempfile.mkdtemp(prefix="benchmarks-test-home-")
        _created.append(home)
        os.environ["BENCHMARKS_HOME"] = home


def pytest_unconfigure(config: object) -> None:
    for home in _created:
        shutil.rmtree(home, ignore_errors=True)


def _skip_reason(longrepr: Any) -> str:
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # (path, line, "Skipped: why")
        return str(longrepr[2])
    return str(longrepr)


def _fail_skip_in_ci(report: pytest.TestReport | pytest.CollectReport) -> None:
    if report.skipped and in_ci() and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = (
            f"{_skip_reason(report.longrepr)}\n"
            "A skip under CI=true is a failure: in CI a skipped test hides a failure."
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator:
    outcome = yield
    _fail_skip_in_ci(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator:
    outcome = yield
    _fail_skip_in_ci(outcome.get_result())
