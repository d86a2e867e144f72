"""Project settings in Chromium, and the dashboard in dark and light."""

from __future__ import annotations

from pathlib import Path

import httpx2
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.dashboard_site import ON_SQLITE, DashboardSite, screenshot

pytestmark = ON_SQLITE


def project_settings(site: DashboardSite) -> dict[str, object]:
    response = httpx2.get(
        f"{site.server.url}/api/v1/project", headers=factories.secret_auth(site.project)
    )
    settings: dict[str, object] = response.json()["settings"]
    return settings


def test_identity_verification_and_throttling_are_saved(
    page: Page, dashboard_site: DashboardSite, artifacts_dir: Path
) -> None:
    dashboard_site.sign_in(page, path="/settings")
    page.get_by_label("Require identity verification").check()
    page.get_by_label("Days between two surveys for one user").fill("30")
    page.get_by_label("Weight of depth").fill("40")
    screenshot(page, artifacts_dir, "settings")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_have_text("Settings saved.")
    settings = project_settings(dashboard_site)
    assert settings["require_identity_verification"] is True
    assert settings["throttle"] == {"survey_gap_days": 30}
    assert settings["health"] == {"weights": {"depth": 40}}


def test_the_identity_snippet_never_shows_the_secret(
    page: Page, dashboard_site: DashboardSite
) -> None:
    dashboard_site.sign_in(page, path="/settings")
    expect(page.locator("pre").first).to_contain_text("hmac.new")
    assert dashboard_site.project.identity_secret not in page.content()


def test_a_cleared_cap_is_removed(page: Page, dashboard_site: DashboardSite) -> None:
    httpx2.patch(
        f"{dashboard_site.server.url}/api/v1/project",
        json={"settings": {"throttle": {"max_per_session": 3}}},
        headers=factories.secret_auth(dashboard_site.project),
    ).raise_for_status()
    dashboard_site.sign_in(page, path="/settings")
    page.get_by_label("New experiences per session, at most").fill("")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_have_text("Settings saved.")
    assert project_settings(dashboard_site)["throttle"] == {"max_per_session": None}


def test_the_theme_switches_between_light_and_dark_and_is_remembered(
    page: Page, dashboard_site: DashboardSite, artifacts_dir: Path
) -> None:
    dashboard_site.sign_in(page)
    page.get_by_role("button", name="Theme").click()
    theme = page.evaluate("document.documentElement.dataset.theme")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    screenshot(page, artifacts_dir, f"overview-{theme}")
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", theme)
    page.get_by_role("button", name="Theme").click()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != background
