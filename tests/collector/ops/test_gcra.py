"""The rate algorithm: bursts up to the limit, then one request per interval."""

from __future__ import annotations

import pytest

from collector.ratelimit.gcra import Limit, decide, retry_after_header
from collector.ratelimit.store import MemoryStore

TEN_PER_SECOND = Limit(name="write_key", rate=10, burst=3)


def burst(limit: Limit, count: int, now: float = 100.0) -> list[bool]:
    tat = None
    allowed = []
    for _ in range(count):
        decision = decide(tat, now, limit)
        tat = decision.tat
        allowed.append(decision.allowed)
    return allowed


def test_a_new_bucket_allows_a_burst_then_refuses() -> None:
    assert burst(TEN_PER_SECOND, 4) == [True, True, True, False]


def test_a_refusal_says_when_to_come_back() -> None:
    full = decide(100.3, 100.0, TEN_PER_SECOND)
    assert not full.allowed
    assert full.retry_after == pytest.approx(0.1)


def test_a_refusal_does_not_push_the_next_allowance_later() -> None:
    assert decide(100.3, 100.0, TEN_PER_SECOND).tat == 100.3


def test_an_interval_later_one_more_request_fits() -> None:
    assert decide(100.3, 100.1, TEN_PER_SECOND).allowed


def test_a_quiet_bucket_is_full_again() -> None:
    assert decide(50.0, 100.0, TEN_PER_SECOND).tat == pytest.approx(100.1)


@pytest.mark.parametrize(("seconds", "header"), [(0.01, "1"), (1.2, "2"), (0.0, "1")])
def test_retry_after_is_whole_seconds_never_zero(seconds: float, header: str) -> None:
    assert retry_after_header(seconds) == header


def test_the_memory_store_keeps_buckets_apart() -> None:
    store = MemoryStore()
    for _ in range(3):
        store.check("a", TEN_PER_SECOND, 100.0)
    assert not store.check("a", TEN_PER_SECOND, 100.0).allowed
    assert store.check("b", TEN_PER_SECOND, 100.0).allowed


def test_the_memory_store_forgets_full_buckets() -> None:
    store = MemoryStore()
    store.check("a", TEN_PER_SECOND, 100.0)
    assert store.sweep(200.0) == 1
