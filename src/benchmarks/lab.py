"""`benchmarks lab`: JupyterLab on the notebooks folder, with the data folder configured.

`lab_command(data_dir=, browser=)` says what would run (the command and its
environment: `BENCHMARKS_DATA` set to the data folder when one is given, so the server
and every kernel it starts load it); `run_lab` runs it in the foreground.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks.errors import BenchmarksError
from benchmarks.render import EXPLORE_NOTEBOOK, notebook_path


def notebooks_folder() -> Path:
    """The notebooks folder: `notebooks/` of a checkout, else the installed package's copy."""
    return notebook_path(EXPLORE_NOTEBOOK).parent


def lab_command(
    *, data_dir: str | Path | None = None, browser: bool = True, extra: Sequence[str] = ()
) -> tuple[list[str], dict[str, str]]:
    """The JupyterLab command line (`extra` options last) and the environment to run it with."""
    env = dict(os.environ)
    if data_dir is not None:
        folder = Path(data_dir).expanduser().resolve()
        if not folder.is_dir():
            raise BenchmarksError(f"no data folder at {folder}")
        env["BENCHMARKS_DATA"] = str(folder)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={notebooks_folder()}",
    ]
    if not browser:
        command.append("--no-browser")
    return [*command, *extra], env


def run_lab(
    *, data_dir: str | Path | None = None, browser: bool = True, extra: Sequence[str] = ()
) -> int:
    """Run JupyterLab until it stops; returns its exit code."""
    command, env = lab_command(data_dir=data_dir, browser=browser, extra=extra)
    try:
        return subprocess.call(command, env=env)
    except OSError as exc:
        raise BenchmarksError(f"cannot start JupyterLab: {exc}") from None
