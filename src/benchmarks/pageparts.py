"""What a page's charts share, written once per page.

A report's trend charts repeat most of their compiled Vega (marks, scales, facets) from
chart to chart. When a page is exported (`offline.export_html`), `share_page_parts` puts
each subtree that two or more of the page's charts carry into one script,
`window.bmParts`, and leaves `{"bm": i}` in its place; `bmDraw`
(templates/benchmarks/static/draw.js) puts the parts back before Vega parses the chart.
A chart outside an exported page (e.g. in JupyterLab) carries its whole spec.

This module imports no chart library, so the rendering process stays light.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: A part of a chart shared with other charts of the page: `{"bm": i}` stands for
#: `window.bmParts[i]`, which `bmDraw` puts back before parsing (never inside `values`).
PART_KEY = "bm"
#: The smallest subtree (as compact JSON) worth sharing.
PART_MIN = 40


#: One encoder for every subtree (json.dumps with options builds a new one each call).
_ENCODER = json.JSONEncoder(separators=(",", ":"), sort_keys=True)


def _compact(node: Any) -> str:
    return _ENCODER.encode(node)


def share_parts(specs: list[dict[str, Any]]) -> tuple[list[Any], list[dict[str, Any]]]:
    """The parts repeated across a page's charts, and each chart with them replaced.

    A part is a dict or list (not a dataset's `values`) of `PART_MIN` bytes or more that
    occurs in two or more charts; the largest such subtrees are taken first. The charts
    drawn with the parts put back (`draw.js`) equal the charts given, and the same charts
    always give the same parts and the same output."""
    count: dict[str, int] = {}
    texts: dict[int, str] = {}  # each subtree's JSON by id, while `specs` are alive

    def text_of(node: Any) -> str:
        key = id(node)
        if key not in texts:
            texts[key] = _compact(node)
        return texts[key]

    def visit(node: Any, seen: set[str]) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for k, v in items:
            if k == "values" or not isinstance(v, (dict, list)):
                continue
            text = text_of(v)
            if len(text) >= PART_MIN and text not in seen:
                seen.add(text)
                count[text] = count.get(text, 0) + 1
            visit(v, seen)

    for spec in specs:
        visit(spec, set())
    index: dict[str, int] = {}
    parts: list[Any] = []

    def replace(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: v if k == "values" else swap(v) for k, v in node.items()}
        return [swap(v) for v in node]

    def swap(node: Any) -> Any:
        if not isinstance(node, (dict, list)):
            return node
        text = text_of(node)
        if count.get(text, 0) >= 2:
            if text not in index:
                index[text] = len(parts)
                parts.append(node)
            return {PART_KEY: index[text]}
        return replace(node)

    shared = [replace(spec) for spec in specs]
    if len(parts) < 2:
        return parts, shared
    # the parts share parts of their own (one trend chart's marks differ from another's
    # in one property): those go once too, after them; `with_parts` follows a part's refs
    inner, parts = share_parts(parts)
    if not inner:
        return parts, shared
    return [*inner, *parts], [_shift(s, len(inner)) for s in shared]


def _shift(node: Any, by: int) -> Any:
    """`node` with each part reference moved `by` places on."""
    if isinstance(node, dict):
        if set(node) == {PART_KEY}:
            return {PART_KEY: node[PART_KEY] + by}
        return {k: v if k == "values" else _shift(v, by) for k, v in node.items()}
    if isinstance(node, list):
        return [_shift(v, by) for v in node]
    return node


def with_parts(spec: Any, parts: list[Any]) -> Any:
    """`spec` with each `{"bm": i}` replaced by `parts[i]` (what `bmDraw` does)."""
    if isinstance(spec, dict):
        if set(spec) == {PART_KEY}:
            return with_parts(parts[spec[PART_KEY]], parts)
        return {k: v if k == "values" else with_parts(v, parts) for k, v in spec.items()}
    if isinstance(spec, list):
        return [with_parts(v, parts) for v in spec]
    return spec


#: What the figure component (`components/figure.html.j2`) writes just before a chart's
#: spec (its lines joined, `components`). A name cannot put it in a page where it is
#: taken for a chart: in HTML text `'` is escaped; inside a spec's JSON string every `"`
#: is escaped, so no object with a key decodes there, and a match inside a chart already
#: found is skipped.
_CHART_CALL = re.compile(
    r"box\.textContent='Chart unavailable: the Vega library did not load\.';return;\}"
    r"\n?bmShow\(box,bmDraw\(el,"
)
_CHART_END = re.compile(r"\)\);\}\)\(document\.getElementById\(")


def share_page_parts(page: str) -> tuple[str, str]:
    """A page's chart specs with the parts they share (`share_parts`) replaced, and the
    script that defines those parts once (`window.bmParts`, "" if none): the script must
    run after the Vega bundle and before the charts."""
    from benchmarks.components import script_json

    found: list[tuple[int, int, dict[str, Any]]] = []
    decoder = json.JSONDecoder()
    for match in _CHART_CALL.finditer(page):
        if found and match.start() < found[-1][1]:
            continue
        try:
            spec, end = decoder.raw_decode(page, match.end())
        except ValueError:
            continue
        if isinstance(spec, dict) and spec and _CHART_END.match(page, end):
            found.append((match.end(), end, spec))
    if len(found) < 2:
        return page, ""
    parts, specs = share_parts([spec for _, _, spec in found])
    if not parts:
        return page, ""
    out: list[str] = []
    at = 0
    for (start, end, _), spec in zip(found, specs, strict=True):
        out += [page[at:start], str(script_json(spec))]
        at = end
    out.append(page[at:])
    return "".join(out), f"<script>window.bmParts={script_json(parts)};</script>"
