"""The offline HTML page: nbconvert's exporter with the offline template, the Vega bundle
put in once, and what the report's header cell recorded (`report_info`).

The HTML is one file with nothing external: the offline template (templates/benchmarks)
extends nbconvert's `lab` template with its CDN blocks emptied, and the Vega bundle is put
in once per page. The bundle is the Vega runtime only (charts are compiled from Vega-Lite
to Vega when the page is made, `benchmarks.charts.vega`) with the drawing function and
tooltip handler of `templates/benchmarks/static/draw.js`, built by
`vl_convert.javascript_bundle()`. The same executed notebook always gives the same bytes.
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks import startup
from benchmarks.components import METADATA_KEY
from benchmarks.errors import BenchmarksError

if TYPE_CHECKING:
    from nbformat import NotebookNode

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "benchmarks"
BUNDLE_MARKER = "<script>/*@@VEGA_BUNDLE@@*/</script>"
#: What the bundle runs besides Vega: `window.vega`, `window.bmDraw(el, spec)` (draws a
#: compiled chart as SVG, with tooltips; returns a promise) and the tooltip handler.
DRAW_SCRIPT = TEMPLATES / TEMPLATE_NAME / "static" / "draw.js"


_BUNDLE: list[str] = []


def vega_bundle() -> str:
    """The Vega runtime, `DRAW_SCRIPT` and the report theme's Vega config
    (`charts.vega.page_config()`) as one script (globals vega, bmDraw, bmConfig).

    `vl_convert.javascript_bundle()` takes ~1 s to build, so the result is kept in memory
    and on disk (BENCHMARKS_HOME/cache, one file per `cache.fingerprint()`: the package's
    code, its libraries' versions and the script).
    """
    if _BUNDLE:
        return _BUNDLE[0]

    from benchmarks import atomic, cache, datadir

    version = importlib.metadata.version("vl-convert-python")
    snippet = DRAW_SCRIPT.read_text(encoding="utf-8")
    key = cache.fingerprint(kind="vega-runtime", vl_convert=version, snippet=snippet)
    cached = datadir.home() / "cache" / f"vega-runtime-{key[:16]}.js"
    try:
        bundle = cached.read_text(encoding="utf-8")
    except OSError:
        import vl_convert

        from benchmarks.charts.vega import page_config

        config = json.dumps(page_config(), separators=(",", ":"), sort_keys=True)
        script = snippet.replace("@@VEGA_VERSION@@", vl_convert.get_vega_version())
        bundle = vl_convert.javascript_bundle(f"{script}\nwindow.bmConfig = {config};\n")
        if "</script" in bundle.lower():  # would end the inline <script> early
            bundle = re.sub(r"</(script)", r"<\\/\1", bundle, flags=re.IGNORECASE)
        try:
            atomic.write_text(cached, bundle)
        except OSError:
            pass  # an unwritable cache only costs time
    _BUNDLE[:] = [bundle]
    return bundle


@functools.cache
def _exporter_class() -> type:
    """nbconvert's HTMLExporter without its BeautifulSoup pass over the finished page.

    That pass only adds alt text to images without any (reports have no images) and
    tabindex to output areas (our template writes it), yet it re-parses the whole page:
    about 60% of the export time. Everything else is HTMLExporter's own code path.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class OfflineHTMLExporter(HTMLExporter):
        def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> Any:
            info = nb.metadata.get("language_info", {})
            lexer = info.get("pygments_lexer", info.get("name", None))
            self.register_filter(
                "highlight_code",
                self.filters.get(
                    "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
                ),
            )
            resources = self._init_resources(resources)
            self.register_filter(
                "filter_data_type",
                WidgetsDataTypeFilter(
                    notebook_metadata=self._nb_metadata, parent=self, resources=resources
                ),
            )
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return OfflineHTMLExporter


def new_exporter() -> Any:
    """An HTML exporter for reports: offline template, no input cells, no prompts; the
    notebook is validated once, after all the preprocessors (nbconvert's
    `optimistic_validation`), not after each of them (~0.02 s a report)."""
    startup.defer_iri_grammar()
    return _exporter_class()(
        extra_template_basedirs=[str(TEMPLATES)],
        template_name=TEMPLATE_NAME,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
        optimistic_validation=True,
    )


def export_html(nb: NotebookNode, exporter: Any = None) -> str:
    """An executed report notebook as one offline HTML page, the Vega bundle in once.

    The page title and the demonstration-data flag come from what the header cell
    recorded (`report_info`). The same executed notebook always gives the same bytes.
    """
    info = report_info(nb)
    for cell in nb.cells:  # papermill gives its injected cell a random id; the page shows ids
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
    nb.metadata["title"] = info.get("title", "Children's social care benchmarks")
    nb.metadata[METADATA_KEY] = info
    body, _ = (exporter or new_exporter()).from_notebook_node(nb)
    if body.count(BUNDLE_MARKER) != 1:
        raise BenchmarksError("the report template must hold the Vega bundle marker exactly once")
    from benchmarks.pageparts import share_page_parts

    body, parts = share_page_parts(body)  # what the page's charts share, once
    return body.replace(BUNDLE_MARKER, "<script>" + vega_bundle() + "</script>" + parts)


def report_info(nb: NotebookNode) -> dict[str, Any]:
    """What the report's header cell recorded: la_code, la_name, year, title, demo."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            info = output.get("metadata", {}).get(METADATA_KEY)
            if info:
                return dict(info)
    raise BenchmarksError(
        "the report notebook recorded no authority and year (header cell missing?)"
    )
