"""Render authority reports: papermill parameters, a kept-alive kernel, one offline exporter.

`render_report()` renders one report. `Renderer` is the machinery behind it, built to be
reused: it keeps one kernel alive and one HTML exporter, so a pack (one `Renderer` per
worker) pays for kernel start-up, imports and the Vega bundle once, not per report.

Execution goes through `papermill.execute_notebook` itself (parameter injection, the
`injected-parameters` cell, `nb.metadata.papermill.parameters`, error handling), with an
engine that runs the cells in the kept kernel instead of starting a new one. So a report
rendered here is the same HTML that `papermill.execute_notebook` + `export_html` give.

The HTML is one file with nothing external (`benchmarks.offline`: the offline template
and the Vega bundle put in once per page).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources
import os
import re
import subprocess
import tempfile
import threading
import unicodedata
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from benchmarks import startup
from benchmarks.errors import BenchmarksError
from benchmarks.offline import export_html, new_exporter, report_info, vega_bundle

if TYPE_CHECKING:
    from nbformat import NotebookNode


def notebook_path(name: str) -> Path:
    """A notebook of the package: `notebooks/<name>` of a source checkout, else the copy
    that the installed package carries as `benchmarks.notebooks` (package data).

    In a checkout (this file under `src/`), the top-level folder people edit wins, also when
    another install of the package is on the path. An installed wheel has no such folder.
    """
    package = Path(__file__).resolve().parent
    checkout = package.parents[1] / "notebooks" / name
    if package.parent.name == "src" and checkout.is_file():
        return checkout
    return Path(str(importlib.resources.files("benchmarks.notebooks").joinpath(name)))


NOTEBOOK = Path(os.environ.get("BENCHMARKS_NOTEBOOK") or notebook_path("authority_report.ipynb"))
ENGINE_NAME = "benchmarks-kept-kernel"
KERNEL_NAME = "python3"
CELL_TIMEOUT = 600
#: No IPython history database (parallel kernels need none), and the authority report's
#: library is imported while the kernel starts, in parallel with this process's own
#: imports, with jsonschema's IRI grammar deferred to its first use (`benchmarks.startup`).
KERNEL_ARGUMENTS = [
    "--HistoryManager.enabled=False",
    "--IPKernelApp.exec_lines=import benchmarks.startup; "
    "benchmarks.startup.defer_iri_grammar(); import benchmarks.reports.page",
]
EXPLORE_NOTEBOOK = "explore.ipynb"
#: The exploration page's kernel also shows every chart as the offline page's figure
#: (`reports.explore.Figures` display through the offline renderer once it is enabled).
EXPLORE_KERNEL_ARGUMENTS = [
    "--HistoryManager.enabled=False",
    "--IPKernelApp.exec_lines=import benchmarks.startup; "
    "benchmarks.startup.defer_iri_grammar(); import benchmarks.reports.explore; "
    "benchmarks.charts.enable_offline_renderer()",
]


class ReportError(BenchmarksError):
    """A report notebook failed: names the template cell (index, first line) and the exception."""

    def __init__(self, la: str, cell_index: int, first_line: str, ename: str, evalue: str) -> None:
        self.la = la
        self.cell_index = cell_index
        self.first_line = first_line
        self.ename = ename
        self.evalue = evalue
        super().__init__(
            f"the report for {la!r} failed in notebook cell {cell_index} "
            f"({first_line!r}): {ename}: {evalue}"
        )


# ------------------------------------------------------------------ names and paths


#: Slugs a report may not take: the pack's index page (`<year>/index.html`) and the
#: device names Windows reserves whatever the extension (`con.html` is the console).
RESERVED_SLUGS = frozenset(
    ["index", "con", "prn", "aux", "nul"] + [f"{d}{i}" for d in ("com", "lpt") for i in range(10)]
)
MAX_SLUG = 80  # file systems allow 255 bytes a name; a longer slug ends in a digest of the name


def slugify(name: str) -> str:
    """A file-name slug: lowercase ASCII letters, digits and single hyphens ('bristol-city-of').

    A reserved name gets "-authority" added ('index-authority'); a slug longer than
    MAX_SLUG is cut and ends in 8 hex digits of the name's sha256, so long names that
    share a beginning still get different files.
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        slug = f"{slug[: MAX_SLUG - 9].rstrip('-')}-{digest}"
    if slug in RESERVED_SLUGS:
        slug += "-authority"
    return slug or "authority"


