"""Misuse raises only in debug; otherwise it is logged and the call dropped."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.sdk_python.recording import Collector, client


def test_debug_raises_on_a_track_without_event() -> None:
    with pytest.raises(ValueError, match="event"):
        client(Collector(), debug=True).track("user-1")


def test_debug_raises_on_properties_that_are_not_a_dict() -> None:
    bad: Any = ["not", "a", "dict"]
    with pytest.raises(TypeError, match="properties"):
        client(Collector(), debug=True).track("user-1", "Report Created", bad)


def test_debug_raises_on_a_call_without_any_id() -> None:
    with pytest.raises(ValueError, match="user_id or anonymous_id"):
        client(Collector(), debug=True).identify(traits={"plan": "pro"})


def test_without_debug_misuse_returns_none_and_sends_nothing() -> None:
    collector = Collector()
    sdk = client(collector)
    assert sdk.alias(None, "user-1") is None
    assert sdk.flush(1)
    assert collector.requests == []


def test_without_debug_misuse_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="waypost"):
        client(Collector()).group("user-1", None)
    assert "group call dropped: group needs group_id" in caplog.text


def test_a_message_over_32_kb_is_dropped_with_a_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    collector = Collector()
    with caplog.at_level(logging.ERROR, logger="waypost"):
        dropped = client(collector, sync_mode=True).track("u", "Big", {"blob": "x" * 33_000})
    assert dropped is None and collector.requests == []
    assert "over the 32 KB limit" in caplog.text


def test_a_value_json_cannot_encode_is_refused_in_debug() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        client(Collector(), debug=True).track("user-1", "Report Created", {"x": object()})
