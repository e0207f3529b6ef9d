"""What every chart builder shares: names, the y-axis rule, titles and `LayerChart`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import altair as alt
from altair.vegalite.v6 import api as altair_api

from benchmarks import formatting, indicators

ENGLAND = "England"
AXIS_CUT_NOTE = "The vertical axis does not start at zero."
LAYER_PROPS = ("height", "width", "view")  # moved from the layers to the chart, as altair does

#: Table headers for the short column names the builders use.
HEADERS = {
    "year": "Year",
    "series": "Series",
    "value": "Value",
    "low": "95% interval: low",
    "high": "95% interval: high",
    "name": "Authority",
    "code": "Code",
    "marker": "Marker",
    "role": "Shown as",
    "measure": "Measure",
    "date": "Date",
    "kind": "Event",
    "framework": "Framework",
    "grade": "Overall grade",
    "judgements": "Judgements",
    "era": "Framework era",
    "source": "Source",
    "row": "Row",
    "judgement": "Judgement",
    "result": "Grade",
    "indicator": "Indicator",
    "event": "Event",
    "offset": "Years from event",
    "band_low": "Comparator lower quartile",
    "band_median": "Comparator median",
    "band_high": "Comparator upper quartile",
    "england": "England",
    "median": "Improvers' median",
    "q1": "Lower quartile",
    "q3": "Upper quartile",
    "n": "Improvements (n)",
    "focus": "Focus authority",
    "focus_year": "Focus authority's year",
}

ROLE_SUFFIX = {"la": " (this authority)", "neighbour": " (statistical neighbour)"}


# ------------------------------------------------------------------ axis and labels


def starts_at_zero(values: Iterable[float | None]) -> bool:
    """The y-axis rule: False only when every value is above half of the largest."""
    present = [v for v in values if v is not None]
    if not present:
        return True
    low, high = min(present), max(present)
    return not (low > 0 and low > high / 2)


def and_list(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B, and C' (the serial comma: names may contain "and")."""
    if len(names) < 3:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def axis_title(indicator: str) -> str:
    """The indicator's label with its unit, e.g. 'Social worker turnover (%)'."""
    ind = indicators.get(indicator)
    return f"{ind.label} ({ind.unit})"


def _top_title_axis() -> alt.Axis:
    """A y axis whose title reads horizontally above the axis (long titles stay legible)."""
    return alt.Axis(
        titleAngle=0, titleAlign="left", titleAnchor="end", titleY=-12, titleX=0, titleLimit=480
    )


def _year_title(indicator: str) -> str:
    return f"Year ({indicators.get(indicator).reference_date})"


def _value_format(indicator: str) -> str:
    return formatting.d3_format(indicator)


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


def _lookup_expr(mapping: dict[str, str]) -> str:
    """A Vega expression mapping datum.value through `mapping` (for axis labels)."""
    cases = " : ".join(
        f"datum.value === {json.dumps(k)} ? {json.dumps(v)}" for k, v in mapping.items()
    )
    return f"{cases} : datum.value"
