"""Hostile names and parameters (issue 6).

A name from the command line, a partnership file or the data itself may hold markup,
quotes, paths, 5,000 characters, right-to-left or zero-width characters, or NUL bytes.
Every such name must be:

* escaped wherever it reaches HTML (headings, text, great_tables cells, chart titles,
  tooltips and data inside each chart's inline JSON, "view as table" details, data notes);
* unable to choose where a report is written (slugs are sanitised, reserved names avoided);
* unable to run code through papermill's injected parameters cell;
* refused on the command line with one clear line (exit 1), never a traceback.

One report is rendered from a copy of the demonstration data in which Leeds (383) is
renamed `<script>alert("x")</script> & "Co"`, its closest statistical neighbour is given a
name full of markup and direction marks, and a source file is renamed to markup; every
other check on that page reads the same HTML.
"""

from __future__ import annotations

import ast
import csv
import html
import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import papermill.iorw
import papermill.parameterize
import polars as pl
import pytest
from bs4 import BeautifulSoup

import test_browser
from benchmarks import atomic, charts, cli, offline, render
from benchmarks.comparison import comparison_for
from benchmarks.errors import BenchmarksError, DataError, UnknownAuthorityError, UnknownGroupError
from benchmarks.reports import authority_page

pytestmark = pytest.mark.timeout(30)
KERNEL_TIMEOUT = 240  # tests whose fixtures write the data and render a report

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "robustness.md"

SCRIPT = "<script>alert(1)</script>"
LONG = ("Ynys Môn <b>bold</b> " * 250)[:5000]
#: Case -> name given on the command line / to render. The docs table lists these cases.
HOSTILE = {
    "script tag": SCRIPT,
    "quotes and apostrophes": "\"quotes' and 'apostrophes\"",
    "../ path": "../../etc/passwd",
    "..\\ path": "..\\..\\windows",
    "5,000 characters": LONG,
    "Unicode": "Ynys Môn ☃ 東京",
    "right-to-left": "\u202eRTL \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627\u202c",
    "zero-width joiners": "Lee\u200dds\u200b\ufeff",
    "NUL bytes": "Lee\x00ds\x00",
    "only dots": "..",
    "index page": "Index",
    "Windows device": "CON",
    "no ASCII letters": "東京",
}
#: Leeds' name in the hostile copy of the data, and its closest neighbour's.
DATA_NAME = '<script>alert("x")</script> & "Co"'
NEIGHBOUR_NAME = (
    "<img src=x onerror=alert(2)></script><script>alert(3)</script> "
    f"{offline.BUNDLE_MARKER} \u202eRTL\u200d \u05e9\u05dc\u05d5\u05dd ☃ 東京"
)
#: A source file renamed to markup (the report's data notes name each file).
FILE_NAME = 'csww_indicators_<img src=x onerror=alert(4)> "2025".csv'
GROUP_NAME = "<script>alert(\"group\")</script> & 'Co'"
LEEDS = "383"
#: Code injection attempts through papermill's injected parameters cell; CANARY is
#: replaced by a file path that must never be created.
PAYLOADS = [
    "\"; import os; os.system('touch CANARY'); x=\"",
    "'; open('CANARY', 'w').close(); x='",
    '"""\nopen(\'CANARY\', \'w\').close()\n"""',
    "'''\nopen('CANARY', 'w').close()\n'''",
    "\\\"; open('CANARY', 'w').close(); #",
    "\n__import__('os').system('touch CANARY')\n",
    "{__import__('os').system('touch CANARY')}",
    "\x00\"; open('CANARY', 'w').close() #\u2028\r",
]
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


# ------------------------------------------------------------------ helpers


def rename_in_folder(folder: Path, old: str, new: str) -> int:
    """Replace every CSV cell equal to `old`, and every spreadsheet cell text `old`, by `new`.

    CSVs are rewritten by the csv module (so quotes in `new` are quoted); .xlsx/.ods
    are zip files of XML, where the text is replaced XML-escaped. Returns the hits.
    """
    hits = 0
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".csv":
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
            found = sum(cell == old for row in rows for cell in row)
            if found:
                out = io.StringIO()
                csv.writer(out, lineterminator="\n").writerows(
                    [[new if cell == old else cell for cell in row] for row in rows]
                )
                path.write_text(out.getvalue(), encoding="utf-8")
                hits += found
        elif path.suffix in (".xlsx", ".ods"):
            with zipfile.ZipFile(path) as archive:
                members = [(info, archive.read(info)) for info in archive.infolist()]
            needle = f">{old}<".encode()
            found = sum(data.count(needle) for _, data in members)
            if found:
                replacement = f">{html.escape(new, quote=False)}<".encode()
                with zipfile.ZipFile(path, "w") as archive:
                    for info, data in members:  # same order and compression (ODS: mimetype first)
                        archive.writestr(info, data.replace(needle, replacement))
                hits += found
    return hits


