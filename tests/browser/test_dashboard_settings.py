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


def new_key_shown(page: Page, kind: str) -> str:
    """The key the notice shows once, after a rotation from the Keys card."""
    shown = page.get_by_role("status").filter(has_text=f"New {kind} key, shown only now")
    expect(shown).to_be_visible()
    return shown.locator("pre").inner_text().strip()


def test_a_write_key_rotated_in_settings_ingests(
    page: Page, dashboard_site: DashboardSite, artifacts_dir: Path
) -> None:
    site = dashboard_site
    site.sign_in(page, path="/settings")
    keys = page.locator(".card").filter(has_text="Rotate write key")
    expect(keys).to_contain_text(site.project.write_key[:12])
    page.get_by_label("Old key keeps working for").select_option(label="1 hour")
    page.get_by_role("button", name="Rotate write key").click()
    new_key = new_key_shown(page, "write")
    expect(keys.locator("tbody tr")).to_have_count(3)
    screenshot(page, artifacts_dir, "settings-keys")
    assert new_key.startswith("wk_") and new_key != site.project.write_key
    batch = {"batch": [factories.track()]}
    response = httpx2.post(
        f"{site.server.url}/v1/batch", json=batch, headers=factories.basic_auth(new_key)
    )
    assert response.status_code == 200, response.text
    listed = httpx2.get(
        f"{site.server.url}/api/v1/project/keys", headers=factories.secret_auth(site.project)
    ).json()["data"]
    ends = {key["prefix"]: key["expires_at"] for key in listed}
    assert ends[new_key[:12]] is None and ends[site.project.write_key[:12]] is not None


def test_a_secret_key_rotated_at_once_in_settings_replaces_the_old_one(
    page: Page, dashboard_site: DashboardSite
) -> None:
    site = dashboard_site
    site.sign_in(page, path="/settings")
    page.get_by_label("Old key keeps working for").select_option(label="none: it stops at once")
    page.get_by_role("button", name="Rotate secret key").click()
    new_key = new_key_shown(page, "secret")
    project_url = f"{site.server.url}/api/v1/project"
    assert httpx2.get(project_url, headers=factories.bearer_auth(new_key)).status_code == 200
    old = httpx2.get(project_url, headers=factories.secret_auth(site.project))
    assert old.status_code == 401