def report_path(out_dir: str | Path, year: int, la_name: str) -> Path:
    """`out_dir/<year>/<slug>.html`; the slug cannot climb out of `out_dir`."""
    base = Path(out_dir).resolve()
    path = (base / str(int(year)) / f"{slugify(la_name)}.html").resolve()
    if not path.is_relative_to(base):  # cannot happen with slugify; belt and braces
        raise BenchmarksError(f"refusing to write {path}: outside {base}")
    return path


def output_path(out_dir: str | Path, info: dict[str, Any]) -> Path:
    """Where a page goes, from what its header recorded (`report_info`): a partnership's
    to `out_dir/partnerships/<slug>.html`, an authority's to `report_path`."""
    if info.get("kind") == "partnership":
        return Path(out_dir).resolve() / "partnerships" / f"{slugify(str(info['name']))}.html"
    return report_path(out_dir, info["year"], info["la_name"])


def report_parameters(
    la: str,
    *,
    year: int | None = None,
    comparator: str = "sn2025",
    data_dir: str | Path | None = None,
    groups_file: str | Path | None = None,
) -> dict[str, Any]:
    """The papermill parameters for one report (the names the notebook's parameters cell defines).

    The notebook's parameters are plain literals papermill can inspect (its parser does not
    read `int | None`, nteract/papermill#695), so "latest year" is 0 and "default data
    folder" is "". A data folder is passed as an absolute path, so the kernel's working
    folder does not matter.
    """
    return {
        "la": str(la),
        "year": 0 if year is None else int(year),
        "comparator": str(comparator),
        "data_dir": _absolute(data_dir, "a data folder"),
        "groups_file": _absolute(groups_file, "a groups file"),
    }


def _absolute(path: str | Path | None, what: str) -> str:
    """An absolute path as text ("" for None), so the kernel's working folder does not matter."""
    if path is None:
        return ""
    try:
        return str(Path(path).expanduser().resolve())
    except (RuntimeError, ValueError) as exc:  # "~nosuchuser", a NUL byte
        raise BenchmarksError(f"cannot use {str(path)!r} as {what}: {exc}") from None


# ------------------------------------------------------------------ papermill engine


