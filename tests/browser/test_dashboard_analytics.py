"""Funnels, time to value and survey scores in Chromium show what the API computes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.dashboard_site import ON_SQLITE, DashboardSite, screenshot

pytestmark = ON_SQLITE

STEPS = ["Signed Up", "Report Created", "Invited Teammate"]
REACHED = {"ada": 3, "bob": 3, "cy": 2, "dee": 1, "eve": 1}
"""How many of the funnel's steps each user takes, in order."""


def seed_funnel(site: DashboardSite) -> None:
    start = datetime.now(UTC) - timedelta(days=2)
    messages = [
        factories.track(
            STEPS[index],
            userId=user,
            anonymousId=None,
            timestamp=factories.iso(start + timedelta(hours=index + 1)),
        )
        for user, steps in REACHED.items()
        for index in range(steps)
    ]
    factories.ingest_messages(site.engine, site.project, *messages, received_at=datetime.now(UTC))


def api_funnel(site: DashboardSite) -> dict[str, Any]:
    body = {"steps": STEPS, "from": factories.iso(datetime.now(UTC) - timedelta(days=30))}
    response = httpx2.post(
        f"{site.server.url}/api/v1/analytics/funnel",
        json=body,
        headers=factories.secret_auth(site.project),
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_a_funnel_built_in_the_page_shows_the_apis_numbers(
    page: Page, dashboard_site: DashboardSite, artifacts_dir: Path
) -> None:
    seed_funnel(dashboard_site)
    dashboard_site.sign_in(page, path="/funnels")
    page.get_by_role("button", name="Add step").click()
    for index, event in enumerate(STEPS, start=1):
        page.get_by_label(f"Step {index} event").fill(event)
    page.get_by_role("button", name="Calculate").click()
    rows = page.locator("table").first.locator("tbody tr")
    expect(rows).to_have_count(3)
    expected = [step["persons"] for step in api_funnel(dashboard_site)["steps"]]
    assert expected == [5, 3, 2]
    shown = [int(rows.nth(i).locator("td").nth(2).inner_text()) for i in range(3)]
    assert shown == expected
    screenshot(page, artifacts_dir, "funnel")


def test_the_event_names_are_offered_for_the_steps(
    page: Page, dashboard_site: DashboardSite
) -> None:
    seed_funnel(dashboard_site)
    dashboard_site.sign_in(page, path="/funnels")
    options = page.locator("datalist#event-names option")
    expect(options).to_have_count(3)
    assert sorted(options.evaluate_all("els => els.map(e => e.value)")) == sorted(STEPS)


def test_clicking_a_drop_off_lists_those_who_did_not_go_on(
    page: Page, dashboard_site: DashboardSite
) -> None:
    seed_funnel(dashboard_site)
    dashboard_site.sign_in(page, path="/funnels")
    page.get_by_label("Step 1 event").fill(STEPS[0])
    page.get_by_label("Step 2 event").fill(STEPS[1])
    page.get_by_role("button", name="Calculate").click()
    page.get_by_role("button", name="2 persons").click()
    dropped = page.locator("table").nth(1).locator("tbody tr td:first-child")
    expect(dropped).to_have_count(2)
    assert sorted(dropped.all_inner_texts()) == ["dee", "eve"]


def test_time_to_value_shows_who_reached_value(
    page: Page, dashboard_site: DashboardSite, artifacts_dir: Path
) -> None:
    seed_funnel(dashboard_site)
    dashboard_site.sign_in(page, path="/ttv")
    page.get_by_label("Start event").fill("Signed Up")
    page.get_by_label("Value event", exact=True).fill("Invited Teammate")
    page.get_by_role("button", name="Calculate").click()
    reached = page.locator(".figure").filter(has_text="Reached value").locator(".figure-value")
    expect(reached).to_have_text("2")
    screenshot(page, artifacts_dir, "time-to-value")
