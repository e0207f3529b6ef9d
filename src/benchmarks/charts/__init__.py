"""Charts: a frame in, a chart spec out. The altair builders (`trend_chart`,
`position_chart`, ...) make a chart; the templates (`trend_spec`, `position_spec`, ...)
give the same spec by filling a compiled template, and only they touch disk (the
template cache). The builders are imported, with altair, on first use.

Highlight rules are written with `alt.when(...)` and wrapped in their typed channel
(`alt.SizeValue(**alt.when(...)...)`): the spec is the same, and altair skips a slow
dict-to-object conversion per channel.

Every builder puts its data at the top level of the chart, in short-named columns, so
`figure_html` can show the same rows as a "view as table" alternative.

The y-axis rule (`starts_at_zero`): a trend axis starts at zero unless every plotted
value lies in the top half of the range from zero to the largest value (a rate near
90%, say). Then the axis is cut to the data and the chart's subtitle says so: it
never starts above zero silently.
"""

from __future__ import annotations

from benchmarks.charts._common import (
    AXIS_CUT_NOTE,
    ENGLAND,
    HEADERS,
    LAYER_PROPS,
    ROLE_SUFFIX,
    ChartSpec,
    axis_title,
    starts_at_zero,
)
from benchmarks.charts.embed import (
    chart_id,
    chart_sentence,
    chart_table,
    chart_title,
    data_table,
    embed_html,
    figure,
    figure_html,
    offline_renderer,
    table_frame,
    table_of,
)
from benchmarks.charts.frames import (
    CURRENT_FRAMEWORK,
    ERAS,
    NO_GRADE,
    STARTERS_LEAVERS,
    inspection_frame,
    position_frame,
    trend_frame,
)
from benchmarks.charts.templates import MAX_ROWS, position_spec, trend_spec
from benchmarks.formatting import SHORT_GRADES
from benchmarks.startup import lazy_exports

#: The altair builders and where they live: imported, with altair, on first use, so a
#: report that fills templates (most of them) never imports altair.
_BUILDERS = {
    "LayerChart": "layers",
    "enable_offline_renderer": "layers",
    "inspection_timeline": "inspections",
    "starters_leavers_chart": "inspections",
    "position_chart": "position",
    "trend_chart": "trend",
}


__getattr__ = lazy_exports(__name__, _BUILDERS)


__all__ = [
    "AXIS_CUT_NOTE",
    "CURRENT_FRAMEWORK",
    "ENGLAND",
    "ERAS",
    "HEADERS",
    "LAYER_PROPS",
    "MAX_ROWS",
    "NO_GRADE",
    "ROLE_SUFFIX",
    "SHORT_GRADES",
    "STARTERS_LEAVERS",
    "ChartSpec",
    "LayerChart",
    "axis_title",
    "chart_id",
    "chart_sentence",
    "chart_table",
    "chart_title",
    "data_table",
    "embed_html",
    "enable_offline_renderer",
    "figure",
    "figure_html",
    "inspection_frame",
    "inspection_timeline",
    "offline_renderer",
    "position_chart",
    "position_frame",
    "position_spec",
    "starters_leavers_chart",
    "starts_at_zero",
    "table_frame",
    "table_of",
    "trend_chart",
    "trend_frame",
    "trend_spec",
]
