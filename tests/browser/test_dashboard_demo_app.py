"""From the dashboard to the customer's app: a survey created and published in the editor
shows in the demo SaaS app to the person it targets, and their answer reaches the API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx2
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from examples.demo_saas.server import DemoApp, serving
from tests import factories
from tests.browser.dashboard_site import ON_SQLITE, DashboardSite, screenshot

if TYPE_CHECKING:
    from tests.browser.widget_harness import AppServer

pytest_plugins = ["tests.browser.widget_harness"]

pytestmark = ON_SQLITE

QUESTION = "How likely are you to recommend Acme Analytics?"
FOLLOW_UP = "What would make it a 10?"


@pytest.fixture
def demo_app_url(dashboard_site: DashboardSite, widget_app: AppServer) -> Iterator[str]:
    """The demo app embedding the SDK with the dashboard project's write key."""
    app = DemoApp(
        collector=dashboard_site.server.url,
        write_key=dashboard_site.project.write_key,
        widgets_base=f"{widget_app.url}/sdk/widgets/",
    )
    with serving(app) as url:
        yield url


def publish_survey_for_trial_users_on_reports(page: Page, site: DashboardSite) -> None:
    """In the editor: an NPS survey for people whose ``plan`` is ``trial``, on /reports."""
    site.sign_in(page, path="/edit/survey/new")
    page.get_by_label("Name").fill("Trial NPS")
    page.get_by_label("Question", exact=True).fill(QUESTION)
    page.get_by_label("Follow-up question", exact=True).fill(FOLLOW_UP)
    page.get_by_role("button", name="Add rule").click()
    page.get_by_label("Trait").fill("plan")
    page.get_by_label("Value (JSON)").fill('"trial"')
    page.get_by_label("On pages matching").fill("/reports")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_role("status")).to_have_text("Saved as version 1.")


def admin(site: DashboardSite, path: str) -> Any:
    response = httpx2.get(f"{site.server.url}{path}", headers=factories.secret_auth(site.project))
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.usefixtures("sdk_built")
def test_a_survey_published_in_the_dashboard_is_answered_in_the_demo_app(
    page: Page,
    browser_context: BrowserContext,
    dashboard_site: DashboardSite,
    demo_app_url: str,
    artifacts_dir: Path,
) -> None:
    publish_survey_for_trial_users_on_reports(page, dashboard_site)
    [survey] = admin(dashboard_site, "/api/v1/surveys")["data"]
    assert survey["audience"]["rules"] == [
        {"type": "trait", "name": "plan", "op": "eq", "value": "trial"}
    ]

    app = browser_context.new_page()
    app.goto(demo_app_url)  # the app identifies its user with plan "trial"
    app.evaluate("waypost.flush()")
    app.goto(f"{demo_app_url}/reports")
    host = app.locator(f'waypost-widget[data-type=nps][data-id="{survey["id"]}"]')
    dialog = host.locator("[role=dialog]")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(QUESTION)
    assert host.evaluate(
        "el => el.shadowRoot.contains(el.shadowRoot.querySelector('[role=dialog]'))"
    )
    app.screenshot(path=str(artifacts_dir / "demo-app-dashboard-survey.png"))

    dialog.get_by_role("radio", name="8").click()
    dialog.get_by_label(FOLLOW_UP).fill("More chart types")
    dialog.get_by_role("button", name="Send").click()
    expect(dialog.get_by_role("status")).to_be_visible()
    app.evaluate("waypost.flush()")
    user_id = app.evaluate("localStorage.getItem('demo-user')")
    [answer] = admin(dashboard_site, f"/api/v1/surveys/{survey['id']}/responses")["data"]
    assert (answer["score"], answer["text"]) == (8, "More chart types")
    assert answer["user_id"] == user_id
    screenshot(page, artifacts_dir, "editor-published")
