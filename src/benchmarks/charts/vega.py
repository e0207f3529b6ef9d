"""Vega-Lite specs compiled to Vega when a page is made, so a page ships only the Vega runtime.

A page used to carry Vega, Vega-Lite and vega-embed (0.90 MB) and compile each chart in
the browser. Now each chart's Vega-Lite spec is compiled here with
`vl_convert.vegalite_to_vega` and the page carries only Vega (0.58 MB, `offline.py`).

Compiling costs ~0.4-0.8 s for the first chart in a process and 0.02-0.08 s a chart
after, so results are kept in memory and on disk (BENCHMARKS_HOME/cache/vega, one file
per `cache.fingerprint()` of the Vega-Lite spec, which covers the package's code and the
vl-convert version). Charts made from templates (`charts.templates`) compile the
template once and fill the names in with `fill()`, which escapes a name for where it
lands: as plain text in a text property, JavaScript-escaped inside a Vega expression.
"""

from __future__ import annotations

import csv
import importlib.metadata
import io
import json
import math
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from benchmarks import atomic, cache, datadir

#: Top-level keys dropped from a compiled spec: the schema URL (a page names no URL) and
#: the description (the figure's outer element carries that sentence as its label, and
#: the drawing is hidden from assistive technology).
DROPPED = ("$schema", "description")
#: Vega properties whose string value is an expression (vega-expression source).
EXPRESSION_KEYS = frozenset({"signal", "expr", "test", "update", "init"})
#: A compiled chart whose config is the page's (`page_config()`, in the page's Vega bundle
#: as `window.bmConfig`) carries this instead: 1.2 kB less a chart. `bmDraw` puts it back.
PAGE_CONFIG = "page"
SLOT = re.compile(r"@@bm:(\w+)@@")

_COMPILED: dict[str, dict[str, Any]] = {}


def _version() -> str:
    try:
        return importlib.metadata.version("vl-convert-python")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - a dependency
        return ""