def _register_engine() -> None:
    """A papermill engine that runs cells in a kernel the caller keeps alive."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger

    class KeptKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(  # type: ignore[override]
            cls,
            nb_man: Any,
            kernel_name: str,
            *,
            km: Any,
            kc: Any,
            log_output: bool = False,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            **_: Any,
        ) -> Any:
            client = PapermillNotebookClient(
                nb_man,
                km=km,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                startup_timeout=start_timeout,
                timeout=execution_timeout,
            )
            client.kc = kc  # reuse the open channels: no new client per report
            return client.execute()

    papermill_engines.register(ENGINE_NAME, KeptKernelEngine)


# ------------------------------------------------------------------ the renderer


class Renderer:
    """One kept-alive kernel and one offline HTML exporter; render many reports with it.

    Use as a context manager (or call `close()`): the kernel is shut down at the end.
    The kernel starts in the background on construction, so the imports here overlap it.
    """

    def __init__(
        self,
        *,
        notebook: str | Path = NOTEBOOK,
        cwd: str | Path | None = None,
        kernel_arguments: Sequence[str] = KERNEL_ARGUMENTS,
        anchor_links: bool = True,
    ) -> None:
        startup.defer_iri_grammar()  # before nbformat (papermill, nbconvert) imports jsonschema
        from jupyter_client.manager import AsyncKernelManager

        self.notebook = Path(notebook)
        self.cwd = str(Path(cwd or os.getcwd()).resolve())
        # IPC sockets in a private temporary folder: nothing listens on the network.
        self._sockets = tempfile.TemporaryDirectory(prefix="benchmarks-kernel-")
        self.km = AsyncKernelManager(
            kernel_name=KERNEL_NAME, transport="ipc", ip=os.path.join(self._sockets.name, "kernel")
        )
        self.kc: Any = None
        self._exporter: Any = None
        self._anchor_links = anchor_links
        _run(self.km.start_kernel(cwd=self.cwd, extra_arguments=list(kernel_arguments)))
        # Make the exporter ready and load the Vega bundle while the kernel starts and runs.
        self._prepared = threading.Thread(target=self._prepare_export, daemon=True)
        self._prepared.start()

    def _prepare_export(self) -> None:
        """The exporter, its page template compiled (by exporting an empty notebook), and
        the Vega bundle: this thread runs while the kernel works, so a report's export
        does not wait for them."""
        try:
            import nbformat

            self.exporter.from_notebook_node(nbformat.v4.new_notebook())
            vega_bundle()
        except Exception:  # export() tries again in the main thread and raises there
            return

    # -------------------------------------------------------------- lifecycle

    def __enter__(self) -> Renderer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the kernel and its channels.

        The kernel process is killed and reaped here first: jupyter_client's own kill
        (`shutdown_kernel(now=True)`, which then finds it ended) polls every 0.1 s.
        """
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        process = getattr(self.km.provisioner, "process", None)
        if process is not None and process.poll() is None:
            process.kill()
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
        if self.km.has_kernel:
            _run(self.km.shutdown_kernel(now=True))
        _run(self.km.cleanup_resources())
        self._sockets.cleanup()

    def _client(self) -> Any:
        """The kept kernel's client, restarting a kernel that died since the last report."""
        if not _run(self.km.is_alive()):
            if self.kc is not None:
                self.kc.stop_channels()
                self.kc = None
            _run(self.km.restart_kernel(now=True))
        if self.kc is None:
            kc = self.km.client()
            kc.start_channels()
            _run(kc.wait_for_ready(timeout=60))
            kc.allow_stdin = False
            self.kc = kc
        return self.kc

    @property
    def exporter(self) -> Any:
        """The one HTML exporter this renderer reuses (without links on headings when the
        renderer was made with `anchor_links=False`)."""
        if self._exporter is None:
            exporter = new_exporter()
            exporter.exclude_anchor_links = not self._anchor_links
            self._exporter = exporter
        return self._exporter

    # -------------------------------------------------------------- steps

    def execute(self, parameters: dict[str, Any]) -> NotebookNode:
        """Run the notebook with papermill's parameter semantics in the kept kernel.

        Raises ReportError naming the template cell and the exception. With no data folder
        (`data_dir` ""), a first run's demonstration data are written here, in this process,
        so the line saying so goes to the terminal and not into the page.
        """
        if not parameters.get("data_dir"):
            from benchmarks import panel

            panel.prepare()
        import papermill
        from nbclient.exceptions import CellTimeoutError, DeadKernelError
        from papermill.engines import papermill_engines
        from papermill.exceptions import PapermillExecutionError

        if ENGINE_NAME not in papermill_engines._engines:
            _register_engine()
        try:
            return papermill.execute_notebook(
                str(self.notebook),
                None,
                parameters=parameters,
                engine_name=ENGINE_NAME,
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                request_save_on_cell_execute=False,
                execution_timeout=CELL_TIMEOUT,
                km=self.km,
                kc=self._client(),
            )
        except PapermillExecutionError as exc:
            raise _report_error(_subject(parameters), exc, self.notebook) from None
        except (DeadKernelError, CellTimeoutError) as exc:
            raise BenchmarksError(
                f"the report for {_subject(parameters)!r} did not finish: {type(exc).__name__}: {exc}"
            ) from None

    def export(self, nb: NotebookNode) -> str:
        """The executed notebook as one offline HTML page (see `export_html`)."""
        self._prepared.join()
        return export_html(nb, self.exporter)

    def render(
        self,
        la: str,
        *,
        year: int | None = None,
        comparator: str = "sn2025",
        data_dir: str | Path | None = None,
        out_dir: str | Path = Path("reports"),
        groups_file: str | Path | None = None,
    ) -> Path:
        """Execute, export and atomically write one report; returns its path."""
        params = report_parameters(
            la, year=year, comparator=comparator, data_dir=data_dir, groups_file=groups_file
        )
        return self.render_page(params, out_dir)

    def render_page(self, parameters: dict[str, Any], out_dir: str | Path) -> Path:
        """Execute with `parameters`, export, and atomically write to `output_path`."""
        from benchmarks import atomic

        nb = self.execute(parameters)
        target = output_path(out_dir, report_info(nb))
        atomic.write_text(target, self.export(nb))
        return target


