"""A pack run, from the lock to the summary line.

`run_pack(selection, options)` does the work and returns a `PackResult`;
`pack_command(selection, options, quiet=)` is what `benchmarks report` calls for more
than one authority: a progress bar, the summary on stdout, failures on stderr, and the
exit code. The steps are in the package's docstring (`benchmarks.packs`).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.packs.index import INDEX_NAME, index_key, write_index
from benchmarks.packs.lock import EXIT_LOCKED, OutputLock, PackLocked
from benchmarks.packs.manifest import (
    MANIFEST_NAME,
    Job,
    inputs_digest,
    job_key,
    plan,
    read_manifest,
    record_failure,
    record_success,
    report_fingerprint,
    stamp,
    write_manifest,
)
from benchmarks.packs.selection import (
    Selection,
    latest_year,
    partnership_groups,
    select_authorities,
)
from benchmarks.packs.workers import Outcome, render_jobs, terminate_as_interrupt

if TYPE_CHECKING:
    import polars as pl

    from benchmarks.panel import Bundle

EXIT_OK = 0
EXIT_FAILED = 1  # at least one report failed (the others were written)


@dataclass(frozen=True)
class PackOptions:
    """Everything a pack run needs besides the selection."""

    out_dir: Path = Path("reports")
    year: int | None = None
    comparator: str = "sn2025"
    data_dir: Path | None = None
    workers: int | None = None
    force: bool = False


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


def run_pack(
    selection: Selection,
    options: PackOptions = PackOptions(),
    *,
    progress: Callable[[int], Any] | None = None,
) -> PackResult:
    """Render the selected authorities' reports and the index page.

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
            jobs.append(Job(code, name, params, job_key(inputs, fingerprint, params)))
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
        key = index_key(
            manifest, inputs, comparator=options.comparator, groups_file=selection.groups_file
        )
        index_path = folder / INDEX_NAME
        if manifest["index"].get("key") != key or not index_path.is_file():
            if table is None:
                table = _comparison(bundle, options.comparator, selection.groups_file)
            write_index(
                index_path,
                bundle,
                table,
                manifest,
                out_dir=out_dir,
                year=year,
                comparator=options.comparator,
                groups=partnership_groups(bundle, selection.groups_file),
            )
            manifest["index"] = {"key": key, "written_at": stamp()}
            write_manifest(manifest_path, manifest)
        result.index = index_path
        _remove_stale_temporaries(folder, before=run_start)
    result.seconds = time.perf_counter() - started
    return result


def _comparison(bundle: Bundle, comparator: str, groups_file: Path | None) -> pl.DataFrame:
    """Every authority's comparison, through the comparison cache: the kernels find it
    there under the same fingerprint."""
    from benchmarks.comparison import comparison_for
    from benchmarks.render import report_parameters

    absolute = report_parameters("", groups_file=groups_file)["groups_file"]
    return comparison_for(bundle, comparator, Path(absolute) if absolute else None)


def recorder(
    manifest: dict[str, Any],
    manifest_path: Path,
    out_dir: Path,
    result: PackResult,
    progress: Callable[[int], Any] | None,
    total: int,
) -> Callable[[Outcome], None]:
    """What a pack does with each finished job, as it arrives: record it in the manifest
    (a failure keeps the previous good report), write the manifest, advance the progress."""
    advance = progress(total) if progress else None

    def record(outcome: Outcome) -> None:
        if outcome.path is not None:
            record_success(manifest, outcome.job, outcome.path, out_dir, outcome.seconds)
            result.rendered.append(outcome)
        else:
            kept = record_failure(manifest, outcome.job, str(outcome.error), out_dir)
            if kept is not None:
                result.previous[outcome.job.la_code] = kept
            result.failed.append(outcome)
        write_manifest(manifest_path, manifest)
        if advance:
            advance(outcome)

    return record


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
    out_dir = Path(render_options["out_dir"])
    record = recorder(manifest, manifest_path, out_dir, result, progress, len(todo))

    def warm() -> Any:
        return _comparison(bundle, render_options["comparator"], render_options["groups_file"])

    with terminate_as_interrupt():
        return render_jobs(
            todo,
            workers=result.workers,
            render_options=render_options,
            warm=warm,
            on_outcome=record,
        )


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


# ------------------------------------------------------------------ the command


def progress_bar(quiet: bool) -> Callable[[int], Any] | None:
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


def pack_command(selection: Selection, options: PackOptions, *, quiet: bool = False) -> int:
    """`benchmarks report` for more than one authority; returns the exit code.

    0 every report written or unchanged; 1 at least one failed (listed on stderr, the
    others written); 75 another pack run holds the output folder (nothing written).
    """
    try:
        result = run_pack(selection, options, progress=progress_bar(quiet))
    except PackLocked as exc:
        print(f"benchmarks report: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    line, failures = summary(result)
    print(line, flush=True)
    for text in failures:
        print(text, file=sys.stderr)
    return result.exit_code
