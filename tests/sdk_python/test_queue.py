"""A full queue drops by the configured policy, and counts what it dropped."""

from __future__ import annotations

import logging

import pytest

from tests.sdk_python.recording import Collector, client


def fill(collector: Collector, on_full: str) -> int:
    sdk = client(collector, max_queue_size=3, on_full=on_full)
    for n in range(5):
        sdk.track("user-1", f"event-{n}")
    assert sdk.flush(5)
    return sdk.dropped


def test_drop_oldest_keeps_the_newest_messages() -> None:
    collector = Collector()
    fill(collector, "drop_oldest")
    assert collector.events() == ["event-2", "event-3", "event-4"]


def test_drop_newest_keeps_the_oldest_messages() -> None:
    collector = Collector()
    fill(collector, "drop_newest")
    assert collector.events() == ["event-0", "event-1", "event-2"]


def test_drops_are_counted() -> None:
    assert fill(Collector(), "drop_oldest") == 2


def test_drops_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="waypost"):
        fill(Collector(), "drop_newest")
    assert sum("queue full" in record.message for record in caplog.records) == 2


def test_an_unknown_policy_is_refused_in_debug() -> None:
    with pytest.raises(ValueError, match="on_full"):
        client(Collector(), on_full="drop_random", debug=True)
