"""Report packs: selection, incremental runs, failure isolation, the lock, the index page.

Speed-ups made for packs must not change a report: the first tests check that.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import altair as alt
import polars as pl
import pytest
from bs4 import BeautifulSoup
from polars.testing import assert_frame_equal

from benchmarks import atomic, charts, cli, indicators, packs, render
from benchmarks.errors import BenchmarksError, UnknownAuthorityError, UnknownGroupError
from benchmarks.packs import renderer_process
from report_support import benchmarks_home, external_references
from test_charts import all_las, comparison_rows, inspections

pytestmark = pytest.mark.timeout(180)

# ------------------------------------------------------------------ speed-ups keep the output


@pytest.mark.parametrize(
    "build",
    [
        lambda: charts.trend_chart(
            comparison_rows([8.0, 9.0, 7.0]), "sw_turnover_rate", "Tinytown", region_name="North"
        ),
        lambda: charts.trend_chart(
            comparison_rows([91.0, 92.0, 90.0]), "icpc_timeliness_rate", "T"
        ),
        lambda: charts.position_chart(
            all_las(), "sw_turnover_rate", "901", ["902", "905"], year=2025, england=12.0
        ),
        lambda: charts.inspection_timeline(inspections(), "Tinytown"),
    ],
    ids=["trend", "trend-no-region", "position", "timeline"],
)
def test_layer_chart_without_param_merge_gives_altairs_spec(
    build, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = build()
    assert type(fast) is charts.LayerChart and isinstance(fast, alt.LayerChart)
    for module in ("trend", "position", "inspections"):  # where the builders find it
        monkeypatch.setattr(f"benchmarks.charts.{module}.LayerChart", alt.LayerChart)
    slow = build()
    assert type(slow) is alt.LayerChart
    assert fast.to_dict() == slow.to_dict()  # validated against the Vega-Lite schema too
    assert charts.figure_html(fast) == charts.figure_html(slow)


def test_layer_chart_with_a_selection_parameter_is_altairs() -> None:
    brush = alt.selection_interval(name="brush")
    base = alt.Chart().mark_point().encode(x="a:Q", y="b:Q")
    layered = charts.LayerChart(layer=[base.add_params(brush), base], data={"values": [{"a": 1}]})
    reference = alt.LayerChart(layer=[base.add_params(brush), base], data={"values": [{"a": 1}]})
    assert layered.to_dict() == reference.to_dict()
    assert layered.to_dict()["params"][0]["name"] == "brush"


HOSTILE = 'Tiny "town" \\ </script><b>&amp; @@bm:region@@ Ünï'


@pytest.mark.parametrize("la_name", ["Tinytown", HOSTILE])
@pytest.mark.parametrize("region_name", ["North", None])
@pytest.mark.parametrize(
    "values", [[8.0, 9.0, 7.0], [91.0, 92.0, 90.0], [None, None, 5.0]], ids=["zero", "cut", "gaps"]
)
def test_trend_spec_from_a_template_is_the_builders_spec(
    la_name: str, region_name: str | None, values: list[float | None]
) -> None:
    rows = comparison_rows(values)
    fast = charts.trend_spec(rows, "sw_turnover_rate", la_name, region_name=region_name)
    chart = charts.trend_chart(rows, "sw_turnover_rate", la_name, region_name=region_name)
    assert fast.to_dict() == chart.to_dict()  # to_dict() validates both
    assert fast.data.equals(chart.data)
    assert charts.figure_html(fast) == charts.figure_html(chart)


@pytest.mark.parametrize("la_code", ["901", "904", "999"], ids=["la", "suppressed", "absent"])
@pytest.mark.parametrize("england", [12.0, None])
def test_position_spec_from_a_template_is_the_builders_spec(
    la_code: str, england: float | None
) -> None:
    frame = all_las().with_columns(
        la_name=pl.when(pl.col("la_code") == "901")
        .then(pl.lit(HOSTILE))
        .otherwise(pl.col("la_name"))
    )
    args = (frame, "sw_caseload", la_code, ["902", "905"])
    fast = charts.position_spec(*args, year=2025, england=england)
    chart = charts.position_chart(*args, year=2025, england=england)
    assert fast.to_dict() == chart.to_dict()
    assert charts.figure_html(fast) == charts.figure_html(chart)
    again = charts.position_spec(*args, year=2024, england=england)  # another template
    assert again.to_dict()["title"]["text"].endswith("authorities, 2024")


@pytest.mark.slow
@pytest.mark.published
def test_specs_from_templates_match_the_builders_on_real_data(
    published: Path, tmp_path: Path
) -> None:
    """Every trend and position chart of six real reports (three comparators)."""
    from benchmarks import indicators
    from benchmarks.reports import authority_page

    checked = 0
    with benchmarks_home(tmp_path):
        for la, comparator in [
            ("Leeds", "sn2025"),
            ("City of London", "region"),
            ("Isles of Scilly", "sn2025"),
            ("Richmond upon Thames", "sn2021"),
            ("Cumberland", "sn2021"),
            ("North Northamptonshire", "sn2025"),
        ]:
            page = authority_page(la, data_dir=published, comparator=comparator)
            choice = page.choice
            rows = page.table.filter(
                (pl.col("la_code") == choice.la_code) & (pl.col("year") <= choice.year)
            )
            shown = (
                indicators.section_indicators("workforce")
                + indicators.section_indicators("demand")
                + indicators.section_indicators("outcomes")
            )
            for indicator in shown:
                series = rows.filter(pl.col("indicator") == indicator).with_columns(
                    group_label=pl.lit(choice.comparator_name)
                )
                present = series.filter(
                    pl.col("value").is_not_null() | pl.col("status").is_not_null()
                )
                row = present.sort("year").row(-1, named=True) if present.height else None
                if row is None:
                    continue
                trend = (series, indicator, choice.la_name)
                assert_frame_equal(
                    charts.trend_frame(series, la_name=la, region_name=choice.region_name),
                    polars_trend_frame(series, la, choice.region_name),
                )
                made = charts.trend_spec(*trend, region_name=choice.region_name)
                assert made.to_dict(False) == charts.trend_chart(
                    *trend, region_name=choice.region_name
                ).to_dict(False)
                assert_same_table(made.data)
                one_year = page.table.filter(
                    (pl.col("indicator") == indicator) & (pl.col("year") == row["year"])
                ).select("la_code", "la_name", "value")
                position = (one_year, indicator, choice.la_code, choice.neighbours)
                options = {"year": row["year"], "england": row["england"]}
                assert_frame_equal(
                    charts.position_frame(one_year, choice.la_code, choice.neighbours),
                    polars_position_frame(one_year, choice.la_code, choice.neighbours),
                )
                made = charts.position_spec(*position, **options)
                assert made.to_dict(False) == charts.position_chart(*position, **options).to_dict(
                    False
                )
                assert_same_table(made.data)
                checked += 2
    assert checked > 6 * 20


def polars_trend_frame(series: pl.DataFrame, la_name: str, region: str | None) -> pl.DataFrame:
    """`charts.trend_frame` as one polars query (what it was): the reference it must equal."""
    group = series["group_label"].drop_nulls()
    base = series.sort("year")
    parts = [
        base.select(
            "year",
            pl.lit(la_name).alias("series"),
            pl.lit("la").alias("role"),
            "value",
            pl.col("ci_low").alias("low"),
            pl.col("ci_high").alias("high"),
            pl.col("status").alias("marker"),
        )
    ]
    others = [("comparator", str(group[0]) if group.len() else "Comparator", "comparator")]
    others += [("region_value", region, "region")] if region is not None else []
    for column, label, role in [*others, ("england", "England", "england")]:
        parts.append(
            base.select(
                "year",
                pl.lit(label).alias("series"),
                pl.lit(role).alias("role"),
                pl.col(column).cast(pl.Float64).alias("value"),
                pl.lit(None, pl.Float64).alias("low"),
                pl.lit(None, pl.Float64).alias("high"),
                pl.lit(None, pl.String).alias("marker"),
            )
        )
    return pl.concat(parts).with_columns(
        pl.col("year").cast(pl.Int32), pl.col("value", "low", "high").round(3)
    )


def polars_position_frame(
    one_year: pl.DataFrame, la_code: str, neighbours: list[str]
) -> pl.DataFrame:
    """`charts.position_frame` as one polars query (what it was): the reference."""
    return (
        one_year.filter(pl.col("value").is_not_null())
        .select(
            pl.col("la_name").alias("name"),
            pl.col("value").cast(pl.Float64).round(3),
            pl.when(pl.col("la_code") == la_code)
            .then(pl.lit("la"))
            .when(pl.col("la_code").is_in(list(neighbours)))
            .then(pl.lit("neighbour"))
            .otherwise(pl.lit("other"))
            .alias("role"),
        )
        .sort("value", "name")
    )


def assert_same_table(data: pl.DataFrame) -> None:
    """A figure's table made in Python equals the polars-made one (`table_frame`)."""
    fast = charts.chart_table(data, caption="c", number_format=",.2f")
    assert fast == charts.table_of(charts.table_frame(data), caption="c", number_format=",.2f")


