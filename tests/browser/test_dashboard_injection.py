"""Event names, traits and answers are written by end users: the dashboard shows them as
text, and markup in them never becomes elements or runs."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.dashboard_site import ON_SQLITE, DashboardSite

pytestmark = ON_SQLITE

PAYLOAD = '<img src=x onerror="window.injected=1"><b>bold</b>'


def seed_payloads(site: DashboardSite) -> dict[str, Any]:
    survey = factories.create_survey(site.engine, site.project, name="NPS")
    factories.ingest_messages(
        site.engine,
        site.project,
        factories.tracked(PAYLOAD, userId=PAYLOAD),
        factories.message("group", userId=PAYLOAD, groupId="acme", traits={"name": PAYLOAD}),
        factories.reserved("Survey Responded", survey, {"score": 2, "text": PAYLOAD}),
    )
    return survey


def assert_shown_as_text(page: Page) -> None:
    expect(page.get_by_text(PAYLOAD).first).to_be_visible()
    assert page.locator("main img, main b").count() == 0
    assert page.evaluate("window.injected") is None


@pytest.mark.parametrize("path", ["/", "/accounts", "/funnels"])
def test_markup_in_event_names_and_traits_is_shown_as_text(
    page: Page, dashboard_site: DashboardSite, path: str
) -> None:
    seed_payloads(dashboard_site)
    dashboard_site.sign_in(page, path=path)
    if path == "/funnels":
        options = page.locator("datalist#event-names option")
        expect(options).to_have_count(2)
        assert PAYLOAD in options.evaluate_all("all => all.map(option => option.value)")
        assert page.evaluate("window.injected") is None
    else:
        assert_shown_as_text(page)


def test_markup_in_survey_answers_is_shown_as_text(
    page: Page, dashboard_site: DashboardSite
) -> None:
    survey = seed_payloads(dashboard_site)
    dashboard_site.sign_in(page, path=f"/surveys/{survey['id']}")
    assert_shown_as_text(page)
