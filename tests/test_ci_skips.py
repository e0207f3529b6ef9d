"""Under CI=true a skipped test fails the run; elsewhere a skip stays a skip."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
TESTS = """
import pytest

def test_skipped_inside():
    pytest.skip("no chromedriver")

@pytest.mark.skipif(True, reason="marked skip")
def test_marked():
    pass

@pytest.fixture
def browser():
    pytest.skip("no browser")

def test_fixture_skip(browser):
    pass

@pytest.mark.xfail(reason="known", strict=True)
def test_expected_failure():
    assert False

def test_passes():
    pass
"""


@pytest.fixture(autouse=True)
def no_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """The inner runs need no installed plugins (loading them all takes seconds)."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest((ROOT / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(test_things=TESTS)
    return pytester


@pytest.mark.parametrize("value", ["true", "1"])
def test_every_skip_fails_under_ci(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("CI", value)
    result = project.runpytest("-p", "no:cacheprovider")
    # a skip while setting up (skipif mark, fixture) fails as an error, one in the test as a failure
    result.assert_outcomes(passed=1, failed=1, errors=2, xfailed=1)
    result.stdout.fnmatch_lines(["*no chromedriver*", "*A skip under CI=true is a failure*"])
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_a_module_level_skip_fails_under_ci(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    pytester.makeconftest((ROOT / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(test_mod='import pytest\npytest.importorskip("no_such_module_here")\n')
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret != pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*no_such_module_here*"])


@pytest.mark.parametrize("value", [None, "false"])
def test_skips_stay_skips_outside_ci(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    result = project.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, skipped=3, xfailed=1)
    assert result.ret == pytest.ExitCode.OK
