"""Announcements, hotspots and the resource center in Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import expect

if TYPE_CHECKING:
    from tests.browser.widget_harness import WidgetHarness

pytest_plugins = ["tests.browser.widget_harness"]

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

APP = '<main style="padding: 80px"><button id="export">Export</button></main>'


def announcement(display: str) -> dict[str, Any]:
    step = {"title": "New: exports", "body": "Download any report", "buttons": {"done": "Try it"}}
    return {"name": "Exports", "type": "announcement", "display": display, "steps": [step]}


def hotspot() -> dict[str, Any]:
    step = {"target": "#export", "title": "Exports", "body": "Now in CSV"}
    return {"name": "Export hotspot", "type": "hotspot", "steps": [step]}


def shown(harness: WidgetHarness, kind: str, body: dict[str, Any]) -> dict[str, Any]:
    created = harness.define(kind, body)
    harness.pages["/app"] = APP
    harness.open("/app")
    harness.mount(created["id"])
    return created


def test_modal_announcement_completes_with_its_call_to_action(harness: WidgetHarness) -> None:
    shown(harness, "flow", announcement("modal"))
    dialog = harness.dialog()
    expect(dialog).to_have_attribute("aria-modal", "true")
    expect(dialog.get_by_role("button", name="Try it")).to_be_focused()
    dialog.get_by_role("button", name="Try it").click()
    expect(harness.widget("announcement")).to_have_count(0)
    harness.settle()
    assert len(harness.events("Flow Completed")) == 1


def test_announcement_call_to_action_with_a_link_takes_the_user_there(
    harness: WidgetHarness,
) -> None:
    harness.pages["/exports"] = "<h1>Exports</h1>"
    shown(harness, "flow", {**announcement("modal"), "cta_url": "/exports"})
    harness.dialog().get_by_role("button", name="Try it").click()
    harness.page.wait_for_url(f"{harness.app.url}/exports")
    harness.settle()
    assert len(harness.events("Flow Completed")) == 1


def test_banner_announcement_leaves_the_page_usable(harness: WidgetHarness) -> None:
    shown(harness, "flow", announcement("banner"))
    banner = harness.dialog()
    box = banner.bounding_box()
    assert box is not None and box["y"] == 0
    harness.page.locator("#export").click()
    expect(harness.page.locator("#export")).to_be_focused()
    banner.get_by_role("button", name="Close").click()
    harness.settle()
    assert len(harness.events("Flow Dismissed")) == 1


def test_hotspot_beacon_opens_its_tooltip(harness: WidgetHarness) -> None:
    shown(harness, "flow", hotspot())
    beacon = harness.widget("hotspot").get_by_role("button", name="Exports")
    beacon.click()
    expect(harness.dialog()).to_have_accessible_description("Now in CSV")
    expect(beacon).to_have_attribute("aria-expanded", "true")
    harness.dialog().get_by_role("button", name="Done").click()
    expect(harness.widget("hotspot")).to_have_count(0)
    harness.settle()
    assert len(harness.events("Flow Completed")) == 1


def test_escape_folds_the_hotspot_tooltip_back_into_its_beacon(harness: WidgetHarness) -> None:
    shown(harness, "flow", hotspot())
    beacon = harness.widget("hotspot").get_by_role("button", name="Exports")
    beacon.click()
    harness.page.keyboard.press("Escape")
    expect(harness.dialog()).to_have_count(0)
    expect(beacon).to_be_focused()


def test_hotspot_beacon_pulses(harness: WidgetHarness) -> None:
    shown(harness, "flow", hotspot())
    beacon = harness.widget("hotspot").locator(".wp-beacon")
    expect(beacon).to_have_css("animation-name", "wp-pulse")


def test_hotspot_beacon_keeps_still_under_reduced_motion(harness: WidgetHarness) -> None:
    harness.page.emulate_media(reduced_motion="reduce")
    shown(harness, "flow", hotspot())
    beacon = harness.widget("hotspot").locator(".wp-beacon")
    expect(beacon).to_have_css("animation-name", "none")


def test_resource_center_lists_its_links(harness: WidgetHarness) -> None:
    links = [
        {"title": "Guide", "url": "https://docs.example.com/guide", "description": "Start here"},
        {"title": "Status", "url": "https://status.example.com/"},
    ]
    shown(harness, "flow", {"name": "Help", "type": "resource_center", "links": links})
    launcher = harness.widget("resource_center").get_by_role("button", name="Help")
    launcher.click()
    panel = harness.dialog()
    expect(panel.get_by_role("link")).to_have_count(2)
    guide = panel.get_by_role("link", name="Guide")
    expect(guide).to_have_attribute("href", "https://docs.example.com/guide")
    expect(guide).to_have_attribute("rel", "noopener noreferrer")
    harness.page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(launcher).to_be_focused()


CHECKLIST = {
    "name": "Get started",
    "type": "checklist",
    "items": [
        {"id": "report", "title": "Create a report", "completed_by": {"event": "Report Created"}},
        {"id": "invite", "title": "Invite a colleague", "completed_by": None},
    ],
}
NEWS_STEP = {
    "title": {"en": "New: exports", "he": "חדש: ייצוא"},
    "body": {"en": "Download any report", "he": "הורידו כל דוח"},
    "buttons": {"done": {"en": "Try it", "he": "נסו"}},
}


def help_center(harness: WidgetHarness) -> Any:
    """The resource center's open panel, listing an announcement and a half-done checklist.

    Mounted without the SDK, which would also show the announcement and the checklist."""
    harness.sdk = False
    news = {"name": "Exports", "type": "announcement", "steps": [NEWS_STEP], "cta_url": "/exports"}
    harness.define("flow", news)
    checklist = harness.define("flow", CHECKLIST)
    center = harness.define("flow", {"name": "Help", "type": "resource_center"})
    harness.open("/app")
    harness.track("Flow Started", {"flow_id": checklist["id"], "version": checklist["version"]})
    harness.track("Report Created")
    harness.settle()
    harness.mount(center["id"])
    harness.widget("resource_center").locator(".wp-launch").click()
    return harness.dialog()


def test_resource_center_unfolds_an_announcement_with_its_call_to_action(
    harness: WidgetHarness,
) -> None:
    panel = help_center(harness)
    expect(panel.get_by_role("heading", name="What's new")).to_be_visible()
    news = panel.get_by_role("button", name="New: exports")
    expect(news).to_have_attribute("aria-expanded", "false")
    expect(panel.get_by_text("Download any report")).to_be_hidden()
    news.focus()
    harness.page.keyboard.press("Enter")
    expect(news).to_have_attribute("aria-expanded", "true")
    expect(panel.get_by_text("Download any report")).to_be_visible()
    cta = panel.get_by_role("link", name="Try it")
    expect(cta).to_have_attribute("href", f"{harness.app.url}/exports")
    expect(cta).to_have_attribute("rel", "noopener noreferrer")


def test_resource_center_marks_an_announcement_not_yet_seen_as_new(
    harness: WidgetHarness,
) -> None:
    panel = help_center(harness)
    expect(panel.get_by_role("button", name="New: exports").locator(".wp-badge")).to_have_text(
        "New"
    )


def test_resource_center_lists_the_users_checklists_with_their_progress(
    harness: WidgetHarness,
) -> None:
    panel = help_center(harness)
    expect(panel.get_by_role("heading", name="Your checklists")).to_be_visible()
    expect(panel.get_by_text("1 of 2")).to_be_visible()
    done = panel.get_by_role("checkbox", name="Create a report")
    expect(done).to_be_checked()
    expect(done).to_be_disabled()
    expect(panel.get_by_role("checkbox", name="Invite a colleague")).not_to_be_checked()


def test_resource_center_lists_in_the_users_language_right_to_left(
    harness: WidgetHarness, artifacts_dir: Path
) -> None:
    harness.locale = "he"
    panel = help_center(harness)
    expect(panel.get_by_role("heading", name="מה חדש")).to_be_visible()
    news = panel.get_by_role("button", name="חדש: ייצוא")
    news.click()
    expect(panel.get_by_role("link", name="נסו")).to_be_visible()
    name, count = panel.locator(".wp-lists .wp-name"), panel.get_by_text("1 מתוך 2")
    name_box, count_box = name.bounding_box(), count.bounding_box()
    assert name_box is not None and count_box is not None
    assert count_box["x"] + count_box["width"] <= name_box["x"]
    harness.page.screenshot(path=artifacts_dir / "widget-resource-center-he.png")
