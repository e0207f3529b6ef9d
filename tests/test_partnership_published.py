"""The partnership report over the five West Yorkshire authorities with Bradford as focus,
from the published files: every section populated, rendered offline, drawn in a browser
(issue 10, "Must show"); and the command line's partnership and improvers export."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from benchmarks.cli import main
from benchmarks.comparison import comparison_for
from benchmarks.panel import load
from benchmarks.reports import partnership
from report_support import benchmarks_home, external_references, vega_bundles

pytestmark = pytest.mark.published


@pytest.fixture(scope="module")
def report(published: Path):
    bundle = load(published)
    table = comparison_for(bundle, "sn2025", None)
    choice = partnership.choose(bundle, table, "West Yorkshire", focus="Bradford")
    return partnership.build(bundle, table, choice)


def test_every_section_has_content(report) -> None:
    names = ["Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"]
    rug = report.side_by_side.rug
    assert [n for n, _ in rug.rows] == names
    # MANIFEST: every West Yorkshire authority publishes turnover for 2025
    assert all(cells[0].text != "–" and cells[0].band for _, cells in rug.rows)
    assert [g.heading for g in report.side_by_side.grades] == names
    # Ofsted: Kirklees, Requires improvement (June 2019) then Good (July 2024)
    assert any(
        "Kirklees: Inadequate (2016) to Requires improvement (2019) to Good (2024)." == p
        for p in report.trajectories.paragraphs
    )
    assert report.trajectories.figures
    assert [b.title for b in report.aligned.blocks] == names
    assert all(b.figures for b in report.aligned.blocks)
    assert report.improvers.figures
    n_text = report.improvers.paragraphs[0]
    assert "ranges from" in n_text and " 0 to" not in n_text
    assert report.finder.suggestions is not None and report.finder.suggestions.rows
    assert len(report.finder.reasons) == len(report.finder.suggestions.rows) <= 5
    assert all("Bradford's" in r and "latest inspection" in r for r in report.finder.reasons)


@pytest.mark.slow
@pytest.mark.browser
def test_cli_renders_the_page_offline_and_every_chart_draws(
    published: Path, tmp_path: Path
) -> None:
    from browser_support import chrome, wait_for_charts

    with benchmarks_home(tmp_path / "home"):
        code = main(
            [
                "partnership",
                "--group",
                "West Yorkshire",
                "--focus",
                "Bradford",
                "--data-dir",
                str(published),
                "--out",
                str(tmp_path / "reports"),
            ]
        )
    assert code == 0
    page = tmp_path / "reports" / "partnerships" / "west-yorkshire-focus-bradford.html"
    text = page.read_text(encoding="utf-8")
    assert external_references(text) == [] and vega_bundles(text) == 1
    for anchor in ("side-by-side", "trajectories", "aligned", "improvers", "finder", "notes"):
        assert f'id="{anchor}"' in text
    with chrome(tmp_path / "profile") as driver:
        driver.get(page.as_uri())
        states = wait_for_charts(driver)
    assert len(states) == 7  # trajectories, five partners' aligned charts, improvers
    assert [s["id"] for s in states if not s["drawn"]] == []


def test_export_improvers_has_exactly_the_nine_columns(published: Path, tmp_path: Path) -> None:
    out = tmp_path / "improvers.csv"
    with benchmarks_home(tmp_path / "home"):
        code = main(
            ["export", "--data-dir", str(published), "--table", "improvers", "--out", str(out)]
        )
    assert code == 0
    with out.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert reader.fieldnames == [
        "la_code",
        "la_name",
        "from_date",
        "from_grade",
        "from_framework",
        "to_date",
        "to_grade",
        "to_framework",
        "basis",
    ]
    # Ofsted's official history: Wakefield, Inadequate (2018) to Good (2021)
    wakefield = [r for r in rows if r["la_name"] == "Wakefield" and r["to_date"][:4] == "2021"]
    assert [(r["from_grade"], r["to_grade"]) for r in wakefield] == [("Inadequate", "Good")]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--partners", "Leeds", "Cafcass"],
            "Cafcass is a national body with no local authority data",
        ),
        (["--partners", "Leeds", "Kirklee"], "Did you mean: Kirklees?"),
        (["--partners", "Leeds", "Kirklees", "--focus", "Bradford"], "not one of the partners"),
        (["--group", "West Yorks"], "West Yorkshire"),
    ],
)
def test_cli_errors_are_one_clear_line(
    published: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv, message
) -> None:
    with benchmarks_home(tmp_path / "home"):
        code = main(["partnership", "--data-dir", str(published), *argv])
    err = capsys.readouterr().err
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1
