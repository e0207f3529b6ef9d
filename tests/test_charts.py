"""Charts, theme and tables, tested through their specs (`chart.to_dict()`) on tiny frames.

`to_dict()` also validates every spec against the Vega-Lite schema.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

import altair as alt
import polars as pl
import pytest
from bs4 import BeautifulSoup
from polars.testing import assert_frame_equal

from benchmarks import charts, formatting, indicators, tables, theme

LA = "Tinytown"


def comparison_rows(
    values: list[float | None], *, status: list[str | None] | None = None
) -> pl.DataFrame:
    """Three years of one authority's comparison rows for one indicator."""
    n = len(values)
    return pl.DataFrame(
        {
            "year": [2023, 2024, 2025][:n],
            "value": values,
            "status": status or [None] * n,
            "ci_low": [None if v is None else v - 2 for v in values],
            "ci_high": [None if v is None else v + 2 for v in values],
            "comparator": [12.0, 11.0, 10.0][:n],
            "group_label": ["Neighbours (median)"] * n,
            "region_value": [13.0, 12.5, 12.0][:n],
            "england": [14.0, 13.0, 12.0][:n],
        },
        schema_overrides={"year": pl.Int32, "value": pl.Float64, "status": pl.String},
    )


def layer_marks(spec: dict) -> list[str]:
    return [layer["mark"]["type"] for layer in spec["layer"]]


# ------------------------------------------------------------------ theme


def test_theme_is_registered_and_active() -> None:
    from benchmarks.charts import layers  # the altair builders' module registers the theme

    assert layers.top_title_axis().titleAngle == 0
    assert alt.theme.active == theme.THEME_NAME
    config = theme.theme_config()["config"]
    assert config["range"]["category"] == list(theme.PALETTE)
    assert theme.PALETTE == ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")


def test_contrast_ratio_matches_known_values() -> None:
    # WCAG: black on white is 21:1, white on white 1:1; #767676 on white is the classic 4.54:1.
    assert theme.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert theme.contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert theme.contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)


def test_every_text_colour_meets_wcag_aa() -> None:
    config = theme.theme_config()["config"]
    text_colours = {
        config["axis"]["labelColor"],
        config["axis"]["titleColor"],
        config["legend"]["labelColor"],
        config["title"]["color"],
        config["title"]["subtitleColor"],
        config["text"]["color"],
        theme.NAVY,  # the focal authority's label
    }
    for colour in text_colours:
        assert theme.contrast_ratio(colour) >= 4.5, colour


def test_every_mark_colour_meets_non_text_contrast() -> None:
    for colour in [*theme.ROLE_COLOURS.values(), *theme.GRADE_COLOURS.values()]:
        assert theme.contrast_ratio(colour) >= 3.0, colour


# ------------------------------------------------------------------ y-axis rule


@pytest.mark.parametrize(
    ("values", "zero"),
    [
        ([88.0, 91.0, 93.5], False),  # a rate near 90%: cut the axis (and say so)
        ([5.0, 10.0, 7.0], True),
        ([50.0, 100.0], True),  # exactly half of the maximum still starts at zero
        ([51.0, 100.0], False),
        ([None, None], True),
        ([-3.0, 4.0], True),
    ],
)
def test_starts_at_zero_rule(values: list[float | None], zero: bool) -> None:
    assert charts.starts_at_zero(values) is zero


# ------------------------------------------------------------------ trend


def test_trend_frame_reshapes_one_row_per_year_and_series() -> None:
    frame = charts.trend_frame(comparison_rows([8.0, 7.5, 7.0]), la_name=LA, region_name="Midshire")
    assert frame.height == 12  # 3 years x (LA, comparator, region, England)
    la = frame.filter(pl.col("role") == "la").sort("year")
    assert la["value"].to_list() == [8.0, 7.5, 7.0]
    assert la["low"].to_list() == [6.0, 5.5, 5.0]
    assert la["series"].unique().to_list() == [LA]
    comparator = frame.filter(pl.col("role") == "comparator").sort("year")
    assert comparator["series"].unique().to_list() == ["Neighbours (median)"]
    assert comparator["value"].to_list() == [12.0, 11.0, 10.0]
    assert comparator["low"].null_count() == 3  # the interval belongs to the LA only
    assert frame.filter(pl.col("role") == "region")["series"].unique().to_list() == ["Midshire"]


