"""Report packs: selection, incremental runs, failure isolation, the lock, the index page.

Speed-ups made for packs must not change a report: the first tests check that.
"""

from __future__ import annotations

import altair as alt
import pytest

from benchmarks import charts
from test_charts import all_las, comparison_rows, inspections

pytestmark = pytest.mark.timeout(120)

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
    monkeypatch.setattr(charts, "LayerChart", alt.LayerChart)
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