def first_neighbour(folder: Path, code: str) -> tuple[str, str]:
    """(code, name) of `code`'s closest neighbour in the demo's 2025 model (wide CSV)."""
    with (folder / "authorities" / "sn_model_2025_wide.csv").open(encoding="utf-8-sig") as f:
        rows = {r["old_la_code"]: r for r in csv.DictReader(f)}
    neighbour = rows[code]["SN_1"]
    return neighbour, rows[neighbour]["la_name"]


def chart_scripts(soup: BeautifulSoup) -> list[tuple[Any, str, str]]:
    """Each inline chart script as (decoded spec, the spec's JSON text, the code around it).

    A chart script is `...bmDraw(el,<Vega spec JSON>)...`; the JSON is decoded
    with a real JSON parser, so any text in it is a string value, not code.
    """
    out = []
    parts = page_parts(soup)
    for script in soup.find_all("script"):
        text = script.string or ""
        if text == render.vega_bundle() or text.startswith(PARTS):
            continue
        start = text.index("bmDraw(el,") + len("bmDraw(el,")
        spec, end = json.JSONDecoder().raw_decode(text, start)
        out.append((with_rows(with_parts(spec, parts)), text[start:end], text[:start] + text[end:]))
    return out


PARTS = "window.bmParts="


def page_parts(soup: BeautifulSoup) -> list[Any]:
    """The parts the page's charts share (its one `window.bmParts=<JSON>;` script)."""
    for script in soup.find_all("script"):
        text = script.string or ""
        if text.startswith(PARTS):
            parts, end = json.JSONDecoder().raw_decode(text, len(PARTS))
            assert text[end:] == ";"
            return list(parts)
    return []


def with_parts(node: Any, parts: list[Any]) -> Any:
    """A chart spec with each `{"bm": i}` replaced by the page's part i."""
    if isinstance(node, dict):
        if list(node) == ["bm"]:
            return with_parts(parts[node["bm"]], parts)
        return {k: v if k == "values" else with_parts(v, parts) for k, v in node.items()}
    if isinstance(node, list):
        return [with_parts(v, parts) for v in node]
    return node


def with_rows(spec: Any) -> Any:
    """The spec with each dataset written as CSV text (`format.type` "csv") read back to
    rows, as Vega reads it: typed by `format.parse`, an empty cell as null."""
    kinds: dict[str, Any] = {"number": float, "string": str, "boolean": lambda v: v == "true"}
    data = []
    for dataset in spec.get("data", []):
        if dataset.get("format", {}).get("type") == "csv":
            parse = dataset["format"]["parse"]
            rows = [
                {k: (kinds[parse[k]](v) if v != "" else None) for k, v in row.items()}
                for row in csv.DictReader(io.StringIO(dataset["values"]))
            ]
            dataset = {**dataset, "values": rows}
        data.append(dataset)
    return {**spec, "data": data} if data else spec


