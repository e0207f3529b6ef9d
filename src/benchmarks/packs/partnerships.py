"""Partnership reports: one alone (`render_partnership`), or every named group as a pack
(`run_group_pack`, for `benchmarks partnership --all-groups`).

A group pack works as an authority pack does (`benchmarks.packs`): the lock on the output
folder, a key per group (the data's provenance, the partnership notebook and the
package's code, the papermill parameters) and the skip of unchanged groups through the
run manifest (`<out>/partnerships/.pack_manifest.json`), the kept-alive kernels of
`packs.workers`, and an index page (`<out>/partnerships/index.html`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.packs.lock import OutputLock
from benchmarks.packs.manifest import (
    MANIFEST_NAME,
    Job,
    inputs_digest,
    job_key,
    plan,
    read_manifest,
    stamp,
    write_manifest,
)
from benchmarks.packs.run import PackResult, recorder
from benchmarks.packs.workers import render_jobs, terminate_as_interrupt

if TYPE_CHECKING:
    from benchmarks.panel import Bundle

FOLDER = "partnerships"
NOTEBOOK_NAME = "partnership_report.ipynb"
INDEX_TEMPLATE = "reports/partnership_index.html.j2"


def notebook() -> Path:
    """The partnership notebook (BENCHMARKS_PARTNERSHIP_NOTEBOOK overrides it)."""
    from benchmarks.render import notebook_path

    return Path(os.environ.get("BENCHMARKS_PARTNERSHIP_NOTEBOOK") or notebook_path(NOTEBOOK_NAME))


def partnership_parameters(
    partners: str | list[str] | tuple[str, ...],
    *,
    focus: str | None = None,
    start_year: int | None = None,
    comparator: str = "sn2025",
    data_dir: str | Path | None = None,
    groups_file: str | Path | None = None,
) -> dict[str, Any]:
    """The notebook's papermill parameters: partners as one comma-separated string (or a
    group's name), "" for no focus, 0 for no start year, absolute paths."""
    from benchmarks.render import report_parameters

    names = [partners] if isinstance(partners, str) else list(partners)
    paths = report_parameters("", data_dir=data_dir, groups_file=groups_file)
    return {
        "partners": ", ".join(n.strip() for n in names),
        "focus": focus or "",
        "start_year": int(start_year or 0),
        "comparator": str(comparator),
        "data_dir": paths["data_dir"],
        "groups_file": paths["groups_file"],
    }


def render_partnership(
    partners: str | list[str] | tuple[str, ...],
    *,
    focus: str | None = None,
    start_year: int | None = None,
    comparator: str = "sn2025",
    data_dir: str | Path | None = None,
    out_dir: str | Path = Path("reports"),
    groups_file: str | Path | None = None,
) -> Path:
    """Render one partnership's report to `out_dir/partnerships/<slug>.html`; its path."""
    from benchmarks.render import Renderer

    params = partnership_parameters(
        partners,
        focus=focus,
        start_year=start_year,
        comparator=comparator,
        data_dir=data_dir,
        groups_file=groups_file,
    )
    with Renderer(notebook=notebook()) as renderer:
        return renderer.render_page(params, out_dir)


@dataclass(frozen=True)
class GroupPackOptions:
    """What a pack of every named group needs."""

    out_dir: Path = Path("reports")
    comparator: str = "sn2025"
    data_dir: Path | None = None
    groups_file: Path | None = None
    workers: int | None = None
    force: bool = False


def run_group_pack(
    options: GroupPackOptions, *, progress: Callable[[int], Any] | None = None
) -> PackResult:
    """Render every named group's partnership report (no focus) and the index page.

    Raises PackLocked when another run holds the output folder."""
    from benchmarks import cache, panel
    from benchmarks.packs.selection import partnership_groups

    started = time.perf_counter()
    out_dir = Path(options.out_dir).expanduser().resolve()
    with OutputLock(out_dir):
        bundle = panel.load(options.data_dir)
        groups = partnership_groups(bundle, options.groups_file)
        folder = out_dir / FOLDER
        manifest_path = folder / MANIFEST_NAME
        manifest = read_manifest(manifest_path)
        inputs = inputs_digest(bundle.meta)
        fingerprint = cache.fingerprint(
            {"notebook": cache.sha256_file(notebook())}, result="partnership"
        )
        jobs = []
        for name in groups:
            params = partnership_parameters(
                name,
                comparator=options.comparator,
                data_dir=options.data_dir,
                groups_file=options.groups_file,
            )
            jobs.append(Job(name, name, params, job_key(inputs, fingerprint, params)))
        todo, skipped = plan(jobs, manifest, out_dir, force=options.force)
        workers = max(1, min(options.workers or os.cpu_count() or 1, len(todo) or 1))
        result = PackResult(
            year=0, folder=folder, total=len(jobs), skipped=skipped, workers=workers
        )
        if todo:
            _render(todo, bundle, options, out_dir, manifest, manifest_path, result, progress)
        index_path = folder / "index.html"
        key = cache.fingerprint(
            {},
            result="partnership-index",
            reports=manifest["reports"],
            data=inputs,
            groups={k: list(v) for k, v in groups.items()},
        )
        if manifest["index"].get("key") != key or not index_path.is_file():
            write_index(index_path, bundle, manifest, groups, out_dir=out_dir)
            manifest["index"] = {"key": key, "written_at": stamp()}
            write_manifest(manifest_path, manifest)
        result.index = index_path
    result.seconds = time.perf_counter() - started
    return result


def _render(
    todo: list[Job],
    bundle: Bundle,
    options: GroupPackOptions,
    out_dir: Path,
    manifest: dict[str, Any],
    manifest_path: Path,
    result: PackResult,
    progress: Callable[[int], Any] | None,
) -> None:
    from benchmarks.comparison import comparison_for
    from benchmarks.packs.renderer_process import RendererProcess

    groups_file = todo[0].params["groups_file"]
    record = recorder(manifest, manifest_path, out_dir, result, progress, len(todo))

    with terminate_as_interrupt():
        render_jobs(
            todo,
            workers=result.workers,
            render_options={"out_dir": out_dir},
            warm=lambda: comparison_for(
                bundle, options.comparator, Path(groups_file) if groups_file else None
            ),
            on_outcome=record,
            new_renderer=lambda: RendererProcess(notebook=notebook()),
        )


def write_index(
    path: Path,
    bundle: Bundle,
    manifest: dict[str, Any],
    groups: dict[str, tuple[str, ...]],
    *,
    out_dir: Path,
) -> None:
    """The partnership pack's index page: each group, its members and its report."""
    from benchmarks import atomic, components

    names = dict(bundle.authorities.select("la_code", "la_name").iter_rows())
    rows = []
    for group, members in sorted(groups.items(), key=lambda g: g[0].casefold()):
        entry = manifest["reports"].get(group, {})
        file = entry.get("file")
        href = (
            os.path.relpath(out_dir / file, path.parent).replace(os.sep, "/")
            if file and (out_dir / file).is_file()
            else ""
        )
        rows.append(
            {
                "name": group,
                "members": ", ".join(str(names.get(c, c)) for c in members),
                "href": href,
                "rendered": entry.get("rendered_at", ""),
                "error": entry.get("last_error", ""),
            }
        )
    demo = bool(bundle.meta.get("demo"))
    page = components.render(INDEX_TEMPLATE, "page", rows, demo)
    atomic.write_text(path, page)
