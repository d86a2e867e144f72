"""Driving the widgets in Chromium against a live collector.

A small HTTP server on loopback plays the customer's app: ``/sdk/widgets/*`` from a fresh
build of ``widgets``, and any other path as an app page whose markup the test chooses. The
page runs the real SDK, loaded from the collector (``/harness/sdk.mjs``), which fetches
``GET /v1/flows`` and imports the widgets as in production. Tests that mount several
widgets at once or destroy them one by one use a bare ``WidgetHost`` instead
(``/harness/host.mjs``), which sends each track call straight to the collector. A real
server rather than intercepted requests, because Chromium only lets pages served from
loopback call the collector on loopback.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx2
import pytest
from playwright.sync_api import Locator, Page
from sqlalchemy import Engine

from collector.projects.service import CreatedProject
from tests import factories
from tests.conftest import LiveServer, running_server

ROOT = Path(__file__).resolve().parents[2]
WIDGETS = ROOT / "widgets"
HARNESS = WIDGETS / "tests" / "harness"
SETTLE_MS = 10_000


def build_widgets(outdir: Path) -> Path:
    """``npm run build`` in ``widgets`` into ``outdir`` (installing its tools when needed)."""
    npm = shutil.which("npm") or "npm"
    if not (WIDGETS / "node_modules" / ".bin" / "esbuild").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=WIDGETS, check=True)
    command = [npm, "run", "build", "--silent", "--", f"--outdir={outdir}"]
    subprocess.run(command, cwd=WIDGETS, check=True)
    return outdir


def app_page(body: str, config: dict[str, Any]) -> str:
    """An app page embedding ``body`` that starts the harness host with ``config``."""
    return f"""<!doctype html>
<html lang="{config["locale"]}"><head><meta charset="utf-8"><title>App</title>
<style>{config.get("css", "")}</style></head>
<body>{body}
<script type="module">
import {{ start }} from "/harness/{config["host"]}.mjs";
window.harnessReady = start({json.dumps(config)});
</script></body></html>"""


class AppServer:
    """The customer's app on a loopback port: widget files, the harness host, and pages."""

    def __init__(self, dist: Path) -> None:
        self.dist = dist
        self.pages: dict[str, str] = {}
        self.config: dict[str, Any] = {}
        handler = partial(_AppHandler, self)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def file(self, path: str) -> Path | None:
        if path.startswith("/sdk/widgets/"):
            found = (self.dist / path.removeprefix("/sdk/widgets/")).resolve()
            return found if found.is_relative_to(self.dist) and found.is_file() else None
        if path in ("/harness/host.mjs", "/harness/sdk.mjs"):
            return HARNESS / path.removeprefix("/harness/")
        return None

    def page(self, path: str) -> str:
        return app_page(self.pages.get(path, "<main><h1>App</h1></main>"), self.config)


