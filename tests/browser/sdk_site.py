"""Loopback servers around the browser SDK's end-to-end tests.

``Site`` is the customer's own web site (another origin than the collector's, as in
production), serving test pages and, for flow tests, a tiny stand-in widget module.
``Proxy`` sits between the page and a live collector: it records every message id the
SDK sends and can answer the next requests with an error, as a collector in trouble does.
``Collector`` reads back what the live collector stored, through its admin API.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx2
from playwright.sync_api import Page

from collector.projects.service import CreatedProject
from tests.conftest import LiveServer
from tests.factories import bearer_auth

SDK_DIST = Path(__file__).resolve().parents[2] / "sdk" / "js" / "dist"
READY = "window.waypost && !Array.isArray(window.waypost)"
WAIT_SECONDS = 15.0

Handler = Callable[[BaseHTTPRequestHandler, bytes], tuple[int, dict[str, str], bytes]]


class _Server:
    """A threaded HTTP server on a free loopback port, answering through ``handle``."""

    def __init__(self, handle: Handler) -> None:
        class RequestHandler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                status, headers, body = handle(self, self.rfile.read(length))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_OPTIONS = _answer

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the tests assert on what matters."""

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class Site(_Server):
    """Pages by path; anything else is a 404."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, bytes]] = {}
        super().__init__(self._serve)

    def add(self, path: str, body: str, content_type: str = "text/html; charset=utf-8") -> str:
        self.pages[path] = (content_type, body.encode())
        return self.url + path

    def _serve(
        self, request: BaseHTTPRequestHandler, body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        content_type, page = self.pages.get(request.path.split("?")[0], ("text/plain", b""))
        cors = {"access-control-allow-origin": "*"}
        return (200 if page else 404), {"content-type": content_type, **cors}, page


@dataclass
class Proxy:
    """Forwards to ``target``; ``fail(n)`` answers the next n ingestion requests itself."""

    target: str
    batches: list[list[str]] = field(default_factory=list)
    failures: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.server = _Server(self._forward)
        self.url = self.server.url

    def fail(self, times: int, status: int = 500, headers: dict[str, str] | None = None) -> None:
        with self.lock:
            self.failures.extend([(status, headers or {})] * times)

    def sent_ids(self) -> list[str]:
        """Every message id of every batch request the collector answered, in order."""
        with self.lock:
            return [message_id for batch in self.batches for message_id in batch]

    def _forward(
        self, request: BaseHTTPRequestHandler, body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        cors = {"access-control-allow-origin": request.headers.get("origin") or "*"}
        if request.path.startswith("/v1/batch") and request.command == "POST":
            with self.lock:
                if self.failures:
                    status, headers = self.failures.pop(0)
                    return status, {**cors, **headers}, b'{"error": {"code": "unavailable"}}'
                self.batches.append([m.get("messageId") for m in json.loads(body)["batch"]])
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host",)}
        answer = httpx2.request(
            request.command, self.target + request.path, content=body, headers=headers
        )
        kept = {
            k: v
            for k, v in answer.headers.items()
            if k.lower().startswith(("content-type", "access-control", "retry-after"))
        }
        return answer.status_code, kept, answer.content

    def close(self) -> None:
        self.server.close()


@dataclass
class Collector:
    """What a live collector stored for one project."""

    server: LiveServer
    project: CreatedProject

    @property
    def url(self) -> str:
        return self.server.url

    def events(self, **query: str) -> list[dict[str, Any]]:
        answer = httpx2.get(
            f"{self.url}/api/v1/events",
            params={"limit": "500", **query},
            headers=bearer_auth(self.project.secret_key),
        )
        answer.raise_for_status()
        data: list[dict[str, Any]] = answer.json()["data"]
        return data

    def wait_for(self, count: int, **query: str) -> list[dict[str, Any]]:
        """The events once there are at least ``count``; fails after a while."""
        deadline = time.monotonic() + WAIT_SECONDS
        while len(found := self.events(**query)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(found)} events arrived, expected {count}: {found}")
            time.sleep(0.1)
        return found

    def admin(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = httpx2.request(
            method, f"{self.url}{path}", json=body, headers=bearer_auth(self.project.secret_key)
        )
        assert answer.status_code < 300, answer.text
        result: dict[str, Any] = answer.json()
        return result


def snippet(host: str) -> str:
    """The loader snippet of the README, built with the SDK, pointed at ``host``."""
    return (SDK_DIST / "snippet.min.js").read_text().replace("WAYPOST_HOST", host)


def sdk_page(collector: str, options: dict[str, Any], script: str = "") -> str:
    """A page loading the SDK with the snippet, started with ``options``, then ``script``."""
    return f"""<!doctype html>
<html><head><title>Waypost test page</title>
<script>{snippet(collector)}</script>
<script>waypost.init({json.dumps(options)}); {script}</script>
</head><body><main id="app">app</main></body></html>"""


def open_page(
    page: Page, site: Site, collector: Collector, script: str = "", **options: Any
) -> Page:
    """A page of the customer's site running the SDK with ``options`` (flows off unless given)."""
    settings = {"writeKey": collector.project.write_key, "flows": False, **options}
    url = site.add(f"/{uuid.uuid4().hex}.html", sdk_page(collector.url, settings, script))
    page.goto(url)
    page.wait_for_function(READY)
    return page


def track_many(page: Page, count: int, prefix: str = "Event") -> None:
    page.evaluate(f"for (let i = 0; i < {count}; i++) waypost.track('{prefix} ' + i, {{ i }})")
