"""What the exploration notebook calls: thin helpers from data to charts and tables.

`start(bundle, la, group=)` picks an authority and a comparator group and returns an
`Exploration`; each of its methods answers one notebook cell's question with one call:
`comparison()`, `trend(indicator, group=)`, `funnel(indicator)`, `relate(x, y)`,
`by_group(by)`. The functions below them (`funnel_rows`, `relation_rows`,
`group_rows`, `trend_rows`) are pure: frames in, frames out.

Charts come back as `Figures`: in JupyterLab they display as altair's `JupyterChart`
widget with its JavaScript from vl-convert, so they are interactive, with the dropdown
under the chart, and need no internet; when the notebook is
rendered to the offline page (`benchmarks.render.render_explore`, whose kernel enables
`charts.enable_offline_renderer()`), each is the figure component (the chart, its
dropdown in a labelled control outside the drawing, and "view as table").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import altair as alt
import polars as pl

from benchmarks import components, indicators
from benchmarks.charts import chart_id, chart_sentence, chart_table, chart_title
from benchmarks.charts import explore as charts
from benchmarks.charts._common import HEADERS as CHART_HEADERS
from benchmarks.charts.embed import OFFLINE_RENDERER
from benchmarks.charts.vega import compile_spec, for_page
from benchmarks.comparison import compare, comparison_for, la_rows
from benchmarks.components import METADATA_KEY, Figure, Html
from benchmarks.geography import resolve_la
from benchmarks.groups import DEFAULT_GROUP, latest_grades
from benchmarks.panel import Bundle
from benchmarks.profiles import group_keys, profile_table
from benchmarks.schema import GRADES

TEMPLATE = "reports/explore.html.j2"
#: The workforce indicators the report's workforce section shows (the catalogue's).
WORKFORCE = indicators.section_indicators("workforce")
BY_LABELS = {
    "ofsted_grade": "Latest Ofsted grade",
    "leadership": "Latest leadership judgement",
    "region": "Region",
    "la_type": "Authority type",
}


# ------------------------------------------------------------------ display


class Figures:
    """One or more charts a notebook cell displays (see the module docstring)."""

    def __init__(self, charts_: Sequence[alt.TopLevelMixin]) -> None:
        self.charts = list(charts_)

    def __len__(self) -> int:
        return len(self.charts)

    def figures(self) -> list[tuple[Figure, str]]:
        """Each chart as the figure component's data, with its dropdown's element id."""
        return [offline_figure(c) for c in self.charts]

    def html(self) -> str:
        """The charts as the offline page shows them."""
        return components.render(TEMPLATE, "figures", self.figures())

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> Any:
        if alt.renderers.active == OFFLINE_RENDERER:
            return {"text/html": self.html()}
        chart = self.charts[0] if len(self.charts) == 1 else alt.vconcat(*self.charts)  # type: ignore[arg-type]
        if _in_jupyter_kernel():  # the widget, its JavaScript from vl-convert: no CDN
            alt.JupyterChart.enable_offline()
            widget = alt.JupyterChart(chart)  # type: ignore[arg-type]  # any top-level chart
            return widget._repr_mimebundle_()
        return chart._repr_mimebundle_(include, exclude)


def offline_figure(chart: alt.TopLevelMixin) -> tuple[Figure, str]:
    """A chart as the figure component's data; a dropdown is bound to a control element
    outside the drawing, whose id is returned ("" when the chart has no dropdown)."""
    spec = chart.to_dict(validate=False)
    spec.pop("$schema", None)
    element = chart_id(spec)
    controls = f"{element}-controls"
    bound = False
    for param in spec.get("params", []):
        bind = param.get("bind")
        inputs = [bind] if isinstance(bind, dict) and "input" in bind else []
        if isinstance(bind, dict) and not inputs:  # one binding per field
            inputs = [b for b in bind.values() if isinstance(b, dict) and "input" in b]
        for binding in inputs:
            binding["element"] = f"#{controls}"
            bound = True
    title = chart_title(spec)
    data = chart.data if isinstance(chart.data, pl.DataFrame) else pl.DataFrame()
    table = chart_table(
        data,
        caption=f"Data for: {title}",
        number_format=",.2f",
        headers={**CHART_HEADERS, **charts.HEADERS},
    )
    figure = Figure(
        element_id=element,
        title=title,
        label=chart_sentence(spec),
        spec_json=components.script_json(for_page(compile_spec(spec))),  # drawn by the Vega runtime
        table=table,
    )
    return figure, controls if bound else ""


# ------------------------------------------------------------------ pure helpers


def trend_rows(table: pl.DataFrame, la_code: str, indicator: str) -> pl.DataFrame:
    """One authority's comparison rows for one indicator, every year."""
    return table.filter((pl.col("la_code") == la_code) & (pl.col("indicator") == indicator)).sort(
        "year"
    )


