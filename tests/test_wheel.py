"""A normal install renders: build the wheel, install it (not editable) in a fresh venv,
render a report from demonstration data with that venv's `benchmarks`.

No network: the wheel is built with this environment's setuptools (no build isolation,
no index), the venv gets pip from `ensurepip`, and it reaches the dependencies that are
already installed here through a .pth file added after the wheel is in (and a copy of
nbconvert's templates, which pip would have put in the venv's share/jupyter).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
#: What the wheel is built from, copied so no build/ or egg-info of the checkout gets in.
SOURCES = ("src", "notebooks", "pyproject.toml", "setup.py", "README.md")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def run(*cmd: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def clean_env(home: Path) -> dict[str, str]:
    """This environment without anything that points Python or the report at the checkout."""
    drop = {"PYTHONPATH", "PYTHONHOME", "BENCHMARKS_NOTEBOOK", "BENCHMARKS_DATA", "VIRTUAL_ENV"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["BENCHMARKS_HOME"] = str(home)
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; returns the venv folder."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".ipynb_checkpoints", "data")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            shutil.copy2(path, source / name)
    env = clean_env(tmp / "home")
    dist = tmp / "dist"
    pip_wheel = [sys.executable, "-m", "pip", "wheel", source, "--no-deps", "--no-index"]
    run(*pip_wheel, "--no-build-isolation", "-w", dist, cwd=tmp, env=env)
    (wheel,) = dist.glob("la_benchmarks-*.whl")

    target = tmp / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python = target / "bin" / "python"
    pip_install = [python, "-m", "pip", "install", "--no-deps", "--no-index"]
    run(*pip_install, "--disable-pip-version-check", "--quiet", wheel, cwd=tmp, env=env)
    # Only now the dependencies: this environment's site-packages, after the venv's own.
    site = Path(
        run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=tmp)
    )
    here = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(str(site).strip()) / "zz_test_dependencies.pth").write_text(
        "\n".join(sorted(here)) + "\n"
    )
    # Data files that installing the dependencies would have put in the venv: nbconvert's
    # templates (the report's template extends `lab`).
    templates = Path(sys.prefix) / "share" / "jupyter" / "nbconvert"
    shutil.copytree(templates, target / "share" / "jupyter" / "nbconvert")
    # The report kernel is this venv's Python, as the README's set-up registers it.
    kernel = [python, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3"]
    run(*kernel, cwd=tmp, env=env)
    return target


def test_the_wheel_carries_the_notebooks_and_the_type_marker(installed: Path) -> None:
    python = installed / "bin" / "python"
    code = (
        "import json, benchmarks, benchmarks.render as r, importlib.resources as res; "
        "print(json.dumps([benchmarks.__file__, str(r.NOTEBOOK), "
        "res.files('benchmarks').joinpath('py.typed').is_file(), "
        "[str(r.notebook_path(n)) for n in ('partnership_report.ipynb', 'explore.ipynb')]]))"
    )
    cwd = installed.parent
    package, notebook, typed, others = json.loads(
        run(python, "-c", code, cwd=cwd, env=clean_env(cwd))
    )
    prefix = installed.resolve()
    assert Path(package).resolve().is_relative_to(prefix), package  # the venv's, not src/
    assert not Path(package).resolve().is_relative_to(ROOT)
    assert Path(notebook).resolve().is_relative_to(prefix), notebook
    assert Path(notebook).name == "authority_report.ipynb" and Path(notebook).is_file()
    for other in others:  # the partnership report's and the exploration's notebooks too
        assert Path(other).resolve().is_relative_to(prefix) and Path(other).is_file(), other
    assert typed


def test_the_installed_command_renders_a_demo_report(installed: Path, tmp_path: Path) -> None:
    benchmarks = installed / "bin" / "benchmarks"
    env = clean_env(tmp_path / "home")
    kernel = json.loads(
        (installed / "share" / "jupyter" / "kernels" / "python3" / "kernel.json").read_text()
    )
    assert Path(kernel["argv"][0]).resolve().is_relative_to(installed.resolve())
    run(benchmarks, "demo-data", "--out", tmp_path / "demo", cwd=tmp_path, env=env)
    run(
        benchmarks,
        "report",
        "--la",
        "Leeds",
        "--data-dir",
        tmp_path / "demo",
        "--out",
        "out",
        cwd=tmp_path,
        env=env,
    )
    (page,) = (tmp_path / "out").glob("*/leeds.html")
    text = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ")
    assert "DEMONSTRATION DATA" in text
    assert "Leeds" in text
    # a pack: each worker renders in a process of its own, started from the installed package
    pack = ["report", "--la", "York", "--la", "Bradford", "--data-dir", tmp_path / "demo"]
    run(benchmarks, *pack, "--out", "pack", "--quiet", cwd=tmp_path, env=env)
    for name in ("york", "bradford"):
        (page,) = (tmp_path / "pack").glob(f"*/{name}.html")
        assert name.title() in page.read_text(encoding="utf-8")