def test_trend_chart_spec() -> None:
    spec = charts.trend_chart(
        comparison_rows([8.0, 7.5, 7.0]), "sw_turnover_rate", LA, region_name="Midshire"
    ).to_dict()
    assert layer_marks(spec) == ["area", "line", "point", "text"]
    band, lines, points, label = spec["layer"]
    assert band["encoding"]["y"]["field"] == "low"
    assert band["encoding"]["y2"]["field"] == "high"
    assert lines["encoding"]["color"]["field"] == "series"
    assert lines["encoding"]["color"]["scale"]["domain"] == [
        LA,
        "Neighbours (median)",
        "Midshire",
        "England",
    ]
    assert lines["encoding"]["color"]["scale"]["range"][0] == theme.NAVY
    # The highlight rule: the focal LA by colour AND by shape, size and line width.
    is_la = "(datum.role === 'la')"
    assert lines["encoding"]["strokeWidth"]["condition"][0]["test"] == is_la
    assert points["encoding"]["shape"]["condition"][0] == {"test": is_la, "value": "diamond"}
    assert points["encoding"]["shape"]["value"] == "circle"
    assert points["encoding"]["size"]["condition"][0]["test"] == is_la
    # ... and a label with its name at the latest year.
    assert label["encoding"]["text"]["field"] == "series"
    assert any("datum.role === 'la'" in t.get("filter", "") for t in label["transform"])
    # Titles with units; turnover around 7-14% starts at zero.
    assert spec["title"]["text"] == "Social worker turnover"
    assert points["encoding"]["y"]["title"] == "Social worker turnover (%)"
    assert points["encoding"]["x"]["title"] == "Year (30 September (workforce year))"
    assert points["encoding"]["y"]["scale"]["zero"] is True
    assert charts.AXIS_CUT_NOTE not in spec["title"]["subtitle"]


def test_trend_chart_cuts_the_axis_for_rates_near_90_percent_and_says_so() -> None:
    rows = comparison_rows([88.0, 91.0, 90.0]).with_columns(
        comparator=pl.lit(89.0), region_value=pl.lit(90.0), england=pl.lit(91.0)
    )
    spec = charts.trend_chart(rows, "icpc_timeliness_rate", LA).to_dict()
    _, lines, points, _ = spec["layer"]
    assert points["encoding"]["y"]["scale"]["zero"] is False
    assert lines["encoding"]["y"]["scale"]["zero"] is False
    assert charts.AXIS_CUT_NOTE in spec["title"]["subtitle"]


def test_trend_chart_without_region_has_three_series() -> None:
    spec = charts.trend_chart(comparison_rows([8.0, None, 7.0]), "sw_turnover_rate", LA).to_dict()
    assert spec["layer"][1]["encoding"]["color"]["scale"]["domain"] == [
        LA,
        "Neighbours (median)",
        "England",
    ]


# ------------------------------------------------------------------ position


def all_las() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "la_code": ["901", "902", "903", "904", "905"],
            "la_name": [LA, "Nearby", "Faraway", "Suppressed", "Alsonear"],
            "value": [7.0, 9.5, 15.0, None, 4.0],
        }
    )


def test_position_chart_marks_the_la_and_its_neighbours() -> None:
    chart = charts.position_chart(
        all_las(), "sw_turnover_rate", "901", ["902", "905"], year=2025, england=12.0
    )
    data = chart.data.sort("value")
    assert data["name"].to_list() == ["Alsonear", LA, "Nearby", "Faraway"]  # the null is dropped
    assert data["role"].to_list() == ["neighbour", "la", "neighbour", "other"]
    spec = chart.to_dict()
    assert layer_marks(spec) == ["tick", "point", "text", "rule"]
    others, highlighted, label, england = spec["layer"]
    assert others["transform"] == [{"filter": "(datum.role === 'other')"}]
    assert highlighted["encoding"]["shape"]["scale"] == {
        "domain": ["la", "neighbour"],
        "range": ["diamond", "triangle-up"],
    }
    assert highlighted["encoding"]["color"]["scale"]["range"] == [theme.NAVY, theme.ORANGE]
    assert highlighted["encoding"]["size"]["condition"][0]["test"] == "(datum.role === 'la')"
    assert label["transform"] == [{"filter": "(datum.role === 'la')"}]
    assert LA in highlighted["encoding"]["y"]["axis"]["labelExpr"]
    assert highlighted["encoding"]["x"]["title"] == "Social worker turnover (%)"
    assert spec["datasets"][england["data"]["name"]] == [{"value": 12.0, "series": "England"}]
    assert spec["title"]["text"].endswith("position among all authorities, 2025")


