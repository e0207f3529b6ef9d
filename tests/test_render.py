"""Rendering: names and paths, the offline page, kernel reuse, failures, and the real Leeds report."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import papermill
import pytest
from bs4 import BeautifulSoup

from benchmarks import render
from benchmarks.errors import BenchmarksError
from report_support import (
    MAX_BYTES,
    SECTION_IDS,
    external_references,
    vega_bundles,
)

# ------------------------------------------------------------------ names and paths


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Leeds", "leeds"),
        ("Bristol, City of", "bristol-city-of"),
        ("St. Helens", "st-helens"),
        ("Kingston upon Hull, City of", "kingston-upon-hull-city-of"),
        ("Ünïcode–Town", "unicode-town"),
        ("../../etc/passwd", "etc-passwd"),
        ("  ", "authority"),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert render.slugify(name) == slug


def test_report_path_stays_inside_out_dir(tmp_path: Path) -> None:
    assert (
        render.report_path(tmp_path, 2025, "Bristol, City of")
        == tmp_path / "2025" / "bristol-city-of.html"
    )
    escaped = render.report_path(tmp_path / "out", 2025, "../../../x")
    assert escaped.parent == tmp_path / "out" / "2025"


def test_report_parameters_are_plain_literals(tmp_path: Path) -> None:
    assert render.report_parameters("Leeds") == {
        "la": "Leeds",
        "year": 0,
        "comparator": "sn2025",
        "data_dir": "",
        "groups_file": "",
    }
    relative = render.report_parameters(
        "383", year=2024, comparator="region", data_dir=tmp_path / "a" / ".."
    )
    assert relative == {
        "la": "383",
        "year": 2024,
        "comparator": "region",
        "data_dir": str(tmp_path),
        "groups_file": "",
    }


# ------------------------------------------------------------------ the committed notebook


def test_notebook_is_committed_without_outputs_and_thin() -> None:
    nb = nbformat.read(render.NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        lines = [line for line in cell.source.splitlines() if line.strip()]
        # the parameters cell: one line per parameter; any other cell: at most 3 lines
        assert len(lines) <= 5 if cell is code[0] else len(lines) <= 3, cell.source
        assert not re.search(r"^\s*(def|class|for|while)\b", cell.source, re.MULTILINE), cell.source


# ------------------------------------------------------------------ export without a kernel


def executed_stub(*, demo: bool) -> nbformat.NotebookNode:
    """A notebook as if executed: a header output carrying the report info, then a chart."""
    from benchmarks import charts
    from benchmarks.components import METADATA_KEY
    from test_charts import all_las

    chart = charts.position_chart(all_las(), "sw_turnover_rate", "901", ["902"])
    header = nbformat.v4.new_output(
        "display_data",
        data={"text/html": "<h1>Tinytown</h1>"},
        metadata={
            METADATA_KEY: {
                "la_name": "Tinytown",
                "year": 2025,
                "title": "Report & co",
                "demo": demo,
            }
        },
    )
    figure = nbformat.v4.new_output("display_data", data={"text/html": charts.figure_html(chart)})
    cells = [
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("header()", outputs=[header], execution_count=1),
        nbformat.v4.new_code_cell("figure()", outputs=[figure], execution_count=2),
    ]
    return nbformat.v4.new_notebook(cells=cells, metadata={"language_info": {"name": "python"}})


def test_export_is_one_offline_page_with_one_bundle() -> None:
    page = render.export_html(executed_stub(demo=True))
    assert external_references(page) == []
    assert vega_bundles(page) == 1
    for cdn in ("require.js", "requirejs", "MathJax", "mermaid", "cdnjs", "unpkg", "jsdelivr"):
        assert cdn.lower() not in page.lower()
    soup = BeautifulSoup(page, "html.parser")
    assert soup.title.get_text() == "Report & co"
    assert "bm-demo" in soup.body["class"]
    assert not soup.select(".jp-InputArea-editor, .jp-InputPrompt")  # no code, no prompts
    assert soup.select_one(".jp-OutputArea-output")["tabindex"] == "0"
    assert len(soup.select("div.bm-chart")) == 1


def test_export_of_real_data_has_no_demo_class() -> None:
    soup = BeautifulSoup(render.export_html(executed_stub(demo=False)), "html.parser")
    assert "bm-demo" not in soup.body["class"]


def test_export_refuses_a_notebook_without_report_info() -> None:
    nb = executed_stub(demo=False)
    nb.cells[1].outputs[0].metadata = {}
    with pytest.raises(BenchmarksError, match="recorded no authority"):
        render.export_html(nb)


# ------------------------------------------------------------------ rendering in a kernel


@pytest.fixture(scope="module")
def renderer(home: Path):
    with render.Renderer() as kept:
        yield kept


@pytest.fixture(scope="module")
def demo_report(renderer: render.Renderer, demo_dir: Path, home: Path) -> Path:
    return renderer.render("Leeds", data_dir=demo_dir, out_dir=home / "reports")


@pytest.mark.slow
def test_demo_report_is_complete_offline_and_small(demo_report: Path, home: Path) -> None:
    assert demo_report == home / "reports" / "2025" / "leeds.html"
    page = demo_report.read_text(encoding="utf-8")
    assert len(page.encode("utf-8")) <= MAX_BYTES
    assert external_references(page) == []
    assert vega_bundles(page) == 1
    soup = BeautifulSoup(page, "html.parser")
    assert [s["id"] for s in soup.select("h2[id]")] == SECTION_IDS
    banner = soup.select_one(".bm-demo-banner")
    assert banner is not None and "DEMONSTRATION DATA" in banner.get_text()
    assert soup.select_one(".bm-demo-print") is not None  # repeated on every printed page
    assert "(demonstration data)" in soup.title.get_text()
    charts = soup.select("div.bm-chart")
    # timeline, workforce x5 + flows, demand x9, outcomes x12
    assert len(charts) == 1 + 2 * 5 + 1 + 2 * 9 + 2 * 12
    assert len({c["id"] for c in charts}) == len(charts)
    assert len(soup.select("figure details table.bm-data")) == len(charts)
    assert len(soup.select(".bm-tile")) == 10
    assert soup.select_one("#cmp") is not None  # the great_tables table
    assert not list(home.joinpath("reports", "2025").glob(".*"))  # no temporary files left


@pytest.mark.slow
def test_kept_kernel_report_equals_papermill_execute_notebook(
    renderer: render.Renderer, demo_report: Path, demo_dir: Path
) -> None:
    """A report from the kept kernel (after another report) is papermill's own output."""
    params = render.report_parameters("Bradford", comparator="region", data_dir=demo_dir)
    kept = renderer.execute(params)
    fresh = papermill.execute_notebook(
        str(render.NOTEBOOK), None, parameters=params, kernel_name="python3", progress_bar=False
    )
    assert kept.metadata.papermill.parameters == params == fresh.metadata.papermill.parameters
    assert [c.source for c in kept.cells] == [c.source for c in fresh.cells]
    assert "injected-parameters" in kept.cells[1].metadata.tags
    assert render.export_html(kept) == render.export_html(fresh)


