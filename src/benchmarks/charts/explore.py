"""Exploration charts: a funnel plot, two indicators related, values by grade, any trend.

Pure builders (a frame in, an altair chart out), as the rest of `benchmarks.charts`:
each chart carries its data at the top level in short-named columns (its "view as
table"), a `description` sentence (its text alternative) and, where it helps, an
Altair selection bound to a dropdown that picks the highlighted authority
(`highlight_param`). The highlight rules are written with `alt.when(...)`.

Suppressed values (a marker in `marker`) stay in the data, so the table shows them as
what they are; a chart cannot place a value it does not have, so it draws none for them.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import polars as pl

from benchmarks import indicators, theme
from benchmarks.charts._common import _value_format, and_list, axis_title
from benchmarks.charts.frames import NO_GRADE
from benchmarks.charts.trend import trend_chart
from benchmarks.schema import GRADES

#: The dropdown that picks the highlighted authority (one per chart).
PICK = "pick"
PICK_LABEL = "Highlight an authority: "
#: Grades in order, each with its colour and a shape (colour is never the only cue).
GRADE_ORDER = (*GRADES, NO_GRADE)
GRADE_SHAPES = {
    "Outstanding": "circle",
    "Good": "square",
    "Requires improvement to be good": "triangle-up",
    "Inadequate": "triangle-down",
    NO_GRADE: "cross",
}
#: Table headers for the short column names these charts use.
HEADERS = {
    "name": "Authority",
    "code": "Code",
    "value": "Value",
    "marker": "Marker",
    "n": "Denominator",
    "england": "England",
    "low95": "95% limit: low",
    "high95": "95% limit: high",
    "low998": "99.8% limit: low",
    "high998": "99.8% limit: high",
    "band": "Band",
    "position": "Against England's funnel",
    "flags": "Flags",
    "grade": "Latest Ofsted grade",
    "group": "Group",
    "median": "Group median",
    "q1": "Group lower quartile",
    "q3": "Group upper quartile",
}

__all__ = [
    "GRADE_ORDER",
    "GRADE_SHAPES",
    "HEADERS",
    "PICK",
    "funnel_chart",
    "funnel_frame",
    "group_strip_chart",
    "group_strip_frame",
    "highlight_param",
    "relation_chart",
    "relation_frame",
    "trend_chart",
]


def highlight_param(names: Sequence[str], selected: str | None) -> alt.Parameter:
    """A point selection on `name`, bound to a dropdown of `names`, starting at `selected`."""
    options = sorted(set(names))
    return alt.selection_point(
        name=PICK,
        fields=["name"],
        value=selected if selected in options else alt.Undefined,
        # per field: the field is called "name", as a binding's own label is
        bind={"name": alt.binding_select(options=options, name=PICK_LABEL)},  # type: ignore[arg-type]
        clear=False,
    )


# ------------------------------------------------------------------ funnel plot


def funnel_frame(rows: pl.DataFrame) -> pl.DataFrame:
    """Comparison rows of every authority (one indicator, one year) with denominator `n`.

    `rows` has `la_code, la_name, value, status, n, england, band, funnel_position,
    flags` and the `funnel95_*` / `funnel998_*` limits. Returns one row per authority in
    short names, ordered by denominator (the limits then draw as lines).
    """
    return rows.select(
        pl.col("la_name").alias("name"),
        pl.col("la_code").alias("code"),
        pl.col("value").cast(pl.Float64).round(3),
        pl.col("status").alias("marker"),
        pl.col("n").cast(pl.Float64).round(1),
        pl.col("england").cast(pl.Float64).round(3),
        pl.col("funnel95_low").round(3).alias("low95"),
        pl.col("funnel95_high").round(3).alias("high95"),
        pl.col("funnel998_low").round(3).alias("low998"),
        pl.col("funnel998_high").round(3).alias("high998"),
        "band",
        pl.col("funnel_position").alias("position"),
        "flags",
    ).sort("n", "name", nulls_last=True)


def funnel_chart(
    data: pl.DataFrame, indicator: str, *, la_name: str | None, year: int | None = None
) -> alt.LayerChart:
    """Funnel plot: every authority's value against its denominator, England's value as
    the centre line, 95% and 99.8% limits, and the picked authority highlighted."""
    ind = indicators.get(indicator)
    fmt = _value_format(indicator)
    denominator = _denominator_label(indicator)
    x = alt.X("n:Q", title=denominator, scale=alt.Scale(zero=False, nice=True))
    y_title = axis_title(indicator)
    pick = highlight_param(data.filter(pl.col("value").is_not_null())["name"].to_list(), la_name)
    limits = (
        alt.Chart()
        .transform_filter(alt.expr.isValid(alt.datum.low95))
        .transform_fold(["low95", "high95", "low998", "high998"], as_=["limit", "bound"])
        .transform_calculate(
            level="indexof(datum.limit, '998') >= 0 ? '99.8% limits' : '95% limits'"
        )
        .mark_line(strokeWidth=1.5)
        .encode(
            x=x,
            y=alt.Y("bound:Q", title=y_title),
            detail="limit:N",
            color=alt.Color(
                "level:N",
                title=None,
                scale=alt.Scale(
                    domain=["95% limits", "99.8% limits"], range=[theme.TEAL, theme.MAROON]
                ),
            ),
            strokeDash=alt.StrokeDash(
                "level:N",
                title=None,
                scale=alt.Scale(domain=["95% limits", "99.8% limits"], range=[[6, 3], [2, 2]]),
            ),
        )
    )
    centre = (
        alt.Chart()
        .transform_aggregate(england="max(england)")
        .mark_rule(color=theme.DARK_GREY, strokeWidth=1.5)
        .encode(
            y=alt.Y("england:Q"), tooltip=[alt.Tooltip("england:Q", title="England", format=fmt)]
        )
    )
    is_picked = alt.when(pick, empty=False)
    points = (
        alt.Chart()
        .mark_point(filled=True, opacity=0.85)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=y_title),
            color=alt.ColorValue(
                **is_picked.then(alt.value(theme.NAVY)).otherwise(alt.value(theme.CONTEXT))
            ),
            shape=alt.ShapeValue(
                **is_picked.then(alt.value("diamond")).otherwise(alt.value("circle"))
            ),
            size=alt.SizeValue(**is_picked.then(alt.value(200)).otherwise(alt.value(40))),
            tooltip=_tooltip(indicator, extra=["n", "band", "position", "flags"]),
        )
        .add_params(pick)
    )
    label = _pick_label(x, alt.Y("value:Q"), pick)
    when = f", {year}" if year is not None else ""
    who = f"{la_name} is the navy diamond; pick another authority from the list." if la_name else ""
    description = (
        f"Funnel plot of {y_title}{when}: one point per authority, its value against its "
        f"{denominator.lower()}, with England's value as a grey line and the 95% and 99.8% "
        f"limits around it for each size of authority. {who} The figures are in the table below."
    )
    return alt.LayerChart(
        layer=[limits, centre, points, label],
        data=data,
        title=alt.Title(
            f"{ind.label}: funnel plot{when}",
            subtitle=[
                "Points outside the limits differ from England by more than chance alone would suggest.",
                who,
            ],
        ),
        description=description,
        height=300,
    )


def _denominator_label(indicator: str) -> str:
    ind = indicators.get(indicator)
    if not ind.denominator:
        return "Denominator"
    parts = [indicators.get(p).label for p in ind.denominator if p in indicators.catalogue()]
    return "Denominator: " + (" + ".join(parts) if parts else ind.denominator[0])


# ------------------------------------------------------------------ two indicators


def relation_frame(
    x_rows: pl.DataFrame, y_rows: pl.DataFrame, grades: pl.DataFrame
) -> pl.DataFrame:
    """Two indicators' rows (`la_code, la_name, value, status`, one year each) side by side,
    with each authority's latest grade (`la_code, grade`; none: "No overall grade")."""
    x = x_rows.select("la_code", "la_name", x="value", x_marker="status")
    y = y_rows.select("la_code", y="value", y_marker="status")
    return (
        x.join(y, on="la_code", how="full", coalesce=True)
        .join(grades.select("la_code", "grade"), on="la_code", how="left")
        .select(
            pl.col("la_name").alias("name"),
            pl.col("la_code").alias("code"),
            pl.col("x").cast(pl.Float64).round(3),
            "x_marker",
            pl.col("y").cast(pl.Float64).round(3),
            "y_marker",
            pl.col("grade").fill_null(NO_GRADE),
        )
        .filter(pl.col("name").is_not_null())
        .sort("name")
    )


