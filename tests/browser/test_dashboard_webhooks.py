"""Webhook endpoints, their secrets and the delivery log, managed in Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.dashboard_site import ON_SQLITE, DashboardSite, screenshot

pytestmark = ON_SQLITE

TARGET = "https://crm.example.com/waypost"


def create_endpoint(site: DashboardSite) -> dict[str, Any]:
    response = httpx2.post(
        f"{site.server.url}/api/v1/webhooks/endpoints",
        json={"url": TARGET, "event_types": ["survey.responded"]},
        headers=factories.secret_auth(site.project),
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_an_endpoint_added_in_the_page_shows_its_secret_once(
    page: Page, dashboard_site: DashboardSite
) -> None:
    dashboard_site.sign_in(page, path="/webhooks")
    page.get_by_label("URL").fill(TARGET)
    page.get_by_role("button", name="Add endpoint").click()
    expect(page.get_by_role("status").locator("pre")).to_contain_text("whsec_")
    expect(page.get_by_role("cell", name=TARGET)).to_be_visible()
    page.reload()
    expect(page.get_by_text("whsec_")).to_have_count(0)


def test_rotating_a_secret_shows_a_new_one(
    page: Page, dashboard_site: DashboardSite, artifacts_dir: Path
) -> None:
    endpoint = create_endpoint(dashboard_site)
    dashboard_site.sign_in(page, path="/webhooks")
    page.get_by_role("button", name="Rotate secret").click()
    shown = page.get_by_role("status").locator("pre")
    expect(shown).to_contain_text("whsec_")
    assert shown.inner_text().strip() != endpoint["secret"]
    listed = httpx2.get(
        f"{dashboard_site.server.url}/api/v1/webhooks/endpoints/{endpoint['id']}",
        headers=factories.secret_auth(dashboard_site.project),
    ).json()
    assert listed["previous_secret_expires_at"] is not None
    screenshot(page, artifacts_dir, "webhooks")


def test_a_message_in_the_log_is_replayed(page: Page, dashboard_site: DashboardSite) -> None:
    create_endpoint(dashboard_site)
    survey = factories.create_survey(dashboard_site.engine, dashboard_site.project)
    factories.ingest_messages(
        dashboard_site.engine,
        dashboard_site.project,
        factories.reserved("Survey Responded", survey, {"score": 9}),
    )
    dashboard_site.sign_in(page, path="/webhooks")
    log = page.locator(".card").filter(has_text="Delivery log").locator("tbody tr")
    expect(log).to_have_count(1)
    expect(log.first).to_contain_text("survey.responded")
    log.first.get_by_role("button", name="Replay").click()
    expect(page.get_by_role("status")).to_contain_text("queued again")
