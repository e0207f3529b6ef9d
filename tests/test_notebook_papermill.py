"""The report notebook under papermill: its parameters contract and a parameterised run."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import papermill
import pytest

from benchmarks import render
from benchmarks.components import METADATA_KEY
from report_support import benchmarks_home

ROOT = Path(__file__).resolve().parents[1]


def test_inspected_parameters_match_what_render_report_passes() -> None:
    inspected = papermill.inspect_notebook(str(render.NOTEBOOK))
    passed = render.report_parameters("Leeds")
    assert list(inspected) == list(passed) == ["la", "year", "comparator", "data_dir", "groups_file"]
    # ... with the types and defaults render_report relies on
    assert {name: p["inferred_type_name"] for name, p in inspected.items()} == {
        "la": "str",
        "year": "int",
        "comparator": "str",
        "data_dir": "str",
        "groups_file": "str",
    }
    assert {name: p["default"] for name, p in inspected.items()} == {
        "la": '"Leeds"',
        "year": "0",  # 0 = the latest year
        "comparator": '"sn2025"',
        "data_dir": '""',  # "" = the resolution order in benchmarks.datadir
        "groups_file": '""',  # "" = the shipped example partnership groups
    }
    assert all(p["help"] for p in inspected.values())  # every parameter has a comment


def test_render_report_signature_is_what_the_cli_calls() -> None:
    signature = inspect.signature(render.render_report)
    assert list(signature.parameters) == [
        "la", "year", "comparator", "data_dir", "out_dir", "groups_file"
    ]  # fmt: skip
    assert signature.parameters["groups_file"].default is None
    assert signature.parameters["comparator"].default == "sn2025"
    assert signature.parameters["year"].default is None
    assert signature.parameters["data_dir"].default is None
    assert signature.parameters["out_dir"].default == Path("reports")


@pytest.mark.slow
def test_papermill_runs_the_notebook_with_parameters(tmp_path: Path) -> None:
    from benchmarks import demo

    with benchmarks_home(tmp_path):
        data = demo.write_demo(tmp_path / "demo")
        params = {"la": "383", "year": 2024, "comparator": "region", "data_dir": str(data)}
        nb = papermill.execute_notebook(
            str(render.NOTEBOOK),
            str(tmp_path / "out.ipynb"),
            parameters=params,
            kernel_name="python3",
            progress_bar=False,
        )
    assert nb.metadata.papermill.parameters == params
    tags = [cell.metadata.get("tags", []) for cell in nb.cells]
    assert "parameters" in tags[0] and "injected-parameters" in tags[1]
    assert 'la = "383"' in nb.cells[1].source and "year = 2024" in nb.cells[1].source
    info = render.report_info(nb)
    assert (info["la_code"], info["la_name"], info["year"], info["comparator"]) == (
        "383",
        "Leeds",
        2024,
        "region",
    )
    assert info["demo"] is True
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    assert (tmp_path / "out.ipynb").exists()
    # One cell shows the whole report as one output: every section, in reading order.
    (output,) = nb.cells[2].outputs
    assert METADATA_KEY in output.metadata
    # ... and as text, only what was chosen (not the data and every section again)
    assert output.data["text/plain"].startswith("Page(Choice(la_code='383', la_name='Leeds',")
    assert len(output.data["text/plain"]) < 1000
    page = output.data["text/html"]
    anchors = ["headline", "inspections", "workforce", "demand", "outcomes", "compares", "notes"]
    at = [page.index(f'<h2 id="{anchor}">') for anchor in anchors]
    assert at == sorted(at)
    assert page.index("Children&#x27;s social care benchmarks: Leeds, 2024") < at[0]


@pytest.mark.slow
def test_nbval_lax_passes_on_a_fresh_machine(tmp_path: Path) -> None:
    """`pytest --nbval-lax notebooks/` with an empty BENCHMARKS_HOME: the default
    parameters generate the demonstration data on demand."""
    env = {**os.environ, "BENCHMARKS_HOME": str(tmp_path / "fresh-home")}
    env.pop("BENCHMARKS_DATA", None)
    result = subprocess.run(  # noqa: S603 - our own interpreter and test runner
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--nbval-lax",
            "notebooks/",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    cells = sum(  # every code cell of every notebook is one nbval item
        c["cell_type"] == "code"
        for nb in (ROOT / "notebooks").glob("*.ipynb")
        for c in json.loads(nb.read_text(encoding="utf-8"))["cells"]
    )
    # the authority report's cells, the partnership report's and the exploration's
    assert cells == 2 + 2 + 11
    assert f"{cells} passed" in result.stdout
    assert (tmp_path / "fresh-home" / "demo").is_dir()
