"""What the altair builders share: the report theme and the offline renderer registered
with altair, the y axis with its title on top, and `LayerChart`.

Only the builders import this module (and with it altair); a report whose charts all
come from templates (`charts.templates`) does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
from altair.vegalite.v6 import api as altair_api

from benchmarks import theme
from benchmarks.charts._common import LAYER_PROPS
from benchmarks.charts.embed import OFFLINE_RENDERER, offline_renderer


@alt.theme.register(theme.THEME_NAME, enable=True)
def _benchmarks_theme() -> alt.theme.ThemeConfig:
    return theme.theme_config()  # type: ignore[return-value]


alt.renderers.register(OFFLINE_RENDERER, offline_renderer)  # type: ignore[arg-type]


def enable_offline_renderer() -> None:
    """Set up a kernel that displays altair charts: they display through
    `offline_renderer`, and altair skips validating every object as it is built (its
    "debug mode"; tests keep validating). A report whose charts all come from templates
    need not call this (nor import altair)."""
    alt.renderers.enable(OFFLINE_RENDERER)
    alt.utils.schemapi.disable_debug_mode()


def top_title_axis() -> alt.Axis:
    """A y axis whose title reads horizontally above the axis (long titles stay legible)."""
    return alt.Axis(
        titleAngle=0, titleAlign="left", titleAnchor="end", titleY=-12, titleX=0, titleLimit=480
    )


class LayerChart(alt.LayerChart):
    """`alt.LayerChart` for layers without selection parameters (all of ours).

    altair's constructor deep-copies every layer twice to merge the layers' selection
    parameters, and `to_dict()` runs the constructor again: about half the time a report
    spends on charts. With no parameters there is nothing to merge, so this does the
    constructor's other steps only; the spec is the same (a test compares it with
    `alt.LayerChart`'s for every builder).
    """

    def __init__(self, data: Any = alt.Undefined, layer: Sequence[Any] = (), **kwargs: Any) -> None:
        if any(not alt.utils.is_undefined(getattr(c, "params", alt.Undefined)) for c in layer):
            super().__init__(data=data, layer=layer, **kwargs)
            return
        super(alt.LayerChart, self).__init__(data=data, layer=list(layer), **kwargs)
        self.data, self.layer = altair_api._combine_subchart_data(self.data, self.layer)
        moved, self.layer = altair_api._remove_layer_props(self, self.layer, LAYER_PROPS)
        for prop, value in moved.items():
            self[prop] = value
