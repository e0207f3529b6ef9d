"""Report packs: selection, incremental runs, failure isolation, the lock, the index page.

Speed-ups made for packs must not change a report: the first tests check that.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import polars as pl
import pytest

from benchmarks import charts
from report_support import benchmarks_home
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
    from benchmarks.report import DEMAND, WORKFORCE, report_context

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
            report = report_context(la, data_dir=published, comparator=comparator)
            for indicator in WORKFORCE + DEMAND:
                series = report.rows.filter(pl.col("indicator") == indicator).with_columns(
                    group_label=pl.lit(report.comparator_name)
                )
                row = report.latest_row(indicator)
                if row is None:
                    continue
                trend = (series, indicator, report.la_name)
                assert charts.trend_spec(*trend, region_name=report.region_name).to_dict(
                    False
                ) == charts.trend_chart(*trend, region_name=report.region_name).to_dict(False)
                one_year = report.table.filter(
                    (pl.col("indicator") == indicator) & (pl.col("year") == row["year"])
                ).select("la_code", "la_name", "value")
                position = (one_year, indicator, report.la_code, report.neighbours)
                options = {"year": row["year"], "england": row["england"]}
                assert charts.position_spec(*position, **options).to_dict(
                    False
                ) == charts.position_chart(*position, **options).to_dict(False)
                checked += 2
    assert checked > 6 * 20
