"""The browser SDK's calls, as the collector stores them."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.sdk_site import Collector, Site, open_page

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

FAST: dict[str, Any] = {"flushInterval": 50}


def test_calls_made_before_the_script_loads_are_kept_in_order(
    page: Page, customer_site: Site, collector_api: Collector
) -> None:
    # The snippet's stub records these while the script is still on its way.
    early = "waypost.identify('early-user'); waypost.track('Early'); waypost.page('Home');"
    open_page(page, customer_site, collector_api, early, **FAST)
    events = collector_api.wait_for(3)
    assert [e["type"] for e in events] == ["identify", "track", "page"]
    assert events[1]["userId"] == "early-user"


def test_every_message_carries_the_automatic_context(
    page: Page, customer_site: Site, collector_api: Collector
) -> None:
    open_page(page, customer_site, collector_api, **FAST)
    page.evaluate("waypost.track('Context')")
    [event] = collector_api.wait_for(1)
    context = event["context"]
    assert context["library"] == {"name": "waypost.js", "version": "0.1.0"}
    assert context["page"]["path"].endswith(".html")
    assert context["page"]["title"] == "Waypost test page"
    assert context["userAgent"].startswith("Mozilla/5.0")
    assert set(context["screen"]) == {"width", "height", "density"}
    assert context["locale"] and context["timezone"] and context["sessionId"]


def test_utm_parameters_are_captured_as_the_campaign(
    page: Page, customer_site: Site, collector_api: Collector
) -> None:
    open_page(page, customer_site, collector_api, **FAST)
    page.goto(page.url + "?utm_source=newsletter&utm_campaign=spring")
    page.wait_for_function("window.waypost && !Array.isArray(window.waypost)")
    page.evaluate("waypost.track('Landed')")
    [event] = collector_api.wait_for(1)
    assert event["context"]["campaign"] == {"source": "newsletter", "name": "spring"}


def test_identify_group_and_alias_name_the_user_and_account(
    page: Page, customer_site: Site, collector_api: Collector
) -> None:
    open_page(page, customer_site, collector_api, **FAST)
    page.evaluate(
        "waypost.identify('u-1', { plan: 'pro' }, { identityHash: 'abc' });"
        "waypost.group('acct-9', { size: 50 }); waypost.alias('u-2')"
    )
    identify, group, alias = collector_api.wait_for(3)
    assert identify["traits"] == {"plan": "pro"}
    assert identify["context"]["identityHash"] == "abc"
    assert (group["groupId"], group["traits"], group["userId"]) == ("acct-9", {"size": 50}, "u-1")
    assert (alias["previousId"], alias["userId"]) == ("u-1", "u-2")


def test_reset_starts_a_new_anonymous_visitor(
    page: Page, customer_site: Site, collector_api: Collector
) -> None:
    open_page(page, customer_site, collector_api, **FAST)
    page.evaluate("waypost.identify('u-3'); waypost.track('Before'); waypost.reset()")
    page.evaluate("waypost.track('After')")
    _, before, after = collector_api.wait_for(3)
    assert before["userId"] == "u-3" and after.get("userId") is None
    assert before["anonymousId"] != after["anonymousId"]


def test_single_page_navigation_sends_page_views_when_auto_page_is_on(
    page: Page, customer_site: Site, collector_api: Collector
) -> None:
    open_page(page, customer_site, collector_api, autoPage=True, **FAST)
    page.evaluate("history.pushState({}, '', '/app/reports'); history.pushState({}, '', '#top')")
    page.evaluate("history.back(); history.back()")
    events = collector_api.wait_for(3)
    paths = [e["properties"]["path"] for e in events]
    assert paths[1] == "/app/reports"
    assert paths[0] == paths[2] != "/app/reports"
    assert len(collector_api.events()) == 3


def test_nothing_leaves_the_browser_before_consent(
    page: Page, customer_site: Site, collector_api: Collector
) -> None:
    open_page(page, customer_site, collector_api, consent="pending", **FAST)
    page.evaluate("waypost.track('Waiting'); waypost.flush()")
    assert page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('wp_'))") == []
    assert page.evaluate("document.cookie") == ""
    assert collector_api.events() == []
    page.evaluate("waypost.consent('granted')")
    assert [e["event"] for e in collector_api.wait_for(1)] == ["Waiting"]


def test_denied_consent_drops_what_waited(
    page: Page, customer_site: Site, collector_api: Collector
) -> None:
    open_page(page, customer_site, collector_api, consent="pending", **FAST)
    page.evaluate("waypost.track('Never'); waypost.consent('denied'); waypost.track('Nor this')")
    page.evaluate("waypost.consent('granted'); waypost.track('Allowed')")
    assert [e["event"] for e in collector_api.wait_for(1)] == ["Allowed"]


def test_an_opted_out_browser_sends_nothing_even_after_a_reload(
    page: Page, customer_site: Site, collector_api: Collector
) -> None:
    open_page(page, customer_site, collector_api, **FAST)
    page.evaluate("waypost.optOut(); waypost.track('Hidden')")
    open_page(page, customer_site, collector_api, **FAST)
    page.evaluate("waypost.track('Still hidden'); waypost.flush()")
    page.evaluate("waypost.optIn(); waypost.track('Back')")
    assert [e["event"] for e in collector_api.wait_for(1)] == ["Back"]


def test_a_broken_call_never_breaks_the_page(
    page: Page, customer_site: Site, collector_api: Collector
) -> None:
    open_page(page, customer_site, collector_api, **FAST)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    outcome = page.evaluate(
        """() => {
          const loop = {}; loop.self = loop;
          waypost.on("track", () => { throw new Error("a listener's bug"); });
          waypost.track("Circular", loop);
          waypost.track("Fine");
          return "page still running";
        }"""
    )
    assert outcome == "page still running"
    assert [e["event"] for e in collector_api.wait_for(1)] == ["Fine"]
    assert errors == []


def test_debug_mode_reports_internal_problems(
    page: Page, customer_site: Site, collector_api: Collector
) -> None:
    open_page(page, customer_site, collector_api, debug=True)
    with page.expect_console_message(lambda m: m.text.startswith("[waypost]")) as message:
        page.evaluate("const loop = {}; loop.self = loop; waypost.track('Circular', loop)")
    assert "internal error" in message.value.text


def test_a_message_over_32_kb_is_refused_in_the_browser_and_reported(
    page: Page, customer_site: Site, collector_api: Collector
) -> None:
    open_page(page, customer_site, collector_api, **FAST)
    refused = page.evaluate(
        """() => new Promise((done) => {
          waypost.on("rejected", (message, errors) => done([message.event, errors]));
          waypost.track("Huge", { text: "x".repeat(40000) });
        })"""
    )
    assert refused == ["Huge", {"_schema": ["message is larger than 32 KB"]}]


def test_destroy_leaves_nothing_running(
    page: Page, customer_site: Site, collector_api: Collector
) -> None:
    open_page(page, customer_site, collector_api, autoPage=True, flows=True, **FAST)
    page.evaluate("waypost.track('Before')")
    assert [e["type"] for e in collector_api.wait_for(2)] == ["page", "track"]
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.evaluate(
        """() => {
          waypost.destroy();
          waypost.track("After");
          history.pushState({}, "", "/after-destroy");
          for (const event of ["online", "pagehide", "popstate"]) {
            window.dispatchEvent(new Event(event));
          }
          document.dispatchEvent(new Event("visibilitychange"));
        }"""
    )
    page.wait_for_timeout(1500)
    assert requests == []
    assert len(collector_api.events()) == 2
