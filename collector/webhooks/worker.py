"""The delivery worker: ``waypost worker``, or a thread of ``waypost serve``.

It keeps up to ``WAYPOST_WEBHOOK_CONCURRENCY`` deliveries in flight and twice as many
claimed messages waiting for a sender, claiming a batch per transaction (see
:meth:`Worker._wait_for_room`). On SIGTERM (or :meth:`Worker.stop`) it claims nothing more,
hands the messages no sender has started back to the outbox, and returns once the
deliveries in flight are settled; each is bounded by the delivery timeout.

Beside deliveries it evaluates account health every ``WAYPOST_HEALTH_EVALUATION_SECONDS``
(:mod:`collector.accounts.health_changes`), writing ``account.health_changed`` messages for
it to send; stopping waits for the project being evaluated, not for the round.
"""

from __future__ import annotations

import logging
import queue
import signal
import threading
from collections.abc import AsyncIterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from types import FrameType

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from collector.accounts.health_changes import start_periodic_evaluation
from collector.db.engine import build_engine
from collector.settings import Settings
from collector.webhooks.delivery import (
    Claimed,
    Delivery,
    Sent,
    claim_due,
    release,
    send,
    settle,
)
from collector.webhooks.repository import ClaimedMessage

logger = logging.getLogger("waypost.webhooks")


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
SETTLE_BATCH = 200
"""Tries recorded per transaction at most: one commit serves many deliveries."""


class Worker:
    def __init__(self, engine: Engine, delivery: Delivery, health_seconds: float = 0) -> None:
        self.engine = engine
        self.delivery = delivery
        self.health_seconds = health_seconds
        """How often account health is evaluated alongside deliveries (0: never)."""
        self.stopping = threading.Event()
        self._queued = 0
        """Messages claimed and not yet settled: waiting for a sender, in flight, or sent."""
        self._room = threading.Condition()
        self._wake = threading.Event()
        self._sent: queue.Queue[Sent | None] = queue.Queue()

    def stop(self) -> None:
        """Claim nothing more; :meth:`run` returns when the deliveries in flight are done."""
        self.stopping.set()
        self._wake.set()
        with self._room:
            self._room.notify_all()

    def run(self) -> None:
        settings = self.delivery.settings
        settler = threading.Thread(target=self._settle_loop, name="webhook-settle")
        settler.start()
        evaluator = start_periodic_evaluation(self.engine, self.health_seconds, self.stopping)
        waiting: dict[Future[None], tuple[ClaimedMessage, str]] = {}
        try:
            with ThreadPoolExecutor(settings.concurrency, thread_name_prefix="webhook") as pool:
                while room := self._wait_for_room():
                    claimed = self._claim(room)
                    with self._room:
                        self._queued += len(claimed.rows)
                    waiting = {future: w for future, w in waiting.items() if not future.done()}
                    for row in claimed.rows:
                        waiting[pool.submit(self._send, row, claimed.token)] = (row, claimed.token)
                    if not claimed.rows:
                        self._wake.wait(settings.poll_seconds)
                # Stopping: what no sender has started yet goes back to the outbox now.
                pool.shutdown(cancel_futures=True)
            self._hand_back([w for future, w in waiting.items() if future.cancelled()])
        finally:
            # Every delivery has been sent; record the last ones before returning.
            self._sent.put(None)
            settler.join()
            if evaluator is not None:
                evaluator.join()
        logger.info("webhook worker stopped")

    def _wait_for_room(self) -> int:
        """How many messages to claim next (0 when stopping).

        Up to three per sender are kept claimed, and more are claimed once at most one per
        sender is left: one claim transaction then serves two messages per sender, and the
        senders never wait for it. A message waits for a sender at most two delivery
        timeouts, so its lease (longer than three timeouts) holds until it is settled.
        """
        concurrency = self.delivery.settings.concurrency
        with self._room:
            self._room.wait_for(lambda: self._queued <= concurrency or self.stopping.is_set())
            return 0 if self.stopping.is_set() else 3 * concurrency - self._queued

    def _claim(self, limit: int) -> Claimed:
        try:
            return claim_due(self.engine, self.delivery, limit)
        except SQLAlchemyError:
            # The database may be restarting; the messages wait for it, in the outbox.
            logger.exception("webhook worker could not claim messages; trying again")
            return Claimed("", [])

    def _hand_back(self, unsent: list[tuple[ClaimedMessage, str]]) -> None:
        try:
            if unsent:
                release(self.engine, unsent)
        except SQLAlchemyError:
            # Their leases end on their own; another worker claims them then.
            logger.exception("webhook worker could not hand back %d messages", len(unsent))
        with self._room:
            self._queued -= len(unsent)

    def _send(self, row: ClaimedMessage, token: str) -> None:
        self._sent.put(send(self.delivery, row, token))

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
            with self._room:
                self._queued -= len(batch)
                self._room.notify()


def run_worker(settings: Settings) -> None:
    """Deliver webhooks until SIGTERM or SIGINT, then finish what is in flight and return.

    Call it from the main thread (signals are delivered there); the previous handlers are
    restored on return.
    """
    engine = build_engine(settings.database_url, pool_size=settings.webhooks.concurrency + 2)
    worker = Worker(
        engine, Delivery.from_settings(settings.webhooks), settings.health_evaluation_seconds
    )

    def on_signal(number: int, _frame: FrameType | None) -> None:
        logger.info("webhook worker stopping on signal %d", number)
        worker.stop()

    previous = {number: signal.signal(number, on_signal) for number in STOP_SIGNALS}
    logger.info("webhook worker started")
    try:
        worker.run()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        engine.dispose()


@asynccontextmanager
async def in_process_worker(settings: Settings, engine: Engine) -> AsyncIterator[None]:
    """With ``WAYPOST_WORKER_IN_PROCESS``, the worker on a thread of this ``waypost serve``
    process, sharing its engine; stopped, after its deliveries in flight, at shutdown."""
    if not settings.worker_in_process:
        yield
        return
    running = InProcessWorker(engine, settings).start()
    try:
        yield
    finally:
        await run_in_threadpool(running.stop)


class InProcessWorker:
    """The worker on a thread of ``waypost serve``, sharing its engine."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.worker = Worker(
            engine, Delivery.from_settings(settings.webhooks), settings.health_evaluation_seconds
        )
        self.thread = threading.Thread(target=self.worker.run, name="webhook-worker", daemon=True)

    def start(self) -> InProcessWorker:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.worker.stop()
        self.thread.join()
