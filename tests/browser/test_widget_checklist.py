"""Checklists in Chromium: items tick themselves when the person does the actions in the
app, by hand where allowed, and the collector's progress agrees."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import expect

if TYPE_CHECKING:
    from tests.browser.widget_harness import WidgetHarness

pytest_plugins = ["tests.browser.widget_harness"]

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

APP = """<main>
<button id="create" onclick="waypostHarness.track('Report Created', {type: 'funnel'})">
  New funnel</button>
<button id="table" onclick="waypostHarness.track('Report Created', {type: 'table'})">
  New table</button>
<button id="invite" onclick="waypostHarness.track('Teammate Invited')">Invite</button>
</main>"""

CHECKLIST = {
    "name": "Onboarding",
    "type": "checklist",
    "items": [
        {
            "id": "funnel",
            "title": "Create a funnel",
            "completed_by": {"event": "Report Created", "where": {"properties.type": "funnel"}},
        },
        {
            "id": "invite",
            "title": "Invite a teammate",
            "completed_by": {"event": "Teammate Invited"},
        },
        {"id": "docs", "title": "Read the guide", "completed_by": None},
    ],
    "completion_message": "You are all set",
}


@pytest.fixture
def checklist(harness: WidgetHarness) -> dict[str, Any]:
    created = harness.define("flow", CHECKLIST)
    harness.pages["/app"] = APP
    harness.open("/app")
    harness.mount(created["id"])
    return created


def item(harness: WidgetHarness, name: str) -> Any:
    return harness.dialog().get_by_role("checkbox", name=name)


def progress(harness: WidgetHarness, checklist: dict[str, Any]) -> dict[str, Any]:
    harness.settle()
    [person] = harness.admin("GET", f"/api/v1/flows/{checklist['id']}/progress")["data"]
    return dict(person)


def test_checklist_opens_with_every_item_unticked(
    harness: WidgetHarness, checklist: dict[str, Any]
) -> None:
    expect(harness.dialog()).to_have_accessible_name("Get started")
    expect(harness.dialog().get_by_role("checkbox", checked=False)).to_have_count(3)
    expect(harness.dialog().get_by_role("status")).to_have_text("0 of 3")


def test_doing_the_action_ticks_its_item(harness: WidgetHarness, checklist: dict[str, Any]) -> None:
    harness.page.locator("#create").click()
    expect(item(harness, "Create a funnel")).to_be_checked()
    assert progress(harness, checklist)["completed_items"] == ["funnel"]


def test_an_action_that_misses_the_condition_ticks_nothing(
    harness: WidgetHarness, checklist: dict[str, Any]
) -> None:
    harness.page.locator("#table").click()
    harness.settle()
    expect(item(harness, "Create a funnel")).not_to_be_checked()


def test_item_without_an_event_is_ticked_by_hand(
    harness: WidgetHarness, checklist: dict[str, Any]
) -> None:
    item(harness, "Read the guide").click()
    expect(item(harness, "Read the guide")).to_be_checked()
    harness.settle()
    [ticked] = harness.events("Checklist Item Completed")
    assert ticked["properties"]["item"] == "docs"


def test_item_completed_by_an_event_cannot_be_ticked_by_hand(
    harness: WidgetHarness, checklist: dict[str, Any]
) -> None:
    expect(item(harness, "Invite a teammate")).to_be_disabled()
    item(harness, "Invite a teammate").click(force=True)
    expect(item(harness, "Invite a teammate")).not_to_be_checked()


def test_doing_everything_completes_the_checklist(
    harness: WidgetHarness, checklist: dict[str, Any]
) -> None:
    harness.page.locator("#create").click()
    harness.page.locator("#invite").click()
    item(harness, "Read the guide").click()
    expect(harness.dialog().get_by_text("You are all set")).to_be_visible()
    expect(harness.widget("checklist").locator(".wp-badge")).to_have_text("✓")
    assert progress(harness, checklist)["status"] == "completed"


def test_the_completion_is_derived_from_the_items_not_sent_by_the_widget(
    harness: WidgetHarness, checklist: dict[str, Any]
) -> None:
    harness.page.locator("#create").click()
    harness.page.locator("#invite").click()
    item(harness, "Read the guide").click()
    expect(harness.dialog().get_by_text("You are all set")).to_be_visible()
    assert progress(harness, checklist)["status"] == "completed"
    assert harness.events("Flow Completed") == []


def test_launcher_folds_and_unfolds_the_panel(
    harness: WidgetHarness, checklist: dict[str, Any]
) -> None:
    launcher = harness.widget("checklist").locator(".wp-launch")
    expect(launcher).to_have_attribute("aria-expanded", "true")
    harness.page.keyboard.press("Escape")
    expect(harness.dialog()).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_contain_text("3")
    harness.page.keyboard.press("Enter")
    expect(harness.dialog()).to_be_visible()


def test_progress_from_an_earlier_visit_is_shown(
    harness: WidgetHarness, checklist: dict[str, Any]
) -> None:
    harness.page.locator("#invite").click()
    harness.settle()
    harness.open("/app")
    harness.mount(checklist["id"])
    launcher = harness.widget("checklist").locator(".wp-launch")
    expect(launcher).to_contain_text("2")
    launcher.click()
    expect(item(harness, "Invite a teammate")).to_be_checked()


def test_dismissing_the_checklist_removes_it(
    harness: WidgetHarness, checklist: dict[str, Any]
) -> None:
    harness.dialog().get_by_role("button", name="Dismiss").click()
    expect(harness.widget("checklist")).to_have_count(0)
    harness.settle()
    assert len(harness.events("Flow Dismissed")) == 1
