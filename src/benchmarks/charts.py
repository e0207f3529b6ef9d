"""Chart builders: a frame in, an altair chart out (pure; nothing here touches disk).

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

import copy
import hashlib
import html
import json
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

import altair as alt
import polars as pl
from altair.vegalite.v6 import api as altair_api

from benchmarks import indicators, theme
from benchmarks.schema import GRADES

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
    ind = indicators.get(indicator)
    decimals = ind.decimals if ind.decimals is not None else 1
    return f",.{decimals}f"


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


# ------------------------------------------------------------------ trend


def trend_frame(
    series: pl.DataFrame, *, la_name: str, region_name: str | None = None
) -> pl.DataFrame:
    """Reshape one authority's comparison rows (one indicator, many years) for a trend chart.

    `series` has the comparison columns `year, value, status, ci_low, ci_high,
    comparator, group_label, region_value, england` (see `comparator_values` for how
    the comparator is chosen). Returns `year, series, role, value, low, high, marker`
    with one row per year and series; the interval is set on the authority's rows only.
    """
    group = series["group_label"].drop_nulls()
    group_label = str(group[0]) if group.len() else "Comparator"
    base = series.sort("year")
    parts = [
        base.select(
            "year",
            pl.lit(la_name).alias("series"),
            pl.lit("la").alias("role"),
            "value",
            pl.col("ci_low").alias("low"),
            pl.col("ci_high").alias("high"),
            pl.col("status").alias("marker"),
        )
    ]
    others = [("comparator", group_label, "comparator")]
    if region_name is not None:
        others.append(("region_value", region_name, "region"))
    others.append(("england", ENGLAND, "england"))
    for column, label, role in others:
        parts.append(
            base.select(
                "year",
                pl.lit(label).alias("series"),
                pl.lit(role).alias("role"),
                pl.col(column).cast(pl.Float64).alias("value"),
                pl.lit(None, pl.Float64).alias("low"),
                pl.lit(None, pl.Float64).alias("high"),
                pl.lit(None, pl.String).alias("marker"),
            )
        )
    return pl.concat(parts).with_columns(
        pl.col("year").cast(pl.Int32), pl.col("value", "low", "high").round(3)
    )


def trend_chart(
    series: pl.DataFrame, indicator: str, la_name: str, *, region_name: str | None = None
) -> alt.LayerChart:
    """The authority against its comparator (with the authority's 95% interval), region and England."""
    data = trend_frame(series, la_name=la_name, region_name=region_name)
    return _trend_layers(data, indicator, la_name, zero=_trend_starts_at_zero(data))


def _trend_starts_at_zero(data: pl.DataFrame) -> bool:
    return starts_at_zero(
        [*data["value"].to_list(), *data["low"].to_list(), *data["high"].to_list()]
    )


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
    y_axis = _top_title_axis()
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
        f"Line chart of {axis_title(indicator)} by year for {_and_list(domain)}, "
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


# ------------------------------------------------------------------ position among all LAs


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
        data, indicator, _position_la_name(data, la_code), year=year, england=england
    )


def position_frame(
    all_las_one_year: pl.DataFrame, la_code: str, neighbour_codes: Sequence[str]
) -> pl.DataFrame:
    """`name, value, role` (la / neighbour / other) of every authority with a value, by value."""
    return (
        all_las_one_year.filter(pl.col("value").is_not_null())
        .select(
            pl.col("la_name").alias("name"),
            pl.col("value").cast(pl.Float64).round(3),
            pl.when(pl.col("la_code") == la_code)
            .then(pl.lit("la"))
            .when(pl.col("la_code").is_in(list(neighbour_codes)))
            .then(pl.lit("neighbour"))
            .otherwise(pl.lit("other"))
            .alias("role"),
        )
        .sort("value", "name")
    )


def _position_la_name(data: pl.DataFrame, la_code: str) -> str:
    la_rows = data.filter(pl.col("role") == "la")
    return str(la_rows["name"][0]) if la_rows.height else la_code


