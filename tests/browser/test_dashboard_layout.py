"""Every dashboard page on a 390-px phone in dark mode: nothing scrolls the page sideways."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx2
import pytest
from playwright.sync_api import Browser, Page, expect

from collector.demo.experiences import seed_demo_experiences
from collector.demo.population import DemoSize
from collector.demo.seed import seed_population
from tests import factories
from tests.browser.dashboard_site import NEXT_FRAMES, ON_SQLITE, PHONE, DashboardSite

pytestmark = ON_SQLITE

SMALL_DEMO = DemoSize(persons=150, accounts=15, days=60)
"""Enough of the demo's data for every table, chart and figure to have something in it."""
LONG_URL = "https://crm.example.com/hooks/waypost/customer-success-sync-for-the-whole-team"
OVERFLOW = "() => [document.documentElement.scrollWidth, innerWidth]"


@pytest.fixture
def phone(chromium: Browser) -> Iterator[Page]:
    """A phone-sized window whose system asks for the dark theme."""
    context = chromium.new_context(viewport=PHONE, color_scheme="dark")
    try:
        yield context.new_page()
    finally:
        context.close()


def api_get(site: DashboardSite, path: str) -> list[dict[str, str]]:
    response = httpx2.get(f"{site.server.url}{path}", headers=factories.secret_auth(site.project))
    assert response.status_code == 200, response.text
    data: list[dict[str, str]] = response.json()["data"]
    return data


def seed_demo(site: DashboardSite) -> dict[str, str]:
    """The demo's flows, surveys and people, a webhook endpoint; the ids the pages need."""
    now = datetime.now(UTC)
    seed_demo_experiences(site.engine, site.project.id, now=now)
    assert seed_population(site.engine, site.project.id, now=now, size=SMALL_DEMO).rejected == []
    created = httpx2.post(
        f"{site.server.url}/api/v1/webhooks/endpoints",
        json={"url": LONG_URL, "event_types": ["survey.responded", "account.health_changed"]},
        headers=factories.secret_auth(site.project),
    )
    assert created.status_code == 201, created.text
    return {
        "survey": api_get(site, "/api/v1/surveys")[0]["id"],
        "flow": api_get(site, "/api/v1/flows")[0]["id"],
        "account": api_get(site, "/api/v1/accounts/health")[0]["account_id"],
    }


def build_funnel(page: Page) -> None:
    page.get_by_label("Step 1 event").fill("Signed Up")
    page.get_by_label("Step 2 event").fill("Project Created")
    page.get_by_role("button", name="Calculate").click()
    expect(page.get_by_role("heading", name="Conversion per step")).to_be_visible()


def time_to_value(page: Page) -> None:
    page.get_by_label("Value event").fill("Report Created")
    page.get_by_role("button", name="Calculate").click()
    expect(page.get_by_role("heading", name="By signup week")).to_be_visible()


def preview(page: Page) -> None:
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("dialog")).to_be_visible()


def pages(ids: dict[str, str]) -> list[tuple[str, str, Callable[[Page], None] | None]]:
    """Each page by name, its path, and what to do there before looking at it."""
    return [
        ("overview", "/", None),
        ("funnels", "/funnels", build_funnel),
        ("ttv", "/ttv", time_to_value),
        ("surveys", "/surveys", None),
        ("survey", f"/surveys/{ids['survey']}", None),
        ("experiences", "/experiences", None),
        ("editor-survey", f"/edit/survey/{ids['survey']}", preview),
        ("editor-flow", f"/edit/flow/{ids['flow']}", None),
        ("accounts", "/accounts", None),
        ("account", f"/accounts/{ids['account']}", None),
        ("webhooks", "/webhooks", None),
        ("settings", "/settings", None),
    ]


def look(page: Page, artifacts: Path, name: str) -> tuple[int, int]:
    """The page's width and the window's, once its charts are drawn; a screenshot kept."""
    page.evaluate(NEXT_FRAMES)
    page.screenshot(path=str(artifacts / f"dashboard-dark-phone-{name}.png"), full_page=True)
    document, window = page.evaluate(OVERFLOW)
    return int(document), int(window)


def test_no_page_scrolls_sideways_on_a_phone_in_dark_mode(
    phone: Page, dashboard_site: DashboardSite, artifacts_dir: Path
) -> None:
    ids = seed_demo(dashboard_site)
    phone.goto(dashboard_site.url("/"))
    expect(phone.get_by_label("Email")).to_be_visible()
    assert phone.evaluate("document.documentElement.dataset.theme") == "dark"
    widths = {"sign-in": look(phone, artifacts_dir, "sign-in")}
    dashboard_site.sign_in(phone)
    for name, path, action in pages(ids):
        phone.goto(dashboard_site.url(path))
        expect(phone.locator("main h1")).to_be_visible()
        expect(phone.locator("main .loading")).to_have_count(0)
        if action:
            action(phone)
        widths[name] = look(phone, artifacts_dir, name)
    wider = {name: sizes for name, sizes in widths.items() if sizes[0] > sizes[1]}
    assert wider == {}, f"pages wider than the {PHONE['width']}-px window: {wider}"