def relation_chart(
    data: pl.DataFrame,
    x_indicator: str,
    y_indicator: str,
    *,
    la_name: str | None,
    year: int | None = None,
) -> alt.LayerChart:
    """Scatter of two indicators, one point per authority, coloured and shaped by its
    latest Ofsted grade; the picked authority is ringed and named."""
    grades = [g for g in GRADE_ORDER if g in set(data["grade"].to_list())] or list(GRADE_ORDER)
    x = alt.X("x:Q", title=axis_title(x_indicator), scale=alt.Scale(zero=False, nice=True))
    y = alt.Y("y:Q", title=axis_title(y_indicator), scale=alt.Scale(zero=False, nice=True))
    both = data.filter(pl.col("x").is_not_null() & pl.col("y").is_not_null())
    pick = highlight_param(both["name"].to_list(), la_name)
    is_picked = alt.when(pick, empty=False)
    points = (
        alt.Chart()
        .mark_point(filled=True, opacity=0.9)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "grade:N",
                title="Latest Ofsted grade",
                scale=alt.Scale(domain=grades, range=[theme.GRADE_COLOURS[g] for g in grades]),
            ),
            shape=alt.Shape(
                "grade:N",
                title="Latest Ofsted grade",
                scale=alt.Scale(domain=grades, range=[GRADE_SHAPES[g] for g in grades]),
            ),
            size=alt.SizeValue(**is_picked.then(alt.value(220)).otherwise(alt.value(50))),
            stroke=alt.StrokeValue(
                **is_picked.then(alt.value(theme.TEXT)).otherwise(alt.value("transparent"))
            ),
            strokeWidth=alt.StrokeWidthValue(
                **is_picked.then(alt.value(2)).otherwise(alt.value(0))
            ),
            tooltip=[
                alt.Tooltip("name:N", title="Authority"),
                alt.Tooltip(
                    "x:Q",
                    title=indicators.get(x_indicator).label,
                    format=_value_format(x_indicator),
                ),
                alt.Tooltip(
                    "y:Q",
                    title=indicators.get(y_indicator).label,
                    format=_value_format(y_indicator),
                ),
                alt.Tooltip("grade:N", title="Latest Ofsted grade"),
            ],
        )
        .add_params(pick)
    )
    label = _pick_label(x, y, pick)
    when = f", {year}" if year is not None else ""
    x_label, y_label = indicators.get(x_indicator).label, indicators.get(y_indicator).label
    who = (
        f" {la_name} is ringed and named; pick another authority from the list." if la_name else ""
    )
    description = (
        f"Scatter plot of {axis_title(y_indicator)} against {axis_title(x_indicator)}{when}: "
        f"one point per authority, coloured and shaped by its latest Ofsted grade "
        f"({and_list(grades)}).{who} The figures are in the table below."
    )
    return alt.LayerChart(
        layer=[points, label],
        data=data,
        title=alt.Title(
            f"{y_label} against {x_label}{when}",
            subtitle="One point per authority; colour and shape give its latest Ofsted grade."
            + who,
        ),
        description=description,
        height=300,
    )


