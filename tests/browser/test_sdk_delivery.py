"""The browser SDK in Chromium against a live collector: every event arrives, once,
whatever happens to the network, the collector or the tab."""

from __future__ import annotations

from collections import Counter

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.sdk_site import READY, Collector, Proxy, Site, open_page, track_many

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_events_from_a_page_arrive_exactly_once(
    page: Page, customer_site: Site, collector_api: Collector, faulty_proxy: Proxy
) -> None:
    open_page(page, customer_site, collector_api, host=faulty_proxy.url)
    track_many(page, 30)
    page.evaluate("waypost.flush()")
    events = collector_api.wait_for(30)
    page.reload()
    page.wait_for_function(READY)
    page.evaluate("waypost.flush()")
    assert sorted(e["event"] for e in collector_api.events()) == sorted(
        f"Event {i}" for i in range(30)
    )
    assert Counter(faulty_proxy.sent_ids()).most_common(1)[0][1] == 1
    assert len({e["messageId"] for e in events}) == 30


def test_events_tracked_right_before_the_tab_closes_arrive(
    page: Page, customer_site: Site, collector_api: Collector
) -> None:
    # A minute between sends: only the page's own goodbye can deliver these.
    open_page(page, customer_site, collector_api, flushInterval=60_000)
    track_many(page, 3, "Last")
    page.close()
    assert sorted(e["event"] for e in collector_api.wait_for(3)) == ["Last 0", "Last 1", "Last 2"]


def test_going_offline_then_online_delivers_the_queue(
    page: Page, browser_context: BrowserContext, customer_site: Site, collector_api: Collector
) -> None:
    open_page(page, customer_site, collector_api, flushInterval=50)
    browser_context.set_offline(True)
    track_many(page, 5, "Offline")
    page.evaluate("waypost.flush()")
    assert collector_api.events() == []
    browser_context.set_offline(False)
    events = collector_api.wait_for(5)
    assert sorted(e["event"] for e in events) == [f"Offline {i}" for i in range(5)]


def test_a_collector_answering_500_then_200_gets_every_event_once(
    page: Page, customer_site: Site, collector_api: Collector, faulty_proxy: Proxy
) -> None:
    faulty_proxy.fail(2, status=500)
    open_page(page, customer_site, collector_api, host=faulty_proxy.url, flushInterval=50)
    track_many(page, 10, "Retried")
    events = collector_api.wait_for(10)
    assert sorted(e["event"] for e in events) == sorted(f"Retried {i}" for i in range(10))
    assert faulty_proxy.failures == []
    assert Counter(faulty_proxy.sent_ids()) == Counter(e["messageId"] for e in events)


def test_a_429_is_retried_after_the_time_it_names(
    page: Page, customer_site: Site, collector_api: Collector, faulty_proxy: Proxy
) -> None:
    faulty_proxy.fail(1, status=429, headers={"retry-after": "1"})
    open_page(page, customer_site, collector_api, host=faulty_proxy.url, flushInterval=50)
    track_many(page, 2, "Limited")
    assert len(collector_api.wait_for(2)) == 2


def test_events_a_failing_collector_refused_are_sent_after_a_reload(
    page: Page, customer_site: Site, collector_api: Collector, faulty_proxy: Proxy
) -> None:
    faulty_proxy.fail(100, status=503)
    open_page(page, customer_site, collector_api, host=faulty_proxy.url, flushInterval=50)
    track_many(page, 4, "Survivor")
    page.evaluate("waypost.flush()")
    page.reload()
    faulty_proxy.failures.clear()
    page.wait_for_function(READY)
    events = collector_api.wait_for(4)
    assert sorted(e["event"] for e in events) == [f"Survivor {i}" for i in range(4)]
