"""The shared HTML components: plain data in, HTML out, through one set of Jinja macros.

The macros live in `templates/components/` (a chart with its "view as table", a data
table, a headline tile, a grade, a band chip, an indicator block, the inspection
timeline, data notes, the demonstration banner). Report kinds build plain dataclasses
(`benchmarks.reports.model`) and render them here; the pack index imports the same macros.

Autoescape is on: every value a template prints is HTML-escaped unless it is already
`Markup` (a rendered component, or JSON made safe for a script element). Values are
escaped as `html.escape` does (`&#x27;`, `&quot;`), so pages keep their bytes.
Template source is read with each line's indentation and line break removed, so a
template can be laid out for reading without adding whitespace to the page (keep text
that needs a space between words on one line).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"
METADATA_KEY = "benchmarks"  # a report's header output carries its info under this key

#: A data-table cell: text, or text with a smaller second line (`(text, meta)`).
Cell = str | tuple[str, str]


@dataclass(frozen=True)
class DataTable:
    """An HTML data table: caption, column headers, rows of text cells."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Figure:
    """A chart (its Vega-Lite spec, drawn by vegaEmbed) with its data as a table under it."""

    element_id: str
    title: str
    label: str  # the chart's text alternative: what it shows, in a sentence
    spec_json: str  # the spec as JSON safe inside a script element
    table: DataTable


class Html:
    """A block of HTML a notebook displays as itself (optionally with output metadata)."""

    def __init__(self, body: str, metadata: dict[str, Any] | None = None) -> None:
        self.body = body
        self.metadata = metadata or {}

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        return {"text/html": self.body}, self.metadata

    def __str__(self) -> str:
        return self.body

    @classmethod
    def joined(cls, blocks: Iterable[Html]) -> Html:
        """Blocks as one: bodies in order, metadata merged (`ShownReport`)."""
        blocks = list(blocks)
        metadata: dict[str, Any] = {}
        for block in blocks:
            metadata.update(block.metadata)
        return cls("".join(block.body for block in blocks), metadata)


class ShownReport:
    """A report a notebook shows whole: as its `sections()` joined, one output (each
    notebook cell costs the kernel and the renderer a round of messages); as text, only
    by its `choice` (the data and every section would make the text larger than the page)."""

    choice: Any

    def sections(self) -> list[Html]:
        """Every section's HTML, in reading order."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.choice!r})"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        return Html.joined(self.sections())._repr_mimebundle_(include, exclude)


def _escape(value: Any) -> Any:
    """What a template prints: Markup as it is, anything else escaped (`_text`)."""
    return value if hasattr(value, "__html__") else Markup(_text(value))


def data_rows(rows: tuple[tuple[Cell, ...], ...]) -> Markup:
    """A data table's body rows (the table component's `data_rows` filter): each cell in a
    `<td>`, escaped as the templates escape (`_text`); a pair is text with a smaller
    second line. In Python because a position chart's table has ~150 rows a chart, where
    a template loop costs several times more than the cells."""
    out = []
    for row in rows:
        out.append("<tr>")
        for cell in row:
            if isinstance(cell, tuple):
                first, second = _text(cell[0]), _text(cell[1])
                out.append(f'<td>{first}<br><span class="bm-meta">{second}</span></td>')
            else:
                out.append(f"<td>{_text(cell)}</td>")
        out.append("</tr>")
    return Markup("".join(out))


def _text(value: Any) -> str:
    """A value as escaped text: Markup as it is, anything else as `html.escape` escapes it
    (plain text, not Markup: a table has thousands of cells)."""
    return str(value.__html__()) if hasattr(value, "__html__") else html.escape(str(value))


class _JoinedLoader(jinja2.FileSystemLoader):
    """A file loader that drops each line's leading and trailing whitespace and line break."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        return "".join(line.strip() for line in source.splitlines()), filename, uptodate


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's on-disk cache of compiled templates, where an unwritable folder only costs time."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with suppress(OSError):
            super().dump_bytecode(bucket)


def _compiled_templates() -> jinja2.BytecodeCache | None:
    """The templates compiled once, kept in BENCHMARKS_HOME/cache/jinja under the package's
    code fingerprint (the environment's options are code; a template's own text is checked
    by Jinja), so a new report kernel does not compile them again."""
    from benchmarks import cache as results

    folder = results.folder() / "jinja" / results.fingerprint(kind="jinja")[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _CompiledTemplates(str(folder))


@cache
def environment() -> jinja2.Environment:
    """The Jinja environment over `templates/` (autoescaped; undefined names are errors)."""
    env = jinja2.Environment(
        loader=_JoinedLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_escape,
        keep_trailing_newline=False,
        bytecode_cache=_compiled_templates(),
    )
    env.filters["script_json"] = script_json
    env.filters["data_rows"] = data_rows
    return env


def macro(template: str, name: str) -> Callable[..., Markup]:
    """A macro of a template under `templates/`, e.g. `macro("components/figure.html.j2", "figure")`."""
    return getattr(environment().get_template(template).module, name)  # type: ignore[no-any-return]


def render(template: str, name: str, *args: Any, **kwargs: Any) -> str:
    """Call a template's macro and return its HTML as a plain string."""
    return str(macro(template, name)(*args, **kwargs))


def script_json(value: Any) -> Markup:
    """JSON made safe inside a script element (no '</' or '<!--' sequences)."""
    import json

    return Markup(
        json.dumps(value, separators=(",", ":"), sort_keys=True)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
