"""Inline chart data as CSV text (charts.vega.csv_dataset): what Vega reads back equals
the rows, a null stays null (never 0 or ""), and a hostile name stays text."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks import pageparts
from benchmarks.charts import vega

HOSTILE = 'Bad, "Co" </script><b>\n\u2028&'
ROWS = [
    {"name": "Essex", "role": "other", "value": 178.1, "year": 2024},
    {"name": HOSTILE, "role": "la", "value": None, "year": 2025},
    {"name": "Zed", "role": None, "value": 0, "year": 2023},
]


def test_rows_become_csv_text_with_each_column_typed() -> None:
    dataset = vega.csv_dataset({"name": "data-x", "values": ROWS})
    assert dataset["name"] == "data-x"
    assert dataset["format"] == {
        "type": "csv",
        "parse": {"name": "string", "role": "string", "value": "number", "year": "number"},
    }
    # written by hand: the hostile name quoted, the nulls as empty cells, 0 as 0
    assert dataset["values"] == (
        "name,role,value,year\n"
        "Essex,other,178.1,2024\n"
        '"Bad, ""Co"" </script><b>\n\u2028&",la,,2025\n'
        "Zed,,0,2023\n"
    )
    back = list(csv.reader(io.StringIO(dataset["values"])))
    assert back[2][0] == HOSTILE


@pytest.mark.parametrize(
    "values",
    [
        [],
        [{"a": 1}, {"b": 1}],  # different keys: a missing key is not a null
        [{"a": 1}, {"a": "x"}],  # mixed types
        [{"a": ""}],  # an empty string would come back null
        [{"a": [1, 2]}],  # nested
        [{"a": float("nan")}],
    ],
)
def test_what_csv_cannot_carry_exactly_stays_json(values: list[dict[str, Any]]) -> None:
    dataset = {"name": "d", "values": values}
    assert vega.csv_dataset(dataset) == dataset


def test_for_page_writes_inline_rows_as_csv_and_leaves_other_datasets() -> None:
    compiled = {"data": [{"name": "d", "values": [{"a": 1.0}]}, {"name": "e", "source": "d"}]}
    page = vega.for_page(compiled)
    assert page["data"][0]["values"] == "a\n1\n"
    assert page["data"][1] == {"name": "e", "source": "d"}
    assert compiled["data"][0]["values"] == [{"a": 1.0}]  # the compiled spec is not changed


@pytest.mark.browser
def test_vega_reads_the_csv_back_as_the_rows(tmp_path: Path, home: Path) -> None:
    """In Chromium, the dataset Vega parsed from the CSV equals the JSON rows: the null
    value is null (vega-util's number parser gives null for an empty cell, not 0)."""
    from benchmarks import components, offline
    from browser_support import chrome

    spec = vega.for_page(
        {
            "data": [{"name": "table", "values": ROWS}],
            "marks": [{"type": "symbol", "from": {"data": "table"}}],
        }
    )
    page = tmp_path / "csv.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>CSV</title>'
        f"<script>{offline.vega_bundle()}</script></head><body><div id='c'></div><script>"
        f"bmDraw(document.getElementById('c'), {components.script_json(spec)})"
        ".then(function(v){window.rows=v.data('table').map(function(d){"
        "return {name:d.name,role:d.role,value:d.value,year:d.year};});})"
        ".catch(function(e){window.rows=String(e);});</script></body></html>",
        encoding="utf-8",
    )
    with chrome(tmp_path / "profile") as driver:
        driver.get(page.as_uri())
        rows = None
        for _ in range(100):
            rows = driver.execute_script("return window.rows || null;")
            if rows is not None:
                break
            time.sleep(0.1)
    assert json.loads(json.dumps(rows)) == ROWS


# ------------------------------------------------------------------ parts shared by a page

BIG = {"encode": {"update": {"fill": {"value": "#12436D"}, "tooltip": {"signal": "datum.x"}}}}
FAKE_CALL = (
    "box.textContent='Chart unavailable: the Vega library did not load.';return;}"
    'bmShow(box,bmDraw(el,{"a":1}));})(document.getElementById('
)


def test_a_subtree_two_charts_carry_is_shared_once() -> None:
    one = {"marks": [BIG, {"type": "rect"}], "data": [{"name": "d", "values": "a\n1\n"}]}
    two = {"marks": [BIG], "title": {"text": "Two"}}
    parts, (a, b) = pageparts.share_parts([one, two])
    assert parts == [BIG]
    assert a["marks"] == [{"bm": 0}, {"type": "rect"}]
    assert b == {"marks": [{"bm": 0}], "title": {"text": "Two"}}
    assert pageparts.with_parts(a, parts) == one and pageparts.with_parts(b, parts) == two


