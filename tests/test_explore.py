"""The exploration charts, helpers, notebook contract and the `explore` / `lab` commands.

Charts are tested through `to_dict()` (which validates the spec) on hand-made frames;
expected values are worked out from those frames by hand.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import altair as alt
import nbformat
import papermill
import polars as pl
import pytest

from benchmarks import cli, lab, render, theme
from benchmarks.charts import explore as charts
from benchmarks.reports import explore

IND = "sw_turnover_rate"


def comparison_rows() -> pl.DataFrame:
    """Four authorities' comparison rows for one indicator in 2024 and 2025.

    In 2025 Tinytown (901) is suppressed (`c`) and Bigcity has no funnel limits (no
    denominator); in 2024 nobody has limits.
    """
    return pl.DataFrame(
        {
            "la_code": ["901", "902", "903", "904"] * 2,
            "la_name": ["Tinytown", "Bigcity", "Smallton", "O'Hara & <Sons>"] * 2,
            "year": [2025] * 4 + [2024] * 4,
            "indicator": [IND] * 8,
            "value": [None, 20.0, 10.0, 15.0, 11.0, 12.0, 13.0, 14.0],
            "status": ["c", None, None, None, None, None, None, None],
            "england": [15.0] * 8,
            "band": [None, "D", "A", "B", "A", "B", "C", "D"],
            "funnel_position": [None, None, "below 95% limit", "within 95% limits"] + [None] * 4,
            "flags": [None, None, "small_denominator", None] + [None] * 4,
            "funnel95_low": [None, None, 11.0, 12.0] + [None] * 4,
            "funnel95_high": [None, None, 19.0, 18.0] + [None] * 4,
            "funnel998_low": [None, None, 8.0, 10.0] + [None] * 4,
            "funnel998_high": [None, None, 22.0, 20.0] + [None] * 4,
        },
        schema_overrides={"year": pl.Int32, "status": pl.String},
    )


def base_rows() -> pl.DataFrame:
    """`comparison.la_rows` shape: the denominators."""
    return pl.DataFrame(
        {
            "la_code": ["901", "902", "903", "904"],
            "indicator": [IND] * 4,
            "year": [2025] * 4,
            "n": [None, None, 40.0, 120.0],
        },
        schema_overrides={"year": pl.Int32, "n": pl.Float64},
    )


def layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec["layer"]


def pick_param(spec: dict[str, Any]) -> dict[str, Any]:
    [param] = [p for p in spec["params"] if p["name"] == charts.PICK]
    return param


# ------------------------------------------------------------------ funnel


def test_funnel_rows_take_the_latest_year_with_limits_and_the_denominator() -> None:
    rows = explore.funnel_rows(comparison_rows(), base_rows(), IND)
    assert rows["year"].unique().to_list() == [2025]  # 2024 has no limits
    assert dict(zip(rows["la_code"], rows["n"], strict=True)) == {
        "901": None,
        "902": None,
        "903": 40.0,
        "904": 120.0,
    }
    with pytest.raises(ValueError, match="no funnel limits"):
        explore.funnel_rows(comparison_rows().filter(pl.col("year") == 2024), base_rows(), IND)


def test_funnel_frame_keeps_suppressed_values_with_their_marker() -> None:
    rows = explore.funnel_rows(comparison_rows(), base_rows(), IND)
    frame = charts.funnel_frame(rows)
    assert frame.columns == [
        "name", "code", "value", "marker", "n", "england", "low95", "high95", "low998",
        "high998", "band", "position", "flags",
    ]  # fmt: skip
    tiny = frame.filter(pl.col("code") == "901").row(0, named=True)
    assert tiny["value"] is None and tiny["marker"] == "c"  # never 0, never dropped
    # ordered by denominator: 40 then 120, the two without one last
    assert frame["code"].to_list()[:2] == ["903", "904"]


def test_funnel_chart_spec() -> None:
    frame = charts.funnel_frame(explore.funnel_rows(comparison_rows(), base_rows(), IND))
    chart = charts.funnel_chart(frame, IND, la_name="Smallton", year=2025)
    spec = chart.to_dict()  # validates against the Vega-Lite schema
    marks = [layer["mark"]["type"] for layer in layers(spec)]
    assert marks == ["line", "rule", "point", "text"]
    limits, centre, points, label = layers(spec)
    assert limits["transform"][1]["fold"] == ["low95", "high95", "low998", "high998"]
    assert limits["encoding"]["color"]["scale"]["domain"] == ["95% limits", "99.8% limits"]
    assert centre["encoding"]["y"]["field"] == "england"
    assert points["encoding"]["x"]["field"] == "n" and points["encoding"]["y"]["field"] == "value"
    # the highlight follows the dropdown's selection (alt.when), not a fixed name
    for channel, picked in (("color", theme.NAVY), ("shape", "diamond"), ("size", 200)):
        [condition] = points["encoding"][channel]["condition"]
        assert condition["param"] == charts.PICK and condition["empty"] is False
        assert condition["value"] == picked
    tips = [t["field"] for t in points["encoding"]["tooltip"]]
    assert tips == ["name", "value", "n", "band", "position", "flags"]
    assert label["transform"] == [{"filter": {"param": charts.PICK, "empty": False}}]
    # the dropdown: every authority with a value, sorted, starting at the focal authority
    param = pick_param(spec)
    binding = param["bind"]["name"]
    assert binding["input"] == "select"
    assert binding["options"] == ["Bigcity", "O'Hara & <Sons>", "Smallton"]
    assert param["value"] == "Smallton"
    assert "Funnel plot" in spec["description"] and "Smallton" in spec["description"]
    assert spec["title"]["text"] == "Social worker turnover: funnel plot, 2025"


# ------------------------------------------------------------------ two indicators


def test_relation_frame_joins_grades_and_keeps_markers() -> None:
    rows = comparison_rows().filter(pl.col("year") == 2025)
    y_rows = rows.with_columns(pl.col("value") * 2, pl.col("indicator").replace(IND, "other"))
    grades = pl.DataFrame({"la_code": ["902", "903"], "grade": ["Outstanding", "Inadequate"]})
    frame = charts.relation_frame(rows, y_rows, grades)
    by_code = {r["code"]: r for r in frame.iter_rows(named=True)}
    assert by_code["902"]["x"] == 20.0 and by_code["902"]["y"] == 40.0
    assert by_code["902"]["grade"] == "Outstanding"
    assert by_code["904"]["grade"] == charts.NO_GRADE  # never graded: said, not dropped
    assert by_code["901"]["x"] is None and by_code["901"]["x_marker"] == "c"


def test_relation_chart_colours_and_shapes_by_grade() -> None:
    frame = pl.DataFrame(
        {
            "name": ["A", "B", "C"],
            "code": ["1", "2", "3"],
            "x": [1.0, 2.0, 3.0],
            "x_marker": [None, None, None],
            "y": [3.0, 2.0, 1.0],
            "y_marker": [None, None, None],
            "grade": ["Good", "Outstanding", charts.NO_GRADE],
        },
        schema_overrides={"x_marker": pl.String, "y_marker": pl.String},
    )
    spec = charts.relation_chart(
        frame, "sw_turnover_rate", "sw_agency_rate", la_name="B", year=2025
    ).to_dict()
    points = layers(spec)[0]
    domain = ["Outstanding", "Good", charts.NO_GRADE]  # grade order, only those present
    assert points["encoding"]["color"]["scale"] == {
        "domain": domain,
        "range": [theme.GRADE_COLOURS[g] for g in domain],
    }
    assert points["encoding"]["shape"]["scale"]["range"] == ["circle", "square", "cross"]
    assert points["encoding"]["size"]["condition"][0]["param"] == charts.PICK
    assert pick_param(spec)["value"] == "B"
    assert "coloured and shaped by its latest Ofsted grade" in spec["description"]


# ------------------------------------------------------------------ by group


def test_group_strip_frame_and_chart() -> None:
    rows = (
        comparison_rows()
        .filter(pl.col("year") == 2025)
        .select("la_code", "la_name", "value", "status")
    )
    groups = pl.DataFrame(
        {"la_code": ["901", "902", "903", "904"], "group": ["Good", "Good", "Inadequate", "Good"]}
    )
    # the profile of "Good": 902 and 904 have values (20, 15), 901 is suppressed
    stats = pl.DataFrame(
        {
            "group": ["Good", "Inadequate"],
            "n": [2, 1],
            "median": [17.5, 10.0],
            "q1": [16.25, 10.0],
            "q3": [18.75, 10.0],
        }
    )
    frame = charts.group_strip_frame(rows, groups, stats)
    assert frame.height == 4
    good = frame.filter(pl.col("group") == "Good")
    assert good["median"].unique().to_list() == [17.5]
    assert good.filter(pl.col("name") == "Tinytown")["marker"].to_list() == ["c"]
    spec = charts.group_strip_chart(
        frame, IND, by_label="Latest Ofsted grade", order=charts.GRADE_ORDER, la_name="Bigcity"
    ).to_dict()
    boxes, ticks, medians, focal = layers(spec)
    assert [boxes["mark"]["type"], ticks["mark"]["type"], medians["mark"]["type"]] == [
        "rule", "tick", "tick",
    ]  # fmt: skip
    assert ticks["encoding"]["y"]["scale"]["domain"] == ["Good", "Inadequate"]
    assert ticks["encoding"]["color"]["scale"]["range"] == [
        theme.GRADE_COLOURS["Good"],
        theme.GRADE_COLOURS["Inadequate"],
    ]
    assert focal["transform"][0]["filter"].startswith("((datum.name === 'Bigcity')")
    assert spec["title"]["text"] == "Social worker turnover by latest Ofsted grade"


def test_latest_common_year() -> None:
    table = pl.DataFrame(
        {
            "indicator": ["a", "a", "b", "b"],
            "year": [2024, 2025, 2024, 2025],
            "value": [1.0, 2.0, 3.0, None],
        }
    )
    assert explore.latest_common_year(table, "a", "b") == 2024
    with pytest.raises(ValueError):
        explore.latest_common_year(table.filter(pl.col("indicator") == "a"), "a", "c")


# ------------------------------------------------------------------ display


def funnel_figures() -> explore.Figures:
    frame = charts.funnel_frame(explore.funnel_rows(comparison_rows(), base_rows(), IND))
    return explore.Figures([charts.funnel_chart(frame, IND, la_name="Smallton", year=2025)])


def test_offline_figure_binds_the_dropdown_outside_the_drawing_and_escapes_names() -> None:
    figure, controls = explore.offline_figure(funnel_figures().charts[0])
    assert controls == f"{figure.element_id}-controls"
    spec = json.loads(figure.spec_json)  # compiled to Vega: the dropdown is a bound signal
    [bound] = [s for s in spec["signals"] if "bind" in s]
    assert bound["bind"]["element"] == f"#{controls}" and bound["bind"]["input"] == "select"
    assert figure.table.headers[:4] == ("Authority", "Code", "Value", "Marker")
    html = funnel_figures().html()
    assert f'<div class="bm-controls" id="{controls}"></div>' in html
    assert html.index("bm-controls") < html.index('class="bm-chart"')
    assert "<td>O&#x27;Hara &amp; &lt;Sons&gt;</td>" in html  # escaped in the table
    assert "<Sons>" not in html  # and in the spec (script-safe JSON)
    assert "View as table: Social worker turnover: funnel plot, 2025" in html


def test_figures_display_offline_or_through_altair() -> None:
    figures = funnel_figures()
    before = alt.renderers.active
    try:
        alt.renderers.enable(explore.OFFLINE_RENDERER)
        offline = figures._repr_mimebundle_()
        assert "bm-controls" in offline["text/html"]
        alt.renderers.enable("json")
        data, _ = figures._repr_mimebundle_()
        assert (
            "application/json" in data and "text/html" not in data
        )  # altair's own renderer, as JupyterLab uses
    finally:
        alt.renderers.enable(before)


# ------------------------------------------------------------------ the notebook


NOTEBOOK = render.notebook_path(render.EXPLORE_NOTEBOOK)


def test_notebook_parameters_match_what_render_explore_passes() -> None:
    inspected = papermill.inspect_notebook(str(NOTEBOOK))
    passed = render.explore_parameters("Leeds")
    assert list(inspected) == list(passed) == ["la", "data_dir"]
    assert {k: p["inferred_type_name"] for k, p in inspected.items()} == {
        "la": "str",
        "data_dir": "str",
    }
    assert {k: p["default"] for k, p in inspected.items()} == {"la": '"Leeds"', "data_dir": '""'}
    assert all(p["help"] for p in inspected.values())


def test_notebook_is_committed_without_outputs_guided_and_thin() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        statements = [
            s for s in ast.parse(cell.source).body if not isinstance(s, ast.Import | ast.ImportFrom)
        ]
        assert len(statements) <= 3, cell.source
        assert not any(
            isinstance(s, ast.FunctionDef | ast.ClassDef | ast.For | ast.While) for s in statements
        )
    # guided: markdown between the steps
    kinds = [c.cell_type for c in nb.cells]
    assert kinds.count("markdown") >= 8 and kinds[0] == "markdown"
    text = "\n".join(c.source for c in nb.cells)
    for call in ("ex.funnel(", "ex.relate(", "ex.trend(", "benchmarks.profile(", "write_xlsx("):
        assert call in text


# ------------------------------------------------------------------ commands


def test_lab_command_sets_the_data_folder(tmp_path: Path) -> None:
    command, env = lab.lab_command(data_dir=tmp_path, browser=False)
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={NOTEBOOK.parent}" in command
    assert command[-1] == "--no-browser"
    assert env["BENCHMARKS_DATA"] == str(tmp_path.resolve())
    command, env = lab.lab_command()
    assert "--no-browser" not in command


def test_lab_runs_jupyterlab_with_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[list[str], dict[str, str]]] = []
    monkeypatch.setattr(subprocess, "call", lambda cmd, env: calls.append((cmd, env)) or 0)
    assert cli.main(["lab", "--data-dir", str(tmp_path), "--no-browser"]) == 0
    assert cli.main(["lab", "--", "--port", "8890", "--ServerApp.ip=127.0.0.1"]) == 0
    [(command, env), (passed_on, _)] = calls
    assert "--no-browser" in command and env["BENCHMARKS_DATA"] == str(tmp_path.resolve())
    assert passed_on[-3:] == ["--port", "8890", "--ServerApp.ip=127.0.0.1"]


def test_lab_dry_run_and_a_missing_data_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["lab", "--dry-run", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "-m jupyterlab" in out and f"BENCHMARKS_DATA={tmp_path.resolve()}" in out
    assert cli.main(["lab", "--dry-run", "--data-dir", str(tmp_path / "nope")]) == 1
    assert "no data folder" in capsys.readouterr().err


def test_jupyterlab_is_installed() -> None:
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "jupyterlab", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.strip()[0].isdigit(), result.stderr


def test_explore_command_calls_render_explore(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: dict[str, Any] = {}

    def fake(la: str, *, data_dir: Path | None, out_dir: Path) -> Path:
        seen.update(la=la, data_dir=data_dir, out_dir=out_dir)
        return out_dir / "explore" / "leeds.html"

    monkeypatch.setattr(render, "render_explore", fake)
    assert cli.main(["explore", "--la", "Leeds", "--data-dir", str(tmp_path), "--out", "x"]) == 0
    assert seen == {"la": "Leeds", "data_dir": tmp_path, "out_dir": Path("x")}
    assert "Exploration written to" in capsys.readouterr().out


def test_explore_path_stays_inside_out_dir(tmp_path: Path) -> None:
    assert render.explore_path(tmp_path, "../../Leeds") == tmp_path / "explore" / "leeds.html"