def strings_in(value: Any) -> list[str]:
    """Every string anywhere in a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return []


def dicts_in(value: Any) -> list[dict]:
    """Every object anywhere in a JSON value."""
    if isinstance(value, dict):
        return [value, *(d for v in value.values() for d in dicts_in(v))]
    if isinstance(value, list):
        return [d for v in value for d in dicts_in(v)]
    return []


def tiny_authorities() -> pl.DataFrame:
    """Two authorities, with the columns name resolution reads."""
    return pl.DataFrame(
        {
            "la_code": ["383", "380"],
            "la_name": ["Leeds", "Bradford"],
            "ons_codes": [["E08000035"], ["E08000032"]],
            "current": [True, True],
            "date_of_operation": [date(2009, 1, 1), date(2009, 1, 1)],
        }
    )


def no_neighbours() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "la_code": pl.String,
            "model": pl.String,
            "neighbour_code": pl.String,
            "rank": pl.Int32,
            "closeness": pl.String,
        }
    )


def no_inspections() -> pl.DataFrame:
    return pl.DataFrame(schema={"la_code": pl.String, "overall": pl.String})


def assert_nothing_injected(page: str, soup: BeautifulSoup, *, charts_expected: int) -> None:
    """No element, attribute or script came from a name; every script is ours."""
    assert soup.find_all(["img", "iframe", "object", "embed"]) == []
    handlers = [
        (tag.name, attribute)
        for tag in soup.find_all(True)
        for attribute in tag.attrs
        if attribute.lower().startswith("on")
    ]
    assert handlers == []
    scripts = soup.find_all("script")
    # Every <script> opened in the raw page is one the parser saw, and each is closed once.
    assert page.lower().count("<script") == page.lower().count("</script") == len(scripts)
    shared = [s for s in scripts if (s.string or "").startswith(PARTS)]
    assert len(shared) <= 1
    assert len(scripts) == 1 + len(shared) + charts_expected
    assert sum((s.string or "") == render.vega_bundle() for s in scripts) == 1
    for script in shared:  # JSON only: "<" is \u003c, nothing but the one assignment
        text = script.string
        assert "<" not in text
        json.loads(text[len(PARTS) : -1])
    embedded = chart_scripts(soup)
    assert len(embedded) == charts_expected
    for _, spec_text, code in embedded:
        # "<" inside the JSON is always \u003c: it can never write "</script" or "<!--".
        assert "<" not in spec_text
        assert "alert" not in code and "onerror" not in code


# ------------------------------------------------------------------ slugs and paths


@pytest.mark.parametrize("name", list(HOSTILE.values()), ids=list(HOSTILE))
def test_slug_is_a_plain_bounded_file_name(name: str) -> None:
    slug = render.slugify(name)
    assert SLUG.fullmatch(slug), slug
    assert len(slug) <= 80
    assert slug not in render.RESERVED_SLUGS


@pytest.mark.parametrize("name", list(HOSTILE.values()), ids=list(HOSTILE))
def test_report_path_is_inside_out_dir_and_writable(name: str, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    path = render.report_path(out, 2025, name)
    assert path.resolve().is_relative_to(out.resolve())
    assert path.parent == out.resolve() / "2025"
    assert path.name != "index.html"
    atomic.write_text(path, "report")  # the file system accepts the name (no ENAMETOOLONG)
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()] == [
        f"reports/2025/{path.name}"
    ]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Index", "index-authority"),  # never the pack's <year>/index.html
        ("INDEX!", "index-authority"),
        ("con", "con-authority"),
        ("LPT1", "lpt1-authority"),
        (".", "authority"),
        ("..", "authority"),
        ("", "authority"),
        ("東京", "authority"),
        ("Ynys Môn ☃ 東京", "ynys-mon"),
        ("..\\..\\windows", "windows"),
        ("Lee\x00ds\x00", "lee-ds"),
        (DATA_NAME, "script-alert-x-script-co"),
        ("Indexton", "indexton"),
    ],
)
def test_reserved_and_empty_slugs(name: str, slug: str, tmp_path: Path) -> None:
    assert render.slugify(name) == slug
    assert render.report_path(tmp_path, 2025, name) == tmp_path / "2025" / f"{slug}.html"


def test_long_names_get_bounded_distinct_slugs() -> None:
    first, second = "a" * 4999 + "1", "a" * 4999 + "2"
    slugs = render.slugify(first), render.slugify(second)
    assert slugs[0] != slugs[1]
    assert all(len(s) == 80 and s.startswith("a" * 71 + "-") for s in slugs)
    assert render.slugify(first) == slugs[0]  # the same name always gets the same file
    assert render.slugify("b" * 80) == "b" * 80  # 80 characters still fit whole


# ------------------------------------------------------------------ papermill parameters


def injected_cell(parameters: dict[str, Any]) -> str:
    nb = papermill.iorw.load_notebook_node(str(render.NOTEBOOK))  # as execute_notebook loads it
    nb = papermill.parameterize.parameterize_notebook(nb, parameters)
    cells = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    return cells[0].source


@pytest.mark.parametrize(
    "value",
    PAYLOADS + list(HOSTILE.values()),
    ids=[f"payload{i}" for i in range(len(PAYLOADS))] + list(HOSTILE),
)
def test_injected_parameters_are_plain_string_assignments(value: str, tmp_path: Path) -> None:
    """The cell papermill injects holds assignments of literals and nothing else."""
    value = value.replace("CANARY", str(tmp_path / "pwned"))
    parameters = render.report_parameters(value, comparator=value)
    tree = ast.parse(injected_cell(parameters))
    assigned = {}
    for statement in tree.body:
        assert isinstance(statement, ast.Assign), ast.dump(statement)
        (target,) = statement.targets
        assert isinstance(target, ast.Name) and isinstance(statement.value, ast.Constant)
        assigned[target.id] = statement.value.value
    assert assigned == parameters  # each value arrives as the literal string
    assert {type(node) for node in ast.walk(tree)} <= {
        ast.Module,
        ast.Assign,
        ast.Name,
        ast.Store,
        ast.Constant,
    }


# ------------------------------------------------------------------ the hostile report


@pytest.fixture(scope="module")
def hostile_data(home: Path) -> dict[str, Any]:
    """The demonstration data with Leeds, its closest neighbour and a file renamed."""
    from benchmarks import demo

    folder = demo.write_demo(home / "demo")
    neighbour_code, neighbour = first_neighbour(folder, LEEDS)
    assert rename_in_folder(folder, "Leeds", DATA_NAME) > 10
    assert rename_in_folder(folder, neighbour, NEIGHBOUR_NAME) > 10
    workforce = folder / "workforce"
    (original,) = workforce.glob("csww_indicators_*.csv")
    original.rename(workforce / FILE_NAME)
    return {"dir": folder, "neighbour_code": neighbour_code}


@pytest.fixture(scope="module")
def renderer(home: Path):
    with render.Renderer() as kept:
        yield kept


@pytest.fixture(scope="module")
def hostile_report(renderer: render.Renderer, hostile_data: dict[str, Any], home: Path) -> Path:
    # Asked for by its hostile name: it goes through papermill and resolves in the kernel.
    return renderer.render(DATA_NAME, data_dir=hostile_data["dir"], out_dir=home / "reports")


@pytest.fixture(scope="module")
def page(hostile_report: Path) -> str:
    return hostile_report.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def soup(page: str) -> BeautifulSoup:
    return BeautifulSoup(page, "html.parser")


@pytest.mark.slow
@pytest.mark.timeout(KERNEL_TIMEOUT)
def test_hostile_report_is_written_inside_out_dir(hostile_report: Path, home: Path) -> None:
    assert hostile_report == home / "reports" / "2025" / "script-alert-x-script-co.html"
    assert [p.name for p in (home / "reports").rglob("*")] == ["2025", hostile_report.name]


@pytest.mark.slow
@pytest.mark.timeout(KERNEL_TIMEOUT)
def test_no_element_attribute_or_script_comes_from_a_name(page: str, soup: BeautifulSoup) -> None:
    assert_nothing_injected(page, soup, charts_expected=54)


@pytest.mark.slow
@pytest.mark.timeout(KERNEL_TIMEOUT)
def test_names_read_as_text_where_they_appear(soup: BeautifulSoup) -> None:
    def texts(selector: str) -> list[str]:
        return [el.get_text() for el in soup.select(selector)]

    assert soup.title.get_text().startswith(f"Children's social care benchmarks: {DATA_NAME}, 2025")
    assert soup.h1.get_text() == f"Children's social care benchmarks: {DATA_NAME}, 2025"
    assert soup.select_one("p.bm-lede").get_text().startswith(f"{DATA_NAME} (")
    # great_tables: the title and the authority's column label
    assert texts("#cmp .gt_title") == [f"How {DATA_NAME} compares, 2025"]
    assert DATA_NAME in texts("#cmp th.gt_col_heading")
    # the charts' accessible names and "view as table" details
    labels = [div["aria-label"] for div in soup.select("div.bm-chart")]
    assert any(
        a.startswith(f"Timeline of Ofsted inspections and visits of {DATA_NAME}: ") for a in labels
    )
    assert any(f"leaving (second bar) {DATA_NAME} in each year" in a for a in labels)
    assert f"View as table: Ofsted inspections and visits: {DATA_NAME}" in texts("details summary")
    cells = texts("details table.bm-data td")
    # one position table an indicator; in the demo the authority's 2025 share of care
    # leavers aged 17-18 in suitable accommodation is c, so that chart has no mark for it
    assert cells.count(f"{DATA_NAME} (this authority)") == 25
    assert cells.count(f"{NEIGHBOUR_NAME} (statistical neighbour)") == 25  # one c too
    assert texts("details table.bm-data th").count(DATA_NAME) == 26  # trend tables' series
    # indicator summaries, and the data notes' file list
    assert sum(t.startswith(f"2025: {DATA_NAME} ") for t in texts("p")) >= 10
    notes = soup.find(id="notes").find_parent("div", class_="jp-OutputArea-output")
    assert any(td.get_text().startswith(f"workforce/{FILE_NAME}") for td in notes.select("td"))


@pytest.mark.slow
@pytest.mark.timeout(KERNEL_TIMEOUT)
def test_chart_specs_carry_names_as_data_only(soup: BeautifulSoup) -> None:
    specs = [spec for spec, _, _ in chart_scripts(soup)]
    assert len(specs) == 54
    titles = [charts.chart_title(s) for s in specs]
    assert f"Ofsted inspections and visits: {DATA_NAME}" in titles
    strings = [s for spec in specs for s in strings_in(spec)]
    # a tooltip/table row in each position chart where the neighbour has a figure (one c)
    assert strings.count(NEIGHBOUR_NAME) == 25
    assert f"Shaded band: the 95% interval around {DATA_NAME}'s value." in strings
    # The position charts' axis labels are a Vega expression: the name is only ever a
    # JSON string literal inside it (replaced by S, the expression's shape is fixed).
    expressions = [  # one per position chart (each of its layers repeats it)
        expression
        for spec in specs
        for expression in {
            e["signal"]  # Vega-Lite's labelExpr, compiled to the axis labels' text signal
            for e in dicts_in(spec)
            if isinstance(e.get("signal"), str) and "datum.value ===" in e["signal"]
        }
    ]
    assert len(expressions) == 26
    literal = re.compile(r'"(?:[^"\\]|\\.)*"')
    for expression in expressions:
        shape = literal.sub("S", expression)
        assert shape == (
            "datum.value === S ? S : datum.value === S ? S : datum.value === S ? S : datum.value"
        )
        assert json.loads(literal.findall(expression)[1]) == DATA_NAME


# ------------------------------------------------------------------ code injection, live


@pytest.mark.slow
@pytest.mark.timeout(KERNEL_TIMEOUT)
def test_injection_runs_nothing_in_the_kernel(
    renderer: render.Renderer, hostile_data: dict[str, Any], tmp_path: Path
) -> None:
    canary = tmp_path / "pwned"
    out = tmp_path / "out"
    for payload in PAYLOADS:
        value = payload.replace("CANARY", str(canary))
        with pytest.raises(render.ReportError) as caught:
            renderer.render(value, data_dir=hostile_data["dir"], out_dir=out)
        # the kernel saw exactly the string (UnknownAuthorityError shows it with repr)
        assert caught.value.ename == "UnknownAuthorityError"
        assert f"No local authority matches {value!r}." in caught.value.evalue
        with pytest.raises(render.ReportError) as caught:
            renderer.render(LEEDS, comparator=value, data_dir=hostile_data["dir"], out_dir=out)
        assert caught.value.ename == "UnknownGroupError"
        assert f"No comparator group {value!r}." in caught.value.evalue
    assert not canary.exists()
    assert not out.exists()


# ------------------------------------------------------------------ a hostile group name


@pytest.mark.slow
@pytest.mark.timeout(KERNEL_TIMEOUT)
def test_partnership_group_name_is_escaped_in_every_section(
    hostile_data: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user's partnership file names a group with markup; the report's sections
    (built in this process, from a comparison with that file) show it only as text."""
    toml = tmp_path / "groups.toml"
    toml.write_text(
        f"[groups.{json.dumps(GROUP_NAME)}]\n"
        f'description = "<b>a description</b>"\n'
        f'members = ["{LEEDS}", "{hostile_data["neighbour_code"]}", "384"]\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(
        charts, "enable_offline_renderer", lambda: None
    )  # keep this process's altair
    built = authority_page(
        LEEDS, comparator=GROUP_NAME, data_dir=hostile_data["dir"], groups_file=toml
    )
    assert built.choice.group_label == f"the other {GROUP_NAME} authorities"
    sections = [
        built.header(),
        built.headline(),
        built.inspection_history(),
        built.workforce(),
        built.demand(),
        built.outcomes(),
        built.comparison(),
        built.data_notes(),
    ]
    body = "".join(str(s) for s in sections)
    page = f"<html><head><script>{render.vega_bundle()}</script></head><body>{body}</body></html>"
    soup = BeautifulSoup(page, "html.parser")
    assert_nothing_injected(page, soup, charts_expected=54)
    label = f"The other {GROUP_NAME} authorities"
    assert (
        f"compared with the other {GROUP_NAME} authorities"
        in soup.select_one("p.bm-lede").get_text()
    )
    tiles = [p.get_text() for p in soup.select(".bm-tile p")]
    assert sum(t.startswith(f"{label}: ") for t in tiles) == 10
    subtitle = soup.select_one("#cmp .gt_subtitle").get_text()
    assert subtitle.startswith(f"Comparator: {label} (median).")
    headers = [th.get_text() for th in soup.select("details table.bm-data th")]
    assert headers.count(f"{label} (median)") == 26  # the trend tables' comparator column
    strings = [s for spec, _, _ in chart_scripts(soup) for s in strings_in(spec)]
    assert f"{label} (median)" in strings  # legend and tooltip values


