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
import marshal
import math
import re
from collections import Counter
from collections.abc import Iterable
from json.encoder import encode_basestring_ascii
from typing import Any

#: A part of a chart shared with other charts of the page: `{"bm": i}` stands for
#: `window.bmParts[i]`, which `bmDraw` puts back before parsing (never inside `values`).
PART_KEY = "bm"
#: The smallest subtree (as compact JSON) worth sharing.
PART_MIN = 40


#: One encoder (json.dumps with options builds a new one each call).
_ENCODER = json.JSONEncoder(separators=(",", ":"), sort_keys=True)


def _text(value: Any) -> str:
    """A leaf (not a dict or list) or a `values` as compact JSON, as `_ENCODER` writes it."""
    if isinstance(value, str):
        return encode_basestring_ascii(value)
    if type(value) is int:
        return int.__repr__(value)
    if type(value) is float and math.isfinite(value):
        return float.__repr__(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    return _ENCODER.encode(value)  # NaN, Infinity, a `values`


class _Numbers:
    """A number for each subtree of a page's charts, equal for subtrees whose compact
    JSON (sorted keys) is the same text, found without writing each subtree out.

    A subtree's shape is its keys (sorted) and its children: a leaf or a `values` by its
    JSON text (so 1, 1.0 and true, or 0.0 and -0.0, differ), a dict or list by its number.
    Equal shapes get one number, bottom up. A subtree with the same `marshal` bytes as one
    numbered before (the same types, values and key order: the same JSON) takes its number
    without a look inside. The charts are JSON data (as `json` decodes it), alive while
    numbered: a subtree's number is kept by its id."""

    def __init__(self) -> None:
        self.of_shape: dict[tuple[Any, ...], int] = {}
        self.of_bytes: dict[bytes, int] = {}
        self.of_node: dict[int, int] = {}
        self.sizes: list[int] = []  # each number's length as compact JSON
        #: each number's subtrees (not in a `values`) of `PART_MIN` bytes or more
        self.parts: list[frozenset[int]] = []

    def number(self, node: dict[str, Any] | list[Any]) -> int:
        """`node`'s number."""
        found = self.of_node.get(id(node))
        if found is None:
            data = marshal.dumps(node, 2)  # version 2: no references, floats as bits
            found = self.of_bytes.get(data)
            if found is None:
                found = self.of_bytes[data] = self.shape_number(node)
            self.of_node[id(node)] = found
        return found

    def shape_number(self, node: dict[str, Any] | list[Any]) -> int:
        """`node`'s number, from its shape."""
        items: Iterable[tuple[Any, Any]]
        if isinstance(node, dict):
            keys = sorted(node)
            items = zip(keys, map(node.__getitem__, keys), strict=True)
        else:
            keys, items = [], enumerate(node)
        children: list[int | str] = []
        size = max(len(node) + 1, 2)  # brackets and commas
        parts: list[int] = []  # the children of `PART_MIN` bytes or more
        for key, value in items:
            if key == "values" or not isinstance(value, (dict, list)):
                text = _text(value)
                children.append(text)
                size += len(text)
            else:
                found = self.number(value)
                children.append(found)
                size += self.sizes[found]
                if self.sizes[found] >= PART_MIN:
                    parts.append(found)
        shape = (tuple(keys), *children) if isinstance(node, dict) else tuple(children)
        found = self.of_shape.setdefault(shape, len(self.sizes))
        if found == len(self.sizes):
            self.sizes.append(size + sum(len(encode_basestring_ascii(k)) + 1 for k in keys))
            self.parts.append(frozenset(parts).union(*[self.parts[c] for c in parts]))
        return found

    def share(self, specs: list[dict[str, Any]]) -> tuple[list[Any], list[dict[str, Any]]]:
        """`share_parts`, with these numbers."""
        count = Counter[int]()
        for spec in specs:  # a chart is never a part; a part is numbered already
            found = self.of_node.get(id(spec))
            count.update(self.parts[self.shape_number(spec) if found is None else found])
        index: dict[int, int] = {}
        parts: list[Any] = []

        def replace(node: Any) -> Any:
            if isinstance(node, dict):
                return {k: v if k == "values" else swap(v) for k, v in node.items()}
            return [swap(v) for v in node]

        def swap(node: Any) -> Any:
            if not isinstance(node, (dict, list)):
                return node
            found = self.number(node)
            if count[found] >= 2:
                if found not in index:
                    index[found] = len(parts)
                    parts.append(node)
                return {PART_KEY: index[found]}
            return replace(node)

        shared = [replace(spec) for spec in specs]
        if len(parts) < 2:
            return parts, shared
        # the parts share parts of their own (one trend chart's marks differ from another's
        # in one property): those go once too, after them; `with_parts` follows a part's refs
        inner, parts = self.share(parts)
        if not inner:
            return parts, shared
        return [*inner, *parts], [_shift(s, len(inner)) for s in shared]


def share_parts(specs: list[dict[str, Any]]) -> tuple[list[Any], list[dict[str, Any]]]:
    """The parts repeated across a page's charts, and each chart with them replaced.

    A part is a dict or list (not a dataset's `values`) of `PART_MIN` bytes or more that
    occurs in two or more charts; the largest such subtrees are taken first. The charts
    drawn with the parts put back (`draw.js`) equal the charts given, and the same charts
    always give the same parts and the same output. Two subtrees are the same part when
    their compact JSON (sorted keys) is the same text (`_Numbers`)."""
    return _Numbers().share(specs)


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
