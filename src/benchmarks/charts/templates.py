"""Chart specs from templates: the same spec as the altair builders, made much faster.

A report draws 28 trend and position charts. Building each as altair objects and
serialising them with `to_dict()` is most of a report's time, yet for one indicator the
specs differ only in a few names and the data. So `trend_spec` and `position_spec` give
the same spec as `trend_chart(...).to_dict()` and `position_chart(...).to_dict()`
without altair objects: the chart is built once per indicator and shape by the same
builder, with placeholders for the names; each call fills in the names and puts its own
data in the way altair's data step does. Tests compare the two on real data.

Only a template's first build imports altair and the builders; a kernel that finds its
templates on disk never does.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from benchmarks import atomic, cache, datadir, theme
from benchmarks.charts import vega
from benchmarks.charts._common import ChartSpec
from benchmarks.charts.frames import (
    england_frame,
    position_frame,
    position_la_name,
    starters_leavers_frame,
    timeline_frame,
    timeline_sentence,
    trend_frame,
    trend_starts_at_zero,
)

MAX_ROWS = 5000  # altair's default data step refuses more rows than this
_SLOT = re.compile(r'"@@bm:(\w+)@@"|@@bm:(\w+)@@')


@dataclass(frozen=True)
class _Template:
    """A chart template as `_from_template` uses it: the Vega-Lite spec with placeholders,
    the dataset name of each role, the compiled Vega, and, for each of the two specs, the
    ids of the subtrees with something to fill in (`vega.active_nodes`: the rest is shared
    by every filled copy, not copied), and the Vega's shared parts (`vega.template_parts`)."""

    spec: dict[str, Any]
    dataset_of: dict[str, str]
    compiled: dict[str, Any]
    spec_active: frozenset[int]
    vega_active: frozenset[int]
    shared: vega.Shared


_TEMPLATES: dict[tuple[Any, ...], _Template] = {}


def _slot(name: str) -> str:
    return f"@@bm:{name}@@"


def _from_template(
    key: tuple[Any, ...],
    build: Callable[[], tuple[Any, dict[str, pl.DataFrame]]],
    names: dict[str, str],
    frames: dict[str, pl.DataFrame],
) -> ChartSpec:
    """`build()`'s spec (made once per key, with placeholders) with these names and data,
    as Vega-Lite and as compiled Vega (the template compiled once, see `charts.vega`),
    with `frames["data"]` as the chart's data.

    `build` returns the chart made with `_slot` placeholders and the frames it was given,
    by role; `frames` has this chart's frames for the same roles.
    """
    key = (*key, _active_theme())
    if key not in _TEMPLATES:
        spec, dataset_of, compiled = _stored_template(key, build)
        names_of_data = set(dataset_of.values())
        vega_active = vega.active_nodes(compiled, names_of_data)
        _TEMPLATES[key] = _Template(
            spec,
            dataset_of,
            compiled,
            vega.active_nodes(spec, names_of_data),
            vega_active,
            vega.template_parts(compiled, vega_active),
        )
    t = _TEMPLATES[key]
    context: dict[str, Any] = {"datasets": {}}
    inline = all(_inline(frame) for frame in frames.values())
    if inline:  # the Vega keeps the template's dataset names (a page shortens them anyway)
        values = {t.dataset_of[role]: frame.rows(named=True) for role, frame in frames.items()}
        renamed: dict[str, str] = {}
    else:  # altair's data step names and shapes the data (see `_dataset`)
        renamed = {t.dataset_of[role]: _dataset(frame, context) for role, frame in frames.items()}
        values = {old: context["datasets"][new] for old, new in renamed.items()}
    filled = vega.fill(t.compiled, names, values, renamed, active=t.vega_active)

    def text(match: re.Match[str]) -> str:
        quoted, plain = match.groups()
        return json.dumps(names[quoted]) if quoted else names[plain]

    def fill(node: Any) -> Any:
        if isinstance(node, str):
            return renamed.get(node) or _SLOT.sub(text, node)
        if isinstance(node, (dict, list)) and id(node) not in t.spec_active:
            return node  # nothing to fill in: the template's own, shared
        if isinstance(node, dict):
            return {k: fill(v) for k, v in node.items()}
        if isinstance(node, list):
            return [fill(v) for v in node]
        return node

    def vega_lite() -> dict[str, Any]:
        """The Vega-Lite spec, its datasets named by their rows as altair names them."""
        if inline:
            for old, rows in values.items():
                renamed[old] = _named_rows(rows, context)
        return {**fill(t.spec), "datasets": context["datasets"]}

    head: dict[str, Any] = {k: fill(t.spec[k]) for k in ("title", "description") if k in t.spec}
    return ChartSpec(vega_lite, frames["data"], filled, t.shared, head)