def _england_frame(england: float) -> pl.DataFrame:
    return pl.DataFrame({"value": [round(float(england), 3)], "series": [ENGLAND]})


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
            alt.Chart(_england_frame(england))
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


def _lookup_expr(mapping: dict[str, str]) -> str:
    """A Vega expression mapping datum.value through `mapping` (for axis labels)."""
    cases = " : ".join(
        f"datum.value === {json.dumps(k)} ? {json.dumps(v)}" for k, v in mapping.items()
    )
    return f"{cases} : datum.value"


# ------------------------------------------------------------------ starters and leavers


def starters_leavers_chart(frame: pl.DataFrame, la_name: str) -> alt.Chart:
    """Social workers starting and leaving each year (FTE), side by side.

    `frame` has `year, indicator, value` for `sw_starters_fte` and `sw_leavers_fte`.
    """
    labels = {"sw_starters_fte": "Starters", "sw_leavers_fte": "Leavers"}
    data = (
        frame.filter(pl.col("indicator").is_in(list(labels)))
        .select(
            pl.col("year").cast(pl.Int32),
            pl.col("indicator").replace_strict(labels).alias("measure"),
            pl.col("value").cast(pl.Float64),
        )
        .sort("year", "measure", descending=[False, True])
    )
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=_year_title("sw_starters_fte"), axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("measure:N", sort=["Starters", "Leavers"]),
            y=alt.Y("value:Q", title="Social workers (FTE)"),
            color=alt.Color(
                "measure:N",
                title=None,
                sort=["Starters", "Leavers"],
                scale=alt.Scale(domain=["Starters", "Leavers"], range=[theme.TEAL, theme.MAROON]),
            ),
            tooltip=[
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("value:Q", title="FTE", format=",.1f"),
            ],
        )
        .properties(
            title=alt.Title(
                f"Social worker starters and leavers: {la_name}",
                subtitle="Full-time equivalent social workers starting and leaving in each year.",
            ),
            description=f"Bar chart of the full-time equivalent social workers starting (first "
            f"bar) and leaving (second bar) {la_name} in each year. "
            "The figures are in the table below.",
            height=200,
        )
    )


# ------------------------------------------------------------------ inspections

#: The framework in force since January 2018; every other framework is labelled older.
CURRENT_FRAMEWORK = "ILACS"
ERAS = ("ILACS (current)", "Older framework")
NO_GRADE = "No overall grade"
SHORT_GRADES = {
    "Outstanding": "Outstanding",
    "Good": "Good",
    "Requires improvement to be good": "Requires improvement",
    "Inadequate": "Inadequate",
}


def inspection_frame(inspections: pl.DataFrame) -> pl.DataFrame:
    """One authority's inspections and visits as `date, kind, framework, era, grade,
    judgements, source`, oldest first.

    `framework` reads e.g. "SIF (older framework)" for anything before ILACS; `era` is
    "ILACS (current)" or "Older framework"; events without an overall grade get "No
    overall grade"; `source` says "Unofficial (Data to Insight)" where that applies.
    """
    judgements = pl.concat_str(
        [
            pl.format("Leadership: {}", pl.col("leaders")),
            pl.format("Help and protection: {}", pl.col("help_and_protection")),
            pl.format("Children in care: {}", pl.col("children_in_care")),
            pl.format("Care leavers: {}", pl.col("care_leavers")),
            pl.col("other_judgements"),
        ],
        separator="; ",
        ignore_nulls=True,
    )
    current = pl.col("framework") == CURRENT_FRAMEWORK
    return (
        inspections.select(
            pl.coalesce("inspection_date", "publication_date").alias("date"),
            pl.col("event_type").fill_null("Inspection").alias("kind"),
            pl.when(current)
            .then(pl.col("framework"))
            .otherwise(pl.format("{} (older framework)", pl.col("framework").fill_null("Unknown")))
            .alias("framework"),
            pl.when(current).then(pl.lit(ERAS[0])).otherwise(pl.lit(ERAS[1])).alias("era"),
            pl.col("overall")
            .replace_strict(SHORT_GRADES, default=None, return_dtype=pl.String)
            .fill_null(NO_GRADE)
            .alias("grade"),
            pl.when(judgements == "").then(None).otherwise(judgements).alias("judgements"),
            pl.when(pl.col("official").fill_null(True))
            .then(pl.lit("Ofsted (official)"))
            .otherwise(pl.lit("Unofficial (Data to Insight)"))
            .alias("source"),
        )
        .filter(pl.col("date").is_not_null())
        .sort("date")
    )