# ------------------------------------------------------------------ values by group


def group_strip_frame(
    rows: pl.DataFrame, groups: pl.DataFrame, profile_rows: pl.DataFrame
) -> pl.DataFrame:
    """Each authority's value (`rows`: `la_code, la_name, value, status`, one indicator and
    year) with its group (`groups`: `la_code, group`) and the group's `n`, median and
    quartiles from `benchmarks.profile` (`profile_rows`: that indicator's rows)."""
    stats = profile_rows.select("group", "n", "median", "q1", "q3")
    return (
        rows.join(groups.select("la_code", "group"), on="la_code", how="inner")
        .join(stats, on="group", how="left")
        .select(
            pl.col("la_name").alias("name"),
            "group",
            pl.col("value").cast(pl.Float64).round(3),
            pl.col("status").alias("marker"),
            pl.col("n").cast(pl.Int64),
            pl.col("median").round(3),
            pl.col("q1").round(3),
            pl.col("q3").round(3),
        )
        .sort("group", "name")
    )


def group_strip_chart(
    data: pl.DataFrame,
    indicator: str,
    *,
    by_label: str,
    order: Sequence[str],
    la_name: str | None = None,
    year: int | None = None,
) -> alt.LayerChart:
    """Every authority's value as a tick in its group's row, the group's inter-quartile
    range as a bar and its median as a mark (from `benchmarks.profile`); the focal
    authority is a navy diamond."""
    ind = indicators.get(indicator)
    fmt = _value_format(indicator)
    present = set(data["group"].to_list())
    domain = [g for g in order if g in present]
    y = alt.Y(
        "group:N",
        title=by_label,
        sort=domain,
        scale=alt.Scale(domain=domain),
        axis=alt.Axis(labelLimit=240),
    )
    x_title = axis_title(indicator)
    colours = [theme.GRADE_COLOURS.get(g, theme.NAVY) for g in domain]
    is_la = alt.datum.name == (la_name or "")
    ticks = (
        alt.Chart()
        .mark_tick(thickness=1.5, size=16, opacity=0.8)
        .encode(
            x=alt.X("value:Q", title=x_title),
            y=y,
            color=alt.Color("group:N", legend=None, scale=alt.Scale(domain=domain, range=colours)),
            tooltip=_tooltip(indicator, extra=["group"]),
        )
    )
    boxes = (
        alt.Chart()
        .transform_aggregate(
            q1="max(q1)", q3="max(q3)", median="max(median)", n="max(n)", groupby=["group"]
        )
        .mark_rule(strokeWidth=8, opacity=0.35, color=theme.DARK_GREY)
        .encode(
            x=alt.X("q1:Q", title=x_title),
            x2="q3:Q",
            y=y,
            tooltip=[
                alt.Tooltip("group:N", title=by_label),
                alt.Tooltip("n:Q", title="Authorities"),
                alt.Tooltip("q1:Q", title="Lower quartile", format=fmt),
                alt.Tooltip("median:Q", title="Median", format=fmt),
                alt.Tooltip("q3:Q", title="Upper quartile", format=fmt),
            ],
        )
    )
    medians = (
        alt.Chart()
        .transform_aggregate(median="max(median)", groupby=["group"])
        .mark_tick(thickness=3, size=26, color=theme.TEXT)
        .encode(x=alt.X("median:Q", title=x_title), y=y)
    )
    focal = (
        alt.Chart()
        .transform_filter(is_la & alt.expr.isValid(alt.datum.value))
        .mark_point(shape="diamond", filled=True, size=160, color=theme.NAVY, stroke="white")
        .encode(
            x=alt.X("value:Q", title=x_title), y=y, tooltip=_tooltip(indicator, extra=["group"])
        )
    )
    when = f", {year}" if year is not None else ""
    who = f" {la_name} is the navy diamond." if la_name else ""
    description = (
        f"Strip chart of {x_title}{when} by {_lower_first(by_label)}: one tick per authority in "
        f"its group's row ({and_list(domain)}), a grey bar from each group's lower to upper "
        f"quartile and a black mark at its median.{who} The figures are in the table below."
    )
    return alt.LayerChart(
        layer=[boxes, ticks, medians, focal],
        data=data,
        title=alt.Title(
            f"{ind.label} by {_lower_first(by_label)}{when}",
            subtitle="Ticks: authorities. Grey bar: the middle half of the group. Black mark: its median."
            + who,
        ),
        description=description,
        height=alt.Step(40),
    )