def _stored_template(
    key: tuple[Any, ...], build: Callable[[], tuple[Any, dict[str, pl.DataFrame]]]
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
    if _inline(frame):
        return _named_rows(frame.rows(named=True), context)
    from altair.vegalite.v6 import api as altair_api

    named = altair_api._prepare_data(frame, context)
    return str(named.name)  # type: ignore[union-attr]


def _named_rows(rows: list[dict[str, Any]], context: dict[str, Any]) -> str:
    """Inline rows added to `context`'s datasets under the name altair gives them."""
    name = dataset_name(rows)
    context.setdefault("datasets", {})[name] = rows
    return name


def _inline(frame: pl.DataFrame) -> bool:
    """Whether altair's data step would write `frame` as its rows as they are (no dates or
    times, within its row limit, the default step in use)."""
    plain = not any(dtype.is_temporal() for dtype in frame.schema.values())
    return plain and frame.height <= MAX_ROWS and _default_data_step()


def dataset_name(values: list[dict[str, Any]]) -> str:
    """The name altair's data step gives inline rows: "data-" and 32 hex digits of the
    sha256 of their JSON with sorted keys ("empty" for one empty row)."""
    if values == [{}]:
        return "empty"
    text = json.dumps(values, sort_keys=True, default=str)
    return "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]


def _default_data_step() -> bool:
    """altair's default data step is in use (always, when altair is not imported)."""
    if "altair" not in sys.modules:
        return True
    transformers = sys.modules["altair"].data_transformers
    return transformers.active == "default" and bool(transformers.consolidate_datasets)


def _active_theme() -> str:
    """altair's active theme: the report theme when altair is not imported (the builders
    register and enable it, `charts.layers`), else whatever is active once they are."""
    if "altair" not in sys.modules:
        return theme.THEME_NAME
    from benchmarks.charts import layers  # noqa: F401  # registers the theme on first import

    return str(sys.modules["altair"].theme.active)


def trend_spec(
    series: pl.DataFrame, indicator: str, la_name: str, *, region_name: str | None = None
) -> ChartSpec:
    """`trend_chart(...)`'s spec, made from a template (see above)."""
    data = trend_frame(series, la_name=la_name, region_name=region_name)
    zero = trend_starts_at_zero(data)
    series_of = dict(zip(data["role"].to_list(), data["series"].to_list(), strict=True))

    def build() -> tuple[Any, dict[str, pl.DataFrame]]:
        from benchmarks.charts.trend import _trend_layers

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
    return _from_template(key, build, names, {"data": data})


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
        frames["england"] = england_frame(england)

    def build() -> tuple[Any, dict[str, pl.DataFrame]]:
        from benchmarks.charts.position import _position_layers

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
            placeholders["england"] = england_frame(0.0)
        return chart, placeholders

    names = {"la": position_la_name(all_las_one_year, la_code)}
    key = ("position", indicator, year, england is not None)
    return _from_template(key, build, names, frames)


def timeline_spec(inspections: pl.DataFrame, la_name: str) -> ChartSpec:
    """`inspection_timeline(...)`'s spec, made from a template (see above)."""
    data = timeline_frame(inspections)

    def build() -> tuple[Any, dict[str, pl.DataFrame]]:
        from benchmarks.charts.inspections import _timeline_layers

        shaped = data.head(1 if data.height else 0)
        chart = _timeline_layers(shaped, _slot("la"), _slot("description"))
        return chart, {"data": shaped}

    names = {"la": la_name, "description": timeline_sentence(data, la_name)}
    return _from_template(("timeline",), build, names, {"data": data})


def starters_leavers_spec(frame: pl.DataFrame, la_name: str) -> ChartSpec:
    """`starters_leavers_chart(...)`'s spec, made from a template (see above)."""
    data = starters_leavers_frame(frame)

    def build() -> tuple[Any, dict[str, pl.DataFrame]]:
        from benchmarks.charts.inspections import _starters_leavers_layers

        shaped = data.head(1 if data.height else 0)
        return _starters_leavers_layers(shaped, _slot("la")), {"data": shaped}

    return _from_template(("starters_leavers",), build, {"la": la_name}, {"data": data})
