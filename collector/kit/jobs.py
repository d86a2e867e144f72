"""Background jobs: threads that run until asked to stop, then finish what is in flight.

A feature offers its jobs as objects with ``run`` and ``stop``; the composition
(:mod:`collector.worker`) decides which run where, so no feature starts another's work.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

logger = logging.getLogger("waypost.jobs")


class Job(Protocol):
    name: str

    def run(self) -> None:
        """Work until :meth:`stop` is called, then return once the work in flight is done."""

    def stop(self) -> None:
        """Ask :meth:`run` to return; must not block (a signal handler may call it)."""


class Periodic:
    """A round of work now and every ``interval`` seconds until stopped.

    A failing round is logged and tried again at the next interval: the database may be
    restarting. The round is given the stop event, so a long round can end early.
    """

    def __init__(
        self, name: str, interval: float, round_: Callable[[threading.Event], None]
    ) -> None:
        self.name = name
        self.interval = interval
        self.round = round_
        self.stopping = threading.Event()

    def run(self) -> None:
        while True:
            try:
                self.round(self.stopping)
            except Exception:
                logger.exception("%s failed; retrying at the next interval", self.name)
            if self.stopping.wait(self.interval):
                return

    def stop(self) -> None:
        self.stopping.set()


class JobRunner:
    """Each job on a thread of its own."""

    def __init__(self, jobs: Sequence[Job]) -> None:
        self.jobs = list(jobs)
        self.threads = [
            threading.Thread(target=job.run, name=job.name, daemon=True) for job in self.jobs
        ]

    def start(self) -> JobRunner:
        for thread in self.threads:
            thread.start()
        return self

    def request_stop(self) -> None:
        for job in self.jobs:
            job.stop()

    def join(self, timeout: float | None = None) -> None:
        for thread in self.threads:
            thread.join(timeout)

    def stop(self) -> None:
        """Stop every job and wait for each to finish its work in flight."""
        self.request_stop()
        self.join()