def test_hostile_partnership_member_is_a_clear_error(tmp_path: Path) -> None:
    from benchmarks import groups

    authorities = tiny_authorities()
    toml = tmp_path / "groups.toml"
    member = '<script>alert("m")</script>\u202e'
    toml.write_text(
        f"[groups.{json.dumps(GROUP_NAME)}]\nmembers = [{json.dumps(member)}, {json.dumps(LONG)}]\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        groups.read_partnerships(toml, authorities)
    message = str(caught.value)
    assert repr(member) in message  # the direction mark shows as \u202e, not as itself
    assert "\u202e" not in message
    assert repr(f'[groups."{GROUP_NAME}"] members') in message
    with pytest.raises(UnknownGroupError) as unknown:
        groups.group_spec(authorities, no_neighbours(), no_inspections(), SCRIPT, partnerships=toml)
    assert str(unknown.value).startswith(f"No comparator group {SCRIPT!r}. Known groups: sn2025")


# ------------------------------------------------------------------ the command line


def test_long_name_suggestion_search_is_quick() -> None:
    from benchmarks.geography import resolve_la

    authorities = tiny_authorities()
    started = time.perf_counter()
    for name in (LONG, "Leeds" * 1000, "x" * 5000 + "Leeds"):
        with pytest.raises(UnknownAuthorityError):
            resolve_la(authorities, name)
    assert time.perf_counter() - started < 1.0
    with pytest.raises(UnknownAuthorityError) as caught:
        resolve_la(authorities, SCRIPT.replace("1", "Leeds"))
    assert str(caught.value).startswith(
        f"No local authority matches {SCRIPT.replace('1', 'Leeds')!r}."
    )


@pytest.mark.slow
@pytest.mark.timeout(KERNEL_TIMEOUT)
@pytest.mark.parametrize("name", list(HOSTILE.values()), ids=list(HOSTILE))
def test_cli_refuses_a_hostile_authority_in_one_line(
    name: str,
    renderer: render.Renderer,
    hostile_data: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`benchmarks report --la NAME` (the module's kept kernel stands in for a new one)."""
    monkeypatch.setattr(render, "render_report", renderer.render)
    out = tmp_path / "out"
    code = cli.main(
        ["report", "--la", name, "--data-dir", str(hostile_data["dir"]), "--out", str(out)]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("benchmarks report: the report for ")
    assert f"No local authority matches {name!r}." in err
    assert "Traceback" not in err and err.count("\n") == 1
    assert not out.exists()


@pytest.mark.slow
@pytest.mark.timeout(KERNEL_TIMEOUT)
def test_cli_process_exits_1_with_the_name_and_a_suggestion(
    hostile_data: dict[str, Any], home: Path, tmp_path: Path
) -> None:
    """The real command in a new process: exit 1, one line, no traceback, nothing written."""
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.cli", "report", "--la", SCRIPT]
        + ["--data-dir", str(hostile_data["dir"]), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=KERNEL_TIMEOUT - 30,
        env={**os.environ, "BENCHMARKS_HOME": str(home)},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"No local authority matches {SCRIPT!r}. Did you mean: {DATA_NAME}?" in result.stderr
    assert not out.exists()


def test_cli_unusable_data_folder_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["report", "--la", "Leeds", "--data-dir", "~no-such-user-here/data"])
    err = capsys.readouterr().err
    assert code == 1
    assert err == (
        "benchmarks report: cannot use '~no-such-user-here/data' as a data folder: "
        "Could not determine home directory.\n"
    )


def test_report_parameters_refuse_a_nul_in_the_data_folder() -> None:
    with pytest.raises(BenchmarksError, match=r"cannot use 'a\\x00b' as a data folder"):
        render.report_parameters("Leeds", data_dir="a\x00b")


# ------------------------------------------------------------------ packs and the index page


def hostile_groups_file(folder: Path, members: list[str]) -> Path:
    """A user's partnership file with one group named GROUP_NAME."""
    path = folder / "groups.toml"
    path.write_text(
        f"[groups.{json.dumps(GROUP_NAME)}]\nmembers = {json.dumps(members)}\n", encoding="utf-8"
    )
    return path


@pytest.fixture(scope="module")
def hostile_pack(hostile_data: dict[str, Any], home: Path) -> Path:
    """`benchmarks report --group GROUP_NAME --groups-file FILE`: a pack of Leeds (renamed)."""
    groups = hostile_groups_file(home, [LEEDS])
    out = home / "pack"
    argv = ["report", "--group", GROUP_NAME, "--groups-file", str(groups)]
    argv += ["--data-dir", str(hostile_data["dir"]), "--out", str(out), "--workers", "1", "--quiet"]
    assert cli.main(argv) == 0
    return out


@pytest.mark.slow
@pytest.mark.timeout(KERNEL_TIMEOUT)
def test_pack_index_shows_hostile_names_as_text(hostile_pack: Path) -> None:
    index = hostile_pack / "2025" / "index.html"
    page = index.read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert sorted(p.name for p in index.parent.glob("*.html")) == [
        "index.html",
        "script-alert-x-script-co.html",
    ]
    assert soup.find_all(["img", "iframe", "object", "embed"]) == []
    assert [a for t in soup.find_all(True) for a in t.attrs if a.lower().startswith("on")] == []
    # one script: the page's own sorting/filtering code, never a name
    assert page.lower().count("<script") == page.lower().count("</script") == 1
    assert "alert" not in soup.find("script").get_text()
    (row,) = soup.select("#authorities tbody tr")
    assert row.th.a.get_text() == DATA_NAME
    assert row.th.a["href"] == "script-alert-x-script-co.html"
    assert row["data-name"] == DATA_NAME
    assert json.loads(row["data-groups"]) == [GROUP_NAME]
    assert [o.get_text() for o in soup.select("#filter-group option")] == ["All groups", GROUP_NAME]
    assert soup.select("#filter-group option")[1]["value"] == GROUP_NAME
    files = [td.get_text() for td in soup.select("#data ~ table td")]
    assert f"workforce/{FILE_NAME}" in files


@pytest.mark.slow
@pytest.mark.timeout(KERNEL_TIMEOUT)
def test_index_page_escapes_manifest_notes_and_the_comparator(
    hostile_data: dict[str, Any], hostile_report: Path, home: Path
) -> None:
    """The index page built directly: a failed render's note and a comparator name, both
    with markup (the manifest is a file on disk; the comparator comes from the user)."""
    from benchmarks import packs, panel

    bundle = panel.load(hostile_data["dir"])
    out = home / "reports"
    neighbour_file = render.report_path(out, 2025, NEIGHBOUR_NAME)
    atomic.write_text(neighbour_file, "an earlier report")
    manifest = {
        "format": packs.manifest.MANIFEST_FORMAT,
        "index": {},
        "reports": {
            LEEDS: {"la_name": DATA_NAME, "file": hostile_report.relative_to(out).as_posix()},
            hostile_data["neighbour_code"]: {
                "la_name": NEIGHBOUR_NAME,
                "file": neighbour_file.relative_to(out).as_posix(),
                "last_error": SCRIPT,
                "failed_at": "<img src=x onerror=alert(5)>",
                "rendered_at": "</span><script>alert(6)</script>",
            },
        },
    }
    page = packs.index.index_page(
        bundle,
        comparison_for(bundle, "sn2025"),
        manifest,
        out_dir=out,
        year=2025,
        comparator=GROUP_NAME,
        groups={GROUP_NAME: (LEEDS, hostile_data["neighbour_code"])},
    )
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find_all(["img", "iframe", "object", "embed"]) == []
    assert page.lower().count("<script") == page.lower().count("</script") == 1
    names = [a.get_text() for a in soup.select("#authorities tbody th a")]
    assert sorted(names) == sorted([DATA_NAME, NEIGHBOUR_NAME])
    assert [n.get_text() for n in soup.select("#authorities .note")] == [
        "Latest render failed (<img src=x onerror=alert(5)>); "
        "the report linked is from </span><script>alert(6)</script>."
    ]
    assert GROUP_NAME in soup.select_one("p.lede").get_text()  # the comparator, as text


@pytest.mark.timeout(KERNEL_TIMEOUT)
@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--group", SCRIPT, f"No comparator group {SCRIPT!r}. Known groups: "),
        ("--group", LONG, f"No comparator group {LONG!r}. Known groups: "),
        ("--region", SCRIPT, f"No region {SCRIPT!r}. Regions: "),
        ("--region", LONG, f"No region {LONG!r}. Regions: "),
        ("--la", SCRIPT, f"No local authority matches {SCRIPT!r}. Did you mean: {DATA_NAME}?"),
        ("--la", LONG, f"No local authority matches {LONG!r}."),
    ],
    ids=["group", "long group", "region", "long region", "la", "long la"],
)
def test_pack_refuses_hostile_selections_in_one_line(
    option: str,
    value: str,
    message: str,
    hostile_data: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A pack names its authorities before any kernel starts: a bad name is one line."""
    out = tmp_path / "out"
    groups = hostile_groups_file(tmp_path, [LEEDS])  # the shipped example names Leeds
    argv = ["report", option, value, "--la", LEEDS, "--groups-file", str(groups)]
    argv += ["--data-dir", str(hostile_data["dir"])]
    started = time.perf_counter()
    code = cli.main([*argv, "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert time.perf_counter() - started < 10  # no kernel started, no difflib stall
    assert code == 1
    assert err.startswith("benchmarks report: ") and message in err
    assert "Traceback" not in err and err.count("\n") == 1
    assert not list(out.rglob("*.html"))


def test_pack_progress_bar_shows_a_name_with_rich_markup_as_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An authority name with rich markup ('[/x]' closes no tag) reaching the progress bar
    once made the pack end in a MarkupError traceback before the index was written."""
    from benchmarks import packs

    monkeypatch.setenv("FORCE_COLOR", "1")  # draw the bar as on a terminal
    start = packs.run.progress_bar(quiet=False)
    assert start is not None
    advance = start(2)
    for name in ("[link=https://example.com]Linked[/link] [bold", "[/x] Evil"):
        job = packs.manifest.Job(LEEDS, name, {}, {})
        advance(
            packs.workers.Outcome(job, path=Path("report.html"))
        )  # the second one stops the bar


# ------------------------------------------------------------------ in a real browser

browser_binaries = test_browser.browser_binaries  # the browser test's fixtures (skip/fail rule)
driver = test_browser.driver
#: Before any script of the page runs: alert() records its message instead of showing it.
ALERT_TRAP = (
    "window.__alerts = []; window.alert = function (m) { window.__alerts.push(String(m)); };"
)
POSITION_MARKS = """
var figure = Array.from(document.querySelectorAll('figure.bm-figure')).find(function (f) {
  return f.querySelector('summary').textContent.indexOf('position among all authorities') >= 0;
});
figure.scrollIntoView();
return Array.from(figure.querySelectorAll('g.mark-symbol path'));
"""
#: Choose a group in the index page's filter (adding it as an option if it is not one).
FILTER_BY_GROUP = """
var wanted = arguments[0], select = document.getElementById('filter-group');
if (!Array.from(select.options).some(function (o) { return o.value === wanted; })) {
  select.add(new Option('other', wanted));
}
select.value = wanted;
select.dispatchEvent(new Event('change'));
return document.getElementById('shown').textContent;
"""
TOOLTIP = """
var tip = document.getElementById('vg-tooltip-element');
return tip && tip.classList.contains('visible')
  ? {text: tip.textContent, elements: tip.querySelectorAll('script, img, iframe').length}
  : null;
"""


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(KERNEL_TIMEOUT)
def test_browser_runs_no_injected_script_and_tooltips_show_names_as_text(
    driver: Any, hostile_report: Path
) -> None:
    """Chromium, offline: every chart draws, nothing calls alert(), no element is made
    from a name, and hovering the position chart's marks shows both hostile names as text."""
    from selenium.webdriver.common.action_chains import ActionChains

    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ALERT_TRAP})
    driver.get(hostile_report.as_uri())
    states = test_browser.wait_for_charts(driver)
    assert len(states) == 54 and all(s["drawn"] and not s["failed"] for s in states)
    tooltips = []
    wanted = [f"Authority{DATA_NAME}%", f"Authority{NEIGHBOUR_NAME}%"]
    for mark in driver.execute_script(POSITION_MARKS):
        ActionChains(driver).move_to_element(mark).perform()
        deadline = time.monotonic() + 1
        while (tip := driver.execute_script(TOOLTIP)) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if tip is not None:
            tooltips.append(tip)
        if all(any(t["text"].startswith(w) for t in tooltips) for w in wanted):
            break
    texts = [t["text"] for t in tooltips]
    assert all(any(t.startswith(w) for t in texts) for w in wanted), texts
    assert [t for t in tooltips if t["elements"]] == []
    assert driver.execute_script("return document.querySelectorAll('img, iframe').length") == 0
    assert driver.execute_script("return window.__alerts") == []


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(KERNEL_TIMEOUT)
def test_browser_index_filters_by_a_hostile_group_and_runs_nothing(
    driver: Any, hostile_pack: Path
) -> None:
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ALERT_TRAP})
    driver.get((hostile_pack / "2025" / "index.html").as_uri())
    shown = driver.execute_script(FILTER_BY_GROUP, GROUP_NAME)
    assert shown == "1"
    assert driver.execute_script(FILTER_BY_GROUP, GROUP_NAME + " ") == "0"
    assert driver.execute_script("return document.querySelectorAll('img, iframe').length") == 0
    assert driver.execute_script("return window.__alerts") == []


# ------------------------------------------------------------------ the robustness page


def test_robustness_page_lists_every_name_case_with_its_file_name() -> None:
    """docs/robustness.md's "Names given as an authority" table has a row for every case
    here, and the file name it states is the one the report gets."""
    text = DOC.read_text(encoding="utf-8")
    table = text.split("### Names given as an authority", 1)[1].split("\n### ", 1)[0]
    rows = [
        [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        for line in table.splitlines()
        if line.startswith("| ") and not line.startswith("| case ")
    ]
    assert [row[0] for row in rows] == list(HOSTILE)
    for case, _, file_name in rows:
        slug = render.slugify(HOSTILE[case])
        if case == "5,000 characters":
            assert len(slug) == 80 and re.fullmatch(r".{71}-[0-9a-f]{8}", slug)
        else:
            assert file_name.startswith(f"`{slug}.html`"), (case, file_name)
