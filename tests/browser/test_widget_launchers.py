"""Launchers and the screen, through the real SDK and widgets in Chromium: a checklist
waits in its corner while a due tour or survey shows, and no widget styles the page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import expect

if TYPE_CHECKING:
    from tests.browser.widget_harness import WidgetHarness

pytest_plugins = ["tests.browser.widget_harness"]

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

CHECKLIST = {
    "name": "Onboarding",
    "type": "checklist",
    "priority": 10,
    "items": [{"id": "docs", "title": "Read the guide", "completed_by": None}],
}
TOUR = {"name": "Welcome", "type": "tour", "steps": [{"title": "Hi", "body": "Welcome aboard"}]}
NPS = {"name": "NPS", "type": "nps"}


def opened_with_checklist(harness: WidgetHarness, kind: str, body: dict[str, Any]) -> None:
    """The app page where an open checklist and the other experience are both due."""
    harness.define("flow", CHECKLIST)
    harness.define(kind, body)
    harness.open("/app")
    expect(harness.widget("checklist").get_by_role("dialog")).to_be_visible()


def test_an_open_checklist_leaves_room_for_a_due_survey(harness: WidgetHarness) -> None:
    opened_with_checklist(harness, "survey", NPS)
    expect(harness.widget("nps").get_by_role("radio", name="9")).to_be_visible()


def test_an_open_checklist_leaves_room_for_a_due_tour(harness: WidgetHarness) -> None:
    opened_with_checklist(harness, "flow", TOUR)
    expect(harness.widget("tour").get_by_role("dialog")).to_have_accessible_description(
        "Welcome aboard"
    )


def test_two_tours_due_together_show_one_at_a_time(harness: WidgetHarness) -> None:
    harness.define("flow", {**TOUR, "name": "First", "priority": 5})
    harness.define("flow", {**TOUR, "name": "Second"})
    harness.open("/app")
    expect(harness.widget("tour")).to_have_count(1)
    harness.page.wait_for_timeout(300)
    expect(harness.widget("tour")).to_have_count(1)


def test_widgets_style_only_their_own_shadow_root(harness: WidgetHarness) -> None:
    opened_with_checklist(harness, "survey", NPS)
    expect(harness.widget("nps").get_by_role("dialog")).to_be_visible()
    page_sheets = harness.page.evaluate(
        "[...document.querySelectorAll('link, style')].map(node => node.outerHTML)"
    )
    assert not any("widgets.css" in sheet for sheet in page_sheets), page_sheets
    own = harness.page.evaluate(
        """[...document.querySelectorAll('waypost-widget')].map(
            widget => widget.shadowRoot.querySelectorAll('link[href$="widgets.css"]').length)"""
    )
    assert own == [1, 1]


def test_a_checklist_opening_by_itself_leaves_focus_in_the_tour(harness: WidgetHarness) -> None:
    opened_with_checklist(harness, "flow", TOUR)
    expect(harness.widget("tour").get_by_role("dialog")).to_be_visible()
    harness.page.wait_for_timeout(300)
    assert harness.page.evaluate("document.activeElement.dataset.type") == "tour"


ANNOUNCEMENT = {
    "name": "Exports",
    "type": "announcement",
    "steps": [{"title": "New: exports", "body": "Download any report"}],
}


def finish_the_tour(harness: WidgetHarness) -> None:
    """Open the page where a tour and an announcement are both due, and complete the tour."""
    harness.define("flow", {**TOUR, "priority": 5})
    harness.define("flow", ANNOUNCEMENT)
    harness.open("/app")
    tour = harness.widget("tour").get_by_role("dialog")
    expect(tour).to_be_visible()
    expect(harness.widget("announcement")).to_have_count(0)
    tour.get_by_role("button", name="Done").click()
    expect(harness.widget("tour")).to_have_count(0)


def test_an_announcement_due_with_a_tour_shows_once_the_tour_is_done(
    harness: WidgetHarness,
) -> None:
    finish_the_tour(harness)
    expect(harness.widget("announcement").get_by_role("dialog")).to_have_accessible_description(
        "Download any report"
    )


def test_an_announcement_the_session_cap_holds_back_stays_away_after_the_tour(
    harness: WidgetHarness,
) -> None:
    harness.admin("PATCH", "/api/v1/project", {"settings": {"throttle": {"max_per_session": 1}}})
    finish_the_tour(harness)
    harness.page.wait_for_timeout(300)
    expect(harness.widget("announcement")).to_have_count(0)
