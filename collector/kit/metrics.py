"""Prometheus metrics, served at ``/metrics`` in the text format.

Under ``waypost serve --workers N`` every worker is a process of its own: the CLI points
``PROMETHEUS_MULTIPROC_DIR`` at an empty directory before the workers start, each one
writes its samples there, and ``/metrics``, whichever worker answers, adds them all up.
Labels never carry ids (of projects, persons or keys): only route templates, methods,
statuses and small fixed sets of reasons, so the number of series stays bounded.

Other parts of the collector report through the ``record_*`` functions, which are cheap
enough for the ingestion path (a counter increment is a lock and an addition).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
BATCH_BUCKETS = (1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500)
_REASON = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,39}$")

INGESTED = Counter("waypost_ingested_messages", "Messages stored (retries included)")
REJECTED = Counter(
    "waypost_rejected_messages", "Messages refused in a batch, by the field at fault", ["reason"]
)
DUPLICATES = Counter("waypost_duplicate_messages", "Retried messages already stored")
SUPPRESSED = Counter("waypost_suppressed_messages", "Messages of erased, suppressed ids dropped")
BATCH_SIZE = Histogram(
    "waypost_batch_size", "Valid messages per ingestion request", buckets=BATCH_BUCKETS
)
REQUESTS = Counter("waypost_http_requests", "HTTP requests answered", ["route", "method", "status"])
LATENCY = Histogram(
    "waypost_http_request_duration_seconds",
    "Time to answer, by route template",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)
POOL_CHECKED_OUT = Gauge(
    "waypost_db_pool_checked_out",
    "Database connections in use, summed over live workers",
    multiprocess_mode="livesum",
)
POOL_SIZE = Gauge(
    "waypost_db_pool_size",
    "Database connections the pools keep, summed over live workers",
    multiprocess_mode="livesum",
)
RATE_LIMITED = Counter("waypost_rate_limited_requests", "Requests refused with 429", ["limit"])
ERASURES = Counter("waypost_person_erasures", "Persons erased")
RETENTION_DELETED = Counter("waypost_retention_deleted_events", "Events deleted by retention")
OUTBOX_DEPTH = Gauge(
    "waypost_webhook_outbox_depth",
    "Webhook messages waiting for delivery",
    multiprocess_mode="mostrecent",
)
OUTBOX_LAG = Gauge(
    "waypost_webhook_outbox_lag_seconds",
    "Age of the oldest webhook message waiting for delivery",
    multiprocess_mode="mostrecent",
)
DELIVERIES = Counter(
    "waypost_webhook_deliveries", "Webhook delivery attempts, by outcome", ["outcome"]
)


class _Rejection(Protocol):
    @property
    def errors(self) -> dict[str, Any]: ...


def _reason(errors: dict[str, Any]) -> str:
    """The first field named in a rejection, if it looks like a field name."""
    first = next(iter(errors), "other")
    return first if _REASON.match(first) else "other"


def record_ingested(
    valid: int, stored: int, rejected: Sequence[_Rejection], suppressed: int
) -> None:
    """One ingestion request's outcome: stored, rejected by reason, suppressed."""
    BATCH_SIZE.observe(valid)
    INGESTED.inc(stored)
    SUPPRESSED.inc(suppressed)
    for rejection in rejected:
        REJECTED.labels(reason=_reason(rejection.errors)).inc()


def record_duplicates(count: int) -> None:
    DUPLICATES.inc(count)


def record_request(route: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(route=route, method=method, status=str(status)).inc()
    LATENCY.labels(route=route, method=method).observe(seconds)


def record_pool(checked_out: int, size: int) -> None:
    POOL_CHECKED_OUT.set(checked_out)
    POOL_SIZE.set(size)


def record_rate_limited(limit: str) -> None:
    RATE_LIMITED.labels(limit=limit).inc()


def record_erasure() -> None:
    ERASURES.inc()


def record_retention(deleted: int) -> None:
    RETENTION_DELETED.inc(deleted)


def record_outbox(depth: int, lag_seconds: float) -> None:
    """For the webhook worker: how many messages wait, and how long the oldest has."""
    OUTBOX_DEPTH.set(depth)
    OUTBOX_LAG.set(lag_seconds)


def record_delivery(outcome: str) -> None:
    """For the webhook worker: one attempt's outcome (``delivered``, ``failed``, …)."""
    DELIVERIES.labels(outcome=outcome).inc()


def render() -> tuple[bytes, str]:
    """The exposition of every worker's metrics, and its content type."""
    if os.environ.get(MULTIPROC_VARIABLE):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def forget_worker(pid: int) -> None:
    """Drop a stopped worker's live gauges, so pool use is not counted for the dead."""
    if os.environ.get(MULTIPROC_VARIABLE):
        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]


def prepare_metrics_directory(workers: int) -> None:
    """Before several workers start: give them an empty directory to share samples in.

    An operator's own ``PROMETHEUS_MULTIPROC_DIR`` is used (and emptied of old samples);
    otherwise a fresh temporary directory. One worker needs none.
    """
    directory = os.environ.get(MULTIPROC_VARIABLE)
    if workers <= 1 and not directory:
        return
    if not directory:
        directory = tempfile.mkdtemp(prefix="waypost-metrics-")
        os.environ[MULTIPROC_VARIABLE] = directory
    for stale in Path(directory).glob("*.db"):
        stale.unlink()
