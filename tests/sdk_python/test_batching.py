"""The consumer closes batches by count, by bytes and by time."""

from __future__ import annotations

import logging
import time

import pytest

from tests.sdk_python.recording import Collector, client

BIG_PROPERTY = "x" * 30_000


def test_batches_hold_at_most_flush_at_messages() -> None:
    collector = Collector()
    sdk = client(collector, flush_at=3)
    for n in range(7):
        sdk.track("user-1", f"event-{n}")
    assert sdk.flush(5)
    assert [len(batch) for batch in collector.batches()] == [3, 3, 1]


def test_batches_stay_under_the_collectors_byte_limit() -> None:
    collector = Collector()
    sdk = client(collector)
    for n in range(40):
        sdk.track("user-1", f"event-{n}", {"blob": BIG_PROPERTY})
    assert sdk.flush(5)
    assert max(len(request.body) for request in collector.requests) < 500 * 1024
    assert len(collector.events()) == 40


def test_a_batch_is_sent_after_flush_interval_without_flush() -> None:
    collector = Collector()
    sdk = client(collector, flush_interval=0.05)
    sdk.track("user-1", "Report Created")
    deadline = time.monotonic() + 5
    while not collector.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    assert collector.events() == ["Report Created"]


def test_flush_with_nothing_queued_returns_at_once() -> None:
    assert client(Collector()).flush(0.1)


def test_sync_mode_sends_during_the_call() -> None:
    collector = Collector()
    client(collector, sync_mode=True).track("user-1", "Report Created")
    assert collector.events() == ["Report Created"]


def test_send_false_sends_nothing() -> None:
    collector = Collector()
    sdk = client(collector, send=False)
    sdk.track("user-1", "Report Created")
    assert sdk.flush(1)
    assert collector.requests == []


def test_several_sending_threads_deliver_every_message_once() -> None:
    collector = Collector()
    sdk = client(collector, flush_at=2, threads=3)
    for n in range(21):
        sdk.track("user-1", f"event-{n}")
    assert sdk.flush(5)
    assert sorted(collector.events()) == sorted(f"event-{n}" for n in range(21))


def test_a_call_after_shutdown_is_logged_and_not_sent(caplog: pytest.LogCaptureFixture) -> None:
    collector = Collector()
    sdk = client(collector)
    assert sdk.shutdown(5)
    with caplog.at_level(logging.WARNING, logger="waypost"):
        sdk.track("user-1", "Report Created")
    assert "client is shut down" in caplog.text
    assert collector.requests == []
