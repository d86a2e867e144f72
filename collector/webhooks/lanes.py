"""Claimed messages waiting for a sender, one lane per endpoint, so that no endpoint that
is slow or hangs can take every sender of a worker.

Senders take from the lanes in turn. A lane has at most ``share`` messages in flight
(``WAYPOST_WEBHOOK_ENDPOINT_CONCURRENCY``, by default half the senders) unless its endpoint
is *fast*: its last try succeeded within a tenth of the delivery timeout and none of its
tries in flight has run longer than that. A fast endpoint may use every sender, so one busy
receiver that answers quickly is not slowed down; the moment one of its tries runs long or
fails, it is back to its share. A receiver that hangs therefore holds at most ``share``
senders (after holding more for at most one timeout, if it hung while fast with a backlog)
while the others keep delivering to the other endpoints at their own pace.

A lane is claimed for only while it holds no more than its share, and then gets at most
``2 * share`` more, so that its messages wait a bounded time for a sender and are not kept
from other workers for long. A fast lane is claimed for while it holds no more than two
messages per sender, and gets up to two per sender more, so that no sender waits for a
claim.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from collector.webhooks.repository import ClaimedMessage

FAST_FRACTION = 0.1
"""A try is fast when it succeeds within this part of the delivery timeout."""
FAST_MEMORY_SECONDS = 60.0
"""How long an endpoint that holds nothing stays known as fast after its last fast try:
claims name every fast endpoint, so the list must not grow with every endpoint ever seen."""


@dataclass(frozen=True)
class Job:
    """A claimed message, the claim's token and when the claim's lease ends."""

    row: ClaimedMessage
    token: str
    lease_until: datetime


class Lanes:
    """The worker's claimed messages per endpoint. Not locked: the worker holds its lock."""

    def __init__(
        self,
        share: int,
        most: int,
        fast_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.share = share
        """Tries in flight to an endpoint that is not fast."""
        self.most = most
        """Tries in flight to a fast endpoint: every sender."""
        self.fast_seconds = fast_seconds
        self.clock = clock
        self._waiting: dict[uuid.UUID, deque[Job]] = {}
        """Lanes with messages waiting for a sender, in their turn (first is next)."""
        self._flying: dict[uuid.UUID, dict[int, float]] = {}
        """Tries in flight per endpoint: message id to when it started."""
        self._fast: dict[uuid.UUID, float] = {}
        """Fast endpoints, and when their last fast try ended."""
        self._held: Counter[uuid.UUID] = Counter()
        """Claimed and not yet settled or handed back: waiting, in flight, or sent."""

    def limit(self, endpoint_id: uuid.UUID) -> int:
        """Tries the endpoint may have in flight now."""
        if endpoint_id not in self._fast:
            return self.share
        started = self._flying.get(endpoint_id, {}).values()
        now = self.clock()
        if any(now - at >= self.fast_seconds for at in started):
            return self.share
        return self.most

    def add(self, jobs: Sequence[Job]) -> None:
        for job in jobs:
            endpoint_id = job.row.endpoint_id
            self._waiting.setdefault(endpoint_id, deque()).append(job)
            self._held[endpoint_id] += 1

    def take(self) -> Job | None:
        """The next message to send: from the first lane in turn with a free slot, which
        then goes to the back of the turn. None when every waiting lane is at its limit."""
        ready = (e for e in self._waiting if self.flying(e) < self.limit(e))
        endpoint_id = next(ready, None)
        if endpoint_id is None:
            return None
        lane = self._waiting.pop(endpoint_id)
        job = lane.popleft()
        if lane:
            self._waiting[endpoint_id] = lane
        self._flying.setdefault(endpoint_id, {})[job.row.id] = self.clock()
        return job

    def finished(self, job: Job, *, fast: bool | None) -> bool:
        """A try is over (not recorded yet), fast or not (None: not made); its slot is free.
        Whether the endpoint just became fast (more than one slot opened)."""
        endpoint_id = job.row.endpoint_id
        flying = self._flying.get(endpoint_id, {})
        flying.pop(job.row.id, None)
        if not flying:
            self._flying.pop(endpoint_id, None)
        if fast is False:
            self._fast.pop(endpoint_id, None)
        if not fast:
            return False
        became = endpoint_id not in self._fast
        self._fast[endpoint_id] = self.clock()
        return became

    def settled(self, endpoint_ids: Iterable[uuid.UUID]) -> None:
        """Messages recorded or handed back: no longer held."""
        for endpoint_id in endpoint_ids:
            self._held[endpoint_id] -= 1
            if self._held[endpoint_id] <= 0:
                del self._held[endpoint_id]

    def drain(self) -> list[Job]:
        """Every message no sender has started, removed from the lanes (to hand back)."""
        jobs = [job for lane in self._waiting.values() for job in lane]
        self._waiting.clear()
        self.settled(job.row.endpoint_id for job in jobs)
        return jobs

    def full(self) -> frozenset[uuid.UUID]:
        """Endpoints claims leave out: those holding more than their share, or, when fast,
        more than two messages per sender (enough that no sender waits for a claim)."""
        return frozenset(e for e, held in self._held.items() if held > self._holds(e))

    def _holds(self, endpoint_id: uuid.UUID) -> int:
        limit = self.limit(endpoint_id)
        return 2 * limit if limit > self.share else limit

    def fast(self) -> frozenset[uuid.UUID]:
        """Endpoints that may use every sender now: claims take more of them."""
        self._forget_idle()
        return frozenset(e for e in self._held.keys() | self._fast if self.limit(e) > self.share)

    def _forget_idle(self) -> None:
        since = self.clock() - FAST_MEMORY_SECONDS
        idle = [e for e, at in self._fast.items() if at < since and e not in self._held]
        for endpoint_id in idle:
            del self._fast[endpoint_id]

    def counted(self) -> int:
        """Messages held, each lane counted up to its limit: what the senders can work on
        now. A full lane counts no more, so a hanging endpoint cannot stop the claims."""
        return sum(min(held, self.limit(e)) for e, held in self._held.items())

    def held(self, endpoint_id: uuid.UUID) -> int:
        return self._held[endpoint_id]

    def flying(self, endpoint_id: uuid.UUID) -> int:
        return len(self._flying.get(endpoint_id, {}))