def _run(awaitable: Any) -> Any:
    """Run a coroutine on this thread's event loop (the one nbclient uses)."""
    from jupyter_core.utils import ensure_event_loop

    return ensure_event_loop().run_until_complete(awaitable)


def _subject(parameters: dict[str, Any]) -> str:
    return str(parameters.get("la") or parameters.get("partners"))


def _report_error(la: str, exc: Any, notebook: Path) -> ReportError:
    """papermill's error in the template's own cell numbering (the injected cell left out)."""
    lines = [line for line in str(exc.source or "").splitlines() if line.strip()]
    index = int(exc.cell_index)
    try:
        import nbformat

        template = nbformat.read(notebook, as_version=4)
        tags = [cell.metadata.get("tags", []) for cell in template.cells]
        params_at = next(i for i, t in enumerate(tags) if "parameters" in t)
        if index > params_at:
            index -= 1  # papermill's injected-parameters cell sits right after `parameters`
    except (OSError, StopIteration, ValueError):
        pass
    return ReportError(la, index, lines[0] if lines else "", str(exc.ename), str(exc.evalue))


def render_report(
    la: str,
    *,
    year: int | None = None,
    comparator: str = "sn2025",
    data_dir: str | Path | None = None,
    out_dir: str | Path = Path("reports"),
    groups_file: str | Path | None = None,
) -> Path:
    """Render one authority's report to `out_dir/<year>/<la-slug>.html` and return the path.

    `la` is a name or code; `year` None means the latest; `comparator` is sn2025, sn2021,
    region or a named group; `data_dir` None follows `benchmarks.datadir`'s order. A
    failing notebook raises ReportError and leaves any earlier report untouched.
    """
    with Renderer() as renderer:
        return renderer.render(
            la,
            year=year,
            comparator=comparator,
            data_dir=data_dir,
            out_dir=out_dir,
            groups_file=groups_file,
        )


# ------------------------------------------------------------------ the exploration page


def explore_parameters(la: str, *, data_dir: str | Path | None = None) -> dict[str, Any]:
    """The exploration notebook's papermill parameters (its parameters cell's names)."""
    return {"la": str(la), "data_dir": _absolute(data_dir, "a data folder")}


def explore_path(out_dir: str | Path, la_name: str) -> Path:
    """`out_dir/explore/<slug>.html`; the slug cannot climb out of `out_dir`."""
    base = Path(out_dir).resolve()
    path = (base / "explore" / f"{slugify(la_name)}.html").resolve()
    if not path.is_relative_to(base):  # cannot happen with slugify; belt and braces
        raise BenchmarksError(f"refusing to write {path}: outside {base}")
    return path


def render_explore(
    la: str, *, data_dir: str | Path | None = None, out_dir: str | Path = Path("reports")
) -> Path:
    """Render the exploration notebook for one authority to one offline HTML page,
    `out_dir/explore/<la-slug>.html` (the report's kept kernel, offline exporter and
    Vega bundle once), and return its path."""
    from benchmarks import atomic

    with Renderer(
        notebook=notebook_path(EXPLORE_NOTEBOOK),
        kernel_arguments=EXPLORE_KERNEL_ARGUMENTS,
        anchor_links=False,  # the page has headings: no empty anchor links on them
    ) as renderer:
        nb = renderer.execute(explore_parameters(la, data_dir=data_dir))
        page = renderer.export(nb)
    target = explore_path(out_dir, report_info(nb)["la_name"])
    atomic.write_text(target, page)
    return target
