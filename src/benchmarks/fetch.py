"""`benchmarks fetch`: download each publication from its publisher, safely.

For every source in the registry (`sources.toml`) fetch

1. discovers the current file at run time (file ids and names change every release):
   the EES content API for DfE files, the GOV.UK content API for Ofsted and the
   statistical neighbours, the GitHub contents API for files published only in a public
   repository, or a fixed URL;
2. downloads it with timeouts and a bounded number of retries with backoff, into a
   temporary file beside its destination, checking the length the server announced;
3. checks that what arrived is the file we expect (not an error page, not truncated, not
   another publication): the CSV header or the workbook's sheet and header row;
4. keeps the previous good copy under `.previous/`, then renames the new file into place,
   so a failed download or a bad file never replaces good data;
5. records what it fetched, when, from where and its sha256 in `fetch_manifest.json`.

The HTTP client and the discovery of each publisher's current file are in
`benchmarks.publishers`.
Tests point the publishers' addresses at a local server with `base_urls` (or the
BENCHMARKS_*_API variables), see `BASE_URLS`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
import zipfile
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from benchmarks import atomic, datadir
from benchmarks.cache import sha256_file
from benchmarks.errors import BenchmarksError
from benchmarks.publishers import (  # noqa: F401  (FetchError, Found: part of this API)
    DISCOVERY,
    Client,
    Context,
    FetchError,
    Found,
    target_path,
)

MANIFEST = "fetch_manifest.json"
PREVIOUS = ".previous"

@dataclass(frozen=True)
class SourceOutcome:
    """What happened to one source.

    `status` is "updated" (a new file is in place), "unchanged" (the publisher's file is
    the one we have), "kept" (a frozen publication fetch cannot download; whatever file is
    there stays), or "failed: <reason>" (nothing was replaced).
    """

    source_id: str
    status: str
    file: str | None = None  # path inside the data folder
    url: str | None = None
    sha256: str | None = None

    @property
    def failed(self) -> bool:
        return self.status.startswith("failed")

    def __str__(self) -> str:
        parts = [f"{self.source_id}: {self.status}"]
        if self.url:
            parts.append(f"url {self.url}")
        if self.file:
            parts.append(f"kept {self.file}" if self.failed else f"file {self.file}")
        return "; ".join(parts)


@dataclass
class FetchResult:
    """The outcome of `run_fetch`, one `SourceOutcome` per source.

    Exit semantics for the command line (`exit_code`):
      0 = new data was fetched (at least one source updated, none failed);
      3 = everything was already up to date (nothing changed, nothing failed);
      1 = at least one source failed (its previous good file, if any, was kept).
    """

    dest: Path
    outcomes: list[SourceOutcome] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(o.status == "updated" for o in self.outcomes)

    @property
    def failed(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.failed]

    @property
    def exit_code(self) -> int:
        if self.failed:
            return 1
        return 0 if self.changed else 3


# -- validation ---------------------------------------------------------------------------


def validate(path: Path, entry: dict[str, Any], *, content_type: str = "") -> None:
    """Raise FetchError unless `path` looks like this source's file.

    Not an HTML page; for a CSV: UTF-8 text whose header has the required columns, with
    data rows that all have the header's number of fields (a cut-off download rarely does)
    and, for each of `required_values`, a row with that value in that column;
    for .xlsx/.ods: a zip container that opens, with the required sheet and a header row
    holding the required columns.
    """
    head = path.read_bytes()[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if "html" in content_type.lower() or head.startswith(
        (b"<!doctype html", b"<html", b"<?xml", b"<head")
    ):
        raise FetchError(
            f"received an HTML page ({content_type or 'no content type'}), not a data file"
        )
    if not head:
        raise FetchError("received an empty file")
    required = [str(c) for c in entry.get("required_columns", [])]
    suffix = PurePosixPath(entry["path_glob"]).suffix.lower()
    if suffix == ".csv":
        _validate_csv(path, required, dict(entry.get("required_values", {})))
    elif suffix in (".xlsx", ".ods"):
        _validate_workbook(path, entry.get("required_sheet"), required)


def _validate_csv(path: Path, required: list[str], values: dict[str, str]) -> None:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FetchError(f"not UTF-8 text (byte {exc.start})") from exc
    try:
        rows = csv.reader(io.StringIO(text, newline=""))
        header = [h.strip() for h in next(rows, [])]
        missing = [c for c in required if c not in header]
        if missing:
            shown = ", ".join(header[:12]) + ("…" if len(header) > 12 else "")
            raise FetchError(
                f"not the expected file: columns {', '.join(missing)} missing (header: {shown})"
            )
        count = 0
        wanted = {header.index(c): v for c, v in values.items() if c in header}
        for count, row in enumerate(rows, start=2):  # noqa: B007 - count is the line number
            if len(row) != len(header):
                raise FetchError(
                    f"line {count} has {len(row)} fields, the header {len(header)} (a cut-off download?)"
                )
            wanted = {i: v for i, v in wanted.items() if row[i].strip() != v}
        if count < 2:
            raise FetchError("the CSV has a header but no data rows")
        if wanted:
            shown = ", ".join(f"{header[i]} {v!r}" for i, v in wanted.items())
            raise FetchError(f"not the expected file: no row with {shown}")
    except csv.Error as exc:
        raise FetchError(f"not a well-formed CSV: {exc}") from exc


def _validate_workbook(path: Path, sheet: str | None, required: list[str]) -> None:
    import fastexcel

    if not zipfile.is_zipfile(path):
        raise FetchError("not a spreadsheet: the file is not a zip container (.xlsx/.ods)")
    try:
        reader = fastexcel.read_excel(str(path))
        names = reader.sheet_names
        if sheet is None:
            return
        if sheet not in names:
            raise FetchError(
                f"not the expected workbook: no sheet {sheet!r} (sheets: {', '.join(names)})"
            )
        rows = reader.load_sheet(sheet, header_row=None, n_rows=12).to_polars().rows()
    except FetchError:
        raise
    except Exception as exc:  # fastexcel raises its own error types for damaged files
        raise FetchError(f"the workbook does not open: {exc}") from exc
    for row in rows:
        cells = {str(c).strip() for c in row if c is not None}
        if all(c.strip() in cells for c in required):
            return
    raise FetchError(
        f"not the expected workbook: sheet {sheet!r} has no header row with {', '.join(required)}"
    )


# -- install and manifest -------------------------------------------------------------------


def _keep_previous(dest: Path, path: Path, *, move: bool) -> None:
    """Put `path` (a good file we are replacing) under dest/.previous/, same sub-path."""
    keep = dest / PREVIOUS / path.relative_to(dest)
    keep.parent.mkdir(parents=True, exist_ok=True)
    if move:
        os.replace(path, keep)
        return
    with atomic.atomic_path(keep) as tmp:
        tmp.unlink()
        try:
            os.link(path, tmp)
        except OSError:
            shutil.copy2(path, tmp)


def install(dest: Path, entry: dict[str, Any], target: Path, download: Path, sha: str) -> str:
    """Put a validated download in place; return "updated" or "unchanged".

    The file it replaces is kept under .previous/ first. Files of an older release (another
    name matching path_glob) are moved there only after the new file is in place, so the
    folder always holds a good copy and the newest file is the one `source_file` picks.
    """
    superseded = [p for p in dest.glob(entry["path_glob"]) if p != target and p.is_file()]
    if target.exists() and not superseded and sha256_file(target) == sha:
        download.unlink()
        return "unchanged"
    if target.exists():
        _keep_previous(dest, target, move=False)
    os.replace(download, target)
    for old in superseded:
        _keep_previous(dest, old, move=True)
    return "updated"


def _readable(path: Path) -> None:
    """Give a file the usual permissions (temporary files are created private)."""
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(0o666 & ~umask)


def read_manifest(dest: Path) -> dict[str, Any]:
    try:
        data = json.loads((dest / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {"sources": {}}
    return data if isinstance(data.get("sources"), dict) else {"sources": {}}


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


# -- the run --------------------------------------------------------------------------------


def fetch_one(
    ctx: Context, dest: Path, source_id: str, entry: dict[str, Any], record: dict[str, Any]
) -> SourceOutcome:
    """Discover, download, validate and install one source; never raises FetchError."""
    discovery = entry.get("discovery", "url")
    if discovery == "manual":
        have = sorted(dest.glob(entry["path_glob"]))
        if have:
            return SourceOutcome(source_id, "kept: frozen publication, supply the file by hand",
                                 have[-1].relative_to(dest).as_posix(), entry.get("url"))  # fmt: skip
        return SourceOutcome(source_id, f"kept: frozen publication, not present: put the publisher's file at "
                             f"{entry['path_glob']} (from {entry.get('url') or entry.get('landing_page')})")  # fmt: skip
    if discovery not in DISCOVERY:
        return SourceOutcome(source_id, f"failed: unknown discovery {discovery!r} in the registry")
    url = None
    try:
        try:
            found = DISCOVERY[discovery](ctx, source_id, entry)
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise FetchError(
                f"unexpected answer from the {discovery} discovery ({type(exc).__name__}: {exc})"
            ) from exc
        url = found.url
        relative = target_path(entry, found)
        target = dest / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".part", dir=target.parent
            )
            os.close(fd)
            download = Path(name)
            try:
                sha, size, kind = ctx.client.download(
                    found.url, download, f"{source_id}: {found.name}"
                )
                validate(download, entry, content_type=kind)
                _readable(download)
                status = install(dest, entry, target, download, sha)
            finally:
                download.unlink(missing_ok=True)
        except OSError as exc:  # the network's errors are FetchErrors by now: this is our disk
            raise FetchError(f"could not write {target}: {exc}") from exc
    except FetchError as exc:
        reason = str(exc)
        record["last_error"] = {"at": _now(), "url": url, "reason": reason}
        return SourceOutcome(
            source_id, f"failed: {reason}", record.get("file"), url, record.get("sha256")
        )
    now = _now()
    if status == "updated" or "fetched_at" not in record:
        record["fetched_at"] = now
    record.update(
        {"file": relative.as_posix(), "url": found.url, "published_name": found.name,
         "sha256": sha, "bytes": size, "checked_at": now, "status": status}
    )  # fmt: skip
    record.pop("last_error", None)
    return SourceOutcome(source_id, status, relative.as_posix(), found.url, sha)


def run_fetch(
    dest: Path,
    *,
    registry: dict[str, dict[str, Any]] | None = None,
    only: list[str] | None = None,
    base_urls: dict[str, str] | None = None,
    timeout: float = 30,
    retries: int = 3,
    progress: bool = True,
) -> FetchResult:
    """Fetch every source (or `only` these ids) into the data folder `dest`.

    Returns a FetchResult (see its docstring for the exit codes). Sources are independent:
    one failing does not stop the others, and never replaces the file already there.
    """
    from filelock import FileLock, Timeout

    registry = registry if registry is not None else datadir.registry()
    wanted = list(registry) if not only else list(dict.fromkeys(only))
    unknown = [s for s in wanted if s not in registry]
    if unknown:
        raise BenchmarksError(f"Unknown source {', '.join(unknown)}; known: {', '.join(registry)}")
    dest = Path(dest).expanduser().absolute()
    dest.mkdir(parents=True, exist_ok=True)
    result = FetchResult(dest)
    console, bar = _progress(progress)
    try:
        with FileLock(str(dest / ".fetch.lock"), timeout=5), bar or nullcontext():
            manifest = read_manifest(dest)
            ctx = Context(
                Client(timeout=timeout, retries=retries, progress=bar), dict(base_urls or {})
            )
            for source_id in wanted:
                record = manifest["sources"].setdefault(source_id, {})
                outcome = fetch_one(ctx, dest, source_id, registry[source_id], record)
                result.outcomes.append(outcome)
                if console is not None:
                    colour = {"updated": "green", "unchanged": "dim"}.get(outcome.status, "")
                    console.print(
                        str(outcome), style="red" if outcome.failed else colour, markup=False
                    )
                manifest["updated_at"] = _now()
                text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
                _readable(atomic.write_text(dest / MANIFEST, text))
    except Timeout as exc:
        raise BenchmarksError(
            f"Another `benchmarks fetch` is writing to {dest}; try again later."
        ) from exc
    return result


def _progress(enabled: bool) -> tuple[Any, Any]:
    """A rich console and download progress bar on stderr, or (None, None) when quiet."""
    if not enabled:
        return None, None
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    console = Console(stderr=True, soft_wrap=True, highlight=False)
    bar = Progress(
        TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
        console=console, transient=True,
    )  # fmt: skip
    return console, bar
