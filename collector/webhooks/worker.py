"""The delivery worker: ``waypost worker``, or a thread of ``waypost serve``.

It keeps up to ``WAYPOST_WEBHOOK_CONCURRENCY`` deliveries in flight and about twice as
many claimed messages waiting for a sender, claiming a batch per transaction (see
:meth:`Worker._wait_for_room`), and at most ``WAYPOST_WEBHOOK_ENDPOINT_CONCURRENCY`` in
flight to any one endpoint that is not answering fast, so a receiver that hangs cannot hold
every sender (:mod:`collector.webhooks.lanes`). On SIGTERM (or :meth:`Worker.stop`) it
claims nothing more, hands the messages no sender has started back to the outbox, and
returns once the deliveries in flight are settled; each is bounded by the delivery timeout."""

from __future__ import annotations

import logging
import queue
import signal
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from collector.webhooks.attempts import (
    Claimed,
    Delivery,
    Sent,
    claim_due,
    release,
    send,
    settle,
)
from collector.webhooks.lanes import FAST_FRACTION, Job, Lanes
from collector.webhooks.repository import ClaimShare

logger = logging.getLogger("waypost.webhooks")


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
SETTLE_BATCH = 200
"""Tries recorded per transaction at most: one commit serves many deliveries."""


class Worker:
    name = "webhook-worker"

    def __init__(self, engine: Engine, delivery: Delivery) -> None:
        self.engine = engine
        self.delivery = delivery
        self.stopping = threading.Event()
        settings = delivery.settings
        self.lanes = Lanes(
            settings.endpoint_limit,
            settings.concurrency,
            settings.timeout_seconds * FAST_FRACTION,
        )
        self._lock = threading.RLock()
        """Reentrant: the SIGTERM handler calls :meth:`stop` on the main thread, maybe
        while that thread holds it."""
        self._room = threading.Condition(self._lock)
        """Notified when messages are settled: the claimer may claim more."""
        self._work = threading.Condition(self._lock)
        """Notified when a message may be sent: claimed, or its lane has a free slot again."""
        self._hungry: frozenset[uuid.UUID] = frozenset()
        """Endpoints that may have more due: their whole part was claimed, or they were left
        out of the last claim as full."""
        self._poll_at = 0.0
        """When to claim even if no endpoint is known to have more due (new messages)."""
        self._sent: queue.Queue[Sent | None] = queue.Queue()
        self._fast_ms = 1000 * self.lanes.fast_seconds

    def stop(self) -> None:
        """Claim nothing more; :meth:`run` returns when the deliveries in flight are done."""
        self.stopping.set()
        with self._lock:
            self._room.notify_all()
            self._work.notify_all()

    def run(self) -> None:
        settings = self.delivery.settings
        settler = threading.Thread(target=self._settle_loop, name="webhook-settle")
        settler.start()
        senders = [
            threading.Thread(target=self._send_loop, name=f"webhook-{number}")
            for number in range(settings.concurrency)
        ]
        for sender in senders:
            sender.start()
        try:
            while share := self._wait_for_room():
                claimed = self._claim(share)
                jobs = [Job(row, claimed.token, claimed.lease_until) for row in claimed.rows]
                with self._lock:
                    self.lanes.add(jobs)
                    self._work.notify_all()
                    self._hungry = self._may_have_more(share, claimed)
                    self._poll_at = time.monotonic() + settings.poll_seconds
        finally:
            # Stopping: the senders finish what they are sending; the rest goes back now.
            self.stop()
            for sender in senders:
                sender.join()
            with self._lock:
                unsent = self.lanes.drain()
            self._hand_back(unsent)
            # Every delivery has been sent; record the last ones before returning.
            self._sent.put(None)
            settler.join()
        logger.info("webhook worker stopped")

    def _wait_for_room(self) -> ClaimShare | None:
        """What to claim next (None when stopping).

        About three messages per sender are kept claimed, and more are claimed once about
        one per sender is left: one claim transaction then serves two messages per sender,
        and the senders never wait for it. Each endpoint's lane counts only up to its limit
        and a claim takes only a part of each endpoint's due messages, leaving full lanes
        out (see :mod:`collector.webhooks.lanes`), so an endpoint with a backlog it cannot
        send neither fills the claims nor stops them. Between polls, a claim is made only
        for an endpoint that may have more due and has room for it.
        """
        settings = self.delivery.settings
        concurrency = settings.concurrency

        def ready() -> bool:
            if self.lanes.counted() > concurrency:
                return False
            return bool(self._hungry - self.lanes.full()) or time.monotonic() >= self._poll_at

        with self._lock:
            while not (self.stopping.is_set() or ready()):
                wait = self._poll_at - time.monotonic()
                self._room.wait(wait if wait > 0 else settings.poll_seconds)
            if self.stopping.is_set():
                return None
            lanes = self.lanes
            return ClaimShare(
                # A share more than a fast endpoint's part, so that its backlog leaves room
                # in every claim for the other endpoints.
                3 * concurrency - lanes.counted() + lanes.share,
                2 * lanes.share,
                skipped=lanes.full(),
                fast=lanes.fast(),
                per_fast_endpoint=2 * lanes.most,
            )

    def _may_have_more(self, share: ClaimShare, claimed: Claimed) -> frozenset[uuid.UUID]:
        """The endpoints whose whole part was claimed, and those the claim left out."""
        counts = Counter(row.endpoint_id for row in claimed.rows)
        given = {endpoint_id for endpoint_id, n in counts.items() if n >= share.of(endpoint_id)}
        return frozenset(given) | share.skipped

    def _claim(self, share: ClaimShare) -> Claimed:
        try:
            return claim_due(self.engine, self.delivery, share)
        except SQLAlchemyError:
            # The database may be restarting; the messages wait for it, in the outbox.
            logger.exception("webhook worker could not claim messages; trying again")
            return Claimed("", [])

    def _hand_back(self, unsent: list[Job]) -> None:
        try:
            if unsent:
                release(self.engine, [(job.row, job.token) for job in unsent])
        except SQLAlchemyError:
            # Their leases end on their own; another worker claims them then.
            logger.exception("webhook worker could not hand back %d messages", len(unsent))

    def _next_job(self) -> Job | None:
        with self._lock:
            while not self.stopping.is_set():
                job = self.lanes.take()
                if job is not None:
                    return job
                self._work.wait()
        return None

    def _send_loop(self) -> None:
        """One sender: take the next message whose lane has a free slot, send it, repeat."""
        margin = timedelta(seconds=self.delivery.settings.timeout_seconds)
        while (job := self._next_job()) is not None:
            if datetime.now(UTC) + margin >= job.lease_until:
                # Its lease could end mid-try and another worker send it too: hand it back.
                self._hand_back([job])
                self._after_send(job, fast=None, settled=True)
                continue
            fast = False
            try:
                sent = send(self.delivery, job.row, job.token)
                self._sent.put(sent)
                fast = sent.result.succeeded and sent.result.duration_ms < self._fast_ms
            finally:
                self._after_send(job, fast=fast, settled=False)

    def _after_send(self, job: Job, *, fast: bool | None, settled: bool) -> None:
        with self._lock:
            if self.lanes.finished(job, fast=fast):
                self._work.notify_all()
            else:
                self._work.notify()
            if settled:
                self.lanes.settled([job.row.endpoint_id])
                self._room.notify()

    def _settle_loop(self) -> None:
        """Record sent tries in batches, until told the senders are done."""
        done = False
        while not done:
            batch: list[Sent] = []
            item = self._sent.get()
            while item is not None:
                batch.append(item)
                if len(batch) == SETTLE_BATCH:
                    break
                try:
                    item = self._sent.get_nowait()
                except queue.Empty:
                    break
            done = item is None
            self._settle(batch)

    def _settle(self, batch: list[Sent]) -> None:
        try:
            if batch:
                settle(self.engine, self.delivery, batch)
        except SQLAlchemyError:
            # Unsettled, these messages are claimed again when their leases end.
            logger.exception("webhook worker could not record %d deliveries", len(batch))
        finally:
            with self._lock:
                # A full lane may have room again: the claimer looks.
                self.lanes.settled(sent.row.endpoint_id for sent in batch)
                self._room.notify()
