"""Report packs: one report per authority, in parallel, incrementally, safe to run from cron.

`benchmarks report --all | --region R | --group NAME | --la X --la Y` comes here
(`run_pack_cli`). A pack run:

1. takes the lock on the output folder (`<out>/.pack.lock`, an flock, so it is released
   however the process ends): a second run exits at once with EXIT_LOCKED and writes
   nothing;
2. loads the data (the panel's parquet cache), picks the authorities, and gives each one a
   key: the data's provenance (every input's sha256, from `bundle.meta["sources"]`), the
   report fingerprint (notebook, nbconvert template, the library code and the library
   versions that shape a report) and its papermill parameters. An authority is skipped when
   its key equals the key of its last good render in the run manifest
   (`<out>/<year>/.pack_manifest.json`) and that report is still on disk. With nothing to do
   the run ends here, before any kernel starts or any heavy module is imported;
3. starts the workers: threads, each driving one kept-alive `render.Renderer` (its own
   kernel and exporter). While the kernels start, this process compares every authority
   once and writes the report module's parquet cache, which every kernel then reads;
4. writes each report atomically (`Renderer.render`: a temporary file, then a rename). A
   failed report leaves the previous good one in place. The manifest is rewritten
   atomically after every report, so a killed run loses only the reports in progress;
5. writes the index page `<out>/<year>/index.html` and prints the summary.

A report rendered here is the file `benchmarks report --la NAME` renders alone: the same
`Renderer.render` call with the same parameters (the authority's name as the LA list
spells it).
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import importlib.metadata
import json
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.errors import BenchmarksError

if TYPE_CHECKING:
    import polars as pl

    from benchmarks.panel import Bundle

EXIT_OK = 0
EXIT_FAILED = 1  # at least one report failed (the others were written)
EXIT_LOCKED = 75  # EX_TEMPFAIL: another pack run holds the output folder; try again later
MANIFEST_NAME = ".pack_manifest.json"
LOCK_NAME = ".pack.lock"
INDEX_NAME = "index.html"
MANIFEST_FORMAT = 1
#: Package files that cannot change a report: the pack itself, the command line, fetching.
NOT_IN_REPORTS = frozenset({"pack.py", "cli.py", "fetch.py"})
#: Libraries whose version can change a report's bytes.
REPORT_LIBRARIES = (
    "altair",
    "great-tables",
    "polars",
    "nbconvert",
    "nbformat",
    "papermill",
    "vl-convert-python",
    "jinja2",
)
#: The index page's headline indicators (each shown with its band).
INDEX_INDICATORS = (
    "sw_turnover_rate",
    "sw_agency_rate",
    "sw_vacancy_rate",
    "sw_caseload",
    "rereferral_rate",
    "cla_3plus_sw_rate",
)
GRADE_ORDER = {
    "Outstanding": 1,
    "Good": 2,
    "Requires improvement to be good": 3,
    "Inadequate": 4,
}
PACK_TEMPLATES = Path(__file__).resolve().parent / "templates" / "pack"


class PackLocked(BenchmarksError):
    """Another pack run holds the output folder's lock."""


# ------------------------------------------------------------------ the lock


class OutputLock:
    """An exclusive lock on `<out>/.pack.lock`, taken without waiting.

    POSIX `flock` (Windows: `msvcrt.locking`): the operating system releases it when the
    process ends, however it ends, so a killed run never leaves a stale lock. Kernels do
    not inherit the descriptor (Python opens files non-inheritable). The holder writes its
    pid and start time into the file, for the message a refused run prints.
    """

    def __init__(self, out_dir: str | Path) -> None:
        self.path = Path(out_dir) / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise PackLocked (having written nothing)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            holder = _read_fd(fd)
            os.close(fd)
            raise PackLocked(
                f"another report pack is writing to {self.path.parent} "
                f"({holder or 'holder unknown'}); this run stopped without writing anything. "
                "Try again when it has finished."
            )
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()}, started {_now():%Y-%m-%d %H:%M:%S} UTC\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            with suppress(OSError):
                _unlock(self._fd)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - POSIX CI
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _read_fd(fd: int) -> str:
    try:
        return os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except (OSError, AttributeError):
        return ""


