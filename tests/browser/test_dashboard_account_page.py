"""An account's page in Chromium: opened from the accounts list, it shows the account's
traits, health, weekly activity, colour history and users, all as text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from collector.analytics.accounts.health_changes import evaluate_project
from tests import factories
from tests.browser.dashboard_site import ON_SQLITE, DashboardSite, screenshot

pytestmark = ON_SQLITE

MARKUP = '<img src=x onerror="window.injected=1">'


def card(page: Page, title: str) -> Locator:
    return page.locator("section").filter(has=page.get_by_role("heading", name=title, exact=True))


def seed_account(site: DashboardSite, name: str = "Busy Co") -> None:
    active = [
        factories.tracked(
            "Report Created", userId=user, timestamp=factories.moments_ago(86400 * days)
        )
        for user in ("ada", "bob")
        for days in range(10)
    ]
    factories.ingest_messages(
        site.engine,
        site.project,
        factories.message("group", userId="ada", groupId="busy", traits={"name": name}),
        factories.message("group", userId="bob", groupId="busy"),
        factories.message("identify", userId="ada", traits={"email": "ada@example.com"}),
        *active,
        received_at=datetime.now(UTC),
    )
    evaluate_project(site.engine, site.project.id, datetime.now(UTC))


def test_an_account_opens_from_the_list_with_its_users_and_history(
    page: Page, dashboard_site: DashboardSite, artifacts_dir: Path
) -> None:
    seed_account(dashboard_site)
    dashboard_site.sign_in(page, path="/accounts")
    page.get_by_role("link", name="Busy Co").click()
    expect(page.get_by_role("heading", name="Busy Co", level=1)).to_be_visible()
    assert "/dashboard/accounts/" in page.url
    users = card(page, "Users").locator("tbody tr")
    expect(users).to_have_count(2)
    expect(users.filter(has_text="ada@example.com")).to_have_count(1)
    history = card(page, "Health colour history").locator("tbody tr")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("first evaluation")
    expect(page.get_by_role("img", name="Weekly active users and events")).to_be_visible()
    screenshot(page, artifacts_dir, "account")


def test_the_account_page_reopens_at_its_address(page: Page, dashboard_site: DashboardSite) -> None:
    seed_account(dashboard_site)
    dashboard_site.sign_in(page, path="/accounts")
    page.get_by_role("link", name="Busy Co").click()
    expect(page.get_by_role("heading", name="Busy Co", level=1)).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Busy Co", level=1)).to_be_visible()
    page.get_by_role("link", name="← All accounts").click()
    expect(page.get_by_role("heading", name="Accounts", level=1)).to_be_visible()


def test_traits_with_markup_are_shown_as_text(
    page: Page, dashboard_site: DashboardSite, artifacts_dir: Path
) -> None:
    seed_account(dashboard_site, name=MARKUP)
    dashboard_site.sign_in(page, path="/accounts")
    page.get_by_role("link", name=MARKUP).click()
    expect(page.get_by_role("heading", name=MARKUP, level=1)).to_be_visible()
    assert page.locator("main img").count() == 0
    assert page.evaluate("window.injected") is None
