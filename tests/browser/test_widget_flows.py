"""Announcements, hotspots and the resource center in Chromium."""

from __future__ import annotations

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
