"""What every chart shares: names, table headers, the y-axis rule, titles and `ChartSpec`
(no altair: `charts.layers` has what the altair builders share)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import polars as pl

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


def _year_title(indicator: str) -> str:
    return f"Year ({indicators.get(indicator).reference_date})"


def _value_format(indicator: str) -> str:
    return formatting.d3_format(indicator)


def _lookup_expr(mapping: dict[str, str]) -> str:
    """A Vega expression mapping datum.value through `mapping` (for axis labels)."""
    cases = " : ".join(
        f"datum.value === {json.dumps(k)} ? {json.dumps(v)}" for k, v in mapping.items()
    )
    return f"{cases} : datum.value"


class ChartSpec:
    """A chart as its Vega-Lite spec and its top-level data frame (what `figure_html` uses).

    `spec` may be given as a function that makes it, called on first use; `head` is then
    what a page needs without it (the spec's top-level `title` and `description`)."""

    def __init__(
        self,
        spec: dict[str, Any] | Callable[[], dict[str, Any]],
        data: pl.DataFrame,
        vega: dict[str, Any] | None = None,
        shared: Any = None,
        head: dict[str, Any] | None = None,
    ) -> None:
        self._spec = spec
        self.data = data
        self.vega = vega  # the spec compiled to Vega (None: compile when drawn)
        self.shared = shared  # a filled template's `vega.Shared` parts (for `for_page`)
        self._head = head

    @property
    def spec(self) -> dict[str, Any]:
        """The Vega-Lite spec: read it, do not change it (`to_dict` gives a copy to change)."""
        if callable(self._spec):
            self._spec = self._spec()
        return self._spec

    @property
    def head(self) -> dict[str, Any]:
        """The spec's top-level `title` and `description` (for `chart_title`, `chart_sentence`)."""
        return self._head if self._head is not None else self.spec

    def to_dict(self, validate: bool = True) -> dict[str, Any]:
        """A copy of the spec; `validate` checks it against the Vega-Lite schema."""
        spec = copy.deepcopy(self.spec)
        if validate:
            import altair as alt

            (alt.LayerChart if "layer" in spec else alt.Chart).from_dict(spec, validate=True)
        return spec
