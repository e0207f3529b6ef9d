"""Test-session setup shared by tests/ and the nbval run of notebooks/.

Every test session works in a private BENCHMARKS_HOME, so tests (and notebook kernels,
which inherit the environment) never write demo data or caches into the working tree.
"""

from __future__ import annotations

import os
import shutil
import tempfile

_created: list[str] = []


def pytest_configure(config: object) -> None:
    if "BENCHMARKS_HOME" not in os.environ:
        home = tempfile.mkdtemp(prefix="benchmarks-test-home-")
        _created.append(home)
        os.environ["BENCHMARKS_HOME"] = home


def pytest_unconfigure(config: object) -> None:
    for home in _created:
        shutil.rmtree(home, ignore_errors=True)