def _now() -> datetime:
    return datetime.now(UTC)


# ------------------------------------------------------------------ choosing authorities


@dataclass(frozen=True)
class Selection:
    """Which authorities a pack renders (the union of everything named)."""

    every: bool = False
    regions: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    las: tuple[str, ...] = ()
    groups_file: Path | None = None


def latest_year(panel: pl.DataFrame) -> int:
    """The latest year in which any authority has a value for a catalogue indicator."""
    import polars as pl

    from benchmarks import indicators

    years = panel.filter(
        pl.col("indicator").is_in(list(indicators.catalogue())) & pl.col("value").is_not_null()
    )["year"]
    if years.len() == 0:
        raise BenchmarksError("the data folder holds no indicator values to report on")
    return int(years.max())  # type: ignore[arg-type]


def covered(bundle: Bundle, year: int) -> pl.DataFrame:
    """Current authorities with at least one value in `year`: `la_code, la_name, region_name`."""
    import polars as pl

    from benchmarks import indicators

    present = bundle.panel.filter(
        (pl.col("year") == year)
        & pl.col("value").is_not_null()
        & pl.col("indicator").is_in(list(indicators.catalogue()))
    )["la_code"].unique()
    return bundle.authorities.filter(
        pl.col("current") & pl.col("la_code").is_in(present.implode())
    ).select("la_code", "la_name", "region_name")


def select_authorities(bundle: Bundle, selection: Selection, year: int) -> list[tuple[str, str]]:
    """(la_code, la_name) of every authority the selection names, sorted by name.

    `every` and `regions` take the current authorities the data cover in `year`; groups
    and `las` take whoever they name. A region, group or authority that does not exist is
    a BenchmarksError with the closest matches.
    """
    import polars as pl

    from benchmarks.sources.authorities import resolver

    pool = covered(bundle, year)
    codes: dict[str, None] = {}
    if selection.every:
        codes.update(dict.fromkeys(pool["la_code"].to_list()))
    regions = sorted({r for r in pool["region_name"].to_list() if r})
    by_region = {r.casefold(): r for r in regions}
    for query in selection.regions:
        name = by_region.get(" ".join(query.split()).casefold())
        if name is None:
            close = difflib.get_close_matches(query, regions, n=3, cutoff=0.5)
            hint = f" Did you mean {' or '.join(close)}?" if close else ""
            raise BenchmarksError(f"No region {query!r}.{hint} Regions: {', '.join(regions)}")
        codes.update(dict.fromkeys(pool.filter(pl.col("region_name") == name)["la_code"]))
    for query in selection.groups:
        codes.update(dict.fromkeys(group_members(bundle, query, selection.groups_file)))
    resolve = resolver(bundle.authorities)
    for query in selection.las:
        codes[resolve(query)] = None
    if not codes:
        raise BenchmarksError("the selection names no authority")
    names = dict(bundle.authorities.select("la_code", "la_name").iter_rows())
    return sorted(((c, str(names[c])) for c in codes), key=lambda cn: (cn[1].casefold(), cn[0]))


def partnership_groups(bundle: Bundle, groups_file: Path | None) -> dict[str, tuple[str, ...]]:
    """Named groups (partnership file, else the shipped example) -> member codes."""
    from benchmarks.groups import read_partnerships

    return {
        name: p.members for name, p in read_partnerships(groups_file, bundle.authorities).items()
    }


