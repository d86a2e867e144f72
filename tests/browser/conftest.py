"""Real Chromium (Debian's ``/usr/bin/chromium``) driven by Playwright, one browser per session."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from sqlalchemy import Engine

from tests import factories
from tests.browser.dashboard_site import DashboardSite
from tests.browser.sdk_site import Collector, Proxy, Site
from tests.conftest import LiveServer, running_server

CHROMIUM = os.environ.get("WAYPOST_TEST_CHROMIUM", "/usr/bin/chromium")
# Without the networking flags Chromium keeps dialling out, which this closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"
SDK = Path(__file__).resolve().parents[2] / "sdk" / "js"


# Package scope, not session: Playwright's sync API keeps an event loop running in the main
# thread while it is open, which would break every later test that calls ``asyncio.run``.
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def browser_context(chromium: Browser) -> Iterator[BrowserContext]:
    """A fresh profile per test: no storage, cookies or service workers carried over."""
    context = chromium.new_context()
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(browser_context: BrowserContext) -> Page:
    return browser_context.new_page()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where screenshots are kept for people to look at after a run."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def dashboard_server(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One collector for the dashboard's tests: each test has a project of its own."""
    with running_server(db_url, tmp_path_factory.mktemp("dashboard") / "server.log") as server:
        yield server


@pytest.fixture
def dashboard_site(dashboard_server: LiveServer, engine: Engine) -> DashboardSite:
    """The collector serving the dashboard, a project, and a member of it (not signed in)."""
    project = factories.create_project(engine, name="Acme Analytics")
    return DashboardSite(
        dashboard_server, engine, project, factories.create_dashboard_user(engine, project)
    )


@pytest.fixture(scope="module")
def sdk_built() -> None:
    """The SDK core as the collector serves it (``make`` builds it; so does this, if missing)."""
    if not (SDK / "dist" / "waypost.js").exists():
        npm = shutil.which("npm") or "npm"
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=SDK, check=True)
        subprocess.run([npm, "run", "build"], cwd=SDK, check=True)


@pytest.fixture(scope="module")
def sdk_server(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One live collector for a module of browser SDK tests; each test has its own project."""
    with running_server(db_url, tmp_path_factory.mktemp("sdk-server") / "server.log") as server:
        yield server


@pytest.fixture
def collector_api(sdk_server: LiveServer, engine: Engine) -> Collector:
    return Collector(sdk_server, factories.create_project(engine, name="SDK Co"))


@pytest.fixture(scope="module")
def customer_site() -> Iterator[Site]:
    """The customer's web site, on another loopback origin than the collector's."""
    site = Site()
    try:
        yield site
    finally:
        site.close()


@pytest.fixture
def faulty_proxy(sdk_server: LiveServer) -> Iterator[Proxy]:
    """The collector behind a proxy that records message ids and can answer errors."""
    proxy = Proxy(sdk_server.url)
    try:
        yield proxy
    finally:
        proxy.close()