@pytest.mark.slow
def test_failing_cell_is_named_and_the_previous_report_kept(
    renderer: render.Renderer, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = nbformat.read(render.NOTEBOOK, as_version=4)
    broken.cells.append(nbformat.v4.new_code_cell('raise RuntimeError("boom in cell 2")'))
    path = tmp_path / "broken.ipynb"
    nbformat.write(broken, path)
    monkeypatch.setattr(renderer, "notebook", path)
    previous = tmp_path / "out" / "2025" / "leeds.html"
    previous.parent.mkdir(parents=True)
    previous.write_text("the previous good report", encoding="utf-8")

    with pytest.raises(render.ReportError) as caught:
        renderer.render("Leeds", data_dir=demo_dir, out_dir=tmp_path / "out")

    error = caught.value
    assert (error.cell_index, error.first_line) == (2, 'raise RuntimeError("boom in cell 2")')
    assert (error.ename, error.evalue) == ("RuntimeError", "boom in cell 2")
    assert "cell 2" in str(error) and "RuntimeError: boom in cell 2" in str(error)
    assert isinstance(error, BenchmarksError)  # the CLI prints it without a traceback
    assert previous.read_text(encoding="utf-8") == "the previous good report"
    assert sorted(p.name for p in previous.parent.iterdir()) == ["leeds.html"]


@pytest.mark.slow
def test_unknown_authority_fails_in_the_first_cell(
    renderer: render.Renderer, demo_dir: Path, tmp_path: Path
) -> None:
    with pytest.raises(render.ReportError) as caught:
        renderer.render("Leedz", data_dir=demo_dir, out_dir=tmp_path)
    assert caught.value.cell_index == 1
    assert caught.value.ename == "UnknownAuthorityError"
    assert "Leeds" in caught.value.evalue  # the suggestion
    assert not any(tmp_path.iterdir())


@pytest.mark.slow
@pytest.mark.published
def test_real_leeds_report(renderer: render.Renderer, published: Path, home: Path) -> None:
    path = renderer.render("Leeds", data_dir=published, out_dir=home / "real")
    assert path == home / "real" / "2025" / "leeds.html"
    page = path.read_text(encoding="utf-8")
    assert external_references(page) == []
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:|//)", page)
    assert len(page.encode("utf-8")) <= MAX_BYTES
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select_one(".bm-demo-banner") is None
    # CSWW 2025, Leeds (383): turnover_rate_fte = 7 -> shown to 1 dp.
    tile = next(t for t in soup.select(".bm-tile") if t.h3.get_text() == "Social worker turnover")
    assert tile.select_one(".bm-tile-value").get_text() == "7.0%"
    assert tile.p.get_text().startswith("2025")
    # Ofsted's LA_Inspection_Outcomes_as_at_31_March_2025.ods: Leeds, ILACS standard
    # inspection 21/02/2022, published 09/05/2022, overall Outstanding.
    grade = soup.select_one(".bm-grade").get_text(" ", strip=True)
    official = grade[grade.index("Latest grade in Ofsted's official statistics") :]
    assert official.split()[6:7] == ["Outstanding"]
    assert "inspected 21 February 2022; published 9 May 2022" in official
