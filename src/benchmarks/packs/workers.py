"""The pack's workers: threads, each driving one kept-alive renderer in a process of its
own (`renderer_process.RendererProcess`: a `render.Renderer` and its kernel).

`render_jobs(todo, workers=, render_options=, warm=, on_outcome=)` renders every job on
its own kernel-keeping renderer. A report that fails in its notebook leaves the kernel
usable; any other failure (a dead or stuck kernel or process) gets a new renderer. Every
finished report reaches `on_outcome` in the calling thread, also those finished while
stopping after Ctrl-C or SIGTERM (`terminate_as_interrupt`).
"""

from __future__ import annotations

import queue
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.errors import BenchmarksError, reason
from benchmarks.packs.manifest import Job


@dataclass
class Outcome:
    """How one authority's render ended: its path, or the reason it failed."""

    job: Job
    path: Path | None = None
    error: str | None = None
    seconds: float = 0.0


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
    from benchmarks.packs.renderer_process import KernelStartError
    from benchmarks.render import ReportError

    renderer: Any = None
    broken = ""
    try:
        try:
            renderer = new_renderer()
        except Exception as exc:  # no kernel: fail this worker's jobs with the reason
            broken = f"could not start a kernel: {reason(exc)}"
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
                if "la" in job.params:  # an authority's report
                    path = renderer.render(job.params["la"], **render_options)
                else:  # another kind of page (a partnership's): its parameters as they are
                    path = renderer.render_page(job.params, render_options["out_dir"])
                results.put(Outcome(job, path=path, seconds=time.perf_counter() - start))
            except ReportError as exc:
                results.put(Outcome(job, error=str(exc), seconds=time.perf_counter() - start))
            except Exception as exc:
                results.put(Outcome(job, error=reason(exc), seconds=time.perf_counter() - start))
                with suppress(Exception):
                    renderer.close()
                if isinstance(exc, KernelStartError):  # another renderer would fail the same way
                    renderer, broken = None, reason(exc)
                    continue
                try:
                    renderer = new_renderer()
                except Exception as again:
                    renderer, broken = None, f"could not restart the kernel: {reason(again)}"
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
    """Render `todo` on `workers` threads, each with its own kept-alive renderer
    (`new_renderer()`, by default a `RendererProcess`).

    `warm()` runs here while the kernels start (the comparison of every authority); the
    workers begin once it has returned, and its result is returned. `on_outcome` is called
    in this thread for every finished report, in the order they finish.
    """
    from benchmarks.packs import renderer_process

    jobs: queue.Queue[Job] = queue.Queue()
    for job in todo:
        jobs.put(job)
    results: queue.Queue[Outcome] = queue.Queue()
    ready, stop = threading.Event(), threading.Event()
    threads = [
        threading.Thread(
            target=_worker,
            args=(
                jobs,
                results,
                ready,
                stop,
                render_options,
                new_renderer or renderer_process.RendererProcess,
            ),
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


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
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
