"""Flows and surveys: the SDK fetches what is delivered, decides when each is due, and
loads its widget from the add-on only then. A stand-in widget module plays the add-on."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.sdk_site import Collector, Site, open_page

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

# The contract's WidgetModule, as small as it can be: a node, a reserved event, a listener.
TEST_WIDGET = """
export function mount(experience, host) {
  const node = document.createElement("div");
  node.className = "test-widget";
  node.dataset.id = experience.id;
  node.textContent = `${experience.kind} ${experience.type} ${host.locale}`;
  document.body.appendChild(node);
  const survey = experience.kind === "survey";
  host.track(survey ? "Survey Shown" : "Flow Started", {
    [survey ? "survey_id" : "flow_id"]: experience.id,
    version: experience.version,
  });
  const off = host.onTrack((event) => {
    node.dataset.heard = (node.dataset.heard || "") + event + ";";
  });
  window.mountedHost = { assetsBase: host.assetsBase, sessionId: host.sessionId };
  return { destroy() { off(); node.remove(); } };
}
"""


@pytest.fixture
def widgets(customer_site: Site) -> str:
    """The stand-in add-on's directory on the customer's site."""
    for name in ("tour.js", "survey.js"):
        customer_site.add(f"/widgets/{name}", TEST_WIDGET, "text/javascript")
    customer_site.add("/widgets/widgets.css", ".test-widget { color: red }", "text/css")
    return f"{customer_site.url}/widgets/"


def tour(collector: Collector, trigger: dict[str, Any]) -> str:
    steps = [{"title": "Hi", "body": "Welcome"}]
    body = {"name": "Welcome", "type": "tour", "steps": steps, "trigger": trigger}
    flow_id: str = collector.admin("POST", "/api/v1/flows", body)["id"]
    return flow_id


def with_flows(
    page: Page, site: Site, collector: Collector, widgets: str, script: str = ""
) -> Page:
    options: dict[str, Any] = {
        "flows": True,
        "widgetsBase": widgets,
        "flushInterval": 50,
        "locale": "he-IL",
    }
    return open_page(page, site, collector, script, **options)


def test_a_flow_due_on_page_load_is_mounted_and_recorded(
    page: Page, customer_site: Site, collector_api: Collector, widgets: str
) -> None:
    flow_id = tour(collector_api, {"type": "page_load"})
    with_flows(page, customer_site, collector_api, widgets)
    expect(page.locator(f".test-widget[data-id='{flow_id}']")).to_have_text("flow tour he-IL")
    [started] = collector_api.wait_for(1, event="Flow Started")
    assert started["properties"] == {"flow_id": flow_id, "version": 1}
    assert page.evaluate("window.mountedHost.assetsBase") == widgets
    assert page.locator("link[rel=stylesheet]").count() == 0


def test_a_flow_for_another_page_waits_for_a_single_page_navigation_to_it(
    page: Page, customer_site: Site, collector_api: Collector, widgets: str
) -> None:
    flow_id = tour(collector_api, {"type": "page_load", "url": "/app/reports*"})
    with_flows(page, customer_site, collector_api, widgets)
    page.wait_for_timeout(300)
    expect(page.locator(".test-widget")).to_have_count(0)
    page.evaluate("history.pushState({}, '', '/app/reports/1')")
    expect(page.locator(f".test-widget[data-id='{flow_id}']")).to_be_visible()


def test_an_event_triggered_survey_shows_after_the_event(
    page: Page, customer_site: Site, collector_api: Collector, widgets: str
) -> None:
    body = {"name": "NPS", "type": "nps", "trigger": {"type": "event", "event": "Report Created"}}
    survey_id = collector_api.admin("POST", "/api/v1/surveys", body)["id"]
    with_flows(page, customer_site, collector_api, widgets)
    page.wait_for_timeout(300)
    expect(page.locator(".test-widget")).to_have_count(0)
    page.evaluate("waypost.track('Report Created')")
    expect(page.locator(f".test-widget[data-id='{survey_id}']")).to_have_text("survey nps he-IL")
    [shown] = collector_api.wait_for(1, event="Survey Shown")
    assert shown["properties"]["survey_id"] == survey_id


def test_a_manual_flow_shows_only_when_the_app_asks(
    page: Page, customer_site: Site, collector_api: Collector, widgets: str
) -> None:
    flow_id = tour(collector_api, {"type": "manual"})
    with_flows(page, customer_site, collector_api, widgets)
    page.wait_for_timeout(300)
    expect(page.locator(".test-widget")).to_have_count(0)
    assert page.evaluate(f"waypost.show('{flow_id}')") is True
    expect(page.locator(f".test-widget[data-id='{flow_id}']")).to_be_visible()


def test_show_called_with_init_waits_for_what_is_delivered(
    page: Page, customer_site: Site, collector_api: Collector, widgets: str
) -> None:
    flow_id = tour(collector_api, {"type": "manual"})
    with_flows(
        page, customer_site, collector_api, widgets, f"window.shown = waypost.show('{flow_id}');"
    )
    expect(page.locator(f".test-widget[data-id='{flow_id}']")).to_be_visible()


def test_showing_an_experience_not_delivered_is_refused(
    page: Page, customer_site: Site, collector_api: Collector, widgets: str
) -> None:
    with_flows(page, customer_site, collector_api, widgets)
    assert page.evaluate("waypost.show('no-such-flow')") is False


def test_a_delayed_flow_waits_its_seconds(
    page: Page, customer_site: Site, collector_api: Collector, widgets: str
) -> None:
    flow_id = tour(collector_api, {"type": "delay", "seconds": 1})
    with_flows(page, customer_site, collector_api, widgets)
    expect(page.locator(".test-widget")).to_have_count(0)
    expect(page.locator(f".test-widget[data-id='{flow_id}']")).to_be_visible(timeout=5000)


def test_the_widget_hears_the_apps_track_calls(
    page: Page, customer_site: Site, collector_api: Collector, widgets: str
) -> None:
    tour(collector_api, {"type": "page_load"})
    with_flows(page, customer_site, collector_api, widgets)
    widget = page.locator(".test-widget")
    expect(widget).to_be_visible()
    page.evaluate("waypost.track('Report Created')")
    expect(widget).to_have_attribute("data-heard", "Report Created;")


def test_no_widget_code_is_loaded_when_nothing_is_due(
    page: Page, customer_site: Site, collector_api: Collector, widgets: str
) -> None:
    loaded: list[str] = []
    page.on("request", lambda request: loaded.append(request.url))
    tour(collector_api, {"type": "manual"})
    with_flows(page, customer_site, collector_api, widgets)
    page.wait_for_timeout(300)
    assert any("/v1/flows?" in url for url in loaded)
    assert [url for url in loaded if url.startswith(widgets)] == []


def test_logging_out_removes_the_widget(
    page: Page, customer_site: Site, collector_api: Collector, widgets: str
) -> None:
    tour(collector_api, {"type": "page_load"})
    with_flows(page, customer_site, collector_api, widgets)
    expect(page.locator(".test-widget")).to_be_visible()
    page.evaluate("waypost.reset()")
    expect(page.locator(".test-widget")).to_have_count(0)