# ------------------------------------------------------------------ starters and leavers


def test_starters_leavers_chart() -> None:
    frame = pl.DataFrame(
        {
            "year": [2024, 2024, 2025, 2025, 2025],
            "indicator": [
                "sw_starters_fte",
                "sw_leavers_fte",
                "sw_starters_fte",
                "sw_leavers_fte",
                "sw_fte",
            ],
            "value": [10.0, 12.5, 11.0, 9.0, 100.0],
        }
    )
    chart = charts.starters_leavers_chart(frame, LA)
    assert chart.data.height == 4  # sw_fte is not a flow
    assert chart.data.filter(pl.col("measure") == "Leavers")["value"].to_list() == [12.5, 9.0]
    spec = chart.to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["xOffset"]["field"] == "measure"
    assert spec["encoding"]["y"]["title"] == "Social workers (FTE)"


# ------------------------------------------------------------------ inspections


def inspections() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "la_code": ["901"] * 3,
            "la_name": [LA] * 3,
            "inspection_date": [None, date(2019, 3, 4), date(2025, 6, 2)],
            "publication_date": [date(2014, 5, 1), date(2019, 4, 20), date(2025, 7, 10)],
            "framework": ["SIF", "ILACS", "ILACS"],
            "event_type": ["Inspection", "Standard inspection", "Focused visit"],
            "overall": ["Requires improvement to be good", "Good", None],
            "leaders": [None, "Good", None],
            "help_and_protection": [None, "Outstanding", None],
            "children_in_care": [None, "Good", None],
            "care_leavers": [None, None, None],
            "other_judgements": ["Adoption: Good", None, None],
            "visit_theme": [None, None, "Front door"],
            "source": ["ofsted_underlying_2023", "ofsted_outcomes", "d2i_ilacs"],
            "official": [True, True, False],
        }
    )


def test_inspection_frame_labels_older_frameworks_and_unofficial_rows() -> None:
    frame = charts.inspection_frame(inspections())
    assert frame["date"].to_list() == [date(2014, 5, 1), date(2019, 3, 4), date(2025, 6, 2)]
    assert frame["framework"].to_list() == ["SIF (older framework)", "ILACS", "ILACS"]
    assert frame["era"].to_list() == ["Older framework", "ILACS (current)", "ILACS (current)"]
    assert frame["grade"].to_list() == ["Requires improvement", "Good", "No overall grade"]
    assert frame["judgements"].to_list() == [
        "Adoption: Good",
        "Leadership: Good; Help and protection: Outstanding; Children in care: Good",
        None,
    ]
    assert frame["source"].to_list()[2] == "Unofficial (Data to Insight)"


def test_inspection_timeline_spec() -> None:
    spec = charts.inspection_timeline(inspections(), LA).to_dict()
    assert layer_marks(spec) == ["point", "text"]
    points, text = spec["layer"]
    assert points["encoding"]["x"]["field"] == "date"
    assert points["encoding"]["shape"]["field"] == "era"
    assert points["encoding"]["color"]["field"] == "grade"
    assert text["transform"][0] == {"filter": "(datum.grade !== 'No overall grade')"}
    assert "unofficial" in text["transform"][1]["calculate"]


# ------------------------------------------------------------------ HTML


def test_figure_html_embeds_the_chart_and_a_table_of_its_data_escaped() -> None:
    rows = pl.DataFrame(
        {"la_code": ["901", "902"], "la_name": ["<b>Bad & Co</b>", "Plain"], "value": [3.0, 4.0]}
    )
    chart = charts.position_chart(rows, "sw_turnover_rate", "901", [])
    page = charts.figure_html(chart, seen={})
    soup = BeautifulSoup(page, "html.parser")
    div = soup.select_one("div.bm-chart")
    assert div is not None and div["id"].startswith("chart-")
    scripts = soup.find_all("script")
    assert len(scripts) == 1 and "bmDraw(el," in scripts[0].string
    assert "</" not in scripts[0].string and "<b>" not in scripts[0].string
    # the spec inside the script is the chart's spec compiled to Vega (no $schema)
    text = scripts[0].string
    start = text.index("bmDraw(el,") + len("bmDraw(el,")
    spec, end = json.JSONDecoder().raw_decode(text, start)
    assert spec["title"]["text"] == chart.to_dict()["title"]["text"]
    # the element id is a digest of the spec's text as the page carries it
    digest = hashlib.sha256(text[start:end].encode()).hexdigest()[:12]
    assert div["id"] == f"chart-{digest}"
    assert "$schema" not in spec and "marks" in spec
    details = soup.select_one("details.bm-details")
    assert details.summary.get_text().startswith("View as table:")
    cells = [td.get_text() for td in details.select("tbody td")]
    assert cells == ["<b>Bad & Co</b> (this authority)", "3.0", "Plain", "4.0"]
    assert "<b>Bad" not in page  # the name only ever appears escaped