# ------------------------------------------------------------------ packs over demo data

LAS = ("Leeds", "Bradford")


@pytest.fixture(scope="module")
def bundle(demo_dir: Path):
    from benchmarks import panel

    return panel.load(demo_dir)


def pack_args(data_dir: Path, out: Path, *las: str, extra: tuple[str, ...] = ()) -> list[str]:
    named = [a for la in las for a in ("--la", la)]
    return ["report", *named, "--data-dir", str(data_dir), "--out", str(out), "--quiet", *extra]


def files(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its size and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def good_pack(home: Path, demo_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """A pack of Leeds and Bradford, recording the papermill parameters each notebook got."""
    out = tmp_path_factory.mktemp("pack")
    recorded: dict[str, dict] = {}
    execute = render.Renderer.execute

    def spy(self, parameters):
        nb = execute(self, parameters)
        recorded[parameters["la"]] = dict(nb.metadata.papermill.parameters)
        return nb

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render.Renderer, "execute", spy)
        # the workers' renderers in this process, so the spy sees each execution
        patch.setattr(renderer_process, "RendererProcess", render.Renderer)
        code = cli.main(pack_args(demo_dir, out, *LAS, extra=("--workers", "2")))
    assert code == 0
    return out, recorded


def test_pack_writes_each_report_with_its_parameters_and_an_index(
    good_pack: tuple[Path, dict], demo_dir: Path
) -> None:
    out, recorded = good_pack
    folder = out / "2025"
    assert sorted(p.name for p in folder.iterdir()) == [
        ".pack_manifest.json",
        "bradford.html",
        "index.html",
        "leeds.html",
    ]
    manifest = json.loads((folder / ".pack_manifest.json").read_text(encoding="utf-8"))
    for la, code in (("Leeds", "383"), ("Bradford", "380")):
        expected = render.report_parameters(la, data_dir=demo_dir)
        assert recorded[la] == expected  # nb.metadata.papermill.parameters
        entry = manifest["reports"][code]
        assert entry["key"]["params"] == expected
        assert entry["file"] == f"2025/{la.lower()}.html"
        assert "last_error" not in entry
    assert (out / ".pack.lock").is_file()


def test_pack_report_is_byte_equal_to_the_single_report(
    good_pack: tuple[Path, dict], demo_dir: Path, tmp_path: Path
) -> None:
    out, _ = good_pack
    assert (
        cli.main(["report", "--la", "Leeds", "--data-dir", str(demo_dir), "--out", str(tmp_path)])
        == 0
    )
    single = (tmp_path / "2025" / "leeds.html").read_bytes()
    assert single == (out / "2025" / "leeds.html").read_bytes()
    assert single.rstrip().endswith(b"</html>")


def test_index_page_is_offline_complete_and_links_every_report(
    good_pack: tuple[Path, dict],
) -> None:
    out, _ = good_pack
    folder = out / "2025"
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert external_references(page) == []
    soup = BeautifulSoup(page, "html.parser")
    assert [s.get("src") for s in soup.find_all("script")] == [None]  # one inline script
    assert not soup.find_all("link")
    assert soup.select_one(".demo-banner") is not None  # demonstration data
    rows = soup.select("#authorities tbody tr")
    assert [r["data-name"] for r in rows] == ["Bradford", "Leeds"]
    for row in rows:
        link = row.select_one("a[href]")
        assert (folder / link["href"]).resolve().is_file()
        # the example partnerships (Leeds also had one of Ofsted's good-practice visits)
        expected_groups = {"Bradford": ["West Yorkshire"]}
        assert json.loads(row["data-groups"]) == expected_groups.get(
            row["data-name"], ["Ofsted good-practice visits", "West Yorkshire"]
        )
        assert row.select_one("td").get_text() in ("380", "383")
        cells = row.select("td.num")
        assert len(cells) == len(indicators.index_columns())
        assert all(c["data-sort"] == "" or float(c["data-sort"]) >= 0 for c in cells)
    heads = [b.get_text() for b in soup.select("#authorities thead button")]
    assert heads[:4] == ["Authority", "Code", "Region", "Latest Ofsted grade"]
    options = [o.get_text() for o in soup.select("#filter-region option")]
    assert options == ["All regions", "Yorkshire and The Humber"]
    assert [o.get_text() for o in soup.select("#filter-group option")] == [
        "All groups",
        "Ofsted good-practice visits",
        "West Yorkshire",
    ]
    sources = soup.select("#data ~ table tbody tr")
    assert len(sources) == 21  # the demo has c3 and the three outcome files too
    assert all(re.fullmatch(r"[0-9a-f]{12}", r.code.get_text()) for r in sources)
    assert "Generated " in soup.select_one("p.meta").get_text()


def test_index_escapes_names_from_files_and_users(
    good_pack: tuple[Path, dict], bundle, tmp_path: Path
) -> None:
    from dataclasses import replace

    from benchmarks.comparison import comparison_for

    out, _ = good_pack
    hostile = '<script>alert("la")</script> & "Leeds" <img src=x onerror=alert(1)>'
    group = "<b>Group</b> ' \" & </option><script>alert(2)</script>"
    renamed = replace(
        bundle,
        authorities=bundle.authorities.with_columns(
            la_name=pl.when(pl.col("la_code") == "383")
            .then(pl.lit(hostile))
            .otherwise(pl.col("la_name"))
        ),
    )
    manifest = json.loads((out / "2025" / ".pack_manifest.json").read_text(encoding="utf-8"))
    page = packs.index.index_page(
        renamed,
        comparison_for(bundle, "sn2025"),
        manifest,
        out_dir=out,
        year=2025,
        comparator="sn2025",
        groups={group: ("383",)},
    )
    soup = BeautifulSoup(page, "html.parser")
    assert len(soup.find_all("script")) == 1 and not soup.find_all("img")
    assert soup.find(attrs={"onerror": True}) is None
    leeds = soup.select_one('#authorities tr[data-name^="<script>"]')
    assert leeds["data-name"] == hostile
    assert leeds.th.a.get_text() == hostile
    assert json.loads(leeds["data-groups"]) == [group]
    assert [o.get_text() for o in soup.select("#filter-group option")][1:] == [group]
    assert soup.select_one("#filter-group option:nth-of-type(2)")["value"] == group


def test_incremental_rerun_renders_nothing_fast_and_force_renders_all(
    good_pack: tuple[Path, dict], demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out = tmp_path / "out"
    shutil.copytree(good_pack[0], out)  # keeps modification times
    before = files(out)
    probe = (
        "import json, sys, time\n"
        "start = time.perf_counter()\n"
        "from benchmarks.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "heavy = ('altair', 'papermill', 'nbconvert', 'jupyter_client', 'great_tables', 'ipykernel')\n"
        "print(json.dumps({'code': code, 'seconds': time.perf_counter() - start,\n"
        "    'heavy': sorted(m for m in heavy if m in sys.modules)}))\n"
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", probe, *pack_args(demo_dir, out, *LAS)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    wall = time.perf_counter() - started
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == 0, done.stderr
    assert "2 authorities: 0 rendered, 2 unchanged (skipped), 0 failed" in done.stdout
    assert result["heavy"] == []  # no kernel, no altair: decided before any of that
    assert result["seconds"] < 2.0, (result, wall)
    unlocked = {k: v for k, v in files(out).items() if k != ".pack.lock"}  # holder's pid
    assert unlocked == {k: v for k, v in before.items() if k != ".pack.lock"}  # nothing else

    (out / "2025" / "bradford.html").unlink()
    assert cli.main(pack_args(demo_dir, out, *LAS)) == 0
    assert "2 authorities: 1 rendered, 1 unchanged (skipped), 0 failed" in capsys.readouterr().out
    assert files(out)["2025/leeds.html"] == before["2025/leeds.html"]

    assert cli.main(pack_args(demo_dir, out, *LAS, extra=("--force",))) == 0
    assert "2 authorities: 2 rendered, 0 unchanged (skipped), 0 failed" in capsys.readouterr().out
    after = files(out)
    assert after["2025/leeds.html"][1] > before["2025/leeds.html"][1]
    assert (out / "2025" / "leeds.html").read_bytes() == (
        good_pack[0] / "2025" / "leeds.html"
    ).read_bytes()


def test_a_second_run_is_refused_and_writes_nothing(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with packs.lock.OutputLock(out):  # a first run holding the folder
        before = files(out)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.cli", *pack_args(demo_dir, out, "Leeds", "York")],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        seconds = time.perf_counter() - started
        assert files(out) == before
    assert done.returncode == packs.lock.EXIT_LOCKED == 75
    assert f"another report pack is writing to {out}" in done.stderr
    assert f"pid {os.getpid()}" in done.stderr  # who holds it
    assert "without writing anything" in done.stderr
    assert done.stdout == ""
    assert seconds < 10
    assert sorted(files(out)) == [".pack.lock"]


def remove_authority(data_dir: Path, la_code: str) -> None:
    """Take one authority's rows out of every observation file (its data is 'missing')."""
    from benchmarks import panel

    files = panel.input_files(data_dir)  # optional sources only when the folder has them
    for path in [files[s] for s in panel.OBSERVATION_READERS if s in files]:
        frame = pl.read_csv(path, infer_schema=False)
        frame.filter(pl.col("old_la_code").fill_null("") != la_code).write_csv(path)


def test_one_broken_authority_fails_alone_and_its_old_report_is_kept(
    home: Path, demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(demo_dir, data)
    args = pack_args(data, out, "Leeds", "Bradford", "York", extra=("--workers", "2"))
    assert cli.main(args) == 0
    folder = out / "2025"
    old = {p.name: p.read_bytes() for p in folder.glob("*.html")}
    assert sorted(old) == ["bradford.html", "index.html", "leeds.html", "york.html"]

    remove_authority(data, "816")  # York: no rows in any data file
    capsys.readouterr()
    assert cli.main(args) == packs.run.EXIT_FAILED
    stdout, stderr = capsys.readouterr()
    assert "3 authorities: 2 rendered, 0 unchanged (skipped), 1 failed" in stdout
    failure = stderr.splitlines()
    assert failure[0].startswith(
        "FAILED York (816): the report for 'York' failed in notebook cell 1"
    )
    assert "BenchmarksError: There is no data for 'York' (code 816)" in failure[0]
    assert failure[1] == "  kept the previous good report 2025/york.html"
    assert (folder / "york.html").read_bytes() == old["york.html"]  # the old good report
    for name in ("leeds.html", "bradford.html"):  # new data: new sha256s in the data notes
        page = (folder / name).read_bytes()
        assert page != old[name] and page.rstrip().endswith(b"</html>")
    assert not list(folder.glob(".*.tmp"))
    manifest = json.loads((folder / ".pack_manifest.json").read_text(encoding="utf-8"))
    york = manifest["reports"]["816"]
    assert "There is no data for 'York'" in york["last_error"]
    assert york["key"]["inputs"] != manifest["reports"]["383"]["key"]["inputs"]  # still the old key
    soup = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    row = soup.select_one('#authorities tr[data-name="York"]')
    assert row.a["href"] == "york.html" and "Latest render failed" in row.get_text()


# ------------------------------------------------------------------ choosing authorities


def test_all_is_every_current_authority_the_latest_data_cover(bundle) -> None:
    year = packs.selection.latest_year(bundle.panel)
    assert year == 2025
    chosen = packs.selection.select_authorities(bundle, packs.selection.Selection(every=True), year)
    current = bundle.authorities.filter(pl.col("current"))
    assert len(chosen) == current.height == 153
    assert [c for c, _ in chosen if c in ("383", "380")] == ["380", "383"]  # sorted by name


def test_regions_match_any_case_and_a_wrong_one_is_named(bundle) -> None:
    chosen = packs.selection.select_authorities(bundle, packs.selection.Selection(regions=("north EAST",)), 2025)
    names = dict(bundle.authorities.select("la_code", "region_name").iter_rows())
    assert chosen and all(names[c] == "North East" for c, _ in chosen)
    assert len(chosen) == 12  # the North East's 12 authorities
    with pytest.raises(BenchmarksError, match=r"No region 'North Wst'\. Did you mean North West"):
        packs.selection.select_authorities(bundle, packs.selection.Selection(regions=("North Wst",)), 2025)


def test_groups_and_names_are_resolved(bundle) -> None:
    chosen = packs.selection.select_authorities(
        bundle, packs.selection.Selection(groups=("west yorkshire",), las=("383", "York")), 2025
    )
    assert [n for _, n in chosen] == [
        "Bradford",
        "Calderdale",
        "Kirklees",
        "Leeds",
        "Wakefield",
        "York",
    ]
    with pytest.raises(BenchmarksError, match="comparator group, not a named group"):
        packs.selection.select_authorities(bundle, packs.selection.Selection(groups=("region",)), 2025)
    with pytest.raises(UnknownGroupError, match="West Yorkshire"):
        packs.selection.select_authorities(bundle, packs.selection.Selection(groups=("Nowhere",)), 2025)
    with pytest.raises(UnknownAuthorityError):
        packs.selection.select_authorities(bundle, packs.selection.Selection(las=("Leedz",)), 2025)


def job(code: str, **key: str) -> packs.manifest.Job:
    return packs.manifest.Job(code, code, {}, {"inputs": "i", "report": "r", "params": {"la": code}} | key)


def test_plan_skips_only_unchanged_authorities_with_a_report(tmp_path: Path) -> None:
    (tmp_path / "2025").mkdir()
    for name in ("a", "b", "c", "d"):
        (tmp_path / "2025" / f"{name}.html").write_text("report")
    unchanged = job("a")
    entries = {
        code: {"file": f"2025/{code}.html", "key": job(code).key} for code in ("a", "b", "c", "d")
    }
    entries["e"] = {"la_name": "e", "last_error": "failed before"}  # never rendered well
    manifest = {"reports": entries}
    (tmp_path / "2025" / "d.html").unlink()
    jobs = [unchanged, job("b", inputs="new data"), job("c", report="new code"), job("d"), job("e")]
    todo, skipped = packs.manifest.plan(jobs, manifest, tmp_path)
    assert [j.la_code for j in skipped] == ["a"]
    assert [j.la_code for j in todo] == ["b", "c", "d", "e"]
    todo, skipped = packs.manifest.plan([unchanged], manifest, tmp_path, force=True)
    assert (todo, skipped) == ([unchanged], [])
    params = packs.manifest.Job(
        "a", "a", {}, {"inputs": "i", "report": "r", "params": {"la": "a", "year": 1}}
    )
    assert packs.manifest.plan([params], manifest, tmp_path)[0] == [params]


def test_report_fingerprint_follows_the_code_that_shapes_a_report(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first = packs.manifest.report_fingerprint()
    assert first == packs.manifest.report_fingerprint()
    notebook = tmp_path / "nb.ipynb"
    notebook.write_bytes(render.NOTEBOOK.read_bytes() + b" ")
    monkeypatch.setattr(render, "NOTEBOOK", notebook)
    assert packs.manifest.report_fingerprint() != first


def test_manifest_that_cannot_be_read_means_render_everything(tmp_path: Path) -> None:
    path = tmp_path / packs.manifest.MANIFEST_NAME
    path.write_text('{"format": 1, "reports": {"383": ', encoding="utf-8")  # cut short
    assert packs.manifest.read_manifest(path) == {"format": 1, "reports": {}, "index": {}}
    packs.manifest.write_manifest(path, {"format": 1, "reports": {"383": {"file": "x"}}, "index": {}})
    assert packs.manifest.read_manifest(path)["reports"] == {"383": {"file": "x"}}
    assert sorted(p.name for p in tmp_path.iterdir()) == [packs.manifest.MANIFEST_NAME]


# ------------------------------------------------------------------ failures and retries


class FakeRenderer:
    """Stands in for a pack's renderer (`RendererProcess`): writes a tiny page, or fails as told."""

    fail: dict[str, Exception] = {}
    started = 0

    def __init__(self) -> None:
        FakeRenderer.started += 1

    def render(self, la: str, *, out_dir: Path, **_: object) -> Path:
        if la in self.fail:
            raise self.fail[la]
        path = render.report_path(out_dir, 2025, la)
        atomic.write_text(path, f"<html>{la}</html>")
        return path

    def close(self) -> None:
        pass


def test_failures_are_retried_until_good_and_a_dead_kernel_is_replaced(
    demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setattr(renderer_process, "RendererProcess", FakeRenderer)
    args = pack_args(demo_dir, tmp_path, "Leeds", "York", "Bradford", extra=("--workers", "1"))
    notebook_error = render.ReportError("York", 4, "report.workforce()", "ValueError", "bad")
    FakeRenderer.fail = {"York": notebook_error, "Bradford": RuntimeError("kernel died")}
    FakeRenderer.started = 0
    assert cli.main(args) == packs.run.EXIT_FAILED
    out, err = capsys.readouterr()
    assert "3 authorities: 1 rendered, 0 unchanged (skipped), 2 failed" in out
    assert "FAILED York (816): the report for 'York' failed in notebook cell 4" in err
    assert "FAILED Bradford (380): RuntimeError: kernel died" in err
    assert err.count("no earlier report to keep") == 2
    assert FakeRenderer.started == 2  # a new renderer after the dead kernel, none after York

    assert cli.main(args) == packs.run.EXIT_FAILED  # nothing changed: the failures are tried again
    out, _ = capsys.readouterr()
    assert "3 authorities: 0 rendered, 1 unchanged (skipped), 2 failed" in out

    FakeRenderer.fail = {}
    assert cli.main(args) == 0
    assert "3 authorities: 2 rendered, 1 unchanged (skipped), 0 failed" in capsys.readouterr().out
    manifest = json.loads((tmp_path / "2025" / packs.manifest.MANIFEST_NAME).read_text(encoding="utf-8"))
    assert all("last_error" not in e for e in manifest["reports"].values())
    assert (tmp_path / "2025" / "york.html").read_text(encoding="utf-8") == "<html>York</html>"


def test_a_user_groups_file_selects_and_compares(
    home: Path, demo_dir: Path, tmp_path: Path
) -> None:
    groups = tmp_path / "groups.toml"
    groups.write_text('[groups."Test Pair"]\nmembers = ["Leeds", "Bradford"]\n', encoding="utf-8")
    out = tmp_path / "out"
    extra = ("--group", "test pair", "--comparator", "Test Pair", "--groups-file", str(groups))
    assert cli.main(pack_args(demo_dir, out, extra=extra)) == 0
    folder = out / "2025"
    assert sorted(p.name for p in folder.glob("*.html")) == [
        "bradford.html",
        "index.html",
        "leeds.html",
    ]
    manifest = json.loads((folder / packs.manifest.MANIFEST_NAME).read_text(encoding="utf-8"))
    params = manifest["reports"]["383"]["key"]["params"]
    assert (params["comparator"], params["groups_file"]) == ("Test Pair", str(groups.resolve()))
    page = (folder / "leeds.html").read_text(encoding="utf-8")
    assert "the other Test Pair authorities" in page
    index = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [o.get_text() for o in index.select("#filter-group option")] == [
        "All groups",
        "Test Pair",
    ]
