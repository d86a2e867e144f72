"""The background jobs, composed: what ``waypost worker`` runs, and what runs beside the
routes of ``waypost serve``.

Features offer jobs and never start each other's; they are put together here:

- webhook delivery (:class:`collector.webhooks.worker.Worker`);
- account health evaluation every ``WAYPOST_HEALTH_EVALUATION_SECONDS``
  (:func:`collector.analytics.accounts.health_changes.health_evaluation`), beside the
  deliveries, since it writes ``account.health_changed`` messages for them to send;
- retention sweeps every ``WAYPOST_RETENTION_INTERVAL_SECONDS``, in every ``serve`` process
  (:func:`collector.privacy.expiry.periodic_retention`).

``waypost worker`` runs the first two; ``waypost serve`` runs the sweeps, and the other two
as well with ``WAYPOST_WORKER_IN_PROCESS``.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import FrameType

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from collector.analytics.accounts.health_changes import health_evaluation
from collector.kit.db.engine import build_engine
from collector.kit.jobs import Job, JobRunner
from collector.kit.metrics import forget_worker
from collector.kit.settings import Settings
from collector.privacy.expiry import periodic_retention
from collector.webhooks.attempts import Delivery
from collector.webhooks.worker import Worker

logger = logging.getLogger("waypost.worker")

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def worker_jobs(settings: Settings, engine: Engine) -> list[Job]:
    jobs: list[Job] = [Worker(engine, Delivery.from_settings(settings.webhooks))]
    evaluation = health_evaluation(engine, settings.health_evaluation_seconds)
    if evaluation is not None:
        jobs.append(evaluation)
    return jobs


def run_worker(settings: Settings) -> None:
    """Run the worker's jobs until SIGTERM or SIGINT, then let them finish what is in flight.

    Call it from the main thread (signals are delivered there); the previous handlers are
    restored on return.
    """
    engine = build_engine(settings.database_url, pool_size=settings.webhooks.concurrency + 2)
    runner = JobRunner(worker_jobs(settings, engine))

    def on_signal(number: int, _frame: FrameType | None) -> None:
        logger.info("worker stopping on signal %d", number)
        runner.request_stop()

    previous = {number: signal.signal(number, on_signal) for number in STOP_SIGNALS}
    logger.info("worker started")
    try:
        runner.start().join()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        engine.dispose()
    logger.info("worker stopped")


@asynccontextmanager
async def serve_jobs(settings: Settings, engine: Engine) -> AsyncIterator[None]:
    """The jobs of one ``waypost serve`` process, sharing its engine; on exit, the jobs
    finish what is in flight and the process's live gauges are dropped."""
    runner = JobRunner(worker_jobs(settings, engine) if settings.worker_in_process else [])
    try:
        async with periodic_retention(settings, engine):
            runner.start()
            try:
                yield
            finally:
                await run_in_threadpool(runner.stop)
    finally:
        forget_worker(os.getpid())