class _AppHandler(BaseHTTPRequestHandler):
    def __init__(self, app: AppServer, *args: Any) -> None:
        self.app = app
        super().__init__(*args)

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        found = self.app.file(path)
        if found is not None:
            kind = "text/javascript" if found.suffix in (".js", ".mjs") else "text/css"
            self._send(found.read_bytes(), kind)
        elif path.startswith(("/sdk/", "/harness/", "/favicon")):
            self._send(b"not found", "text/plain", status=404)
        else:
            self._send(self.app.page(path).encode(), "text/html")

    def _send(self, body: bytes, kind: str, *, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        # Pages of other origins (the demo app) import these modules, as from the collector.
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test output is for failures."""


@dataclass
class WidgetHarness:
    """One test's app: its pages, its user and locale, and the collector behind it."""

    page: Page
    server: LiveServer
    project: CreatedProject
    app: AppServer
    locale: str = "en"
    user_id: str = field(default_factory=lambda: f"user-{uuid.uuid4().hex[:8]}")
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    css: str = ""
    sdk: bool = True
    """Whether the page runs the real SDK (else a bare host that mounts widgets directly)."""

    def __post_init__(self) -> None:
        self.app.pages.clear()

    @property
    def pages(self) -> dict[str, str]:
        return self.app.pages

    # --- the collector -------------------------------------------------------------------

    def admin(self, method: str, path: str, body: Any = None, **params: str) -> Any:
        headers = {"Authorization": f"Bearer {self.project.secret_key}"}
        response = httpx2.request(
            method, f"{self.server.url}{path}", json=body, params=params, headers=headers
        )
        assert response.status_code in (200, 201), response.text
        return response.json()

    def define(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        """Create a live flow or survey; the resource the admin API answers."""
        created: dict[str, Any] = self.admin("POST", f"/api/v1/{kind}s", body)
        return created

    def lift_caps(self) -> None:
        """Deliver every eligible experience at once (no per-session cap, no survey gap)."""
        throttle = {"max_per_session": None, "survey_gap_days": None}
        self.admin("PATCH", "/api/v1/project", {"settings": {"throttle": throttle}})

    def events(self, event: str) -> list[dict[str, Any]]:
        """The stored events named ``event`` of this test's user, oldest first."""
        found: list[dict[str, Any]] = self.admin(
            "GET", "/api/v1/events", event=event, userId=self.user_id
        )["data"]
        return found

    def responses(self, survey_id: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.admin("GET", f"/api/v1/surveys/{survey_id}/responses")[
            "data"
        ]
        return found

    # --- the browser ---------------------------------------------------------------------

    def _config(self) -> dict[str, Any]:
        return {
            "host": "sdk" if self.sdk else "host",
            "collector": self.server.url,
            "writeKey": self.project.write_key,
            "userId": self.user_id,
            "sessionId": self.session_id,
            "locale": self.locale,
            "css": self.css,
        }

    def open(self, path: str = "/app") -> None:
        """Load an app page; with the SDK, what is due on it shows by itself."""
        self.app.config = self._config()
        self.page.goto(f"{self.app.url}{path}")
        self.page.wait_for_function("window.harnessReady !== undefined")
        self.page.evaluate("window.harnessReady.then(() => undefined)")

    def mount(self, experience_id: str) -> None:
        """Show an experience: wait for the SDK to show it (or ask it to, for a manual
        trigger); without the SDK, mount its widget directly."""
        if not self.sdk:
            self.page.evaluate(
                "id => window.waypostHarness.mount(id).then(() => undefined)", experience_id
            )
            return
        shown = self.page.evaluate(
            """async id => {
                for (let tries = 0; tries < 200; tries++) {
                    if (document.querySelector(`waypost-widget[data-id="${id}"]`)) return true;
                    if (window.waypost.show && (await window.waypost.show(id))) return true;
                    await new Promise(wait => setTimeout(wait, 50));
                }
                return false;
            }""",
            experience_id,
        )
        assert shown, f"the SDK did not show {experience_id}"
        self.page.wait_for_selector(f'waypost-widget[data-id="{experience_id}"]', state="attached")

    def track(self, event: str, properties: dict[str, Any] | None = None) -> None:
        """Track an app event as the app would: to the collector and to the widgets."""
        self.page.evaluate(
            "([event, props]) => window.waypostHarness.track(event, props)",
            [event, properties or {}],
        )

    def settle(self) -> None:
        """Wait until everything tracked has been answered, and fail on any rejection."""
        if self.sdk:
            self.page.evaluate("window.waypost.flush()")
        else:
            self.page.wait_for_function(
                "window.waypostHarness.state.pending === 0", timeout=SETTLE_MS
            )
        errors = self.page.evaluate("window.waypostHarness.state.errors")
        assert errors == [], errors

    def sent(self) -> list[str]:
        """The names of the events this page has tracked, in order."""
        return [event for event, _ in self.page.evaluate("window.waypostHarness.state.sent")]

    def widget(self, widget_type: str) -> Locator:
        return self.page.locator(f"waypost-widget[data-type={widget_type}]")

    def dialog(self) -> Locator:
        return self.page.locator("waypost-widget [role=dialog]")


# --- fixtures: import them into a test module by name ----------------------------------------


@pytest.fixture(scope="session")
def widgets_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The add-on freshly built for this test session (``widgets/dist`` is left alone)."""
    return build_widgets(tmp_path_factory.mktemp("widgets") / "dist")


@pytest.fixture(scope="session")
def widget_app(widgets_dist: Path) -> Iterator[AppServer]:
    """The app server, shared by the browser tests of the widgets."""
    app = AppServer(widgets_dist)
    app.thread.start()
    try:
        yield app
    finally:
        app.httpd.shutdown()
        app.httpd.server_close()


@pytest.fixture(scope="session")
def widget_server(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """``waypost serve`` over the session's database; each test has a project of its own."""
    with running_server(db_url, tmp_path_factory.mktemp("collector") / "server.log") as server:
        yield server


@pytest.fixture
def harness(
    page: Page, widget_server: LiveServer, engine: Engine, widget_app: AppServer
) -> WidgetHarness:
    """A new project (caps lifted, so every eligible experience is delivered) and its app."""
    harness = WidgetHarness(page, widget_server, factories.create_project(engine), widget_app)
    harness.lift_caps()
    return harness
