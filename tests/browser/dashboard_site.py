"""A collector serving the dashboard to real Chromium: a project, a member, signing in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, ViewportSize, expect
from sqlalchemy import Engine

from collector.projects.service import CreatedProject
from tests import factories
from tests.conftest import LiveServer

ON_SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
"""What the browser sees does not depend on the database: the API's own tests run on both."""
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


@dataclass
class DashboardSite:
    server: LiveServer
    engine: Engine
    project: CreatedProject
    email: str

    def url(self, path: str = "/") -> str:
        return f"{self.server.url}/dashboard{path}"

    def sign_in(self, page: Page, email: str | None = None, path: str = "/") -> None:
        """Sign in through the form, then open ``path``."""
        page.goto(self.url(path))
        page.get_by_label("Email").fill(email or self.email)
        page.get_by_label("Password").fill(factories.DASHBOARD_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("navigation", name="Pages")).to_be_visible()


def screenshot(page: Page, artifacts: Path, name: str) -> None:
    """Keep what the page looks like at 1280 px and at 390 px."""
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.evaluate(NEXT_FRAMES)  # charts redraw on resize
        page.screenshot(path=str(artifacts / f"dashboard-{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
