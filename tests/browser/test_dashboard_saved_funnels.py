"""Saved funnels in Chromium: saved through the API, they are there again after a reload
(and in another browser), and can be deleted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.dashboard_site import ON_SQLITE, DashboardSite, screenshot

pytestmark = ON_SQLITE

STEPS = ["Signed Up", "Report Created"]


def saved_funnels(site: DashboardSite) -> list[dict[str, Any]]:
    response = httpx2.get(
        f"{site.server.url}/api/v1/analytics/funnels", headers=factories.secret_auth(site.project)
    )
    assert response.status_code == 200, response.text
    listed: list[dict[str, Any]] = response.json()["data"]
    return listed


def build_and_save(page: Page, name: str) -> None:
    for index, event in enumerate(STEPS, start=1):
        page.get_by_label(f"Step {index} event").fill(event)
    page.get_by_label("Conversion window").fill("3d")
    page.get_by_label("Funnel name").fill(name)
    page.get_by_role("button", name="Save funnel").click()
    expect(page.get_by_role("status")).to_have_text(f"Saved as “{name}”.")


def test_a_saved_funnel_is_stored_on_the_server(page: Page, dashboard_site: DashboardSite) -> None:
    dashboard_site.sign_in(page, path="/funnels")
    build_and_save(page, "Activation")
    [saved] = saved_funnels(dashboard_site)
    assert saved["name"] == "Activation"
    assert saved["definition"]["steps"] == [{"event": event} for event in STEPS]
    assert saved["definition"]["window"] == "3d"
    assert saved["created_by"] == dashboard_site.email


def test_a_saved_funnel_reopens_after_a_reload(
    page: Page, dashboard_site: DashboardSite, artifacts_dir: Path
) -> None:
    dashboard_site.sign_in(page, path="/funnels")
    build_and_save(page, "Activation")
    page.goto(dashboard_site.url("/funnels"))
    page.evaluate("localStorage.clear()")
    page.reload()
    page.get_by_label("Saved funnels").select_option(label="Activation")
    expect(page.get_by_label("Step 2 event")).to_have_value("Report Created")
    expect(page.get_by_label("Step 1 event")).to_have_value("Signed Up")
    expect(page.get_by_label("Conversion window")).to_have_value("3d")
    expect(page.get_by_label("Funnel name")).to_have_value("Activation")
    expect(page.locator("table").first.locator("tbody tr")).to_have_count(2)
    page.reload()
    expect(page.get_by_label("Funnel name")).to_have_value("Activation")
    screenshot(page, artifacts_dir, "saved-funnel")


def test_saving_under_the_same_name_replaces_the_funnel(
    page: Page, dashboard_site: DashboardSite
) -> None:
    dashboard_site.sign_in(page, path="/funnels")
    build_and_save(page, "Activation")
    page.get_by_label("Conversion window").fill("5d")
    page.get_by_role("button", name="Save funnel").click()
    expect(page.get_by_role("status")).to_have_text("Saved as “Activation”.")
    [saved] = saved_funnels(dashboard_site)
    assert saved["definition"]["window"] == "5d"


def test_a_saved_funnel_can_be_deleted(page: Page, dashboard_site: DashboardSite) -> None:
    dashboard_site.sign_in(page, path="/funnels")
    build_and_save(page, "Activation")
    page.get_by_role("button", name="Delete “Activation”").click()
    expect(page.get_by_role("status")).to_have_text("Deleted “Activation”.")
    assert saved_funnels(dashboard_site) == []
    expect(page.get_by_label("Saved funnels").locator("option")).to_have_count(1)
