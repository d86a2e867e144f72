"""Several tabs of one app, and browsers that refuse storage: still every event, once."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.sdk_site import Collector, Proxy, Site, open_page, track_many

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

# What "Block all cookies" does to a page: every storage API throws SecurityError.
BLOCK_STORAGE = """
const blocked = () => { throw new DOMException("blocked", "SecurityError"); };
for (const name of ["localStorage", "sessionStorage"]) {
  Object.defineProperty(window, name, { get: blocked });
}
Object.defineProperty(Document.prototype, "cookie", {
  get: blocked,
  set: blocked,
});
"""


def orphaned_queue(write_key: str, count: int) -> str:
    """An init script leaving the queue a closed tab had not sent, once per browser profile."""
    messages = [
        {
            "type": "track",
            "event": f"Orphan {i}",
            "messageId": f"orphan-{i}",
            "anonymousId": "visitor-1",
            "timestamp": "2026-01-01T00:00:00.000Z",
        }
        for i in range(count)
    ]
    stored = json.dumps({"t": 0, "m": messages})
    key = f"wp_{write_key}_q_closed-tab"
    return f"""
if (location.protocol === "http:" && !localStorage.getItem("seeded")) {{
  localStorage.setItem("seeded", "1");
  localStorage.setItem({json.dumps(key)}, {json.dumps(stored)});
}}"""


def test_two_tabs_never_send_the_same_message(
    browser_context: BrowserContext,
    customer_site: Site,
    collector_api: Collector,
    faulty_proxy: Proxy,
) -> None:
    browser_context.add_init_script(orphaned_queue(collector_api.project.write_key, 3))
    first, second = browser_context.new_page(), browser_context.new_page()
    for tab in (first, second):
        open_page(tab, customer_site, collector_api, host=faulty_proxy.url, flushInterval=50)
    track_many(first, 5, "First")
    track_many(second, 5, "Second")
    events = collector_api.wait_for(13)
    assert Counter(faulty_proxy.sent_ids()).most_common(1)[0][1] == 1
    assert sorted(e["event"] for e in events if e["event"].startswith("Orphan")) == [
        "Orphan 0",
        "Orphan 1",
        "Orphan 2",
    ]


def test_two_tabs_share_one_anonymous_visitor(
    browser_context: BrowserContext, customer_site: Site, collector_api: Collector
) -> None:
    first = open_page(browser_context.new_page(), customer_site, collector_api)
    second = open_page(browser_context.new_page(), customer_site, collector_api)
    assert first.evaluate("waypost.user().anonymousId") == second.evaluate(
        "waypost.user().anonymousId"
    )


def test_a_browser_that_blocks_storage_still_tracks(
    page: Page, customer_site: Site, collector_api: Collector
) -> None:
    page.add_init_script(BLOCK_STORAGE)
    open_page(page, customer_site, collector_api, flushInterval=50)
    page.evaluate("waypost.identify('user-7', { plan: 'pro' }); waypost.track('Blocked A')")
    page.evaluate("waypost.track('Blocked B')")
    events = collector_api.wait_for(3)
    assert [e["type"] for e in events] == ["identify", "track", "track"]
    assert {e["anonymousId"] for e in events} == {events[0]["anonymousId"]}
    assert {e["userId"] for e in events} == {"user-7"}


def test_the_visitor_is_remembered_across_pages(
    page: Page, customer_site: Site, collector_api: Collector
) -> None:
    open_page(page, customer_site, collector_api)
    page.evaluate("waypost.identify('user-8', { plan: 'pro' })")
    before = page.evaluate("waypost.user()")
    open_page(page, customer_site, collector_api)
    assert page.evaluate("waypost.user()") == before


def test_without_local_storage_a_cookie_remembers_the_visitor(
    page: Page, customer_site: Site, collector_api: Collector
) -> None:
    page.add_init_script(
        'Object.defineProperty(window, "localStorage", { get() { throw new Error("off"); } });'
    )
    open_page(page, customer_site, collector_api)
    before = page.evaluate("waypost.user().anonymousId")
    open_page(page, customer_site, collector_api)
    assert page.evaluate("waypost.user().anonymousId") == before
    assert f"wp_{collector_api.project.write_key}_aid={before}" in page.evaluate("document.cookie")
