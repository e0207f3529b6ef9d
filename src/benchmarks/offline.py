"""The offline HTML page: nbconvert's exporter with the offline template, the Vega bundle
put in once, and what the report's header cell recorded (`report_info`).

The HTML is one file with nothing external: the offline template (templates/benchmarks)
extends nbconvert's `lab` template with its CDN blocks emptied, and the Vega bundle
from `vl_convert.javascript_bundle()` is put in once per page. The same executed notebook
always gives the same bytes.
"""

from __future__ import annotations

import functools
import importlib.metadata
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


_BUNDLE: list[str] = []


def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script (globals vegaEmbed, vega, vegaLite).

    `vl_convert.javascript_bundle()` takes ~2 s to build, so the result is kept in memory
    and on disk (BENCHMARKS_HOME/cache, one file per vl-convert version).
    """
    if _BUNDLE:
        return _BUNDLE[0]
    import vl_convert

    from benchmarks import atomic, datadir

    version = importlib.metadata.version("vl-convert-python")
    cached = datadir.home() / "cache" / f"vega-bundle-{version}.js"
    try:
        bundle = cached.read_text(encoding="utf-8")
    except OSError:
        bundle = vl_convert.javascript_bundle()  # type: ignore[call-arg]  # the stub omits the default
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
    """An HTML exporter for reports: offline template, no input cells, no prompts."""
    startup.defer_iri_grammar()
    return _exporter_class()(
        extra_template_basedirs=[str(TEMPLATES)],
        template_name=TEMPLATE_NAME,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
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
    return body.replace(BUNDLE_MARKER, "<script>" + vega_bundle() + "</script>")


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
