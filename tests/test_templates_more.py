"""The inspection timeline and the starters/leavers chart from templates
(`charts.templates.timeline_spec`, `starters_leavers_spec`) are the altair builders'
charts: the same Vega-Lite spec, the same compiled Vega, the same figure HTML, for a
second authority filled into the template the first one made, with hostile names."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from benchmarks import charts
from benchmarks.charts import vega
from benchmarks.charts.templates import starters_leavers_spec, timeline_spec
from test_charts import inspections
from test_pack import HOSTILE


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCHMARKS_HOME", str(tmp_path))


def flows(starters: list[float | None], leavers: list[float | None]) -> pl.DataFrame:
    years = list(range(2021, 2021 + len(starters)))
    return pl.DataFrame(
        {
            "year": years * 2,
            "indicator": ["sw_starters_fte"] * len(years) + ["sw_leavers_fte"] * len(years),
            "value": starters + leavers,
        },
        schema={"year": pl.Int64, "indicator": pl.String, "value": pl.Float64},
    )


@pytest.mark.parametrize("la_name", ["Tinytown", HOSTILE])
def test_timeline_from_a_template_is_the_builders_chart(la_name: str) -> None:
    timeline_spec(inspections().head(1), "Othertown")  # the template, made from another LA
    fast = timeline_spec(inspections(), la_name)
    chart = charts.inspection_timeline(inspections(), la_name)
    assert fast.to_dict() == chart.to_dict()  # to_dict() validates both
    assert vega.for_page(fast.vega, fast.shared) == vega.for_page(vega.compile_spec(fast.spec))
    assert fast.data.equals(chart.data)
    assert charts.figure_html(fast) == charts.figure_html(chart)
    assert "2 events" not in fast.spec["description"]  # the sentence is this LA's
    assert fast.spec["description"] == chart.to_dict()["description"]


@pytest.mark.parametrize("la_name", ["Tinytown", HOSTILE])
def test_starters_leavers_from_a_template_is_the_builders_chart(la_name: str) -> None:
    starters_leavers_spec(flows([1.0], [2.0]), "Othertown")  # the template
    rows = flows([10.0, None, 12.5], [8.0, 9.0, None])
    fast = starters_leavers_spec(rows, la_name)
    chart = charts.starters_leavers_chart(rows, la_name)
    assert fast.to_dict() == chart.to_dict()
    assert vega.for_page(fast.vega, fast.shared) == vega.for_page(vega.compile_spec(fast.spec))
    assert charts.figure_html(fast, number_format=",.1f") == charts.figure_html(chart)
    assert fast.spec["title"]["text"] == f"Social worker starters and leavers: {la_name}"
