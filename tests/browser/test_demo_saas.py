"""The demo SaaS app end to end: the real SDK, served by a live collector, loads the real
widgets; the demo project's tour, checklist and NPS survey are taken by using the app."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx2
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from collector.demo.experiences import seed_demo_experiences
from collector.projects.service import CreatedProject
from examples.demo_saas.server import DemoApp, serving
from tests import factories

if TYPE_CHECKING:
    from tests.browser.widget_harness import AppServer
    from tests.conftest import LiveServer

pytest_plugins = ["tests.browser.widget_harness"]

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def demo_project(engine: Engine) -> CreatedProject:
    project = factories.create_project(engine, name="Demo")
    seed_demo_experiences(engine, project.id, now=datetime.now(UTC))
    return project


@pytest.fixture
def demo_url(
    sdk_built: None,
    widget_server: LiveServer,
    widget_app: AppServer,
    demo_project: CreatedProject,
) -> Iterator[str]:
    app = DemoApp(
        collector=widget_server.url,
        write_key=demo_project.write_key,
        widgets_base=f"{widget_app.url}/sdk/widgets/",
    )
    with serving(app) as url:
        yield url


def admin(server: LiveServer, project: CreatedProject, path: str, **params: str) -> Any:
    headers = {"Authorization": f"Bearer {project.secret_key}"}
    response = httpx2.get(f"{server.url}{path}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def experience_id(server: LiveServer, project: CreatedProject, kind: str, name: str) -> str:
    found = admin(server, project, f"/api/v1/{kind}s")["data"]
    return str(next(entry["id"] for entry in found if entry["name"] == name))


def flush(page: Page) -> None:
    page.evaluate("waypost.flush()")


def dialog(page: Page, widget: str) -> Any:
    """The dialog of one widget: a launcher such as the checklist may be open beside it."""
    return page.locator(f"waypost-widget[data-type={widget}] [role=dialog]")


def test_tour_spans_the_dashboard_and_the_reports_page(
    page: Page, demo_url: str, widget_server: LiveServer, demo_project: CreatedProject
) -> None:
    page.goto(demo_url)
    expect(dialog(page, "tour")).to_have_accessible_name("Welcome to Acme Analytics")
    dialog(page, "tour").get_by_role("button", name="Next").click()
    expect(dialog(page, "tour")).to_have_accessible_name("Create a report")
    flush(page)
    with page.expect_navigation():
        dialog(page, "tour").get_by_role("button", name="Next").click()
    expect(dialog(page, "tour")).to_have_accessible_name("Your reports")
    dialog(page, "tour").get_by_role("button", name="Next").click()
    dialog(page, "tour").get_by_role("button", name="Done").click()
    flush(page)
    tour = experience_id(widget_server, demo_project, "flow", "Welcome tour")
    [person] = admin(widget_server, demo_project, f"/api/v1/flows/{tour}/progress")["data"]
    assert person["status"] == "completed"


def test_checklist_is_completed_by_using_the_app(
    page: Page, demo_url: str, widget_server: LiveServer, demo_project: CreatedProject
) -> None:
    page.goto(demo_url)
    dialog(page, "tour").get_by_role("button", name="Close").click()
    flush(page)
    page.goto(f"{demo_url}/reports")
    checklist = dialog(page, "checklist")
    # Seen on the dashboard beside the tour, the checklist waits folded in its launcher.
    page.locator("waypost-widget[data-type=checklist] .wp-launch").click()
    expect(checklist).to_have_accessible_name("Get started")
    page.locator("#new-report").click()
    expect(checklist.get_by_role("checkbox", name="Create a report")).to_be_checked()
    page.locator("#share-report").click()
    checklist.get_by_role("checkbox", name="Read the guide").click()
    expect(checklist.get_by_role("checkbox", checked=True)).to_have_count(3)
    flush(page)
    page.goto(f"{demo_url}/team")
    page.locator("#invite").click()
    flush(page)
    flow = experience_id(widget_server, demo_project, "flow", "Get started")
    [person] = admin(widget_server, demo_project, f"/api/v1/flows/{flow}/progress")["data"]
    assert (sorted(person["completed_items"]), person["status"]) == (
        ["create", "guide", "invite", "share"],
        "completed",
    )


def test_nps_survey_on_the_team_page_is_answered(
    page: Page, demo_url: str, widget_server: LiveServer, demo_project: CreatedProject
) -> None:
    page.goto(f"{demo_url}/team")
    survey = dialog(page, "nps")
    survey.get_by_role("radio", name="9").click()
    survey.get_by_label("What do you like most?").fill("The onboarding")
    survey.get_by_role("button", name="Send").click()
    expect(survey.get_by_role("status")).to_be_visible()
    flush(page)
    nps = experience_id(widget_server, demo_project, "survey", "NPS")
    [response] = admin(widget_server, demo_project, f"/api/v1/surveys/{nps}/responses")["data"]
    assert (response["score"], response["text"]) == (9, "The onboarding")
