"""The worker's lanes: per endpoint, no more in flight than the limit, taken in turn."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from collector.webhooks.lanes import Job, Lanes
from collector.webhooks.repository import ClaimedMessage

A = uuid.UUID(int=1)
B = uuid.UUID(int=2)


def jobs(endpoint_id: uuid.UUID, count: int, first: int = 0) -> list[Job]:
    return [
        Job(
            ClaimedMessage(
                id=first + number,
                project_id=uuid.UUID(int=9),
                endpoint_id=endpoint_id,
                webhook_id=f"msg_{endpoint_id.int}_{number}",
                event_type="survey.responded",
                payload={},
                tries=0,
                url="https://crm.example.com/hooks",
                secret="whsec_c2VjcmV0",
                previous_secret=None,
                previous_secret_expires_at=None,
            ),
            "token",
            datetime.now(UTC),
        )
        for number in range(count)
    ]


def take_all(lanes: Lanes) -> list[uuid.UUID]:
    taken = []
    while (job := lanes.take()) is not None:
        taken.append(job.row.endpoint_id)
    return taken


class Clock:
    """Seconds that pass only when a test says so."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def lanes_of(share: int, clock: Clock | None = None) -> Lanes:
    """Lanes of a worker with four senders; a try is fast within a second."""
    return Lanes(share, 4, fast_seconds=1.0, clock=clock or Clock())


def test_a_lane_has_no_more_in_flight_than_its_share() -> None:
    lanes = lanes_of(2)
    lanes.add(jobs(A, 6))
    taken = [lanes.take() for _ in range(3)]
    assert [job.row.endpoint_id if job else None for job in taken] == [A, A, None]
    assert taken[0] is not None
    lanes.finished(taken[0], fast=False)
    assert take_all(lanes) == [A]


def test_a_fast_endpoint_may_use_every_sender() -> None:
    lanes = lanes_of(2)
    lanes.add(jobs(A, 6))
    first = lanes.take()
    assert first is not None
    lanes.finished(first, fast=True)
    assert take_all(lanes) == [A, A, A, A]


def test_a_fast_endpoint_with_a_try_running_long_is_back_to_its_share() -> None:
    clock = Clock()
    lanes = lanes_of(2, clock)
    lanes.add(jobs(A, 6))
    first = lanes.take()
    assert first is not None
    lanes.finished(first, fast=True)
    assert lanes.take() is not None
    clock.now = 1.5
    assert take_all(lanes) == [A]
    assert lanes.limit(A) == 2


def test_a_failed_try_ends_an_endpoint_being_fast() -> None:
    lanes = lanes_of(1)
    lanes.add(jobs(A, 3))
    first = lanes.take()
    assert first is not None
    lanes.finished(first, fast=True)
    assert lanes.limit(A) == 4
    second = lanes.take()
    assert second is not None
    lanes.finished(second, fast=False)
    assert lanes.limit(A) == 1


def test_a_fast_endpoint_idle_for_a_minute_is_forgotten() -> None:
    clock = Clock()
    lanes = lanes_of(1, clock)
    lanes.add(jobs(A, 1) + jobs(B, 1, first=10))
    for _ in range(2):
        job = lanes.take()
        assert job is not None
        lanes.finished(job, fast=True)
        lanes.settled([job.row.endpoint_id])
    clock.now = 30.0
    lanes.add(jobs(B, 1, first=20))
    clock.now = 61.0
    assert lanes.fast() == {B}


def test_senders_take_from_the_lanes_in_turn() -> None:
    lanes = lanes_of(3)
    lanes.add(jobs(A, 5) + jobs(B, 5, first=100))
    assert take_all(lanes) == [A, B, A, B, A, B]


def test_a_lane_sends_its_messages_in_the_order_claimed() -> None:
    lanes = lanes_of(3)
    lanes.add(jobs(A, 3))
    taken = [lanes.take() for _ in range(3)]
    assert [job.row.id for job in taken if job] == [0, 1, 2]


def test_a_lane_holding_more_than_its_limit_is_full_and_counts_only_its_limit() -> None:
    lanes = lanes_of(2)
    lanes.add(jobs(A, 6) + jobs(B, 1, first=100))
    assert lanes.full() == {A}
    assert lanes.counted() == 3


def test_a_full_lane_may_be_claimed_for_again_once_settled_down_to_its_share() -> None:
    lanes = lanes_of(2)
    lanes.add(jobs(A, 4))
    lanes.settled([A])
    assert lanes.full() == {A}
    lanes.settled([A])
    assert lanes.full() == frozenset()


def test_draining_returns_what_no_sender_started_and_forgets_it() -> None:
    lanes = lanes_of(1)
    lanes.add(jobs(A, 3) + jobs(B, 1, first=100))
    started = lanes.take()
    unsent = lanes.drain()
    assert started is not None and started.row.endpoint_id == A
    assert sorted(job.row.id for job in unsent) == [1, 2, 100]
    assert (lanes.held(A), lanes.held(B), lanes.take()) == (1, 0, None)
