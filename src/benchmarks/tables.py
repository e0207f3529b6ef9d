"""Tables: the "How the authority compares" table (numbers written by `formatting`).

The comparator figure is the comparison table's `comparator` column (the headline method
`compare` chose, named in `comparator_method`).

A suppressed or missing value is shown as its marker (c, x, z, u, low, or "missing"),
never as 0 and never as a blank that could be mistaken for one.
"""

from __future__ import annotations

import polars as pl
from great_tables import GT

from benchmarks import indicators
from benchmarks.formatting import DASH, MARKER_NOTE, format_number, format_value

THEMES = {
    "workforce": "Workforce",
    "demand": "Demand and practice",
    "outcomes": "Outcomes for children",
}


def _flags_text(flags: object) -> str:
    if flags is None:
        return ""
    if isinstance(flags, pl.Series):
        flags = flags.to_list()
    if isinstance(flags, list | tuple):
        return ", ".join(str(f).replace("_", " ") for f in flags if f)
    return str(flags).replace("_", " ")


DISPLAY_COLUMNS = (
    "theme",
    "indicator",
    "year",
    "value",
    "comparator",
    "england",
    "rank",
    "band",
    "change",
    "flags",
)


def comparison_display(rows: pl.DataFrame) -> pl.DataFrame:
    """One authority's comparison rows (each indicator's latest year) as display text,
    in catalogue order: `DISPLAY_COLUMNS`, all strings. Indicators outside the workforce,
    demand and outcomes themes (the population denominator) are left out.
    """
    order = {ind_id: i for i, ind_id in enumerate(indicators.catalogue())}
    shown = [i.id for i in indicators.catalogue().values() if i.theme in THEMES]
    out = []
    for row in sorted(
        rows.filter(pl.col("indicator").is_in(shown)).iter_rows(named=True),
        key=lambda r: order[r["indicator"]],
    ):
        ind = indicators.get(row["indicator"])
        rank = f"{row['rank']} of {row['rank_of']}" if row.get("rank") is not None else DASH
        change = DASH
        if row.get("change_1y") is not None:
            change = format_number(row["change_1y"], ind.id, signed=True)
            if row.get("direction_1y"):
                change += f" ({row['direction_1y']})"
        out.append(
            {
                "theme": THEMES[ind.theme],
                "indicator": indicators.label_with_unit(ind.id),
                "year": str(row["year"]),
                "value": format_value(row["value"], row["status"], ind.id),
                "comparator": format_number(row["comparator"], ind.id),
                "england": format_number(row["england"], ind.id),
                "rank": rank,
                "band": row.get("band") or DASH,
                "change": change,
                "flags": _flags_text(row.get("flags")),
            }
        )
    return pl.DataFrame(out, schema=dict.fromkeys(DISPLAY_COLUMNS, pl.String))


#: The table's element id. great_tables writes it into every cell's `headers` ids (which
#: name the cell's row, column and group for screen readers), so it is short: ~15 kB a page.
COMPARISON_ID = "cmp"
#: The authority's own column in bold; value, rank and change kept on one line. One CSS
#: rule a column (great_tables' per-cell styles cost a style check per cell per style).
COLUMN_CSS = "\n".join(
    [
        f'#{COMPARISON_ID} td[headers$="{COMPARISON_ID}-value"] {{ font-weight: bold; }}',
        ", ".join(
            f'#{COMPARISON_ID} td[headers$="{COMPARISON_ID}-{column}"]'
            for column in ("value", "rank", "change")
        )
        + " { white-space: nowrap; }",
    ]
)


def comparison_table(rows: pl.DataFrame, *, la_name: str, group_label: str, year: int) -> GT:
    """The "How the authority compares" great_tables table for one authority and year."""
    return comparison_gt(
        comparison_display(rows), la_name=la_name, group_label=group_label, year=year
    )


def comparison_gt(display: pl.DataFrame, *, la_name: str, group_label: str, year: int) -> GT:
    """`comparison_table` from rows already made display text (`comparison_display`)."""
    return (
        GT(display, rowname_col="indicator", groupname_col="theme", id=COMPARISON_ID)
        .tab_header(
            title=f"How {la_name} compares, {year}",
            subtitle=f"Comparator: {group_label}. Rank 1 is the best value (for indicators "
            "where neither higher nor lower is better, the highest); bands A-D are quarters "
            "of all authorities from best to worst.",
        )
        .cols_label(
            year="Year",
            value=la_name,
            comparator="Comparator",
            england="England",
            rank="Rank",
            band="Band",
            change="Change on a year",
            flags="Data notes",
        )
        .cols_align("right", columns=["value", "comparator", "england", "change"])
        .opt_css(COLUMN_CSS)
        .tab_source_note(MARKER_NOTE)
        .tab_options(
            table_font_names=["Arial", "Helvetica", "sans-serif"],
            table_font_color="#0B0C0C",
            table_font_size="14px",
            heading_align="left",
            column_labels_font_weight="bold",
            row_group_font_weight="bold",
            source_notes_font_size="12px",
            table_width="100%",
        )
    )
