"""Chart specs from templates: the same spec as the altair builders, made much faster.

A report draws 28 trend and position charts. Building each as altair objects and
serialising them with `to_dict()` is most of a report's time, yet for one indicator the
specs differ only in a few names and the data. So `trend_spec` and `position_spec` give
the same spec as `trend_chart(...).to_dict()` and `position_chart(...).to_dict()`
without altair objects: the chart is built once per indicator and shape by the same
builder, with placeholders for the names; each call fills in the names and puts its own
data in through altair's own data step. Tests compare the two on real data.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

import altair as alt
import polars as pl
from altair.vegalite.v6 import api as altair_api

from benchmarks import atomic, cache, datadir
from benchmarks.charts import vega
from benchmarks.charts.inspections import (
    _starters_leavers_layers,
    _timeline_layers,
    _timeline_sentence,
    starters_leavers_frame,
    timeline_frame,
)
from benchmarks.charts.position import (
    _england_frame,
    _position_la_name,
    _position_layers,
    position_frame,
)
from benchmarks.charts.trend import _trend_layers, _trend_starts_at_zero, trend_frame

MAX_ROWS = 5000  # altair's default data step refuses more rows than this
_SLOT = re.compile(r'"@@bm:(\w+)@@"|@@bm:(\w+)@@')
_TEMPLATES: dict[
    tuple[Any, ...], tuple[dict[str, Any], dict[str, str], dict[str, Any], frozenset[int]]
] = {}


def _slot(name: str) -> str:
    return f"@@bm:{name}@@"


class ChartSpec:
    """A chart as its Vega-Lite spec and its top-level data frame (what `figure_html` uses)."""

    def __init__(
        self, spec: dict[str, Any], data: pl.DataFrame, vega: dict[str, Any] | None = None
    ) -> None:
        self.spec = spec  # read it, do not change it (`to_dict` gives a copy to change)
        self.data = data
        self.vega = vega  # the spec compiled to Vega (None: compile when drawn)

    def to_dict(self, validate: bool = True) -> dict[str, Any]:
        """A copy of the spec; `validate` checks it against the Vega-Lite schema."""
        spec = copy.deepcopy(self.spec)
        if validate:
            (alt.LayerChart if "layer" in spec else alt.Chart).from_dict(spec, validate=True)
        return spec


def _from_template(
    key: tuple[Any, ...],
    build: Callable[[], tuple[alt.TopLevelMixin, dict[str, pl.DataFrame]]],
    names: dict[str, str],
    frames: dict[str, pl.DataFrame],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """`build()`'s spec (made once per key, with placeholders) with these names and data,
    as Vega-Lite and as compiled Vega (the template compiled once, see `charts.vega`).

    `build` returns the chart made with `_slot` placeholders and the frames it was given,
    by role; `frames` has this chart's frames for the same roles.
    """
    key = (*key, alt.theme.active)
    if key not in _TEMPLATES:
        stored = _stored_template(key, build)
        active = vega.active_nodes(stored[2], set(stored[1].values()))
        _TEMPLATES[key] = (*stored, active)
    template, dataset_of, compiled, active = _TEMPLATES[key]
    context: dict[str, Any] = {"datasets": {}}
    renamed = {dataset_of[role]: _dataset(frame, context) for role, frame in frames.items()}

    def text(match: re.Match[str]) -> str:
        quoted, plain = match.groups()
        return json.dumps(names[quoted]) if quoted else names[plain]

    def fill(node: Any) -> Any:
        if isinstance(node, str):
            return renamed.get(node) or _SLOT.sub(text, node)
        if isinstance(node, dict):
            return {k: fill(v) for k, v in node.items()}
        if isinstance(node, list):
            return [fill(v) for v in node]
        return node

    spec = fill(template)
    spec["datasets"] = context["datasets"]
    values = {old: context["datasets"][new] for old, new in renamed.items()}
    return spec, vega.fill(compiled, names, values, renamed, active=active)


def _stored_template(
    key: tuple[Any, ...], build: Callable[[], tuple[alt.TopLevelMixin, dict[str, pl.DataFrame]]]
) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    """A template (Vega-Lite spec, dataset name by role, compiled Vega), built once and
    kept on disk (BENCHMARKS_HOME/cache/vega) under `cache.fingerprint()` of its key, which
    covers the package's code and the altair and vl-convert versions: a report kernel's
    cold start reads its 28 templates instead of building them with altair (~0.2 s)."""
    name = cache.fingerprint(kind="chart-template", key=json.loads(json.dumps(key, default=str)))
    path = datadir.home() / "cache" / "vega" / f"template-{name}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return stored["spec"], stored["datasets"], stored["vega"]
    except (OSError, ValueError, KeyError):
        pass
    chart, placeholders = build()
    spec = chart.to_dict(validate=False)
    spec.pop("datasets", None)
    shapes: dict[str, Any] = {"datasets": {}}
    dataset_of = {role: _dataset(f, shapes) for role, f in placeholders.items()}
    compiled = vega.compile_spec({**spec, "datasets": shapes["datasets"]})
    vega.check_template(compiled)
    try:
        atomic.write_text(
            path, json.dumps({"spec": spec, "datasets": dataset_of, "vega": compiled})
        )
    except OSError:
        pass  # an unwritable cache only costs time
    return spec, dataset_of, compiled


def _dataset(frame: pl.DataFrame, context: dict[str, Any]) -> str:
    """The dataset name altair gives a frame (and its values, added to `context`).

    A frame without dates or times, within altair's row limit, becomes its rows as dicts
    named by their hash, which is what altair's data step does with it; anything else
    goes through that step itself.
    """
    plain = not any(dtype.is_temporal() for dtype in frame.schema.values())
    if plain and frame.height <= MAX_ROWS and _default_data_step():
        values = frame.rows(named=True)
        name = altair_api._dataset_name(values)  # type: ignore[arg-type]  # list of records
        context.setdefault("datasets", {})[name] = values
        return name
    named = altair_api._prepare_data(frame, context)
    return str(named.name)  # type: ignore[union-attr]


def _default_data_step() -> bool:
    transformers = alt.data_transformers
    return transformers.active == "default" and bool(transformers.consolidate_datasets)


def trend_spec(
    series: pl.DataFrame, indicator: str, la_name: str, *, region_name: str | None = None
) -> ChartSpec:
    """`trend_chart(...)`'s spec, made from a template (see above)."""
    data = trend_frame(series, la_name=la_name, region_name=region_name)
    zero = _trend_starts_at_zero(data)
    series_of = dict(zip(data["role"].to_list(), data["series"].to_list(), strict=True))

    def build() -> tuple[alt.TopLevelMixin, dict[str, pl.DataFrame]]:
        one_year = series.head(1 if data.height else 0)
        shaped = trend_frame(
            one_year.with_columns(group_label=pl.lit(_slot("comparator"))),
            la_name=_slot("la"),
            region_name=None if region_name is None else _slot("region"),
        )
        return _trend_layers(shaped, indicator, _slot("la"), zero=zero), {"data": shaped}

    names = {
        "la": la_name,
        "comparator": series_of.get("comparator", ""),
        "region": region_name or "",
    }
    key = ("trend", indicator, tuple(series_of), zero)
    spec, compiled = _from_template(key, build, names, {"data": data})
    return ChartSpec(spec, data, compiled)