def inspection_timeline(inspections: pl.DataFrame, la_name: str) -> alt.LayerChart:
    """Every inspection and visit on a time line: colour and a written label give the
    grade, the shape tells the current ILACS framework from older ones."""
    data = inspection_frame(inspections).with_columns(pl.col("date").cast(pl.String))
    grades = [SHORT_GRADES[g] for g in GRADES] + [NO_GRADE]
    colours = [theme.GRADE_COLOURS[g] for g in GRADES] + [theme.GRADE_COLOURS[NO_GRADE]]
    x = alt.X(
        "date:T",
        title="Date of inspection or visit",
        axis=alt.Axis(format="%Y"),
        scale=alt.Scale(padding=14),
    )
    y = alt.Y("kind:N", title=None, axis=alt.Axis(labelLimit=220))
    graded = alt.datum.grade != NO_GRADE
    points = (
        alt.Chart()
        .mark_point(filled=True, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "grade:N", title="Overall grade", scale=alt.Scale(domain=grades, range=colours)
            ),
            shape=alt.Shape(
                "era:N",
                title="Framework",
                scale=alt.Scale(domain=list(ERAS), range=["circle", "square"]),
            ),
            size=alt.SizeValue(**alt.when(graded).then(alt.value(170)).otherwise(alt.value(70))),
            tooltip=[
                alt.Tooltip("date:T", title="Date", format="%d %B %Y"),
                alt.Tooltip("kind:N", title="Event"),
                alt.Tooltip("framework:N", title="Framework"),
                alt.Tooltip("grade:N", title="Overall grade"),
                alt.Tooltip("source:N", title="Source"),
            ],
        )
    )
    text = (
        alt.Chart()
        .transform_filter(graded)
        .transform_calculate(
            label="indexof(datum.source, 'Unofficial') === 0 ? datum.grade + ' (unofficial)' : datum.grade"
        )
        .mark_text(dy=-15, fontSize=11, color=theme.TEXT)
        .encode(x=x, y=y, text=alt.Text("label:N"))
    )
    return LayerChart(
        layer=[points, text],
        data=data,
        title=alt.Title(
            f"Ofsted inspections and visits: {la_name}",
            subtitle="Each graded inspection is labelled with its overall grade; "
            "squares mark frameworks before ILACS (2018).",
        ),
        description=_timeline_sentence(data, la_name),
        height=alt.Step(48),
    )


def _timeline_sentence(data: pl.DataFrame, la_name: str) -> str:
    """The timeline's text alternative: how many events, over which years."""
    if data.height == 0:
        return f"Timeline of Ofsted inspections and visits of {la_name}: none recorded."
    first, last = str(data["date"].min())[:4], str(data["date"].max())[:4]
    span = first if first == last else f"{first} to {last}"
    events = "event" if data.height == 1 else "events"
    return (
        f"Timeline of Ofsted inspections and visits of {la_name}: {data.height} {events}, "
        f"{span}, each marked by its overall grade (colour and written label) and framework "
        "(circle: ILACS, square: older). The events are in the table below."
    )


# ------------------------------------------------------------------ HTML embedding


