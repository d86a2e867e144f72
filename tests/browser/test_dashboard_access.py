"""Signing in to the dashboard in Chromium, and who may see what."""

from __future__ import annotations

from pathlib import Path

import httpx2
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.dashboard_site import ON_SQLITE, DashboardSite, screenshot

pytestmark = ON_SQLITE


def test_signing_in_opens_the_overview_of_the_users_project(
    page: Page, dashboard_site: DashboardSite, artifacts_dir: Path
) -> None:
    page.goto(dashboard_site.url("/"))
    screenshot(page, artifacts_dir, "sign-in")
    dashboard_site.sign_in(page)
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    expect(page.get_by_label("Project")).to_have_value(str(dashboard_site.project.id))
    screenshot(page, artifacts_dir, "overview")


def test_a_wrong_password_is_told_and_keeps_the_form(
    page: Page, dashboard_site: DashboardSite
) -> None:
    page.goto(dashboard_site.url("/"))
    page.get_by_label("Email").fill(dashboard_site.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("wrong email or password")


def test_signing_out_returns_to_the_form_and_ends_the_session(
    page: Page, dashboard_site: DashboardSite
) -> None:
    dashboard_site.sign_in(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.reload()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_the_session_cookie_is_out_of_reach_of_page_scripts(
    page: Page, dashboard_site: DashboardSite
) -> None:
    dashboard_site.sign_in(page)
    assert "waypost_session" not in page.evaluate("document.cookie")
    [cookie] = [c for c in page.context.cookies() if c["name"] == "waypost_session"]
    assert (cookie["httpOnly"], cookie["sameSite"]) == (True, "Lax")


def test_a_change_without_the_csrf_token_is_refused_in_the_browser(
    page: Page, dashboard_site: DashboardSite
) -> None:
    """A script that has the cookie but not the token (what a forged request is)."""
    dashboard_site.sign_in(page)
    status = page.evaluate(
        """project => fetch("/api/v1/surveys", {
            method: "POST",
            headers: {"content-type": "application/json", "x-waypost-project": project},
            body: JSON.stringify({name: "Forged", type: "nps"}),
        }).then(response => response.status)""",
        str(dashboard_site.project.id),
    )
    assert status == 403
    listed = httpx2.get(
        f"{dashboard_site.server.url}/api/v1/surveys",
        headers=factories.secret_auth(dashboard_site.project),
    ).json()["data"]
    assert listed == []


def test_a_second_user_cannot_open_another_projects_pages(
    page: Page, dashboard_site: DashboardSite, artifacts_dir: Path
) -> None:
    survey = factories.create_survey(dashboard_site.engine, dashboard_site.project, name="Secret")
    other = factories.create_project(dashboard_site.engine, name="Other Co")
    outsider = factories.create_dashboard_user(dashboard_site.engine, other)
    project_id = dashboard_site.project.id
    dashboard_site.sign_in(page, outsider, path=f"/surveys/{survey['id']}?project={project_id}")
    expect(page.get_by_role("alert")).to_have_text("You do not have access to this project.")
    expect(page.get_by_text("Secret")).to_have_count(0)
    screenshot(page, artifacts_dir, "no-access")
