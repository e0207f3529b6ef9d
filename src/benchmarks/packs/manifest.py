"""Each authority's key, the run manifest, and the incremental skip.

A job's key has three parts, each a `benchmarks.cache.fingerprint`:

* `inputs`: the data's provenance (every input file's sha256, its name and download
  record, and whether it is demonstration data: the report's data notes show them);
* `report`: the notebook (which may live outside the package) over the package's code
  and library versions;
* `params`: the authority's papermill parameters, as they are.

An authority is skipped when its key equals the key of its last good render in the run
manifest (`<out>/<year>/.pack_manifest.json`) and that report is still on disk.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MANIFEST_NAME = ".pack_manifest.json"
MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class Job:
    """One authority to render: its code and name, the notebook parameters, its key."""

    la_code: str
    la_name: str
    params: dict[str, Any]
    key: dict[str, Any]


def report_fingerprint() -> str:
    """The fingerprint of what shapes a report besides its data and parameters: the
    notebook, and the package's code (modules, catalogues, the report and index
    templates) and library versions that every fingerprint covers."""
    from benchmarks import cache, render

    return cache.fingerprint({"notebook": cache.sha256_file(render.NOTEBOOK)}, result="report")


def inputs_digest(meta: dict[str, Any]) -> str:
    """The fingerprint of the data's provenance: every source's file, sha256 and download
    record, and whether it is demonstration data."""
    from benchmarks import cache

    sources = sorted(meta.get("sources", []), key=lambda s: str(s.get("id")))
    return cache.fingerprint(
        cache.bundle_inputs(meta), result="inputs", sources=sources, demo=bool(meta.get("demo"))
    )


def job_key(inputs: str, report: str, params: dict[str, Any]) -> dict[str, Any]:
    """A job's key as the manifest stores it."""
    return {"inputs": inputs, "report": report, "params": params}


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


def record_success(
    manifest: dict[str, Any], job: Job, path: Path, out_dir: Path, seconds: float
) -> None:
    """Note a good render: its file (relative to `out_dir`), key, time and duration."""
    manifest["reports"][job.la_code] = {
        "la_name": job.la_name,
        "file": path.relative_to(out_dir).as_posix(),
        "key": job.key,
        "rendered_at": stamp(),
        "seconds": round(seconds, 3),
    }


def record_failure(manifest: dict[str, Any], job: Job, error: str, out_dir: Path) -> str | None:
    """Note a failed render, keeping the last good render's key and file; returns that file
    (relative to `out_dir`) when it is still on disk."""
    entries = manifest["reports"]
    entry = entries.get(job.la_code)
    if entry is None:
        entries[job.la_code] = {"la_name": job.la_name, "last_error": error, "failed_at": stamp()}
        return None
    entry["last_error"] = error
    entry["failed_at"] = stamp()
    if entry.get("file") and (out_dir / entry["file"]).is_file():
        return str(entry["file"])
    return None


def stamp() -> str:
    """The time now, as the manifest records it."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
