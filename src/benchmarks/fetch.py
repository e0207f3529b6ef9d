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

Tests point the publishers' addresses at a local server with `base_urls` (or the
BENCHMARKS_*_API variables), see `BASE_URLS`.
"""

from __future__ import annotations

import csv
import hashlib
import http.client
import io
import json
import os
import re
import shutil
import socket
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from typing import Any

from benchmarks import atomic, datadir
from benchmarks.errors import BenchmarksError

MANIFEST = "fetch_manifest.json"
PREVIOUS = ".previous"
USER_AGENT = "la-benchmarks-fetch/0.1 (+https://github.com/; children's social care benchmarking)"
#: Publisher addresses, each overridable by `base_urls[key]` or an environment variable.
#: "url" is a mirror prefix for fixed URLs: https://host/path -> {mirror}/host/path.
BASE_URLS = {
    "ees": (
        "BENCHMARKS_EES_API",
        "https://content.explore-education-statistics.service.gov.uk/api",
    ),
    "govuk": ("BENCHMARKS_GOVUK_API", "https://www.gov.uk/api/content"),
    "github": ("BENCHMARKS_GITHUB_API", "https://api.github.com"),
    "url": ("BENCHMARKS_URL_MIRROR", ""),
}
BACKOFF = 1.0  # seconds before the first retry; doubles each time, at most MAX_BACKOFF
MAX_BACKOFF = 30.0
YEARS_BACK = 4  # how many earlier editions a "{year}" GOV.UK page may fall back to
CHUNK = 1 << 16
MAX_JSON = 20 << 20


class FetchError(BenchmarksError):
    """One source could not be fetched; the message says where and why."""


class _Retryable(FetchError):
    """A failure worth trying again (server error, dropped or stalled connection)."""


class _NotFound(FetchError):
    """HTTP 404/410: the page or file is not there (no point retrying)."""


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


@dataclass(frozen=True)
class Found:
    """A discovered file: where to download it and what the publisher calls it."""

    url: str
    name: str
    year: int | None = None  # the edition, for "{year}" pages


# -- HTTP ---------------------------------------------------------------------------------


class Client:
    """GET with a timeout on every read, an overall deadline and bounded retries."""

    def __init__(self, *, timeout: float, retries: int, progress: Any = None) -> None:
        self.timeout = timeout
        self.retries = max(0, retries)
        self.progress = progress

    def _retrying(self, attempt: Callable[[], Any]) -> Any:
        tries = self.retries + 1
        for n in range(tries):
            try:
                return attempt()
            except _Retryable as exc:
                if n + 1 == tries:
                    times = f" (after {tries} attempts)" if tries > 1 else ""
                    raise FetchError(f"{exc}{times}") from exc
                wait = getattr(exc, "retry_after", None)
                time.sleep(min(MAX_BACKOFF, wait if wait is not None else BACKOFF * 2**n))
        raise AssertionError("unreachable")  # pragma: no cover

    @contextmanager
    def _open(self, url: str) -> Iterator[http.client.HTTPResponse]:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                yield response
        except urllib.error.HTTPError as exc:
            reason = f"HTTP {exc.code} {exc.reason} from {url}"
            if exc.code in (404, 410):
                raise _NotFound(reason) from exc
            if exc.code in (408, 429) or exc.code >= 500:
                error = _Retryable(reason)
                after = exc.headers.get("Retry-After", "") if exc.headers else ""
                error.retry_after = float(after) if after.isdigit() else None  # type: ignore[attr-defined]
                raise error from exc
            raise FetchError(reason) from exc
        except TimeoutError as exc:
            raise _Retryable(f"no response within {self.timeout:g} s from {url} (stalled)") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError | socket.timeout):
                raise _Retryable(
                    f"no response within {self.timeout:g} s from {url} (stalled)"
                ) from exc
            raise _Retryable(f"could not connect to {url}: {exc.reason}") from exc
        except (http.client.HTTPException, ConnectionError) as exc:
            raise _Retryable(f"connection to {url} failed: {exc!r}") from exc

    def get_json(self, url: str) -> Any:
        """A JSON document (an HTML page or other text is an error, not data)."""

        def attempt() -> Any:
            with self._open(url) as response:
                body = _read_all(response, url, self.timeout, limit=MAX_JSON)
                kind = response.headers.get("Content-Type", "")
            try:
                return json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                start = body[:60].decode("utf-8", "replace").strip()
                raise FetchError(
                    f"expected JSON from {url}, got {kind or 'no type'}: {start!r}"
                ) from exc

        return self._retrying(attempt)

    def download(self, url: str, into: Path, label: str) -> tuple[str, int, str]:
        """Stream `url` into the file `into`; return (sha256, bytes, content type)."""

        def attempt() -> tuple[str, int, str]:
            digest, size = hashlib.sha256(), 0
            with self._open(url) as response, into.open("wb") as out:
                expected = response.headers.get("Content-Length")
                total = int(expected) if expected and expected.isdigit() else None
                task = self.progress.add_task(label, total=total) if self.progress else None
                deadline = time.monotonic() + max(60.0, self.timeout * 20)
                try:
                    for chunk in _chunks(response, url, self.timeout, deadline):
                        out.write(chunk)
                        digest.update(chunk)
                        size += len(chunk)
                        if task is not None:
                            self.progress.update(task, completed=size)
                finally:
                    if task is not None:
                        self.progress.remove_task(task)
                kind = response.headers.get("Content-Type", "")
            if total is not None and size != total:
                raise _Retryable(f"truncated download from {url}: received {size} of {total} bytes")
            return digest.hexdigest(), size, kind

        return self._retrying(attempt)


def _chunks(
    response: http.client.HTTPResponse, url: str, timeout: float, deadline: float
) -> Iterator[bytes]:
    """The body in chunks; a dropped or stalled connection is a retryable error."""
    received = 0
    while True:
        try:
            chunk = response.read(CHUNK)
        except TimeoutError as exc:
            raise _Retryable(
                f"download from {url} stalled: nothing for {timeout:g} s after {received} bytes"
            ) from exc
        except (http.client.IncompleteRead, ConnectionError, http.client.HTTPException) as exc:
            raise _Retryable(
                f"truncated download from {url}: connection dropped after {received} bytes"
            ) from exc
        if not chunk:
            return
        received += len(chunk)
        if time.monotonic() > deadline:
            raise _Retryable(f"download from {url} too slow: {received} bytes before the deadline")
        yield chunk


def _read_all(response: http.client.HTTPResponse, url: str, timeout: float, *, limit: int) -> bytes:
    parts, size = [], 0
    for chunk in _chunks(response, url, timeout, time.monotonic() + max(60.0, timeout * 20)):
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            raise FetchError(f"response from {url} is larger than {limit} bytes")
    expected = response.headers.get("Content-Length")
    if expected and expected.isdigit() and int(expected) != size:
        raise _Retryable(f"truncated response from {url}: received {size} of {expected} bytes")
    return b"".join(parts)


# -- discovery ----------------------------------------------------------------------------


@dataclass
class _Context:
    client: Client
    base_urls: dict[str, str]

    def base(self, key: str) -> str:
        variable, default = BASE_URLS[key]
        return (self.base_urls.get(key) or os.environ.get(variable) or default).rstrip("/")


def _discover_ees(ctx: _Context, source_id: str, entry: dict[str, Any]) -> Found:
    """EES content API: publication slug -> latest release's data files -> download URL."""
    base = ctx.base("ees")
    publication = ctx.client.get_json(f"{base}/publications/{entry['slug']}")
    files: list[dict[str, Any]] = []
    page = 1
    while True:
        query = urllib.parse.urlencode(
            {"publicationId": publication["id"], "latestOnly": "true", "pageSize": 40, "page": page}
        )
        listing = ctx.client.get_json(f"{base}/data-set-files?{query}")
        files += listing.get("results", [])
        pages = int((listing.get("paging") or {}).get("totalPages") or 1)
        if page >= pages:
            break
        page += 1
    exact = entry.get("filename")  # a name without a year range: match it exactly
    prefix = entry.get("filename_prefix", "")
    matches = sorted(
        (
            f
            for f in files
            if (
                f.get("filename") == exact
                if exact
                else str(f.get("filename", "")).startswith(prefix)
                and f["filename"].endswith(".csv")
            )
        ),
        key=lambda f: f["filename"],
    )
    if not matches:
        names = ", ".join(sorted(str(f.get("filename")) for f in files)) or "none"
        raise FetchError(
            f"no data file named {exact or prefix + '*.csv'} in the latest release of "
            f"{entry['slug']} (files there: {names})"
        )
    chosen = matches[-1]
    return Found(f"{base}/data-set-files/{chosen['id']}/download", chosen["filename"])