def funnel_rows(
    table: pl.DataFrame, base: pl.DataFrame, indicator: str, year: int | None = None
) -> pl.DataFrame:
    """Every authority's comparison row for a funnel plot, with its denominator `n`.

    `base` is `comparison.la_rows` (numerator and denominator of every LA row).
    `year` None: the latest year in which any authority has funnel limits.
    """
    rows = table.filter(pl.col("indicator") == indicator)
    if year is None:
        limited = rows.filter(pl.col("funnel95_low").is_not_null())["year"]
        if limited.len() == 0:
            raise ValueError(
                f"{indicator} has no funnel limits: only proportions and rates with a "
                "published numerator and denominator have them"
            )
        year = int(limited.max())  # type: ignore[arg-type]
    n = base.filter((pl.col("indicator") == indicator) & (pl.col("year") == year)).select(
        "la_code", "n"
    )
    return rows.filter(pl.col("year") == year).join(n, on="la_code", how="left")


def latest_common_year(table: pl.DataFrame, *ids: str) -> int:
    """The latest year in which every indicator of `ids` has an authority value."""
    years = [
        set(table.filter((pl.col("indicator") == i) & pl.col("value").is_not_null())["year"])
        for i in ids
    ]
    common = set.intersection(*years) if years else set()
    if not common:
        raise ValueError(f"no year has values for all of {', '.join(ids)}")
    return max(common)