def chart_id(spec: dict[str, Any], seen: dict[str, int] | None = None) -> str:
    """A deterministic element id for a chart spec (same spec, same report: same id)."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]
    if seen is None:
        return f"chart-{digest}"
    seen[digest] = seen.get(digest, 0) + 1
    return f"chart-{digest}" + (f"-{seen[digest]}" if seen[digest] > 1 else "")


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element (no '</' or '<!--' sequences)."""
    return (
        json.dumps(value, separators=(",", ":"), sort_keys=True)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def embed_html(spec: dict[str, Any], element_id: str, *, label: str = "Chart") -> str:
    """A div and a vegaEmbed call; the page must load the Vega bundle once (the template does).

    The outer div is the chart for assistive technology: `role="img"` named by `label`
    (the chart's sentence). Vega draws into an inner div hidden from assistive technology
    (`aria-hidden`), so the SVG's thousands of marks are not read out one by one; the
    figures are in the "view as table" under the chart. If the chart cannot draw, the
    outer div becomes the error text. The spec's `$schema` URL is dropped: it is
    optional, and the page names no URL at all.
    """
    spec = {k: v for k, v in spec.items() if k != "$schema"}
    return (
        f'<div class="bm-chart" id="{element_id}" role="img" aria-label="{html.escape(label)}">'
        '<div class="bm-vega" aria-hidden="true"></div></div>'
        "<script>(function(){var box=document.getElementById(" + _script_json(element_id) + "),"
        "el=box.firstChild;function say(t){box.removeAttribute('role');"
        "box.removeAttribute('aria-label');box.textContent=t;}"
        "if(!window.vegaEmbed){say('Chart unavailable: the Vega library did not load.');return;}"
        "vegaEmbed(el," + _script_json(spec) + ',{"actions":false,"renderer":"svg"})'
        ".catch(function(e){box.className+=' bm-chart-error';say('Chart failed to draw: '+e);});})();"
        "</script>"
    )


def chart_title(spec: dict[str, Any]) -> str:
    """The chart's title text (for aria-label and table captions)."""
    title = spec.get("title", "Chart")
    if isinstance(title, dict):
        title = title.get("text", "Chart")
    return " ".join(title) if isinstance(title, list) else str(title)


def chart_sentence(spec: dict[str, Any]) -> str:
    """The chart's text alternative: its `description` (what it shows, in a sentence),
    else its title (for the chart's aria-label)."""
    description = spec.get("description")
    return str(description) if description else chart_title(spec)


def _and_list(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B, and C' (the serial comma: names may contain "and")."""
    if len(names) < 3:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def data_table(frame: pl.DataFrame, *, caption: str, number_format: str = ",.1f") -> str:
    """An HTML table of a frame (every name HTML-escaped, nulls shown as a dash)."""
    head = "".join(f'<th scope="col">{html.escape(HEADERS.get(c, c))}</th>' for c in frame.columns)
    rows = []
    for row in frame.iter_rows():
        cells = []
        for v in row:
            if v is None:
                text = "–"
            elif isinstance(v, float):
                text = format(v, number_format)
            elif isinstance(v, date):
                text = v.isoformat()
            else:
                text = str(v)
            cells.append(f"<td>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="bm-data"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def table_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """A chart's data shaped for reading.

    Year-by-series data is pivoted to one row a year (a column per series, plus the
    interval of the authority's own series); in a position chart's data the role is
    written after the name ("Leeds (this authority)").
    """
    if {"name", "role"} <= set(frame.columns):
        suffix = pl.col("role").replace_strict(ROLE_SUFFIX, default="", return_dtype=pl.String)
        return frame.with_columns(pl.col("name") + suffix).drop("role")
    key = next((c for c in ("series", "measure") if c in frame.columns), None)
    if key is None or "year" not in frame.columns or frame.height == 0:
        return frame
    wide = frame.pivot(on=key, index="year", values="value", maintain_order=True)
    if {"low", "high", "role"} <= set(frame.columns):
        own = frame.filter(pl.col("role") == "la").select("year", "low", "high")
        wide = wide.join(own, on="year", how="left")
    return wide.sort("year")


def figure_html(
    chart: alt.TopLevelMixin | ChartSpec,
    *,
    seen: dict[str, int] | None = None,
    number_format: str = ",.1f",
) -> str:
    """A chart and, under it, a `<details>` "view as table" of the chart's own data.

    The spec is not schema-validated here (that costs ~50 ms a chart); the builders'
    tests validate every builder's output with `to_dict()`. `number_format` formats
    every number in the table.
    """
    spec = chart.spec if isinstance(chart, ChartSpec) else chart.to_dict(validate=False)
    title = chart_title(spec)
    frame = chart.data if isinstance(chart.data, pl.DataFrame) else pl.DataFrame()
    element = chart_id(spec, seen)
    table = data_table(
        table_frame(frame), caption=f"Data for: {title}", number_format=number_format
    )
    return (
        f'<figure class="bm-figure">{embed_html(spec, element, label=chart_sentence(spec))}'
        f'<details class="bm-details"><summary>View as table: {html.escape(title)}</summary>'
        f"{table}</details></figure>"
    )


# ------------------------------------------------------------------ specs from templates
#
# A report draws 28 trend and position charts. Building each as altair objects and
# serialising them with `to_dict()` is most of a report's time, yet for one indicator the
# specs differ only in a few names and the data. So `trend_spec` and `position_spec` give
# the same spec as `trend_chart(...).to_dict()` and `position_chart(...).to_dict()`
# without altair objects: the chart is built once per indicator and shape by the same
# builder, with placeholders for the names; each call fills in the names and puts its own
# data in through altair's own data step. Tests compare the two on real data.

MAX_ROWS = 5000  # altair's default data step refuses more rows than this
_SLOT = re.compile(r'"@@bm:(\w+)@@"|@@bm:(\w+)@@')
_TEMPLATES: dict[tuple[Any, ...], tuple[dict[str, Any], dict[str, str]]] = {}


def _slot(name: str) -> str:
    return f"@@bm:{name}@@"


class ChartSpec:
    """A chart as its Vega-Lite spec and its top-level data frame (what `figure_html` uses)."""

    def __init__(self, spec: dict[str, Any], data: pl.DataFrame) -> None:
        self.spec = spec  # read it, do not change it (`to_dict` gives a copy to change)
        self.data = data

    def to_dict(self, validate: bool = True) -> dict[str, Any]:
        """A copy of the spec; `validate` checks it against the Vega-Lite schema."""
        spec = copy.deepcopy(self.spec)
        if validate:
            alt.LayerChart.from_dict(spec, validate=True)
        return spec


def _from_template(
    key: tuple[Any, ...],
    build: Callable[[], tuple[alt.TopLevelMixin, dict[str, pl.DataFrame]]],
    names: dict[str, str],
    frames: dict[str, pl.DataFrame],
) -> dict[str, Any]:
    """`build()`'s spec (made once per key, with placeholders) with these names and data.

    `build` returns the chart made with `_slot` placeholders and the frames it was given,
    by role; `frames` has this chart's frames for the same roles.
    """
    key = (*key, alt.theme.active)
    if key not in _TEMPLATES:
        chart, placeholders = build()
        spec = chart.to_dict(validate=False)
        spec.pop("datasets", None)
        _TEMPLATES[key] = (spec, {role: _dataset(f, {}) for role, f in placeholders.items()})
    template, dataset_of = _TEMPLATES[key]
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
    return spec


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
    return ChartSpec(_from_template(key, build, names, {"data": data}), data)


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

    names = {"la": _position_la_name(data, la_code)}
    spec = _from_template(("position", indicator, year, england is not None), build, names, frames)
    return ChartSpec(spec, data)


def offline_renderer(spec: dict[str, Any], **_: Any) -> dict[str, str]:
    """altair renderer for reports: only a div and a vegaEmbed call (no CDN, no bundle)."""
    return {"text/html": embed_html(spec, chart_id(spec), label=chart_sentence(spec))}


alt.renderers.register("benchmarks_offline", offline_renderer)  # type: ignore[arg-type]


def enable_offline_renderer() -> None:
    """Set up a report kernel: charts display through `offline_renderer`, and altair skips
    validating every object as it is built (its "debug mode"; tests keep validating)."""
    alt.renderers.enable("benchmarks_offline")
    alt.utils.schemapi.disable_debug_mode()
