"""Transient failures are retried with backoff; other client errors are final."""

from __future__ import annotations

import email.utils
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from waypost import DeliveryError, Response

from tests.sdk_python.recording import Collector, client


class Errors:
    def __init__(self) -> None:
        self.seen: list[tuple[Exception, list[dict[str, Any]]]] = []

    def __call__(self, error: Exception, batch: list[dict[str, Any]]) -> None:
        self.seen.append((error, batch))


def test_a_503_is_retried_and_the_batch_delivered_once() -> None:
    collector = Collector([Response(503)])
    errors = Errors()
    sdk = client(collector, on_error=errors)
    sdk.track("user-1", "Report Created")
    assert sdk.flush(5)
    assert len(collector.requests) == 2
    assert errors.seen == []


def test_a_network_error_is_retried() -> None:
    collector = Collector([ConnectionResetError("reset")])
    sdk = client(collector)
    sdk.track("user-1", "Report Created")
    assert sdk.flush(5)
    assert collector.events() == ["Report Created", "Report Created"]


def test_a_429_waits_for_retry_after() -> None:
    collector = Collector([Response(429, {"retry-after": "0.3"})])
    sdk = client(collector)
    sdk.track("user-1", "Report Created")
    assert sdk.flush(5)
    assert collector.times[1] - collector.times[0] >= 0.3


def test_a_400_is_not_retried() -> None:
    collector = Collector([Response(400, body=b'{"error": {}}')])
    sdk = client(collector)
    sdk.track("user-1", "Report Created")
    assert sdk.flush(5)
    assert len(collector.requests) == 1


def test_a_final_failure_reaches_on_error_with_the_batch() -> None:
    errors = Errors()
    sdk = client(Collector([Response(401)]), on_error=errors)
    sdk.track("user-1", "Report Created")
    sdk.flush(5)
    [(error, batch)] = errors.seen
    assert isinstance(error, DeliveryError) and error.status == 401
    assert [message["event"] for message in batch] == ["Report Created"]


def test_retries_stop_after_max_retries() -> None:
    collector = Collector([Response(500)] * 5)
    sdk = client(collector, max_retries=2)
    sdk.track("user-1", "Report Created")
    assert sdk.flush(5)
    assert len(collector.requests) == 3


def test_a_429_with_an_http_date_is_retried() -> None:
    past = email.utils.format_datetime(datetime.now(UTC) - timedelta(seconds=5), usegmt=True)
    collector = Collector([Response(429, {"retry-after": past})])
    sdk = client(collector)
    sdk.track("user-1", "Report Created")
    assert sdk.flush(5)
    assert collector.events() == ["Report Created", "Report Created"]


def test_a_429_with_an_unreadable_retry_after_falls_back_to_backoff() -> None:
    collector = Collector([Response(429, {"retry-after": "soon"})])
    sdk = client(collector)
    sdk.track("user-1", "Report Created")
    assert sdk.flush(5)
    assert len(collector.requests) == 2


def test_a_network_failure_on_the_last_attempt_reaches_on_error() -> None:
    errors = Errors()
    sdk = client(Collector([ConnectionRefusedError("refused")]), on_error=errors, max_retries=0)
    sdk.track("user-1", "Report Created")
    assert sdk.flush(5)
    [(error, _)] = errors.seen
    assert isinstance(error, DeliveryError) and error.status is None


def test_an_on_error_that_raises_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    def broken(error: Exception, batch: list[dict[str, Any]]) -> None:
        raise RuntimeError("broken hook")

    sdk = client(Collector([Response(400)]), on_error=broken)
    with caplog.at_level(logging.ERROR, logger="waypost"):
        sdk.track("user-1", "Report Created")
        assert sdk.flush(5)
    assert "on_error raised" in caplog.text