def relation_rows(
    table: pl.DataFrame, x: str, y: str, year: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every authority's rows of indicators `x` and `y` in `year`."""
    at = table.filter(pl.col("year") == year)
    return at.filter(pl.col("indicator") == x), at.filter(pl.col("indicator") == y)


def official_grades(inspections: pl.DataFrame) -> pl.DataFrame:
    """Each authority's latest overall grade in Ofsted's official statistics."""
    return latest_grades(inspections.filter(pl.col("official")))


def group_rows(panel: pl.DataFrame, profile_rows: pl.DataFrame, indicator: str) -> pl.DataFrame:
    """Every authority's panel row of `indicator` in the year its profile used."""
    years = profile_rows.filter(pl.col("indicator") == indicator)["year"].unique()
    return panel.filter((pl.col("indicator") == indicator) & pl.col("year").is_in(years))


# ------------------------------------------------------------------ the exploration


@dataclass(frozen=True)
class Exploration:
    """One authority and comparator group, and every authority's comparison with it."""

    bundle: Bundle
    la_code: str
    la_name: str
    region_name: str
    group: str
    table: pl.DataFrame  # comparison_for(bundle, group): every LA, indicator and year

    @property
    def title(self) -> str:
        return f"Exploring {self.la_name}: children's social care benchmarks"

    def header(self) -> Html:
        """Title, demonstration banner, and who is compared with whom."""
        labels = trend_rows(self.table, self.la_code, indicators.headline_tiles()[0])
        label = labels["group_label"].drop_nulls()
        info = {
            "la_code": self.la_code,
            "la_name": self.la_name,
            "year": int(self.table["year"].max() or 0),  # type: ignore[arg-type]
            "title": self.title + (" (demonstration data)" if self.bundle.demo else ""),
            "demo": self.bundle.demo,
        }
        header = {
            "title": self.title,
            "la_name": self.la_name,
            "region_name": self.region_name,
            "group_label": str(label[0]) if label.len() else self.group,
            "demo": self.bundle.demo,
        }
        return Html(components.render(TEMPLATE, "header", header), {METADATA_KEY: info})

    def comparison(self, year: int | None = None) -> pl.DataFrame:
        """This authority's comparison rows (`benchmarks.compare`): each indicator's latest
        year by default."""
        return compare(self.bundle, self.la_code, self.group, year)

    def trend(self, indicator: str, group: str | None = None) -> Figures:
        """The indicator by year against `group` (default: this exploration's), the region
        and England (`charts.trend_chart`)."""
        table = self.table if group in (None, self.group) else comparison_for(self.bundle, group)
        series = trend_rows(table, self.la_code, indicator)
        return Figures(
            [charts.trend_chart(series, indicator, self.la_name, region_name=self.region_name)]
        )

    def funnel(self, indicator: str = "sw_turnover_rate", year: int | None = None) -> Figures:
        """Funnel plot of every authority (95% and 99.8% limits around England)."""
        base = la_rows(self.bundle.panel, self.bundle.flags).filter(
            pl.col("indicator") == indicator
        )
        rows = funnel_rows(self.table, base.collect(), indicator, year)
        year = int(rows["year"][0]) if rows.height else year
        return Figures(
            [
                charts.funnel_chart(
                    charts.funnel_frame(rows), indicator, la_name=self.la_name, year=year
                )
            ]
        )

    def relate(
        self, x: str = "sw_turnover_rate", y: str = "sw_agency_rate", year: int | None = None
    ) -> Figures:
        """Two indicators, one point per authority, coloured by its latest Ofsted grade."""
        year = year or latest_common_year(self.table, x, y)
        x_rows, y_rows = relation_rows(self.table, x, y, year)
        data = charts.relation_frame(x_rows, y_rows, official_grades(self.bundle.inspections))
        return Figures([charts.relation_chart(data, x, y, la_name=self.la_name, year=year)])

    def by_group(
        self,
        by: str = "ofsted_grade",
        indicators_: Sequence[str] = WORKFORCE,
        *,
        unofficial: bool = False,
    ) -> Figures:
        """A strip chart per indicator: every authority's value by its group under `by`
        (ofsted_grade, leadership, region, la_type), with the `benchmarks.profile`
        median and quartiles of each group."""
        b = self.bundle
        stats = profile_table(
            b.panel, b.authorities, b.inspections, b.flags,
            by=by, indicators=list(indicators_), unofficial=unofficial,
        )  # fmt: skip
        keys = group_keys(b.authorities, b.inspections, by, unofficial=unofficial)
        order = list(GRADES) if by in ("ofsted_grade", "leadership") else sorted(stats["group"])
        out = []
        for indicator in indicators_:
            mine = stats.filter(pl.col("indicator") == indicator)
            if mine.height == 0:
                continue
            data = charts.group_strip_frame(group_rows(b.panel, mine, indicator), keys, mine)
            out.append(
                charts.group_strip_chart(
                    data,
                    indicator,
                    by_label=BY_LABELS[by],
                    order=order,
                    la_name=self.la_name,
                    year=int(mine["year"][0]),
                )
            )
        return Figures(out)

    def export_folder(self) -> Path:
        """A folder for this exploration's exports: BENCHMARKS_HOME/exports/<la_code>."""
        from benchmarks import datadir

        folder = datadir.home() / "exports" / self.la_code
        folder.mkdir(parents=True, exist_ok=True)
        return folder


def _in_jupyter_kernel() -> bool:
    """True inside an IPython kernel (JupyterLab), where altair's default HTML renderer
    would load Vega from a CDN."""
    import sys

    shell = sys.modules.get("IPython")
    return shell is not None and shell.get_ipython() is not None  # type: ignore[attr-defined]


def start(bundle: Bundle, la: str, group: str = DEFAULT_GROUP) -> Exploration:
    """Pick an authority (a name or code) and a comparator group (sn2025, sn2021, region,
    london_area, la_type, ofsted_grade or a named partnership group)."""
    code = resolve_la(bundle.authorities, la)
    me = bundle.authorities.filter(pl.col("la_code") == code).row(0, named=True)
    return Exploration(
        bundle=bundle,
        la_code=code,
        la_name=str(me["la_name"]),
        region_name=str(me["region_name"] or ""),
        group=group,
        table=comparison_for(bundle, group),
    )