def compile_spec(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A Vega-Lite spec as a Vega spec (without `$schema` and `description`); cached.

    The result is shared: read it, do not change it.
    """
    key = cache.fingerprint(kind="vega", vl_convert=_version(), spec=spec)
    if key in _COMPILED:
        return _COMPILED[key]
    path = datadir.home() / "cache" / "vega" / f"{key}.json"
    try:
        compiled = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        import vl_convert

        compiled = canonical(vl_convert.vegalite_to_vega(dict(spec)))
        for name in DROPPED:
            compiled.pop(name, None)
        try:
            atomic.write_text(path, json.dumps(compiled, separators=(",", ":")))
        except OSError:
            pass  # an unwritable cache only costs time
    _COMPILED[key] = compiled
    return compiled


def canonical(node: Any, key: str = "") -> Any:
    """A compiled spec with every double-quoted string literal in its expressions written
    one way, `json.dumps` with ASCII escapes: Vega-Lite passes a `labelExpr` through as it
    is and writes other names with JSON.stringify, and `fill` cannot tell them apart."""
    if isinstance(node, dict):
        return {k: canonical(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [canonical(v, key) for v in node]
    if isinstance(node, str) and key in EXPRESSION_KEYS and '"' in node:
        return _canonical_literals(node)
    return node


def _canonical_literals(code: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(code):
        c = code[i]
        if c not in "'\"":
            out.append(c)
            i += 1
            continue
        end = i + 1
        while end < len(code) and code[end] != c:
            end += 2 if code[end] == "\\" else 1
        literal = code[i : end + 1]
        if c == '"':
            try:
                literal = json.dumps(json.loads(literal))
            except ValueError:
                pass  # not JSON (a JavaScript-only escape): kept as it is
        out.append(literal)
        i = end + 1
    return "".join(out)


def js_number(value: Any) -> Any:
    """A whole float as an int, as a spec compiled through JavaScript writes it (8.0 is 8)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def page_config() -> dict[str, Any]:
    """The Vega config every chart in the report theme (`benchmarks.theme`) compiles to."""
    from benchmarks import theme

    tiny = {"data": {"values": []}, "mark": "point", **theme.theme_config()}
    return dict(compile_spec(tiny).get("config", {}))


@dataclass(frozen=True)
class Shared:
    """What `fill` leaves as a template's own objects (`template_parts`): the ids of those
    subtrees, and the "bm_<i>" strings in them. `for_page` takes them as they are."""

    ids: frozenset[int]
    short_names: frozenset[str]


def template_parts(template: Any, active: frozenset[int]) -> Shared:
    """The subtrees of `template` outside `active` (`active_nodes`), which every filled
    copy shares; the template must stay alive while the result is used (ids)."""
    ids: set[int] = set()
    names: set[str] = set()

    def visit(node: Any) -> None:
        if id(node) not in active:
            ids.add(id(node))
            names.update(s for s in _strings(node) if _SHORT_NAME.fullmatch(s))
            return
        for k, v in node.items() if isinstance(node, dict) else enumerate(node):
            if k != "values" and isinstance(v, (dict, list)):
                visit(v)

    visit(template)
    return Shared(frozenset(ids), frozenset(names))


def for_page(compiled: dict[str, Any], shared: Shared | None = None) -> dict[str, Any]:
    """A compiled chart as a page carries it: a config equal to `page_config()` is
    replaced by `PAGE_CONFIG` (the page's bundle holds it once), and each inline dataset
    that `csv_dataset` can write as CSV text is written so (about 40% of its JSON).

    `shared` (for a filled template, `template_parts`) names the subtrees that are the
    template's own: they hold no dataset name, so they are left as they are, not walked."""
    out = dict(compiled)
    if compiled.get("config") == _page_config():
        out["config"] = PAGE_CONFIG
    if isinstance(compiled.get("data"), list):
        out["data"] = [csv_dataset(d) for d in compiled["data"]]
        out = _short_dataset_names(out, shared or _NOTHING_SHARED)
    return out


#: altair names an inline dataset after a hash of its rows ("data-" and 32 hex digits).
_HASHED_NAME = re.compile(r"data-[0-9a-f]{32}")
_SHORT_NAME = re.compile(r"bm_\d+")
_NOTHING_SHARED = Shared(frozenset(), frozenset())


def _short_dataset_names(spec: dict[str, Any], shared: Shared) -> dict[str, Any]:
    """The spec with each hashed dataset name ("data-<32 hex digits>") renamed "bm_<i>"
    wherever it occurs as a whole string (Vega refers to a dataset by its name, within
    one chart): the rest of the chart's data steps then read the same in every chart of
    a kind, so a page can share them (`benchmarks.pageparts`)."""
    names = [
        d["name"]
        for d in spec["data"]
        if isinstance(d, dict)
        and isinstance(d.get("name"), str)
        and _HASHED_NAME.fullmatch(d["name"])
    ]
    if not names:
        return spec
    taken = set(_strings(spec, shared.ids)) | shared.short_names
    renames: dict[str, str] = {}
    i = 0
    for name in names:
        while f"bm_{i}" in taken:
            i += 1
        renames[name] = f"bm_{i}"
        i += 1
    return _rename(spec, renames, shared.ids)  # type: ignore[no-any-return]


def _strings(node: Any, skip: Collection[int] = ()) -> list[str]:
    if isinstance(node, dict):
        if id(node) in skip:
            return []
        return [s for k, v in node.items() if k != "values" for s in _strings(v, skip)]
    if isinstance(node, list):
        if id(node) in skip:
            return []
        return [s for v in node for s in _strings(v, skip)]
    return [node] if isinstance(node, str) else []


def _rename(node: Any, renames: Mapping[str, str], skip: Collection[int] = ()) -> Any:
    if isinstance(node, dict):
        if id(node) in skip:
            return node
        return {k: v if k == "values" else _rename(v, renames, skip) for k, v in node.items()}
    if isinstance(node, list):
        if id(node) in skip:
            return node
        return [_rename(v, renames, skip) for v in node]
    if isinstance(node, str):
        return renames.get(node, node)
    return node


#: Vega's parse type for a column's Python values (vega-util's toNumber, toBoolean and
#: toString give null for an empty cell, so a null goes in as an empty cell).
_PARSE_TYPES = {int: "number", float: "number", bool: "boolean", str: "string"}


def csv_dataset(dataset: Any) -> Any:
    """A Vega dataset whose inline `values` (rows of flat values) are written as CSV text
    with `format: {type: "csv", parse: {...}}`, every column parsed to its type, so Vega
    reads back the same rows: numbers as numbers, a null as null (an empty cell, which
    Vega parses to null for every typed column, never 0 or ""). Names are quoted by the
    csv module. A dataset that CSV cannot carry exactly (no rows, rows with different
    keys, nested or non-finite values, mixed types in a column, an empty string) is
    returned as it is."""
    if not isinstance(dataset, dict):
        return dataset
    rows = dataset.get("values")
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        return dataset
    fmt = dataset.get("format", {"type": "json"})
    if not isinstance(fmt, dict) or set(fmt) - {"type", "parse"} or fmt.get("type") != "json":
        return dataset
    columns = list(rows[0])
    if not columns or any(list(r) != columns for r in rows):
        return dataset
    parse: dict[str, str] = {}
    cells: list[list[str]] = []
    for column in columns:
        values = [r[column] for r in rows]
        types = set(map(type, values)) - {type(None)}
        kinds = {_PARSE_TYPES.get(t, "?") for t in types}
        if len(kinds) > 1 or "?" in kinds:
            return dataset
        if (str in types and "" in values) or (
            float in types and not all(math.isfinite(v) for v in values if type(v) is float)
        ):
            return dataset
        parse[column] = kinds.pop() if kinds else "string"
        cells.append(
            ["" if v is None else v for v in values] if types <= {str} else list(map(_cell, values))
        )
    theirs = fmt.get("parse", {})
    if not isinstance(theirs, dict):
        return dataset
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(zip(*cells, strict=True))
    return {
        **dataset,
        "format": {"type": "csv", "parse": {**parse, **theirs}},
        "values": text.getvalue(),
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        number = js_number(value)  # finite here (csv_dataset): JSON writes repr(float)
        return repr(number) if isinstance(number, float) else str(number)
    return str(value)


_PAGE_CONFIG: list[dict[str, Any]] = []


def _page_config() -> dict[str, Any]:
    if not _PAGE_CONFIG:
        _PAGE_CONFIG.append(page_config())
    return _PAGE_CONFIG[0]


def js_string_content(text: str) -> str:
    """`text` as the inside of a double-quoted JavaScript string literal (no quotes
    added): JSON escaping with every non-ASCII character as a \\u escape, as the
    Vega-Lite templates write a name into an expression (so the line and paragraph
    separators, which Vega's expression parser rejects, are escaped too)."""
    return json.dumps(text)[1:-1]


def check_template(template: Any, key: str = "") -> None:
    """Raise ValueError if a placeholder sits where `fill` cannot put a name safely: in a
    dict key, or in an expression outside a double-quoted string literal."""
    if isinstance(template, dict):
        for k, v in template.items():
            if SLOT.search(k):
                raise ValueError(f"a chart name landed in a Vega property name: {k!r}")
            check_template(v, k)
    elif isinstance(template, list):
        for v in template:
            check_template(v, key)
    elif isinstance(template, str) and key in EXPRESSION_KEYS and SLOT.search(template):
        for match in SLOT.finditer(template):
            if not _inside_string_literal(template, match.start()):
                raise ValueError(f"a chart name landed in Vega code, not a string: {template!r}")


def _inside_string_literal(code: str, at: int) -> bool:
    """Whether position `at` of expression `code` is inside a double-quoted string literal."""
    quote = ""
    i = 0
    while i < at:
        c = code[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        i += 1
    return quote == '"'


def active_nodes(template: Any, dataset_names: Collection[str]) -> frozenset[int]:
    """The ids of the template's dicts and lists that hold a placeholder or a dataset
    name somewhere inside: `fill` copies only those and shares the rest (most of a
    chart), which a report's 28 charts would otherwise walk node by node."""
    found: set[int] = set()

    def visit(node: Any) -> bool:
        if isinstance(node, dict):
            hit = any([visit(v) for v in node.values()])
        elif isinstance(node, list):
            hit = any([visit(v) for v in node])
        else:
            return isinstance(node, str) and ("@@bm:" in node or node in dataset_names)
        if hit:
            found.add(id(node))
        return hit

    visit(template)
    return frozenset(found)


def fill(
    template: Any,
    names: Mapping[str, str],
    values: Mapping[str, list[dict[str, Any]]],
    renames: Mapping[str, str] | None = None,
    key: str = "",
    active: frozenset[int] | None = None,
) -> Any:
    """A compiled template with `names` in place of its placeholders and `values` (by
    the template's dataset name) as the rows of its inline datasets; `renames` maps a
    template's dataset name to this chart's (every string equal to one is replaced, as
    Vega refers to a dataset by its name). The template must have passed `check_template`.

    `active` (from `active_nodes`, for the same template object) lets it skip the parts
    with nothing to fill in; those are shared with the template, so treat the result as
    read-only."""
    renames = renames or {}
    if isinstance(template, (dict, list)):
        if active is not None and id(template) not in active:
            return template
        if isinstance(template, list):
            return [fill(v, names, values, renames, key, active) for v in template]
        if "values" in template and template.get("name") in values:
            rows = [{k: js_number(v) for k, v in row.items()} for row in values[template["name"]]]
            return {
                k: (rows if k == "values" else fill(v, names, values, renames, k, active))
                for k, v in template.items()
            }
        return {k: fill(v, names, values, renames, k, active) for k, v in template.items()}
    if isinstance(template, str):
        if template in renames:
            return renames[template]
        if "@@bm:" in template:
            escape: Callable[[str], str] = js_string_content if key in EXPRESSION_KEYS else str
            return SLOT.sub(lambda m: escape(names[m.group(1)]), template)
    return template
