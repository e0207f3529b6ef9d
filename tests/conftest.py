"""Shared fixtures. Real published files are read from ../shared/data/published."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = Path(os.environ.get("BENCHMARKS_PUBLISHED", ROOT.parent / "shared" / "data" / "published"))


@pytest.fixture(scope="session")
def published() -> Path:
    """The real published files. Missing in CI is a failure, never a skip."""
    if not (PUBLISHED / "MANIFEST.md").exists():
        if os.environ.get("CI"):
            pytest.fail(f"published data folder {PUBLISHED} is missing in CI")
        pytest.skip(f"published data folder {PUBLISHED} not present")
    return PUBLISHED
