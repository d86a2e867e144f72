"""Messages leave in Segment's format, stamped with ``sentAt`` when they are sent."""

from __future__ import annotations

import multiprocessing
import re
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from waypost.messages import IDS_PER_REFILL, iso, new_message_id, now_iso

from tests.sdk_python.recording import Collector, client

FORK = multiprocessing.get_context("fork")
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


def test_generated_message_ids_do_not_repeat() -> None:
    ids = {new_message_id() for _ in range(3 * IDS_PER_REFILL)}
    assert len(ids) == 3 * IDS_PER_REFILL
    assert {uuid.UUID(found).version for found in ids} == {4}


def next_id_in_child(path: Path) -> None:
    path.write_text(new_message_id())


def test_a_forked_child_never_reuses_its_parents_message_ids(tmp_path: Path) -> None:
    new_message_id()  # the parent now holds a pool of ids it has not handed out
    child = FORK.Process(target=next_id_in_child, args=(tmp_path / "id",))
    child.start()
    child.join(10)
    parent_ids = {new_message_id() for _ in range(IDS_PER_REFILL)}
    assert (tmp_path / "id").read_text() not in parent_ids


def test_the_current_timestamp_matches_the_clock() -> None:
    before = iso(datetime.now(UTC))
    stamped = now_iso()
    assert before <= stamped <= iso(datetime.now(UTC))


def test_non_ascii_text_is_sent_as_utf8() -> None:
    message = sent(properties={"title": "שלום"})
    assert message["properties"] == {"title": "שלום"}
    collector = Collector()
    client(collector, sync_mode=True).track("user-1", "Report Created", {"title": "שלום"})
    assert "שלום".encode() in collector.requests[0].body


def test_sets_and_uuids_are_sent_as_json() -> None:
    value = uuid.UUID("12345678-1234-4234-8234-123456789012")
    properties = sent(properties={"ids": {value}, "one": value})["properties"]
    assert properties == {"ids": [str(value)], "one": str(value)}


def test_numeric_ids_are_sent_as_strings() -> None:
    collector = Collector()
    client(collector, sync_mode=True).group(42, 7)  # type: ignore[arg-type]
    [[message]] = collector.batches()
    assert (message["userId"], message["groupId"]) == ("42", "7")


def test_nan_is_refused_rather_than_failing_the_batch() -> None:
    with pytest.raises(ValueError, match="not JSON compliant"):
        client(Collector(), debug=True).track("user-1", "Scored", {"score": float("nan")})


def test_a_timestamp_that_is_not_a_datetime_is_refused() -> None:
    bad: Any = "2026-01-01"
    with pytest.raises(TypeError, match="timestamp must be a datetime"):
        client(Collector(), debug=True).track("user-1", "Report Created", timestamp=bad)


def test_a_boolean_user_id_is_refused() -> None:
    bad: Any = True
    with pytest.raises(TypeError, match="userId must be a string"):
        client(Collector(), debug=True).identify(bad, {"plan": "pro"})
