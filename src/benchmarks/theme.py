"""The report theme in the GOV.UK Analysis Function palette, and the page's colours.

`theme_config()` is the theme's Vega-Lite config: `charts.layers` registers it with altair
(as THEME_NAME, enabled), and every page's Vega bundle carries it once (`charts.vega`).

Every colour used for text meets WCAG 2.2 AA contrast (4.5:1) on white; every colour
used for a line or mark meets the 3:1 non-text contrast (tests check both with
`contrast_ratio`). Colour is never the only cue: the focal authority also gets a shape
and a label, and every chart has a data table.

Charts are one image to assistive technology, not thousands of SVG parts: `aria: false`
here hides every mark, axis, legend and title from the accessibility tree (Vega would
otherwise label each with roles such as `graphics-symbol` that screen readers do not
know). What the chart shows is said once, in its `description` sentence (the builders in
`benchmarks.charts` set it; Vega puts it on the chart's container as its label), and
its figures are in the "view as table" under it. See docs/accessibility.md.
"""

from __future__ import annotations

from typing import Any

THEME_NAME = "benchmarks"

#: The Analysis Function categorical palette, in its published order.
PALETTE = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
NAVY, TEAL, MAROON, ORANGE, DARK_GREY, LAVENDER = PALETTE

TEXT = "#0B0C0C"  # GOV.UK text colour, 19.6:1 on white
SECONDARY_TEXT = "#505A5F"  # GOV.UK secondary text, 7.1:1 on white
CONTEXT = "#6F777B"  # other authorities in a strip chart, 4.6:1 on white
GRIDLINE = "#E6E6E6"
BACKGROUND = "#FFFFFF"
FONT = "Arial, Helvetica, sans-serif"  # system fonts only: the report loads nothing

#: Series roles in trend charts. The focal authority is always navy.
ROLE_COLOURS = {
    "la": NAVY,
    "comparator": TEAL,
    "region": MAROON,
    "england": DARK_GREY,
    "neighbour": ORANGE,
    "other": CONTEXT,
}

#: Ofsted grades: colour plus the grade written beside every mark.
GRADE_COLOURS = {
    "Outstanding": NAVY,
    "Good": TEAL,
    "Requires improvement to be good": ORANGE,
    "Inadequate": MAROON,
    "No overall grade": DARK_GREY,
}


def contrast_ratio(foreground: str, background: str = BACKGROUND) -> float:
    """WCAG 2.2 contrast ratio between two #RRGGBB colours (1.0 to 21.0)."""

    def luminance(colour: str) -> float:
        hex_ = colour.lstrip("#")
        channels = [int(hex_[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def theme_config() -> dict[str, Any]:
    """The theme as a Vega-Lite top-level dict (config, size, background)."""
    axis = {
        "labelColor": SECONDARY_TEXT,
        "titleColor": TEXT,
        "labelFont": FONT,
        "titleFont": FONT,
        "labelFontSize": 12,
        "titleFontSize": 13,
        "titleFontWeight": "normal",
        "gridColor": GRIDLINE,
        "domainColor": SECONDARY_TEXT,
        "tickColor": SECONDARY_TEXT,
    }
    return {
        "background": BACKGROUND,
        "width": 520,
        "height": 240,
        "config": {
            "aria": False,  # marks and guides hidden from assistive technology (see above)
            "font": FONT,
            "view": {"stroke": None},
            "range": {"category": list(PALETTE)},
            "axis": axis,
            "legend": {
                "labelColor": TEXT,
                "titleColor": TEXT,
                "labelFont": FONT,
                "titleFont": FONT,
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
                "direction": "horizontal",
                "columns": 2,
                "symbolStrokeWidth": 2.5,
                "labelLimit": 320,
            },
            "title": {
                "color": TEXT,
                "subtitleColor": SECONDARY_TEXT,
                "font": FONT,
                "subtitleFont": FONT,
                "fontSize": 15,
                "subtitleFontSize": 12,
                "anchor": "start",
                "fontWeight": "bold",
                "aria": False,  # the title is in the chart's label already
            },
            "text": {"color": TEXT, "font": FONT, "fontSize": 12},
            "line": {"strokeWidth": 2.5},
            "point": {"size": 60, "filled": True},
        },
    }
