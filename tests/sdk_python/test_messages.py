"""Messages leave in Segment's format, stamped with ``sentAt`` when they are sent."""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from waypost.messages import iso

from tests.sdk_python.recording import Collector, client

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def sent(**call: Any) -> dict[str, Any]:
    collector = Collector()
    client(collector, sync_mode=True).track("user-1", "Report Created", **call)
    [[message]] = collector.batches()
    return message


def test_message_id_is_a_uuid4() -> None:
    assert uuid.UUID(str(sent()["messageId"])).version == 4


def test_timestamp_is_iso_8601_utc() -> None:
    assert ISO_UTC.match(str(sent()["timestamp"]))


def test_context_names_the_library() -> None:
    assert sent(context={"ip": "0.0.0.0"})["context"] == {
        "ip": "0.0.0.0",
        "library": {"name": "waypost-python", "version": "0.1.0"},
    }


def test_given_message_id_and_timestamp_are_kept() -> None:
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    message = sent(message_id="m-1", timestamp=moment)
    assert (message["messageId"], message["timestamp"]) == ("m-1", "2026-01-02T03:04:05.000Z")


def test_sent_at_is_set_at_send_time() -> None:
    collector = Collector()
    sdk = client(collector)
    queued_at = sdk.track("user-1", "Report Created")
    time.sleep(0.05)
    flushed_at = iso(datetime.now(UTC))
    sdk.flush(5)
    assert queued_at is not None and "sentAt" not in queued_at
    assert collector.requests[0].json()["sentAt"] >= flushed_at > queued_at["timestamp"]
