"""Account health in Chromium: scores, colours, the at-risk filter."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.dashboard_site import ON_SQLITE, DashboardSite, screenshot

pytestmark = ON_SQLITE


def seed_accounts(site: DashboardSite) -> None:
    active = [
        factories.tracked(
            "Report Created", userId="ada", timestamp=factories.moments_ago(86400 * d)
        )
        for d in range(10)
    ]
    factories.ingest_messages(
        site.engine,
        site.project,
        factories.message("group", userId="ada", groupId="busy", traits={"name": "Busy Co"}),
        factories.message("group", userId="bob", groupId="idle", traits={"name": "Idle Inc"}),
        *active,
    )


def test_accounts_are_listed_least_healthy_first(
    page: Page, dashboard_site: DashboardSite, artifacts_dir: Path
) -> None:
    seed_accounts(dashboard_site)
    dashboard_site.sign_in(page, path="/accounts")
    names = page.locator("tbody tr td:first-child")
    expect(names).to_have_text(["Idle Inc", "Busy Co"])
    screenshot(page, artifacts_dir, "accounts")


def test_the_at_risk_filter_keeps_only_red_accounts(
    page: Page, dashboard_site: DashboardSite
) -> None:
    seed_accounts(dashboard_site)
    dashboard_site.sign_in(page, path="/accounts")
    page.get_by_label("Show").select_option("red")
    expect(page.locator("tbody tr td:first-child")).to_have_text(["Idle Inc"])