def group_members(bundle: Bundle, name: str, groups_file: Path | None) -> tuple[str, ...]:
    """The member codes of one named group (any case); UnknownGroupError lists the names."""
    from benchmarks.errors import UnknownGroupError
    from benchmarks.groups import BUILTIN_GROUPS

    groups = partnership_groups(bundle, groups_file)
    wanted = " ".join(name.split()).casefold()
    for group, members in groups.items():
        if group.casefold() == wanted:
            return members
    if wanted in BUILTIN_GROUPS:
        raise BenchmarksError(
            f"{name!r} is a comparator group, not a named group of authorities: "
            "use --region, --all or --la, and --comparator for the comparison"
        )
    raise UnknownGroupError(name, list(groups))


# ------------------------------------------------------------------ keys and the manifest


def report_fingerprint() -> str:
    """sha256 over what shapes a report besides its data and parameters.

    The notebook, the report's nbconvert template, every module and catalogue of the
    package except NOT_IN_REPORTS (and the index page's own template), the versions of
    the libraries that write the page, and Python's version.
    """
    from benchmarks import render

    package = Path(__file__).resolve().parent
    files = [render.NOTEBOOK]
    files += sorted(p for p in (render.TEMPLATES / render.TEMPLATE_NAME).rglob("*") if p.is_file())
    files += sorted(
        p
        for p in package.rglob("*")
        if p.suffix in (".py", ".toml") and p.name not in NOT_IN_REPORTS and p.is_file()
    )
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for library in REPORT_LIBRARIES:
        with suppress(importlib.metadata.PackageNotFoundError):
            digest.update(f"{library}=={importlib.metadata.version(library)}\n".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def inputs_digest(meta: dict[str, Any]) -> str:
    """sha256 of the data's provenance: every source's file, sha256 and download record."""
    sources = sorted(meta.get("sources", []), key=lambda s: str(s.get("id")))
    payload = json.dumps([sources, bool(meta.get("demo"))], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class Job:
    """One authority to render: its code and name, the notebook parameters, its key."""

    la_code: str
    la_name: str
    params: dict[str, Any]
    key: dict[str, Any]


def read_manifest(path: Path) -> dict[str, Any]:
    """The run manifest, or an empty one (missing, unreadable or of another format)."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        manifest = {"format": MANIFEST_FORMAT, "reports": {}, "index": {}}
    manifest.setdefault("reports", {})
    manifest.setdefault("index", {})
    return manifest


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    """Write the manifest atomically (a reader or a killed run never sees half of it)."""
    from benchmarks import atomic

    atomic.write_text(path, json.dumps(manifest, indent=1, sort_keys=True) + "\n")


def plan(
    jobs: Sequence[Job], manifest: dict[str, Any], out_dir: Path, *, force: bool = False
) -> tuple[list[Job], list[Job]]:
    """(to render, to skip): skip when the key equals the last good render's and its file exists."""
    todo: list[Job] = []
    skipped: list[Job] = []
    for job in jobs:
        entry = manifest["reports"].get(job.la_code)
        fresh = (
            not force
            and entry is not None
            and entry.get("key") == job.key
            and (out_dir / entry.get("file", "")).is_file()
        )
        (skipped if fresh else todo).append(job)
    return todo, skipped


# ------------------------------------------------------------------ rendering


@dataclass
class Outcome:
    """How one authority's render ended: its path, or the reason it failed."""

    job: Job
    path: Path | None = None
    error: str | None = None
    seconds: float = 0.0


@dataclass
class PackResult:
    """What a pack run did."""

    year: int
    folder: Path
    total: int
    rendered: list[Outcome] = field(default_factory=list)
    skipped: list[Job] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    index: Path | None = None
    seconds: float = 0.0
    workers: int = 0
    previous: dict[str, str] = field(default_factory=dict)  # la_code -> kept report file

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if self.failed else EXIT_OK


def _reason(exc: BaseException) -> str:
    if isinstance(exc, BenchmarksError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _worker(
    jobs: queue.Queue[Job],
    results: queue.Queue[Outcome],
    ready: threading.Event,
    stop: threading.Event,
    render_options: dict[str, Any],
    new_renderer: Callable[[], Any],
) -> None:
    """Render jobs with one kept-alive Renderer until the queue is empty or `stop` is set.

    A report that fails in its notebook leaves the kernel usable; any other failure (a dead
    or stuck kernel) gets a new Renderer for the next report.
    """
    from benchmarks.render import ReportError

    renderer: Any = None
    broken = ""
    try:
        try:
            renderer = new_renderer()
        except Exception as exc:  # no kernel: fail this worker's jobs with the reason
            broken = f"could not start a kernel: {_reason(exc)}"
        ready.wait()
        while not stop.is_set():
            try:
                job = jobs.get_nowait()
            except queue.Empty:
                return
            start = time.perf_counter()
            if broken:
                results.put(Outcome(job, error=broken))
                continue
            try:
                path = renderer.render(job.params["la"], **render_options)
                results.put(Outcome(job, path=path, seconds=time.perf_counter() - start))
            except ReportError as exc:
                results.put(Outcome(job, error=str(exc), seconds=time.perf_counter() - start))
            except Exception as exc:
                results.put(Outcome(job, error=_reason(exc), seconds=time.perf_counter() - start))
                with suppress(Exception):
                    renderer.close()
                try:
                    renderer = new_renderer()
                except Exception as again:
                    renderer, broken = None, f"could not restart the kernel: {_reason(again)}"
    finally:
        if renderer is not None:
            with suppress(Exception):
                renderer.close()


def render_jobs(
    todo: Sequence[Job],
    *,
    workers: int,
    render_options: dict[str, Any],
    warm: Callable[[], Any],
    on_outcome: Callable[[Outcome], None],
    new_renderer: Callable[[], Any] | None = None,
) -> Any:
    """Render `todo` on `workers` threads, each with its own kept-alive Renderer.

    `warm()` runs here while the kernels start (the comparison of every authority); the
    workers begin once it has returned, and its result is returned. `on_outcome` is called
    in this thread for every finished report, in the order they finish.
    """
    from benchmarks import render

    jobs: queue.Queue[Job] = queue.Queue()
    for job in todo:
        jobs.put(job)
    results: queue.Queue[Outcome] = queue.Queue()
    ready, stop = threading.Event(), threading.Event()
    threads = [
        threading.Thread(
            target=_worker,
            args=(jobs, results, ready, stop, render_options, new_renderer or render.Renderer),
            name=f"pack-worker-{i + 1}",
            daemon=True,
        )
        for i in range(max(1, min(workers, len(todo))))
    ]
    for thread in threads:
        thread.start()
    try:
        try:
            warmed = warm()
        finally:
            ready.set()
        done = 0
        while done < len(todo):
            try:
                outcome = results.get(timeout=0.5)
            except queue.Empty:
                if not any(t.is_alive() for t in threads) and results.empty():
                    raise BenchmarksError("the pack's workers stopped early") from None
                continue
            done += 1
            on_outcome(outcome)
        return warmed
    finally:
        stop.set()
        ready.set()
        for thread in threads:
            thread.join()
        while not results.empty():  # interrupted: reports finished while stopping still count
            on_outcome(results.get_nowait())


# ------------------------------------------------------------------ the run


@dataclass(frozen=True)
class PackOptions:
    """Everything a pack run needs besides the selection."""

    out_dir: Path = Path("reports")
    year: int | None = None
    comparator: str = "sn2025"
    data_dir: Path | None = None
    workers: int | None = None
    force: bool = False


def run_pack(
    selection: Selection,
    options: PackOptions = PackOptions(),
    *,
    progress: Callable[[int], Any] | None = None,
) -> PackResult:
    """Render the selected authorities' reports and the index page (see the module docstring).

    `progress(total)` may return a callable taking each `Outcome` (a progress bar).
    Raises PackLocked when another run holds the output folder.
    """
    started = time.perf_counter()
    run_start = time.time()
    out_dir = Path(options.out_dir).expanduser().resolve()
    with OutputLock(out_dir):
        from benchmarks import panel, render

        bundle = panel.load(options.data_dir)
        year = options.year if options.year is not None else latest_year(bundle.panel)
        chosen = select_authorities(bundle, selection, year)
        folder = out_dir / str(int(year))
        manifest_path = folder / MANIFEST_NAME
        manifest = read_manifest(manifest_path)
        inputs, fingerprint = inputs_digest(bundle.meta), report_fingerprint()
        report_options: dict[str, Any] = {  # the same for each job's key and its render
            "year": options.year,
            "comparator": options.comparator,
            "data_dir": options.data_dir,
            "groups_file": selection.groups_file,
        }
        jobs = []
        for code, name in chosen:
            params = render.report_parameters(name, **report_options)
            key = {"inputs": inputs, "report": fingerprint, "params": params}
            jobs.append(Job(code, name, params, key))
        todo, skipped = plan(jobs, manifest, out_dir, force=options.force)
        workers = max(1, min(options.workers or os.cpu_count() or 1, len(todo) or 1))
        result = PackResult(
            year=int(year), folder=folder, total=len(jobs), skipped=skipped, workers=workers
        )
        table: Any = None
        if todo:
            table = _render(
                todo,
                bundle,
                {**report_options, "out_dir": out_dir},
                manifest,
                manifest_path,
                result,
                progress,
            )
        index_key = _index_key(manifest, inputs, options, selection)
        index_path = folder / INDEX_NAME
        if manifest["index"].get("key") != index_key or not index_path.is_file():
            if table is None:
                table = _comparison(bundle, options.comparator, selection.groups_file)
            _write_index(index_path, bundle, table, manifest, out_dir, year, options, selection)
            manifest["index"] = {"key": index_key, "written_at": _stamp()}
            write_manifest(manifest_path, manifest)
        result.index = index_path
        _remove_stale_temporaries(folder, before=run_start)
    result.seconds = time.perf_counter() - started
    return result


def _comparison(bundle: Bundle, comparator: str, groups_file: Path | None) -> pl.DataFrame:
    """Every authority's comparison, through the report module's cache: the kernels find
    it there under the same key (the groups file as the absolute path they are given)."""
    from benchmarks.render import report_parameters
    from benchmarks.reports._comparison_cache import comparison_for

    absolute = report_parameters("", groups_file=groups_file)["groups_file"]
    return comparison_for(bundle, comparator, Path(absolute) if absolute else None)


def _render(
    todo: list[Job],
    bundle: Bundle,
    render_options: dict[str, Any],
    manifest: dict[str, Any],
    manifest_path: Path,
    result: PackResult,
    progress: Callable[[int], Any] | None,
) -> Any:
    """Render `todo` with `Renderer.render(la, **render_options)`, recording each outcome in
    the manifest as it arrives; returns the comparison computed while the kernels started."""
    advance = progress(len(todo)) if progress else None
    out_dir = Path(render_options["out_dir"])

    def warm() -> Any:
        return _comparison(bundle, render_options["comparator"], render_options["groups_file"])

    def record(outcome: Outcome) -> None:
        job = outcome.job
        entries = manifest["reports"]
        if outcome.path is not None:
            entries[job.la_code] = {
                "la_name": job.la_name,
                "file": outcome.path.relative_to(out_dir).as_posix(),
                "key": job.key,
                "rendered_at": _stamp(),
                "seconds": round(outcome.seconds, 3),
            }
            result.rendered.append(outcome)
        else:
            entry = entries.get(job.la_code)
            if entry is not None:
                entry["last_error"] = outcome.error
                entry["failed_at"] = _stamp()
                if entry.get("file") and (out_dir / entry["file"]).is_file():
                    result.previous[job.la_code] = entry["file"]
            else:
                entries[job.la_code] = {
                    "la_name": job.la_name,
                    "last_error": outcome.error,
                    "failed_at": _stamp(),
                }
            result.failed.append(outcome)
        write_manifest(manifest_path, manifest)
        if advance:
            advance(outcome)

    with _terminate_as_interrupt():
        return render_jobs(
            todo,
            workers=result.workers,
            render_options=render_options,
            warm=warm,
            on_outcome=record,
        )


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a scheduler stopping the job) ends the run like Ctrl-C: the workers stop after
    their current report and the kernels are shut down."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stamp() -> str:
    return _now().strftime("%Y-%m-%dT%H:%M:%SZ")


def _remove_stale_temporaries(folder: Path, *, before: float) -> None:
    """Delete temporary files a killed run left (`.<name>.<random>.tmp`, older than this run).

    Atomic writes rename their temporary file within milliseconds, so one that is older
    than this run cannot belong to a write in progress.
    """
    if not folder.is_dir():
        return
    for path in folder.glob(".*.tmp"):
        with suppress(OSError):
            if path.stat().st_mtime < before:
                path.unlink()


# ------------------------------------------------------------------ the index page


def _index_key(
    manifest: dict[str, Any], inputs: str, options: PackOptions, selection: Selection
) -> str:
    """What the index page shows depends on: the manifest's entries, the data, the comparator,
    the groups file, and the index page's own code and template."""
    digest = hashlib.sha256()
    payload = [manifest["reports"], inputs, options.comparator, str(selection.groups_file)]
    digest.update(json.dumps(payload, sort_keys=True, default=str).encode())
    if selection.groups_file is not None and Path(selection.groups_file).is_file():
        digest.update(Path(selection.groups_file).read_bytes())
    for path in [Path(__file__), *sorted(PACK_TEMPLATES.iterdir())]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def index_rows(
    bundle: Bundle,
    table: pl.DataFrame,
    entries: dict[str, dict[str, Any]],
    *,
    year: int,
    hrefs: dict[str, str],
    groups: dict[str, tuple[str, ...]],
) -> list[dict[str, Any]]:
    """One row per authority with a report (`hrefs`): name, region, latest Ofsted grade,
    the INDEX_INDICATORS with band, the groups it belongs to, and a note when its latest
    render failed or its report was built from other data."""
    import polars as pl

    from benchmarks import tables
    from benchmarks.reports.authority import POLAR_BAND_MEANING, long_date
    from benchmarks.schema import MARKERS
    from benchmarks.sources.inspections import latest_judgements

    codes = list(hrefs)
    auth = {
        r["la_code"]: r
        for r in bundle.authorities.filter(pl.col("la_code").is_in(codes)).iter_rows(named=True)
    }
    grades = {
        r["la_code"]: r
        for r in latest_judgements(
            bundle.inspections.filter(pl.col("la_code").is_in(codes))
        ).iter_rows(named=True)
    }
    rows = table.filter(
        pl.col("la_code").is_in(codes)
        & pl.col("indicator").is_in(list(INDEX_INDICATORS))
        & (pl.col("year") <= year)
        & (pl.col("value").is_not_null() | pl.col("status").is_not_null())
    ).unique(["la_code", "indicator", "year"], keep="first", maintain_order=True)
    latest = rows.filter(pl.col("year") == pl.col("year").max().over("la_code", "indicator"))
    cells = {(r["la_code"], r["indicator"]): r for r in latest.iter_rows(named=True)}
    member_of: dict[str, list[str]] = {}
    for name, members in groups.items():
        for code in members:
            member_of.setdefault(code, []).append(name)

    out = []
    for code in codes:
        a = auth.get(code, {})
        name = str(a.get("la_name") or entries[code].get("la_name") or code)
        grade = grades.get(code)
        overall = grade["overall"] if grade else None
        when = None
        if grade:
            when = grade["inspection_date"] or grade["publication_date"]
        row_cells = []
        for indicator in INDEX_INDICATORS:
            cell = cells.get((code, indicator))
            if cell is None:
                row_cells.append(
                    {"text": "–", "sort": "", "band": "", "title": "no data", "year": None}
                )
                continue
            band = cell["band"] or ""
            meaning = POLAR_BAND_MEANING.get(band, band)
            short = (
                band if band in POLAR_BAND_MEANING else (band.split()[0] if band[:1] == "Q" else "")
            )
            row_cells.append(
                {
                    "text": tables.format_value(cell["value"], cell["status"], indicator),
                    "sort": "" if cell["value"] is None else repr(float(cell["value"])),
                    "band": short,
                    "band_title": meaning,
                    "title": f"{cell['year']}"
                    + (f": {MARKERS.get(cell['status'], 'marker')}" if cell["status"] else "")
                    + (f"; band: {meaning}" if band else ""),
                    "year": cell["year"],
                }
            )
        entry = entries.get(code, {})
        note = ""
        if entry.get("last_error"):
            note = f"Latest render failed ({entry.get('failed_at')}); the report linked is from {entry.get('rendered_at')}."
        out.append(
            {
                "name": name,
                "code": code,
                "region": a.get("region_name") or "",
                "href": hrefs[code],
                "groups_json": json.dumps(sorted(member_of.get(code, []))),
                "grade": overall or ("No overall grade" if grade else "No graded inspection"),
                "grade_rank": GRADE_ORDER.get(overall or "", ""),
                "grade_unofficial": grade is not None and not grade["official"],
                "grade_date": long_date(when) if when else "",
                "cells": row_cells,
                "note": note,
            }
        )
    return sorted(out, key=lambda r: (r["name"].casefold(), r["code"]))


def index_page(
    bundle: Bundle,
    table: pl.DataFrame,
    manifest: dict[str, Any],
    *,
    out_dir: Path,
    year: int,
    comparator: str,
    groups: dict[str, tuple[str, ...]],
    generated: datetime | None = None,
) -> str:
    """The index page: every authority in the manifest whose report is on disk, sortable and
    filterable, with links relative to `<out>/<year>/`, the data versions and the time."""
    import jinja2
    import polars as pl

    from benchmarks import indicators
    from benchmarks.groups import BUILTIN_GROUPS

    folder = out_dir / str(int(year))
    entries = manifest["reports"]
    hrefs = {
        code: os.path.relpath(out_dir / e["file"], folder).replace(os.sep, "/")
        for code, e in entries.items()
        if e.get("file") and (out_dir / e["file"]).is_file()
    }
    rows = index_rows(bundle, table, entries, year=year, hrefs=hrefs, groups=groups)
    years = dict(
        (
            (s, (lo, hi))
            for s, lo, hi in bundle.panel.group_by("source")
            .agg(pl.col("year").min().alias("lo"), pl.col("year").max().alias("hi"))
            .iter_rows()
        )
    )
    sources = []
    for s in bundle.meta.get("sources", []):
        span = years.get(s.get("id"))
        sources.append(
            {
                "title": s.get("title", s.get("id")),
                "publisher": s.get("publisher", ""),
                "official": s.get("official", True),
                "file": s.get("file", ""),
                "sha": str(s.get("sha256", ""))[:12],
                "years": f"{span[0]}–{span[1]}" if span else "–",
                "fetched": s.get("fetched_at") or "not recorded (folder supplied)",
            }
        )
    columns = []
    for i, indicator in enumerate(INDEX_INDICATORS):
        shown = sorted({r["cells"][i]["year"] for r in rows} - {None})
        columns_years = (
            "–".join(str(y) for y in dict.fromkeys([shown[0], shown[-1]])) if shown else ""
        )
        ind = indicators.get(indicator)
        columns.append(
            {"label": ind.label, "unit": ind.unit + (f", {columns_years}" if columns_years else "")}
        )
    when = generated or _now()
    comparator_text = BUILTIN_GROUPS.get(comparator, f"the named group {comparator}")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(PACK_TEMPLATES), str(PACK_TEMPLATES.parent)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    demo = bool(bundle.meta.get("demo"))
    title = f"Children's social care benchmarks: authority reports, {year}"
    return env.get_template("index.html.j2").render(
        title=title + (" (demonstration data)" if demo else ""),
        demo=demo,
        year=year,
        comparator=comparator_text,
        generated=f"{when:%d %B %Y at %H:%M} UTC".lstrip("0"),
        data_dir=str(bundle.meta.get("data_dir", "")),
        regions=sorted({r["region"] for r in rows if r["region"]}),
        groups=sorted({g for r in rows for g in json.loads(r["groups_json"])}),
        columns=columns,
        rows=rows,
        sources=sources,
        css=(PACK_TEMPLATES / "index.css").read_text(encoding="utf-8"),
        script=(PACK_TEMPLATES / "index.js").read_text(encoding="utf-8"),
    )


def _write_index(
    path: Path,
    bundle: Bundle,
    table: pl.DataFrame,
    manifest: dict[str, Any],
    out_dir: Path,
    year: int,
    options: PackOptions,
    selection: Selection,
) -> None:
    from benchmarks import atomic

    page = index_page(
        bundle,
        table,
        manifest,
        out_dir=out_dir,
        year=year,
        comparator=options.comparator,
        groups=partnership_groups(bundle, selection.groups_file),
    )
    atomic.write_text(path, page)


# ------------------------------------------------------------------ command line


def _progress_bar(quiet: bool) -> Callable[[int], Any] | None:
    """A rich progress bar (authority, done/total, time left) on stderr, unless quiet."""
    if quiet:
        return None
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    def start(total: int) -> Callable[[Outcome], None]:
        bar = Progress(
            TextColumn("{task.description:<32}", markup=False),  # names are text, not markup
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("elapsed"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        task = bar.add_task("starting kernels", total=total)
        bar.start()
        failed = 0

        def advance(outcome: Outcome) -> None:
            nonlocal failed
            failed += outcome.error is not None
            name = outcome.job.la_name[:24] + (" (failed)" if outcome.error else "")
            bar.update(
                task, advance=1, description=name + (f" [{failed} failed]" if failed else "")
            )
            if bar.finished:
                bar.stop()

        return advance

    return start


def summary(result: PackResult) -> tuple[str, list[str]]:
    """The summary line and one line (or two) per failure."""
    rendered = len(result.rendered)
    per = f", {result.seconds / rendered:.2f} s per report" if rendered else ""
    line = (
        f"{result.year}: {result.total} authorities: {rendered} rendered, "
        f"{len(result.skipped)} unchanged (skipped), {len(result.failed)} failed; "
        f"{result.seconds:.1f} s"
        + (f" on {result.workers} worker{'s' * (result.workers > 1)}{per}" if rendered else "")
        + f". Index: {result.index}"
    )
    failures = []
    for outcome in sorted(result.failed, key=lambda o: o.job.la_name.casefold()):
        failures.append(f"FAILED {outcome.job.la_name} ({outcome.job.la_code}): {outcome.error}")
        kept = result.previous.get(outcome.job.la_code)
        failures.append(
            f"  kept the previous good report {kept}" if kept else "  no earlier report to keep"
        )
    return line, failures


def run_pack_cli(args: argparse.Namespace) -> int:
    """`benchmarks report` for more than one authority; returns the exit code.

    0 every report written or unchanged; 1 at least one failed (listed on stderr, the
    others written); 75 another pack run holds the output folder (nothing written).
    """
    selection = Selection(
        every=bool(args.all),
        regions=tuple(args.region or ()),
        groups=tuple(args.group or ()),
        las=tuple(args.la or ()),
        groups_file=args.groups_file,
    )
    options = PackOptions(
        out_dir=args.out,
        year=args.year,
        comparator=args.comparator,
        data_dir=args.data_dir,
        workers=args.workers,
        force=args.force,
    )
    if args.workers is not None and args.workers < 1:
        raise BenchmarksError("--workers must be 1 or more")
    try:
        result = run_pack(selection, options, progress=_progress_bar(args.quiet))
    except PackLocked as exc:
        print(f"benchmarks report: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    line, failures = summary(result)
    print(line, flush=True)
    for text in failures:
        print(text, file=sys.stderr)
    return result.exit_code
