"""A fake publisher on 127.0.0.1 for tests: EES and GOV.UK content APIs, GitHub's contents
API, raw-file URLs, and faults on demand.

It serves the files of a data folder (the real published files, read at test time) where
`benchmarks fetch` would find them, following the registry (`sources.toml`):

* EES:    GET /ees/publications/{slug}; GET /ees/data-set-files?publicationId=..&page=..;
          GET /ees/data-set-files/{id}/download
* GOV.UK: GET /govuk{content_path} (JSON with details.attachments[].url -> /assets/...)
* GitHub: GET /github/repos/{repo}/contents/{folder} (JSON list with download_url)
* fixed URLs through a mirror prefix: GET /mirror/{host}/{path}

Use it as a context manager; `base_urls` is what `run_fetch(base_urls=...)` needs:

    with FakePublisher(published) as pub:
        pub.publish("csww", "csww_indicators_2017_to_2026.csv", data)   # a new release
        pub.fail("csww", "500")                                       # the next download fails
        run_fetch(dest, base_urls=pub.base_urls, timeout=1, retries=0)

Faults (`fail(source_id, kind, times=1, on="download")`): "500" (server error), "truncate"
(the connection drops half way through a body whose full length was announced), "html"
(an HTML error page with status 200), "json" (JSON of another shape with status 200),
"stall" (no response for `stall_seconds`), "404".
`on="discovery"` puts the fault on the source's discovery request instead of its file.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any

from benchmarks import datadir

#: Names the publishers give files that our data folder keeps under another name.
PUBLISHER_NAMES = {
    "sn2025": "Childrens_services_statistical_neighbour_benchmarking_tool_May_2025.xlsx"
}
HTML_ERROR = b"""<!DOCTYPE html>
<html lang="en"><head><title>Service unavailable - GOV.UK</title></head>
<body><h1>Sorry, the service is unavailable</h1><p>Try again later.</p></body></html>
"""


@dataclass
class Fault:
    kind: str
    times: int


@dataclass
class Source:
    """One registry source as the fake publisher serves it."""

    source_id: str
    entry: dict[str, Any]
    name: str
    data: bytes
    file_id: str = ""
    year: int | None = None
    discovery_path: str = ""
    download_path: str = ""


@dataclass
class FakePublisher:
    """Serve a data folder the way the publishers do (see the module docstring)."""

    folder: Path
    registry: dict[str, dict[str, Any]] | None = None
    page_size: int = 40  # the EES listing page size (make it small to test paging)
    stall_seconds: float = 5.0
    sources: dict[str, Source] = field(default_factory=dict)
    faults: dict[str, Fault] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.registry = self.registry if self.registry is not None else datadir.registry()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        for source_id, entry in self.registry.items():
            if entry.get("discovery") in ("ees", "govuk", "github", "url"):
                files = sorted(self.folder.glob(entry["path_glob"]))
                if files:
                    name = PUBLISHER_NAMES.get(source_id, files[-1].name)
                    self.publish(source_id, name, files[-1].read_bytes())

    # -- what is published --------------------------------------------------------------

    def publish(self, source_id: str, name: str, data: bytes, *, year: int | None = None) -> None:
        """Make `data` the current release of a source, under the file name `name`."""
        entry = self.registry[source_id]
        kind = entry["discovery"]
        digest = hashlib.sha256(f"{source_id}/{name}".encode()).hexdigest()
        file_id = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
        source = Source(source_id, entry, name, data, file_id)
        if kind == "ees":
            source.discovery_path = f"/ees/publications/{entry['slug']}"
            source.download_path = f"/ees/data-set-files/{file_id}/download"
        elif kind == "govuk":
            if "{year}" in entry["content_path"]:
                source.year = year or int(re.findall(r"20\d\d", name)[-1])
            source.discovery_path = "/govuk" + entry["content_path"].format(year=source.year)
            source.download_path = f"/assets/media/{file_id}/{urllib.parse.quote(name)}"
        elif kind == "github":
            source.discovery_path = f"/github/repos/{entry['repo']}/contents/{entry['folder']}"
            source.download_path = (
                f"/raw/{entry['repo']}/main/{entry['folder']}/{urllib.parse.quote(name)}"
            )
        else:
            parts = urllib.parse.urlparse(entry["url"])
            source.discovery_path = source.download_path = f"/mirror/{parts.netloc}{parts.path}"
        with self._lock:
            self.sources[source_id] = source

    def fail(self, source_id: str, kind: str, *, times: int = 1, on: str = "download") -> None:
        """Make the next `times` requests for a source's file (or discovery) fail."""
        source = self.sources[source_id]
        path = source.download_path if on == "download" else source.discovery_path
        with self._lock:
            self.faults[path] = Fault(kind, times)

    # -- server -------------------------------------------------------------------------

    @property
    def root(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_urls(self) -> dict[str, str]:
        return {
            "ees": f"{self.root}/ees",
            "govuk": f"{self.root}/govuk",
            "github": f"{self.root}/github",
            "url": f"{self.root}/mirror",
        }

    def __enter__(self) -> FakePublisher:
        publisher = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                publisher._handle(self)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # -- responses ----------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        url = urllib.parse.urlparse(request.path)
        path = urllib.parse.unquote(url.path)
        with self._lock:
            self.requests.append(request.path)
            fault = self.faults.get(url.path) or self.faults.get(path)
            if fault:
                fault.times -= 1
                if fault.times <= 0:
                    self.faults = {k: v for k, v in self.faults.items() if v is not fault}
        body, kind = self._route(path, urllib.parse.parse_qs(url.query))
        if fault:
            self._fault(request, fault.kind, body, kind)
        elif body is None:
            self._send(request, 404, b'{"title": "Not Found"}', "application/json")
        else:
            self._send(request, 200, body, kind)

    def _route(self, path: str, query: dict[str, list[str]]) -> tuple[bytes | None, str]:
        sources = list(self.sources.values())
        for s in sources:
            if path in (s.download_path, urllib.parse.unquote(s.download_path)):
                return s.data, _content_type(s.name)
        if path.startswith("/ees/publications/"):
            slug = path.rsplit("/", 1)[-1]
            if any(s.entry.get("slug") == slug for s in sources if s.entry["discovery"] == "ees"):
                return _json(
                    {"id": _publication_id(slug), "slug": slug, "title": slug.replace("-", " ")}
                ), "application/json"
        if path == "/ees/data-set-files":
            return self._ees_listing(query), "application/json"
        for s in sources:
            if s.entry["discovery"] == "govuk" and path == s.discovery_path:
                attachment = {"url": f"{self.root}{s.download_path}", "filename": s.name, "title": s.name,
                              "attachment_type": "file", "content_type": _content_type(s.name)}  # fmt: skip
                return _json(
                    {"base_path": path[len("/govuk") :], "details": {"attachments": [attachment]}}
                ), "application/json"
        github = [
            s for s in sources if s.entry["discovery"] == "github" and s.discovery_path == path
        ]
        if github:
            listing = [{"name": s.name, "type": "file", "size": len(s.data),
                        "download_url": f"{self.root}{s.download_path}"} for s in github]  # fmt: skip
            return _json(listing), "application/json"
        return None, ""

    def _ees_listing(self, query: dict[str, list[str]]) -> bytes:
        publication = query.get("publicationId", [""])[0]
        files = [
            {"id": s.file_id, "fileId": s.file_id, "filename": s.name, "title": s.name,
             "release": {"id": "release", "slug": "latest", "title": "latest"}}
            for s in sorted(self.sources.values(), key=lambda s: s.name)
            if s.entry["discovery"] == "ees" and _publication_id(s.entry["slug"]) == publication
        ]  # fmt: skip
        page = int(query.get("page", ["1"])[0])
        size = min(self.page_size, int(query.get("pageSize", ["40"])[0]))
        pages = max(1, -(-len(files) // size))
        results = files[(page - 1) * size : page * size]
        paging = {"page": page, "pageSize": size, "totalResults": len(files), "totalPages": pages}
        return _json({"results": results, "paging": paging})

    def _fault(
        self, request: BaseHTTPRequestHandler, kind: str, body: bytes | None, content: str
    ) -> None:
        data = body or b"x" * 1000
        if kind == "500":
            self._send(request, 500, b"Internal Server Error", "text/plain")
        elif kind == "404":
            self._send(request, 404, b"Not Found", "text/plain")
        elif kind == "html":
            self._send(request, 200, HTML_ERROR, "text/html; charset=utf-8")
        elif kind == "json":
            self._send(request, 200, b'{"message": "something else"}', "application/json")
        elif kind == "stall":
            self._stop.wait(self.stall_seconds)
            request.close_connection = True
        elif kind == "truncate":
            request.send_response(200)
            request.send_header("Content-Type", content)
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data[: len(data) // 2])
            request.wfile.flush()
            request.close_connection = True
        else:
            raise ValueError(f"unknown fault {kind!r}")

    @staticmethod
    def _send(request: BaseHTTPRequestHandler, status: int, body: bytes, kind: str) -> None:
        request.send_response(status)
        request.send_header("Content-Type", kind)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


def _publication_id(slug: str) -> str:
    digest = hashlib.sha256(slug.encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


def _content_type(name: str) -> str:
    return {
        ".csv": "text/csv",
        ".ods": "application/vnd.oasis.opendocument.spreadsheet",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")


def published_files(
    folder: Path, registry: dict[str, dict[str, Any]]
) -> Iterator[tuple[str, Path]]:
    """(source id, file) for every downloadable source that has a file in `folder`."""
    for source_id, entry in registry.items():
        if entry.get("discovery") != "manual":
            files = sorted(folder.glob(entry["path_glob"]))
            if files:
                yield source_id, files[-1]
