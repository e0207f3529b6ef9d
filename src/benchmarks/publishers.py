"""The publishers, as `benchmarks fetch` talks to them: HTTP with timeouts and bounded
retries (`Client`), and discovery of each publication's current file at run time
(`DISCOVERY`: the EES content API for DfE files, the GOV.UK content API for Ofsted and the
statistical neighbours, the GitHub contents API, or a fixed URL), giving a `Found` file and
where it goes in the data folder (`target_path`).

Tests point the publishers' addresses at a local server with `base_urls` (or the
BENCHMARKS_*_API variables), see `BASE_URLS`. `benchmarks.fetch` validates, installs and
records what is found here.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from typing import Any

from benchmarks.errors import BenchmarksError

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
class Context:
    """One fetch run's client and publisher addresses (`base_urls` override `BASE_URLS`)."""

    client: Client
    base_urls: dict[str, str]

    def base(self, key: str) -> str:
        variable, default = BASE_URLS[key]
        return (self.base_urls.get(key) or os.environ.get(variable) or default).rstrip("/")


def _discover_ees(ctx: Context, source_id: str, entry: dict[str, Any]) -> Found:
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


def _discover_govuk(ctx: Context, source_id: str, entry: dict[str, Any]) -> Found:
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


def _discover_github(ctx: Context, source_id: str, entry: dict[str, Any]) -> Found:
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


def _discover_url(ctx: Context, source_id: str, entry: dict[str, Any]) -> Found:
    """A fixed URL (through the mirror prefix if one is set)."""
    url = entry["url"]
    mirror = ctx.base("url")
    if mirror:
        parts = urllib.parse.urlparse(url)
        url = f"{mirror}/{parts.netloc}{parts.path}"
    return Found(url, PurePosixPath(urllib.parse.urlparse(url).path).name)


DISCOVERY: dict[str, Callable[[Context, str, dict[str, Any]], Found]] = {
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