def position_spec(
    all_las_one_year: pl.DataFrame,
    indicator: str,
    la_code: str,
    neighbour_codes: Sequence[str],
    *,
    year: int | None = None,
    england: float | None = None,
) -> ChartSpec:
    """`position_chart(...)`'s spec, made from a template (see above)."""
    data = position_frame(all_las_one_year, la_code, neighbour_codes)
    frames = {"data": data}
    if england is not None:
        frames["england"] = _england_frame(england)

    def build() -> tuple[alt.TopLevelMixin, dict[str, pl.DataFrame]]:
        shaped = pl.DataFrame({"name": [_slot("la")], "value": [0.0], "role": ["la"]})
        chart = _position_layers(
            shaped,
            indicator,
            _slot("la"),
            year=year,
            england=None if england is None else 0.0,
        )
        placeholders = {"data": shaped}
        if england is not None:
            placeholders["england"] = _england_frame(0.0)
        return chart, placeholders

    names = {"la": _position_la_name(all_las_one_year, la_code)}
    key = ("position", indicator, year, england is not None)
    spec, compiled = _from_template(key, build, names, frames)
    return ChartSpec(spec, data, compiled)


def timeline_spec(inspections: pl.DataFrame, la_name: str) -> ChartSpec:
    """`inspection_timeline(...)`'s spec, made from a template (see above)."""
    data = timeline_frame(inspections)

    def build() -> tuple[alt.TopLevelMixin, dict[str, pl.DataFrame]]:
        shaped = data.head(1 if data.height else 0)
        chart = _timeline_layers(shaped, _slot("la"), _slot("description"))
        return chart, {"data": shaped}

    names = {"la": la_name, "description": _timeline_sentence(data, la_name)}
    spec, compiled = _from_template(("timeline",), build, names, {"data": data})
    return ChartSpec(spec, data, compiled)


def starters_leavers_spec(frame: pl.DataFrame, la_name: str) -> ChartSpec:
    """`starters_leavers_chart(...)`'s spec, made from a template (see above)."""
    data = starters_leavers_frame(frame)

    def build() -> tuple[alt.TopLevelMixin, dict[str, pl.DataFrame]]:
        shaped = data.head(1 if data.height else 0)
        return _starters_leavers_layers(shaped, _slot("la")), {"data": shaped}

    spec, compiled = _from_template(("starters_leavers",), build, {"la": la_name}, {"data": data})
    return ChartSpec(spec, data, compiled)
