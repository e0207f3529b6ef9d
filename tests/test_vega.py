"""Charts compiled to Vega for the page (benchmarks.charts.vega): templates compiled once
and filled in give what compiling each chart gives; names land only as text or as the
inside of a JavaScript string literal."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from benchmarks import charts
from benchmarks.charts import vega
from test_charts import comparison_rows
from test_pack import HOSTILE, all_las


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCHMARKS_HOME", str(tmp_path))


@pytest.mark.parametrize("la_name", ["Tinytown", HOSTILE])
def test_a_filled_trend_template_is_the_compiled_chart(la_name: str) -> None:
    fast = charts.trend_spec(comparison_rows([8.0, 9.0, 7.0]), "sw_turnover_rate", la_name)
    # the page draws the altair spec's chart: the same names and data (dataset names shortened)
    assert vega.for_page(fast.vega, fast.shared) == vega.for_page(vega.compile_spec(fast.spec))
    assert "$schema" not in fast.vega and "description" not in fast.vega


def test_a_filled_position_template_is_the_compiled_chart() -> None:
    frame = all_las().with_columns(
        la_name=pl.when(pl.col("la_code") == "901").then(pl.lit(HOSTILE)).otherwise("la_name")
    )
    fast = charts.position_spec(frame, "sw_caseload", "901", ["902"], year=2025, england=12.0)
    assert vega.for_page(fast.vega, fast.shared) == vega.for_page(vega.compile_spec(fast.spec))
    labels = [e for e in _strings(fast.vega, "signal") if "datum.value ===" in e]
    assert labels and all(json.dumps(HOSTILE) in e for e in labels)  # as a JSON literal


def test_js_string_content_is_a_string_literals_inside() -> None:
    name = 'O\'Hara "&" \\ </script> \u2028 \n Ünï'
    inside = vega.js_string_content(name)
    assert json.loads(f'"{inside}"') == name
    assert "\u2028" not in inside and "\n" not in inside
    # a double quote or backslash never ends the literal early
    assert all(inside[i - 1] == "\\" for i, c in enumerate(inside) if c == '"')


def test_fill_escapes_a_name_by_where_it_lands() -> None:
    template = {
        "title": "@@bm:la@@ and others",
        "encode": {"text": {"signal": 'datum.name === "@@bm:la@@" ? "yes" : "no"'}},
        "data": [{"name": "data-t", "values": [{"name": "@@bm:la@@"}]}, {"source": "data-t"}],
    }
    vega.check_template(template)
    name = 'A "quoted" \\ name'
    filled = vega.fill(template, {"la": name}, {"data-t": [{"n": 1}]}, {"data-t": "data-real"})
    assert filled["title"] == f"{name} and others"  # text: the name as it is
    assert filled["encode"]["text"]["signal"] == (
        f"datum.name === {json.dumps(name)} ? " + '"yes" : "no"'
    )
    assert filled["data"] == [{"name": "data-real", "values": [{"n": 1}]}, {"source": "data-real"}]


@pytest.mark.parametrize(
    "template",
    [
        {"signal": "datum.name === @@bm:la@@"},  # code, not a string
        {"expr": "datum.name === '@@bm:la@@'"},  # single quotes: not what fill escapes for
        {"signal": '"a" + @@bm:la@@'},
        {"scales": {"@@bm:la@@": 1}},  # a property name
    ],
)
def test_a_template_with_a_name_outside_a_string_is_refused(template: dict) -> None:
    with pytest.raises(ValueError, match="chart name landed"):
        vega.check_template(template)


def test_compiled_specs_are_cached_on_disk(tmp_path: Path) -> None:
    spec = {"data": {"values": [{"x": 1}]}, "mark": "point", "encoding": {"x": {"field": "x"}}}
    compiled = vega.compile_spec(spec)
    assert "marks" in compiled and "$schema" not in compiled
    assert len(list((tmp_path / "cache" / "vega").glob("*.json"))) == 1
    vega._COMPILED.clear()
    assert vega.compile_spec(spec) == compiled  # read back from disk


@pytest.mark.parametrize("la_name", ["Tinytown", "bm_0", *HOSTILE])
def test_a_filled_template_goes_on_the_page_as_the_whole_chart_would(la_name: str) -> None:
    # for_page leaves the template's own parts as they are: the same page spec as
    # walking the whole chart, also when a name takes a short dataset name ("bm_0").
    rows = comparison_rows([8.0, 9.0, 7.0])
    for made in (
        charts.trend_spec(rows, "sw_turnover_rate", la_name, region_name="bm_1"),
        charts.position_spec(all_las(), "sw_turnover_rate", "383", [], year=2025, england=8.0),
    ):
        assert made.shared is not None and made.shared.ids
        walked = vega.for_page(made.vega)
        assert vega.for_page(made.vega, made.shared) == walked
        names = [d["name"] for d in walked["data"] if "values" in d]
        assert names and all(n.startswith("bm_") for n in names)
    trend = charts.trend_spec(rows, "sw_turnover_rate", "bm_0", region_name="bm_1")
    page = vega.for_page(trend.vega, trend.shared)
    assert [d["name"] for d in page["data"] if "values" in d] == ["bm_2"]  # 0 and 1 taken


def test_a_templates_own_short_names_are_taken_too() -> None:
    # A template constant "bm_0" (in a part every filled copy shares) is not walked, yet
    # the dataset still goes to "bm_1", as walking the whole chart gives.
    name = "data-" + "0" * 32
    template = {
        "data": [{"name": "tpl", "values": [{"x": 1}]}],
        "marks": [{"from": {"data": "tpl"}, "type": "symbol"}],
        "signals": [{"name": "bm_0", "value": "@@bm:la@@"}],
        "title": {"text": "bm_0"},
    }
    active = vega.active_nodes(template, {"tpl"})
    shared = vega.template_parts(template, active)
    assert id(template["title"]) in shared.ids and shared.short_names == {"bm_0"}
    filled = vega.fill(template, {"la": "Leeds"}, {"tpl": [{"x": 2.0}]}, {"tpl": name}, active=active)
    assert filled["title"] is template["title"]  # shared, not copied
    page = vega.for_page(filled, shared)
    assert page == vega.for_page(filled)
    assert page["data"][0]["name"] == page["marks"][0]["from"]["data"] == "bm_1"


def test_a_chart_in_the_report_theme_carries_the_page_config() -> None:
    fast = charts.trend_spec(comparison_rows([8.0, 9.0, 7.0]), "sw_turnover_rate", "Tinytown")
    assert vega.for_page(fast.vega)["config"] == vega.PAGE_CONFIG
    assert fast.vega["config"] == vega.page_config() != {}
    other = {**fast.vega, "config": {"aria": True}}
    assert vega.for_page(other)["config"] == {"aria": True}  # a config of its own stays


def _strings(value: object, key: str) -> list[str]:
    if isinstance(value, dict):
        own = [v for k, v in value.items() if k == key and isinstance(v, str)]
        return own + [s for v in value.values() for s in _strings(v, key)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v, key)]
    return []


def test_expressions_write_double_quoted_literals_one_way() -> None:
    code = 'datum["s"]==="Tiny \\"t\\" Ünï" ? \'it\\\'s "x"\' : 1'
    assert vega.canonical({"expr": code, "text": "Ünï"}) == {
        "expr": 'datum["s"]==="Tiny \\"t\\" \\u00dcn\\u00ef" ? \'it\\\'s "x"\' : 1',
        "text": "Ünï",  # not an expression: as it is
    }
