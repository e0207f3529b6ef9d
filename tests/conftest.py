"""Shared fixtures. Real published files are read from ../shared/data/published."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from report_support import benchmarks_home

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = Path(
    os.environ.get("BENCHMARKS_PUBLISHED", ROOT.parent / "shared" / "data" / "published")
)


@pytest.fixture(scope="session")
def published() -> Path:
    """The real published files. Missing in CI is a failure, never a skip."""
    if not (PUBLISHED / "MANIFEST.md").exists():
        if os.environ.get("CI"):
            pytest.fail(f"published data folder {PUBLISHED} is missing in CI")
        pytest.skip(f"published data folder {PUBLISHED} not present")
    return PUBLISHED


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private BENCHMARKS_HOME for one test module (kernels started inside inherit it)."""
    with benchmarks_home(tmp_path_factory.mktemp("home")) as path:
        yield path


@pytest.fixture(scope="module")
def demo_dir(home: Path) -> Path:
    """The demonstration dataset, generated once per module inside `home`."""
    from benchmarks import demo

    return demo.write_demo(home / "demo")


@pytest.fixture(scope="module")
def published_bundle(published: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The bundle of the real published files, built once per module in a private home."""
    from benchmarks import panel

    with benchmarks_home(tmp_path_factory.mktemp("home")):
        return panel.load(published)
