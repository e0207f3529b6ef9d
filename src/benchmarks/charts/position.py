"""The position chart: every authority's value in one year, this one and its neighbours marked."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import polars as pl

from benchmarks import indicators, theme
from benchmarks.charts._common import _lookup_expr, _value_format, axis_title
from benchmarks.charts.frames import england_frame, position_frame, position_la_name
from benchmarks.charts.layers import LayerChart


def position_chart(
    all_las_one_year: pl.DataFrame,
    indicator: str,
    la_code: str,
    neighbour_codes: Sequence[str],
    *,
    year: int | None = None,
    england: float | None = None,
) -> alt.LayerChart:
    """Every authority's value in three strips: this authority (navy diamond, labelled),
    its statistical neighbours (orange triangles) and all other authorities (grey ticks).

    `all_las_one_year` has `la_code, la_name, value` (one row per authority); nulls are
    dropped, as a suppressed value has no position.
    """
    data = position_frame(all_las_one_year, la_code, neighbour_codes)
    return _position_layers(
        data, indicator, position_la_name(all_las_one_year, la_code), year=year, england=england
    )


def _position_layers(
    data: pl.DataFrame,
    indicator: str,
    la_name: str,
    *,
    year: int | None,
    england: float | None,
) -> LayerChart:
    """The position chart of a `position_frame`."""
    ind = indicators.get(indicator)
    rows = {"la": la_name, "neighbour": "Statistical neighbours", "other": "Other authorities"}
    x = alt.X("value:Q", title=axis_title(indicator), scale=alt.Scale(zero=False, nice=True))
    y = alt.Y(
        "role:N",
        title=None,
        sort=list(rows),
        scale=alt.Scale(domain=list(rows)),
        axis=alt.Axis(labelExpr=_lookup_expr(rows), labelLimit=200, labelFontWeight="bold"),
    )
    is_la = alt.datum.role == "la"
    tooltip = [
        alt.Tooltip("name:N", title="Authority"),
        alt.Tooltip("value:Q", title=ind.unit, format=_value_format(indicator)),
    ]
    others = (
        alt.Chart()
        .transform_filter(alt.datum.role == "other")
        .mark_tick(color=theme.CONTEXT, thickness=1.5, size=18)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    highlighted = (
        alt.Chart()
        .transform_filter(alt.datum.role != "other")
        .mark_point(filled=True, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "role:N",
                scale=alt.Scale(domain=["la", "neighbour"], range=[theme.NAVY, theme.ORANGE]),
                legend=None,
            ),
            shape=alt.Shape(
                "role:N",
                scale=alt.Scale(domain=["la", "neighbour"], range=["diamond", "triangle-up"]),
                legend=None,
            ),
            size=alt.SizeValue(**alt.when(is_la).then(alt.value(220)).otherwise(alt.value(80))),
            tooltip=tooltip,
        )
    )
    label = (
        alt.Chart()
        .transform_filter(is_la)
        .mark_text(dy=-15, fontWeight="bold", color=theme.NAVY)
        .encode(x=x, y=y, text=alt.Text("value:Q", format=_value_format(indicator)))
    )
    layers: list[alt.Chart] = [others, highlighted, label]
    if england is not None:
        layers.append(
            alt.Chart(england_frame(england))
            .mark_rule(color=theme.DARK_GREY, strokeDash=[4, 3], strokeWidth=1.5)
            .encode(x=alt.X("value:Q"), tooltip=[alt.Tooltip("series:N"), alt.Tooltip("value:Q")])
        )
    when = f", {year}" if year is not None else ""
    england_note = " The dashed line is England." if england is not None else ""
    description = (
        f"Strip chart of {axis_title(indicator)}{when}: one mark per authority, in three rows: "
        f"{la_name} (a diamond, its value written above it), its statistical neighbours "
        f"(triangles) and all other authorities (grey ticks).{england_note} "
        "The figures are in the table below."
    )
    return LayerChart(
        layer=layers,
        data=data,
        title=alt.Title(
            f"{ind.label}: position among all authorities{when}",
            subtitle=f"One mark per authority; {la_name}'s value is written above its diamond.{england_note}",
        ),
        description=description,
        height=alt.Step(34),
    )
