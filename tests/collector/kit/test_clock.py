"""Clock-skew correction: ``timestamp = receivedAt - (sentAt - originalTimestamp)``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from collector.kit.clock import corrected_timestamp

RECEIVED = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_event_without_client_time_happened_when_received() -> None:
    assert corrected_timestamp(None, None, RECEIVED) == RECEIVED


def test_sent_at_alone_does_not_move_the_received_time() -> None:
    assert corrected_timestamp(None, RECEIVED - timedelta(hours=3), RECEIVED) == RECEIVED


def test_client_time_without_sent_at_is_kept_as_given() -> None:
    imported = datetime(2025, 1, 1, tzinfo=UTC)
    assert corrected_timestamp(imported, None, RECEIVED) == imported


def test_clock_running_behind_is_corrected() -> None:
    # The device clock is 3 hours behind; the event happened 5 minutes before sending.
    sent = RECEIVED - timedelta(hours=3)
    original = sent - timedelta(minutes=5)
    assert corrected_timestamp(original, sent, RECEIVED) == RECEIVED - timedelta(minutes=5)


def test_clock_running_ahead_is_corrected() -> None:
    sent = RECEIVED + timedelta(days=2)
    original = sent - timedelta(seconds=30)
    assert corrected_timestamp(original, sent, RECEIVED) == RECEIVED - timedelta(seconds=30)


def test_correct_clock_keeps_the_client_time() -> None:
    original = RECEIVED - timedelta(minutes=1)
    assert corrected_timestamp(original, RECEIVED, RECEIVED) == original
