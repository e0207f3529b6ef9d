"""A report can compare an authority with a named group from the user's own TOML file."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import demo, render
from benchmarks.cli import main


@pytest.mark.timeout(240)
def test_report_with_a_user_groups_file(tmp_path: Path) -> None:
    data = demo.write_demo(tmp_path / "demo")
    groups = tmp_path / "groups.toml"
    groups.write_text('[groups."Pennine Pals"]\nmembers = ["Leeds", "Calderdale", "Oldham"]\n')
    code = main(
        [
            "report", "--la", "Leeds", "--comparator", "Pennine Pals", "--groups-file", str(groups),
            "--data-dir", str(data), "--out", str(tmp_path / "out"),
        ]
    )  # fmt: skip
    assert code == 0
    page = next((tmp_path / "out").rglob("leeds.html")).read_text(encoding="utf-8")
    assert "compared with the other Pennine Pals authorities" in page
    # The parameters the notebook received name the file, as an absolute path.
    params = render.report_parameters("Leeds", comparator="Pennine Pals", groups_file=groups)
    assert params["groups_file"] == str(groups.resolve())


def test_a_group_missing_from_the_shipped_example_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = demo.write_demo(tmp_path / "demo")
    code = main(
        [
            "report",
            "--la",
            "Leeds",
            "--comparator",
            "Pennine Pals",
            "--data-dir",
            str(data),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "Pennine Pals" in err and "cell" in err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.html"))
