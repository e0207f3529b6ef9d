"""Colour: text meets WCAG AA contrast (4.5:1), marks the non-text 3:1, and series are
told apart by dash or shape as well as colour. No browser needed (axe-core checks the
rendered HTML text too, in test_accessibility; it cannot measure text inside SVG)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources
from typing import Any

import polars as pl
import pytest

from benchmarks import charts, theme

TEXT_AA = 4.5
NON_TEXT = 3.0
TEXT_KEYS = {"labelColor", "titleColor", "subtitleColor"}


@pytest.mark.parametrize(
    ("colour", "ratio"),
    # Worked out by hand from the WCAG formula; #767676 and #777777 are the well-known
    # greys either side of 4.5:1.
    [("#000000", 21.0), ("#FFFFFF", 1.0), ("#767676", 4.54), ("#777777", 4.48)],
)
def test_contrast_ratio_matches_known_values(colour: str, ratio: float) -> None:
    assert round(theme.contrast_ratio(colour), 2) == ratio


def walk(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every (dotted key path, value) in a nested spec."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield f"{path}.{key}", value
            yield from walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{path}[{i}]")


def test_theme_text_colours_meet_aa_and_palette_the_non_text_minimum() -> None:
    config = theme.theme_config()["config"]
    text = {p: v for p, v in walk(config) if p.rsplit(".", 1)[-1] in TEXT_KEYS}
    text[".text.color"] = config["text"]["color"]
    text[".title.color"] = config["title"]["color"]
    assert len(text) >= 7  # axis labels and titles, legend, title and subtitle, text marks
    assert {p: v for p, v in text.items() if theme.contrast_ratio(v) < TEXT_AA} == {}
    marks = [*theme.PALETTE, *theme.ROLE_COLOURS.values(), *theme.GRADE_COLOURS.values()]
    assert [c for c in marks if theme.contrast_ratio(c) < NON_TEXT] == []


def sample_specs() -> list[dict[str, Any]]:
    position = pl.DataFrame(
        {"la_code": ["901", "902", "903"], "la_name": ["A", "B", "C"], "value": [3.0, 4.0, 5.0]}
    )
    flows = pl.DataFrame(
        {
            "year": [2024, 2024],
            "indicator": ["sw_starters_fte", "sw_leavers_fte"],
            "value": [10.0, 12.0],
        }
    )
    return [
        charts.position_chart(position, "sw_turnover_rate", "901", ["902"], england=4.0).to_dict(),
        charts.starters_leavers_chart(flows, "A").to_dict(),
    ]


def test_text_marks_in_charts_meet_aa() -> None:
    found = []
    for spec in sample_specs():
        for _, mark in walk(spec):
            if isinstance(mark, dict) and mark.get("type") == "text" and "color" in mark:
                found.append(mark["color"])
    assert found  # the position chart writes the authority's value
    assert [c for c in found if theme.contrast_ratio(c) < TEXT_AA] == []


def stylesheet_colours(css: str) -> list[tuple[str, str, str]]:
    """(selector, text colour, background) for each rule that sets a text colour."""
    variables = dict(re.findall(r"--([\w-]+):\s*(#[0-9A-Fa-f]{6})", css))

    def resolve(value: str) -> str:
        value = value.strip()
        named = re.fullmatch(r"var\(--([\w-]+)\)", value)
        return variables[named.group(1)] if named else value

    found = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        colour = re.search(r"(?<![\w-])color:\s*([^;]+)", body)
        if colour is None or selector.strip().startswith(":root"):
            continue
        background = re.search(r"background(?:-color)?:\s*(#[0-9A-Fa-f]{6}|var\([^)]*\))", body)
        found.append(
            (
                selector.strip(),
                resolve(colour.group(1)),
                resolve(background.group(1)) if background else theme.BACKGROUND,
            )
        )
    return found


@pytest.mark.parametrize(
    "stylesheet", ["templates/benchmarks/static/report.css", "templates/pack/index.css"]
)
def test_stylesheet_text_colours_meet_aa(stylesheet: str) -> None:
    css = resources.files("benchmarks").joinpath(stylesheet).read_text(encoding="utf-8")
    rules = stylesheet_colours(css)
    assert len(rules) >= 5
    low = [(s, c, b) for s, c, b in rules if theme.contrast_ratio(c, b) < TEXT_AA]
    assert low == []


def test_trend_series_differ_by_dash_and_the_authority_by_shape() -> None:
    series = pl.DataFrame(
        {
            "year": [2023, 2024],
            "value": [10.0, 11.0],
            "status": pl.Series([None, None], dtype=pl.String),
            "ci_low": [9.0, 10.0],
            "ci_high": [11.0, 12.0],
            "comparator": [12.0, 12.5],
            "group_label": ["Neighbours", "Neighbours"],
            "region_value": [13.0, 13.5],
            "england": [14.0, 14.5],
        }
    )
    spec = charts.trend_chart(series, "sw_turnover_rate", "A", region_name="R").to_dict()
    lines, points = spec["layer"][1], spec["layer"][2]
    colour = lines["encoding"]["color"]["scale"]
    dash = lines["encoding"]["strokeDash"]["scale"]
    assert dash["domain"] == colour["domain"] == ["A", "Neighbours", "R", "England"]
    assert len({tuple(d) for d in dash["range"]}) == 4  # four different dash patterns
    shape = points["encoding"]["shape"]
    condition = shape["condition"]
    condition = condition[0] if isinstance(condition, list) else condition
    assert condition["value"] == "diamond" and shape["value"] == "circle"


def test_position_chart_marks_differ_by_shape() -> None:
    spec = sample_specs()[0]
    layers = spec["layer"]
    assert layers[0]["mark"]["type"] == "tick"  # other authorities: grey ticks
    shape = layers[1]["encoding"]["shape"]["scale"]
    assert shape == {"domain": ["la", "neighbour"], "range": ["diamond", "triangle-up"]}
