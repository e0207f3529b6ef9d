"""The trend chart: the authority against its comparator, region and England, by year."""

from __future__ import annotations

import altair as alt
import polars as pl

from benchmarks import indicators, theme
from benchmarks.charts._common import (
    AXIS_CUT_NOTE,
    _value_format,
    _year_title,
    and_list,
    axis_title,
)
from benchmarks.charts.frames import trend_frame, trend_starts_at_zero
from benchmarks.charts.layers import LayerChart, top_title_axis


def trend_chart(
    series: pl.DataFrame, indicator: str, la_name: str, *, region_name: str | None = None
) -> alt.LayerChart:
    """The authority against its comparator (with the authority's 95% interval), region and England."""
    data = trend_frame(series, la_name=la_name, region_name=region_name)
    return _trend_layers(data, indicator, la_name, zero=trend_starts_at_zero(data))


def _trend_layers(data: pl.DataFrame, indicator: str, la_name: str, *, zero: bool) -> LayerChart:
    """The trend chart of a `trend_frame` (its series names make the legend)."""
    ind = indicators.get(indicator)
    series_of = dict(zip(data["role"].to_list(), data["series"].to_list(), strict=True))
    roles = [r for r in ("la", "comparator", "region", "england") if r in series_of]
    domain = [series_of[r] for r in roles]
    colours = [theme.ROLE_COLOURS[r] for r in roles]
    dashes = {"la": [1, 0], "comparator": [6, 3], "region": [2, 2], "england": [8, 3, 2, 3]}
    is_la = alt.datum.role == "la"
    x = alt.X("year:O", title=_year_title(indicator), axis=alt.Axis(labelAngle=0))
    y_scale = alt.Scale(zero=zero)
    y_axis = top_title_axis()
    y = alt.Y("value:Q", title=axis_title(indicator), scale=y_scale, axis=y_axis)
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=domain, range=colours),
        sort=domain,
        legend=alt.Legend(symbolType="stroke", symbolSize=500, symbolStrokeWidth=3),
    )
    band = (
        alt.Chart()
        .transform_filter(is_la & alt.expr.isValid(alt.datum.low))
        .mark_area(opacity=0.18, color=theme.NAVY)
        .encode(
            x=x,
            y=alt.Y("low:Q", scale=y_scale, title=axis_title(indicator), axis=y_axis),
            y2=alt.Y2("high:Q"),
        )
    )
    lines = (
        alt.Chart()
        .mark_line()
        .encode(
            x=x,
            y=y,
            color=colour,
            strokeDash=alt.StrokeDash(
                "series:N",
                title=None,
                sort=domain,
                scale=alt.Scale(domain=domain, range=[dashes[r] for r in roles]),
            ),
            strokeWidth=alt.StrokeWidthValue(
                **alt.when(is_la).then(alt.value(3.5)).otherwise(alt.value(2))
            ),
        )
    )
    points = (
        alt.Chart()
        .mark_point(filled=True)
        .encode(
            x=x,
            y=y,
            color=colour,
            shape=alt.ShapeValue(
                **alt.when(is_la).then(alt.value("diamond")).otherwise(alt.value("circle"))
            ),
            size=alt.SizeValue(**alt.when(is_la).then(alt.value(110)).otherwise(alt.value(30))),
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("value:Q", title=ind.unit, format=_value_format(indicator)),
            ],
        )
    )
    label = (
        alt.Chart()
        .transform_filter(is_la & alt.expr.isValid(alt.datum.value))
        .transform_window(rank="rank()", sort=[alt.SortField("year", order="descending")])
        .transform_filter(alt.datum.rank == 1)
        .mark_text(align="left", dx=8, dy=-10, fontWeight="bold", color=theme.NAVY)
        .encode(x=x, y=y, text=alt.Text("series:N"))
    )
    subtitle = [f"Shaded band: the 95% interval around {la_name}'s value."]
    if not zero:
        subtitle.append(AXIS_CUT_NOTE)
    description = (
        f"Line chart of {axis_title(indicator)} by year for {and_list(domain)}, "
        f"with a shaded 95% interval around {la_name}'s line. "
        + ("" if zero else AXIS_CUT_NOTE + " ")
        + "The figures are in the table below."
    )
    return LayerChart(
        layer=[band, lines, points, label],
        data=data,
        title=alt.Title(ind.label, subtitle=subtitle),
        description=description,
        height=220,
    )