def test_nothing_is_shared_from_one_chart_or_inside_values() -> None:
    rows = [{"name": "x" * 60}]
    specs = [
        {"marks": [BIG, BIG]},
        {"data": [{"name": "a", "values": rows}]},
        {"data": [{"name": "b", "values": rows}]},
    ]
    parts, out = pageparts.share_parts(specs)
    assert parts == [] and out == specs


def _json(value: Any) -> str:
    """What a page carries: 1, 1.0 and true (or 0.0 and -0.0) differ, NaN equals NaN."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _mark(opacity: Any) -> dict[str, Any]:
    return {"type": "rect", "encode": {"enter": {"opacity": {"value": opacity}, "fill": {}}}}


@pytest.mark.parametrize(("one", "other"), [(1, 1.0), (1, True), (0, False), (0, 0.0), (0.0, -0.0)])
def test_subtrees_equal_in_python_but_not_as_json_are_not_one_part(one: Any, other: Any) -> None:
    specs = [{"marks": [_mark(one)]}, {"marks": [_mark(other)]}, {"marks": [_mark(one)]}]
    parts, out = pageparts.share_parts(specs)
    # the first and last charts' marks are one part; the middle chart's stay its own
    assert _json(parts) == _json([[_mark(one)]])
    assert _json(out) == _json([{"marks": {"bm": 0}}, specs[1], {"marks": {"bm": 0}}])


def test_subtrees_with_the_same_json_are_one_part_whatever_their_key_order() -> None:
    scale = {"name": "x", "type": "linear", "domain": {"data": "d", "field": "value"}}
    reordered = {"domain": {"field": "value", "data": "d"}, "type": "linear", "name": "x"}
    one = {"marks": [_mark(float("nan"))], "scales": [scale]}
    two = {"scales": [reordered], "marks": [_mark(-float("nan"))]}  # in JSON both are NaN
    parts, out = pageparts.share_parts([one, two])
    # the parts in the order the first chart meets them (they share nothing themselves)
    assert _json(parts) == _json([[_mark(float("nan"))], [scale]])
    assert out == [{"marks": {"bm": 0}, "scales": {"bm": 1}}] * 2


def test_a_datasets_rows_are_part_of_what_it_is() -> None:
    def chart(value: Any) -> dict[str, Any]:
        return {"data": [{"name": "table-of-rows", "values": [{"a": value}]}]}

    specs = [chart(1), chart(1.0), chart(1)]
    parts, out = pageparts.share_parts(specs)
    assert _json(parts) == _json([chart(1)["data"]])
    assert _json(out) == _json([{"data": {"bm": 0}}, chart(1.0), {"data": {"bm": 0}}])


def test_a_page_gets_its_parts_once_and_a_name_is_never_taken_for_a_chart() -> None:
    from benchmarks import components

    def chart(element: str, spec: dict[str, Any]) -> str:
        return components.render(
            "components/figure.html.j2", "chart", element, "A chart", components.script_json(spec)
        )

    hostile = {"title": {"text": FAKE_CALL + HOSTILE}, "marks": [BIG, {"type": "text"}]}
    other = {"marks": [{"type": "rect"}, BIG]}
    page = chart("chart-1", hostile) + f"<p>{FAKE_CALL}</p>" + chart("chart-2", other)
    shared, script = pageparts.share_page_parts(page)
    assert script == f"<script>window.bmParts={components.script_json([BIG])};</script>"
    assert shared.count('{"bm":0}') == 2
    # the title, the paragraph and the rest of the page are as they were
    assert shared == page.replace(str(components.script_json(BIG)), '{"bm":0}')
    assert pageparts.share_page_parts(chart("chart-1", hostile)) == (chart("chart-1", hostile), "")


def test_for_page_gives_hashed_dataset_names_short_ones_everywhere_they_are_used() -> None:
    name = "data-" + "0123456789abcdef" * 2
    compiled = {
        "data": [{"name": name, "values": [{"a": 1}]}, {"name": "data_1", "source": name}],
        "marks": [{"from": {"data": name}}, {"text": {"value": "bm_0"}}],
    }
    page = vega.for_page(compiled)
    # bm_0 is taken by a text, so the dataset is bm_1 (written by hand)
    assert page["data"] == [
        {"name": "bm_1", "format": {"type": "csv", "parse": {"a": "number"}}, "values": "a\n1\n"},
        {"name": "data_1", "source": "bm_1"},
    ]
    assert page["marks"] == [{"from": {"data": "bm_1"}}, {"text": {"value": "bm_0"}}]
