"""The official Segment clients and this SDK make the same calls: the collector stores them
alike and resolves the same people and accounts from them."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx2
import pytest
from playwright.sync_api import Page
from segment.analytics.client import Client

from tests.browser.sdk_site import Collector, Site, open_page

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

CALLS = """
waypost.identify("wp-user", { plan: "pro", seats: 3 });
waypost.group("wp-account", { size: 50 });
waypost.track("Report Created", { type: "funnel", count: 2 });
waypost.page("Reports", { section: "analytics" });
"""
# Fields every stored event has whichever client sent it; the rest depends on the call.
COMMON = {"messageId", "type", "userId", "personId", "context", "timestamp"}


def send_with_segment_python(collector: Collector) -> None:
    client = Client(collector.project.write_key, host=collector.url, sync_mode=True)
    client.identify("py-user", {"plan": "pro", "seats": 3}, anonymous_id="py-visitor")
    client.group("py-user", "py-account", {"size": 50})
    client.track("py-user", "Report Created", {"type": "funnel", "count": 2})
    client.page("py-user", name="Reports", properties={"section": "analytics"})


def analytics_js_track(write_key: str) -> dict[str, Any]:
    """A track call as analytics.js sends it (one call per request, the key in the body)."""
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {
        "type": "track",
        "event": "Report Created",
        "properties": {"type": "funnel", "count": 2},
        "userId": "ajs-user",
        "anonymousId": str(uuid.uuid4()),
        "messageId": f"ajs-next-{uuid.uuid4().hex}",
        "timestamp": now,
        "sentAt": now,
        "integrations": {},
        "context": {
            "library": {"name": "analytics.js", "version": "next-1.70.0"},
            "page": {
                "path": "/reports",
                "referrer": "",
                "search": "",
                "title": "Reports",
                "url": "https://app.example.com/reports",
            },
            "userAgent": "Mozilla/5.0",
            "locale": "en-US",
        },
        "writeKey": write_key,
    }


def by_user(events: list[dict[str, Any]], user: str) -> dict[str, dict[str, Any]]:
    return {e["type"]: e for e in events if e.get("userId") == user}


def person(collector: Collector, user: str) -> dict[str, Any]:
    answer = httpx2.get(
        f"{collector.url}/api/v1/persons/{user}",
        headers={"Authorization": f"Bearer {collector.project.secret_key}"},
    )
    found: dict[str, Any] = answer.json()
    return found


@pytest.fixture
def stored(page: Page, customer_site: Site, collector_api: Collector) -> list[dict[str, Any]]:
    """The events of the same calls made by Segment's Python client and by this SDK."""
    send_with_segment_python(collector_api)
    open_page(page, customer_site, collector_api, CALLS, flushInterval=50)
    return collector_api.wait_for(8)


def test_both_clients_calls_are_all_accepted(stored: list[dict[str, Any]]) -> None:
    assert sorted(e["type"] for e in stored) == sorted(["identify", "group", "track", "page"] * 2)


def test_each_call_is_stored_with_the_same_fields(stored: list[dict[str, Any]]) -> None:
    segment, ours = by_user(stored, "py-user"), by_user(stored, "wp-user")
    for call in ("identify", "group", "track", "page"):
        segment_fields = {k for k, v in segment[call].items() if v not in (None, {}, "")}
        our_fields = {k for k, v in ours[call].items() if v not in (None, {}, "")}
        assert our_fields >= COMMON and segment_fields >= COMMON
        assert segment_fields - {"integrations"} - our_fields == set(), call


def test_each_call_keeps_the_same_payload(stored: list[dict[str, Any]]) -> None:
    segment, ours = by_user(stored, "py-user"), by_user(stored, "wp-user")
    assert ours["identify"]["traits"] == segment["identify"]["traits"]
    assert ours["group"]["traits"] == segment["group"]["traits"]
    assert (ours["track"]["event"], ours["track"]["properties"]) == (
        segment["track"]["event"],
        segment["track"]["properties"],
    )
    assert ours["page"]["name"] == segment["page"]["name"] == "Reports"
    assert ours["page"]["properties"]["section"] == "analytics"


def test_both_resolve_a_person_with_the_same_traits_and_account(
    stored: list[dict[str, Any]], collector_api: Collector
) -> None:
    segment, ours = person(collector_api, "py-user"), person(collector_api, "wp-user")
    assert segment["traits"] == ours["traits"] == {"plan": "pro", "seats": 3}
    assert len(segment["accounts"]) == len(ours["accounts"]) == 1


def test_an_analytics_js_call_and_ours_are_stored_alike(
    page: Page, customer_site: Site, collector_api: Collector
) -> None:
    answer = httpx2.post(
        f"{collector_api.url}/v1/track",
        content=json.dumps(analytics_js_track(collector_api.project.write_key)),
        headers={"content-type": "text/plain"},
    )
    assert answer.json()["rejected"] == [], answer.text
    open_page(page, customer_site, collector_api, "waypost.identify('wp-user'); " + CALLS)
    page.evaluate("waypost.flush()")
    events = collector_api.wait_for(6)
    theirs, ours = by_user(events, "ajs-user")["track"], by_user(events, "wp-user")["track"]
    assert set(theirs["context"]) - {"library"} <= set(ours["context"])
    assert set(theirs["context"]["page"]) == set(ours["context"]["page"])
    assert {k for k, v in theirs.items() if v} - {"integrations"} <= {
        k for k, v in ours.items() if v
    }