def _discover_govuk(ctx: _Context, source_id: str, entry: dict[str, Any]) -> Found:
    """GOV.UK content API: the page's attachments; "{year}" pages newest edition first."""
    template = entry["content_path"]
    pages: list[tuple[str, int | None]]
    if "{year}" in template:
        this_year = datetime.now(UTC).year
        pages = [
            (template.format(year=y), y) for y in range(this_year, this_year - YEARS_BACK - 1, -1)
        ]
    else:
        pages = [(template, None)]
    pattern = re.compile(entry["attachment_pattern"])
    tried = []
    for path, year in pages:
        url = f"{ctx.base('govuk')}{path}"
        try:
            document = ctx.client.get_json(url)
        except _NotFound:
            tried.append(f"{url} (not published)")
            continue
        for attachment in (document.get("details") or {}).get("attachments") or []:
            link = urllib.parse.urljoin(url, str(attachment.get("url") or ""))
            name = PurePosixPath(urllib.parse.unquote(urllib.parse.urlparse(link).path)).name
            if pattern.search(name):
                return Found(link, name, year)
        tried.append(f"{url} (no attachment matching {entry['attachment_pattern']})")
    raise FetchError("no file found: " + "; ".join(tried))


def _discover_github(ctx: _Context, source_id: str, entry: dict[str, Any]) -> Found:
    """GitHub contents API: the newest file in a folder whose name has the prefix."""
    url = f"{ctx.base('github')}/repos/{entry['repo']}/contents/{entry['folder']}"
    if entry.get("branch"):
        url += f"?ref={entry['branch']}"
    listing = ctx.client.get_json(url)
    prefix = entry["filename_prefix"]
    suffix = PurePosixPath(entry["path_glob"]).suffix
    matches = sorted(
        (
            f
            for f in listing
            if f.get("type") == "file"
            and f["name"].startswith(prefix)
            and f["name"].endswith(suffix)
        ),
        key=lambda f: f["name"],
    )
    if not matches:
        raise FetchError(f"no file named {prefix}*{suffix} in {url}")
    return Found(matches[-1]["download_url"], matches[-1]["name"])


