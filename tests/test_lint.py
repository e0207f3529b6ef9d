"""The code stays clean: ruff over everything we ship and mypy over the library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_finds_nothing() -> None:
    result = run(
        "ruff", "check", "src", "tests", "bench", "scripts", "notebooks", "tasks.py", "conftest.py"
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.timeout(600)
def test_mypy_finds_nothing_in_the_library() -> None:
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