# ------------------------------------------------------------------ shared parts


def _tooltip(indicator: str, *, extra: Sequence[str] = ()) -> list[alt.Tooltip]:
    titles = {
        "n": "Denominator",
        "band": "Band",
        "position": "Against England",
        "flags": "Flags",
        "group": "Group",
    }
    tips = [
        alt.Tooltip("name:N", title="Authority"),
        alt.Tooltip(
            "value:Q", title=indicators.get(indicator).unit, format=_value_format(indicator)
        ),
    ]
    for column in extra:
        kind = "Q" if column == "n" else "N"
        tips.append(alt.Tooltip(f"{column}:{kind}", title=titles.get(column, column)))
    return tips


def _pick_label(x: alt.X, y: alt.Y, pick: alt.Parameter) -> alt.Chart:
    """The picked authority's name beside its mark."""
    return (
        alt.Chart()
        .transform_filter({"param": pick.name, "empty": False})
        .mark_text(align="left", dx=9, dy=-9, fontWeight="bold", color=theme.NAVY)
        .encode(x=x, y=y, text=alt.Text("name:N"))
    )


def _lower_first(text: str) -> str:
    """'Latest Ofsted grade' -> 'latest Ofsted grade' (names inside keep their capitals)."""
    return text[:1].lower() + text[1:]