def _discover_url(ctx: _Context, source_id: str, entry: dict[str, Any]) -> Found:
    """A fixed URL (through the mirror prefix if one is set)."""
    url = entry["url"]
    mirror = ctx.base("url")
    if mirror:
        parts = urllib.parse.urlparse(url)
        url = f"{mirror}/{parts.netloc}{parts.path}"
    return Found(url, PurePosixPath(urllib.parse.urlparse(url).path).name)


DISCOVERY: dict[str, Callable[[_Context, str, dict[str, Any]], Found]] = {
    "ees": _discover_ees,
    "govuk": _discover_govuk,
    "github": _discover_github,
    "url": _discover_url,
}


def target_path(entry: dict[str, Any], found: Found) -> PurePosixPath:
    """Where a discovered file goes in the data folder (always a path_glob match)."""
    glob = entry["path_glob"]
    folder = PurePosixPath(glob).parent
    if fnmatch(found.name, PurePosixPath(glob).name):
        return folder / found.name
    if entry.get("save_as"):
        return PurePosixPath(entry["save_as"].format(year=found.year))
    if not any(ch in glob for ch in "*?["):
        return PurePosixPath(glob)
    raise FetchError(
        f"the publisher's file {found.name!r} does not match {glob!r}; set save_as in the registry"
    )


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


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


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
    ctx: _Context, dest: Path, source_id: str, entry: dict[str, Any], record: dict[str, Any]
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
            ctx = _Context(
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