def test_chart_ids_are_deterministic_and_unique_within_a_page() -> None:
    spec = {"mark": "point"}
    seen: dict[str, int] = {}
    first, second = charts.chart_id(spec, seen), charts.chart_id(spec, seen)
    assert first != second and second == first + "-2"
    assert charts.chart_id(spec, {}) == first
    text = '{"mark":"point"}'  # a page's JSON text is digested as it is
    assert charts.chart_id(text) == "chart-" + hashlib.sha256(text.encode()).hexdigest()[:12]


def test_table_frame_pivots_a_trend_to_one_row_a_year() -> None:
    frame = charts.trend_frame(comparison_rows([8.0, 7.5]), la_name=LA)
    wide = charts.table_frame(frame)
    assert wide.columns == ["year", LA, "Neighbours (median)", "England", "low", "high"]
    assert wide.row(0) == (2023, 8.0, 12.0, 14.0, 6.0, 10.0)


@pytest.mark.parametrize(
    "frame",
    [
        pl.DataFrame(  # a gap, a null value, years out of order, an interval on two years
            {
                "year": [2024, 2023, 2023, 2024, 2022],
                "series": ["A & B", "A & B", "England", "England", "England"],
                "role": ["la", "la", "england", "england", "england"],
                "value": [1.5, None, 3.0, 4.25, 5.0],
                "low": [1.0, None, None, None, None],
                "high": [2.0, None, None, None, None],
            }
        ),
        pl.DataFrame({"year": [2025, 2024], "measure": ["Starters", "Leavers"], "value": [1.0, 2.0]}),
        pl.DataFrame(
            {"name": ["<b>", None, "C"], "value": [1.0, 2.0, None], "role": ["la", "neighbour", None]}
        ),
        pl.DataFrame({"date": ["2020-01-01"], "kind": ["Inspection"]}),
        pl.DataFrame(schema={"year": pl.Int32, "series": pl.String, "value": pl.Float64}),
        pl.DataFrame({"year": [2024, None], "series": ["A", "A"], "value": [1.0, 2.0]}),
    ],
)
def test_a_charts_table_made_in_python_equals_the_polars_one(frame: pl.DataFrame) -> None:
    fast = charts.chart_table(frame, caption="Data", number_format=",.2f")
    slow = charts.table_of(charts.table_frame(frame), caption="Data", number_format=",.2f")
    assert fast == slow


def test_offline_renderer_emits_only_a_div_and_a_drawing_call() -> None:
    bundle = charts.offline_renderer(alt.Chart(pl.DataFrame({"x": [1]})).mark_point().to_dict())
    soup = BeautifulSoup(bundle["text/html"], "html.parser")
    assert [tag.name for tag in soup.find_all(recursive=False)] == ["div", "script"]
    assert "src" not in soup.script.attrs
    assert "vega.github.io" not in bundle["text/html"]  # no $schema URL either


# ------------------------------------------------------------------ tables


@pytest.mark.parametrize(
    ("value", "status", "indicator", "shown"),
    [
        (7.0, None, "sw_turnover_rate", "7.0%"),
        (None, "c", "sw_turnover_rate", "c"),
        (None, "low", "sw_agency_fte", "low"),
        (None, "x", "cla_rate_per_10k", "x"),
        (0.0, None, "cla_rate_per_10k", "0"),  # a real zero is a zero
        (327.66, None, "cin_rate_per_10k", "327.7"),
        (1234.0, None, "cin_count", "1,234"),
        (64.5, None, "sw_starters_fte", "64.5"),  # FTE keeps its decimal
    ],
)
def test_format_value_keeps_markers(
    value: float | None, status: str | None, indicator: str, shown: str
) -> None:
    assert formatting.format_value(value, status, indicator) == shown


