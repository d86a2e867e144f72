"""Product tours in Chromium: taken by mouse and by keyboard, across pages, around a
missing target, every step recorded by the collector."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import expect

if TYPE_CHECKING:
    from tests.browser.widget_harness import WidgetHarness

pytest_plugins = ["tests.browser.widget_harness"]

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

PAGE = """<main style="padding: 40px">
<h1 id="title">Reports</h1>
<button id="create">Create report</button>
<p style="height: 1400px">Long content</p>
<button id="share">Share</button>
<p style="height: 800px">More content</p>
</main>"""


def three_steps(**overrides: Any) -> dict[str, Any]:
    steps = [
        {"id": "intro", "target": None, "title": "Welcome", "body": "A short tour"},
        {
            "id": "create",
            "target": "#create",
            "title": "Create",
            "body": "Start here",
            "placement": "bottom",
        },
        {"id": "share", "target": "#share", "title": "Share", "body": "Tell your team"},
    ]
    return {"name": "Tour", "type": "tour", "steps": steps, **overrides}


def test_tour_taken_by_mouse_records_every_step(harness: WidgetHarness) -> None:
    tour = harness.define("flow", three_steps())
    harness.pages["/app"] = PAGE
    harness.open("/app")
    harness.mount(tour["id"])
    dialog = harness.dialog()
    expect(dialog).to_have_accessible_name("Welcome")
    dialog.get_by_role("button", name="Next").click()
    expect(dialog).to_have_accessible_name("Create")
    expect(dialog.get_by_text("2 of 3")).to_be_visible()
    dialog.get_by_role("button", name="Next").click()
    expect(dialog).to_have_accessible_name("Share")
    dialog.get_by_role("button", name="Done").click()
    expect(harness.widget("tour")).to_have_count(0)
    harness.settle()
    assert [e["properties"]["step"] for e in harness.events("Flow Step Viewed")] == [
        "intro",
        "create",
        "share",
    ]
    assert len(harness.events("Flow Completed")) == 1


def test_tour_taken_by_keyboard_only_keeps_focus_inside_and_returns_it(
    harness: WidgetHarness,
) -> None:
    tour = harness.define("flow", three_steps(trigger={"type": "manual"}))
    harness.pages["/app"] = PAGE
    harness.open("/app")
    harness.page.focus("#create")
    harness.mount(tour["id"])
    dialog = harness.dialog()
    expect(dialog.get_by_role("button", name="Next")).to_be_focused()
    harness.page.keyboard.press("Enter")
    expect(dialog).to_have_accessible_name("Create")
    for _ in range(4):
        harness.page.keyboard.press("Tab")
        assert harness.page.evaluate("document.activeElement.tagName") == "WAYPOST-WIDGET"
    harness.page.keyboard.press("Escape")
    expect(harness.widget("tour")).to_have_count(0)
    expect(harness.page.locator("#create")).to_be_focused()
    harness.settle()
    [dismissed] = harness.events("Flow Dismissed")
    assert dismissed["properties"]["step"] == "create"


def test_back_returns_to_the_previous_step(harness: WidgetHarness) -> None:
    tour = harness.define("flow", three_steps())
    harness.pages["/app"] = PAGE
    harness.open("/app")
    harness.mount(tour["id"])
    dialog = harness.dialog()
    dialog.get_by_role("button", name="Next").click()
    dialog.get_by_role("button", name="Back").click()
    expect(dialog).to_have_accessible_name("Welcome")


def test_missing_target_is_reported_and_skipped(harness: WidgetHarness) -> None:
    body = three_steps()
    body["steps"][1]["target"] = "#not-there"
    tour = harness.define("flow", body)
    harness.pages["/app"] = PAGE
    harness.open("/app")
    harness.mount(tour["id"])
    harness.dialog().get_by_role("button", name="Next").click()
    expect(harness.dialog()).to_have_accessible_name("Share", timeout=8000)
    harness.settle()
    [failed] = harness.events("Flow Step Failed")
    assert (failed["properties"]["step"], failed["properties"]["reason"]) == (
        "create",
        "target_not_found",
    )


def test_missing_target_pauses_the_tour_when_the_step_says_so(harness: WidgetHarness) -> None:
    body = three_steps()
    body["steps"][1].update(target="#not-there", on_missing_target="pause")
    tour = harness.define("flow", body)
    harness.pages["/app"] = PAGE
    harness.open("/app")
    harness.mount(tour["id"])
    harness.dialog().get_by_role("button", name="Next").click()
    harness.page.wait_for_function(
        "window.waypostHarness.state.sent.some(([event]) => event === 'Flow Step Failed')",
        timeout=8000,
    )
    expect(harness.dialog()).to_have_count(0)
    harness.settle()
    assert [e["properties"]["step"] for e in harness.events("Flow Step Viewed")] == ["intro"]


def test_target_rendered_late_is_waited_for(harness: WidgetHarness) -> None:
    tour = harness.define(
        "flow", three_steps(steps=[{"id": "late", "target": "#late", "title": "Late"}])
    )
    harness.open("/app")
    harness.mount(tour["id"])
    late = "document.body.insertAdjacentHTML('beforeend', '<button id=late>Hi</button>')"
    harness.page.evaluate(f"setTimeout(() => {late}, 500)")
    expect(harness.dialog()).to_have_accessible_name("Late")


def test_multi_page_tour_resumes_on_the_next_page(harness: WidgetHarness) -> None:
    steps = [
        {"id": "home", "url": "/app", "target": "#create", "title": "Home step"},
        {"id": "reports", "url": "/app/reports", "target": "#title", "title": "Reports step"},
    ]
    harness.define("flow", three_steps(steps=steps))
    harness.pages["/app"] = PAGE
    harness.pages["/app/reports"] = PAGE
    harness.open("/app")
    expect(harness.dialog()).to_have_accessible_name("Home step")
    harness.settle()
    with harness.page.expect_navigation():
        harness.dialog().get_by_role("button", name="Next").click()
    assert harness.page.url.endswith("/app/reports")
    expect(harness.dialog()).to_have_accessible_name("Reports step")
    harness.dialog().get_by_role("button", name="Done").click()
    harness.settle()
    assert [e["properties"]["step"] for e in harness.events("Flow Step Viewed")] == [
        "home",
        "reports",
    ]
    assert len(harness.events("Flow Started")) == 1
    assert len(harness.events("Flow Completed")) == 1


def test_step_advances_when_its_target_is_clicked(harness: WidgetHarness) -> None:
    body = three_steps()
    body["steps"][1]["advance_on"] = {"type": "click"}
    tour = harness.define("flow", body)
    harness.pages["/app"] = PAGE
    harness.open("/app")
    harness.mount(tour["id"])
    harness.dialog().get_by_role("button", name="Next").click()
    expect(harness.dialog()).to_have_accessible_name("Create")
    harness.page.locator("#create").click()
    expect(harness.dialog()).to_have_accessible_name("Share")


def test_step_advances_when_its_event_is_tracked(harness: WidgetHarness) -> None:
    body = three_steps()
    body["steps"][0]["advance_on"] = {"type": "event", "event": "Report Created"}
    tour = harness.define("flow", body)
    harness.pages["/app"] = PAGE
    harness.open("/app")
    harness.mount(tour["id"])
    expect(harness.dialog()).to_have_accessible_name("Welcome")
    harness.track("Report Created")
    expect(harness.dialog()).to_have_accessible_name("Create")


def test_popover_follows_its_target_when_the_page_scrolls(harness: WidgetHarness) -> None:
    tour = harness.define(
        "flow",
        three_steps(steps=[{"id": "s", "target": "#share", "title": "Share", "placement": "top"}]),
    )
    harness.pages["/app"] = PAGE
    harness.open("/app")
    harness.mount(tour["id"])
    dialog = harness.dialog()
    expect(dialog).to_have_accessible_name("Share")
    harness.page.evaluate("window.scrollBy(0, -100)")
    harness.page.evaluate(
        "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    target = harness.page.locator("#share").bounding_box()
    box = dialog.bounding_box()
    assert target is not None and box is not None
    assert abs((box["y"] + box["height"]) - (target["y"] - 12)) <= 1