def test_label_with_unit_does_not_repeat_the_unit() -> None:
    assert indicators.label_with_unit("sw_turnover_rate") == "Social worker turnover (%)"
    assert indicators.label_with_unit("sw_fte") == "Social workers in post (FTE)"


def compare_rows() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "indicator": ["cla_rate_per_10k", "sw_turnover_rate", "population_0_17"],
            "year": [2025, 2025, 2024],
            "value": [None, 7.0, 100000.0],
            "status": ["c", None, None],
            "comparator": [80.0, 11.35, 90000.0],
            "comparator_method": ["median"] * 3,
            "england": [70.0, 11.8, None],
            "rank": [None, 10, 5],
            "rank_of": [None, 148, 150],
            "band": [None, "A", "Q4 highest"],
            "change_1y": [None, -2.0, 10.0],
            "direction_1y": [None, "improved", "increased"],
            "flags": ["suppressed", None, None],
        },
        schema_overrides={"rank": pl.Int32, "rank_of": pl.Int32},
    )


def test_comparison_display_in_catalogue_order_with_markers() -> None:
    display = tables.comparison_display(compare_rows())
    assert display["indicator"].to_list() == [
        "Social worker turnover (%)",
        "Children looked after rate (per 10,000 children)",
    ]  # catalogue order; the population denominator is not an indicator to compare
    turnover, cla = display.iter_rows(named=True)
    assert turnover == {
        "theme": "Workforce",
        "indicator": "Social worker turnover (%)",
        "year": "2025",
        "value": "7.0%",
        "comparator": "11.4%",  # 11.35 rounds half up, as the publishers round
        "england": "11.8%",
        "rank": "10 of 148",
        "band": "A",
        "change": "-2.0 pts (improved)",
        "flags": "",
    }
    assert cla["value"] == "c" and cla["rank"] == "–" and cla["flags"] == "suppressed"


def test_comparison_table_is_great_tables_html_with_a_fixed_id() -> None:
    gt_html = tables.comparison_table(
        compare_rows(), la_name=LA, group_label="Neighbours", year=2025
    ).as_raw_html()
    soup = BeautifulSoup(gt_html, "html.parser")
    assert soup.select_one("#cmp") is not None
    values = [
        td.get_text(strip=True)
        for td in soup.select("td.gt_row")
        if any(h.endswith("-value") for h in td.get("headers", []))
    ]
    assert values[:2] == ["7.0%", "c"]
    assert "How Tinytown compares, 2025" in soup.get_text()


# ------------------------------------------------------------------ chart frames, made in Python


@pytest.mark.parametrize(
    ("values", "status", "region"),
    [
        ([8.12345, None, 7.0005], ["c", None, None], "Yorkshire and The Humber"),
        ([], [], None),  # no rows at all
        ([None, None], ["x", "z"], None),
        ([1.00049, -0.0004, 2.5], None, "<R&D>"),
    ],
)
def test_trend_frame_equals_the_polars_query(
    values: list[float | None], status: list[str | None] | None, region: str | None
) -> None:
    from test_pack import polars_trend_frame

    numbers = ("value", "ci_low", "ci_high", "comparator", "region_value", "england")
    rows = (
        comparison_rows(values, status=status)
        .cast(dict.fromkeys(numbers, pl.Float64) | {"group_label": pl.String})  # typed when empty
        .sample(fraction=1.0, shuffle=True, seed=3)
    )
    made = charts.trend_frame(rows, la_name="A & B", region_name=region)
    assert_frame_equal(made, polars_trend_frame(rows, "A & B", region))


def test_position_frame_equals_the_polars_query() -> None:
    from test_pack import polars_position_frame

    one_year = pl.DataFrame(
        {
            "la_code": ["1", "2", "3", "4", "5", "6"],
            "la_name": ["B", "A", None, "C", "D", "E"],
            "value": [2.0004, 2.0001, 2.0, None, 0.5, 2.0],
        }
    )
    for la, neighbours in (("1", ["2", "5"]), ("4", []), ("9", ["3"])):
        made = charts.position_frame(one_year, la, neighbours)
        assert_frame_equal(made, polars_position_frame(one_year, la, neighbours))
    # by value rounded to 3 places, then name (no name first); no value: not drawn
    assert made["name"].to_list() == ["D", None, "A", "B", "E"]
