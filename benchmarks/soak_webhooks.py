"""The webhook side of the soak: a receiver on loopback, an endpoint subscribed to what the
mix produces, a ``waypost worker`` process, and the proof at the end that every message
written to the outbox for the endpoint reached the receiver.

The receiver counts deliveries by ``webhook-id`` (a retried or re-claimed message arrives
with the same id; it is counted once and the repeats are reported). The expected messages
are read from the database: every outbox row written for the endpoint during the soak.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psutil
import psycopg
from sqlalchemy.engine import make_url

from benchmarks.ingest import REPOSITORY, _percentile

EVENT_TYPES = ["survey.responded", "survey.detractor", "person.identified", "event.tracked"]
TRACKED_EVENTS = ["Button Clicked"]
"""The mix's single ``/v1/track`` calls; batch events are left out to keep the rate modest."""
WORKER_ENVIRONMENT = {
    "WAYPOST_WEBHOOK_ALLOW_PRIVATE_TARGETS": "1",
    "WAYPOST_LOG_LEVEL": "warning",
}
"""For the serve processes (to accept a loopback URL) and the worker (to deliver to it)."""
DRAIN_SECONDS = 120.0


@dataclass
class Receipts:
    """First receipt time of each ``webhook-id``, and how many deliveries repeated one."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    first: dict[str, float] = field(default_factory=dict)
    repeats: int = 0

    def add(self, webhook_id: str) -> None:
        with self.lock:
            if webhook_id in self.first:
                self.repeats += 1
            else:
                self.first[webhook_id] = time.time()


@dataclass(frozen=True)
class Receiver:
    url: str
    receipts: Receipts


@contextmanager
def receiver() -> Iterator[Receiver]:
    """A threaded HTTP server on loopback answering 204 to every webhook."""
    receipts = Receipts()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", "0")))
            receipts.add(self.headers.get("webhook-id", ""))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the receipts are the record."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    try:
        yield Receiver(f"http://127.0.0.1:{server.server_address[1]}/hooks", receipts)
    finally:
        server.shutdown()
        server.server_close()


def create_endpoint(port: int, secret_key: str, url: str) -> str:
    """The endpoint, created through the admin API; its id."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {secret_key}", "Content-Type": "application/json"}
    body = {"url": url, "event_types": EVENT_TYPES, "tracked_events": TRACKED_EVENTS}
    connection.request("POST", "/api/v1/webhooks/endpoints", json.dumps(body), headers)
    response = connection.getresponse()
    created: dict[str, Any] = json.loads(response.read())
    connection.close()
    if response.status != 201:
        raise RuntimeError(f"could not create the webhook endpoint: {created}")
    return str(created["id"])


@contextmanager
def worker(collector_url: str) -> Iterator[int]:
    """``waypost worker`` over the soak database; its pid. Stopped with SIGTERM on exit."""
    with tempfile.NamedTemporaryFile(prefix="waypost-soak-worker-", suffix=".log") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "collector", "worker", "--database-url", collector_url],
            cwd=REPOSITORY,
            env={**os.environ, **WORKER_ENVIRONMENT},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process.pid
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
            if process.returncode not in (0, -signal.SIGTERM):
                print(f"  worker exited with {process.returncode}:")
                print(Path(log.name).read_text()[-3000:])


def rss_mb(pid: int) -> int:
    try:
        return int(psutil.Process(pid).memory_info().rss // 2**20)
    except psutil.NoSuchProcess:
        return 0


def _dsn(collector_url: str) -> str:
    url = make_url(collector_url)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def outbox(collector_url: str, endpoint_id: str) -> dict[str, tuple[str, float]]:
    """Every message written for the endpoint: webhook-id to (status, written at, epoch s)."""
    with psycopg.connect(_dsn(collector_url)) as connection:
        rows = connection.execute(
            "SELECT webhook_id, status, extract(epoch FROM created_at)"
            " FROM webhook_messages WHERE endpoint_id = %s",
            (endpoint_id,),
        ).fetchall()
    return {webhook_id: (status, float(at)) for webhook_id, status, at in rows}


def wait_for_drain(collector_url: str, endpoint_id: str) -> dict[str, tuple[str, float]]:
    """The endpoint's messages once none is pending, or when ``DRAIN_SECONDS`` have passed."""
    deadline = time.monotonic() + DRAIN_SECONDS
    while True:
        written = outbox(collector_url, endpoint_id)
        pending = sum(status == "pending" for status, _ in written.values())
        if not pending or time.monotonic() > deadline:
            return written
        time.sleep(0.5)


@dataclass(frozen=True)
class WebhookFigures:
    expected: int
    delivered: int
    """Messages the receiver got, each counted once."""
    repeats: int
    statuses: dict[str, int]
    lag_p50: float
    lag_p99: float
    drained_in: float
    worker_rss_mb: int

    @property
    def met(self) -> bool:
        return self.expected > 0 and self.delivered == self.expected == self.statuses.get(
            "delivered", 0
        )


def measure(
    collector_url: str, endpoint_id: str, receipts: Receipts, worker_pid: int
) -> WebhookFigures:
    """Wait for the outbox to drain; compare what was written with what was received."""
    began = time.monotonic()
    written = wait_for_drain(collector_url, endpoint_id)
    drained_in = time.monotonic() - began
    with receipts.lock:
        first = dict(receipts.first)
        repeats = receipts.repeats
    got = [webhook_id for webhook_id in written if webhook_id in first]
    lags = [first[webhook_id] - written[webhook_id][1] for webhook_id in got]
    statuses: dict[str, int] = {}
    for status, _ in written.values():
        statuses[status] = statuses.get(status, 0) + 1
    return WebhookFigures(
        expected=len(written),
        delivered=len(got),
        repeats=repeats,
        statuses=statuses,
        lag_p50=_percentile(lags, 0.5),
        lag_p99=_percentile(lags, 0.99),
        drained_in=drained_in,
        worker_rss_mb=rss_mb(worker_pid),
    )


def print_figures(figures: WebhookFigures) -> None:
    print(
        f"  webhooks: {figures.expected:,} written for the endpoint, {figures.delivered:,}"
        f" received ({figures.repeats} repeated deliveries), outbox {figures.statuses},"
        f" drained {figures.drained_in:.1f} s after the mix"
    )
    print(
        f"  webhook lag p50 {figures.lag_p50 * 1000:,.0f} ms, p99 {figures.lag_p99 * 1000:,.0f} ms;"
        f" worker RSS {figures.worker_rss_mb} MB"
    )
    print(f"  every webhook delivered: {'met' if figures.met else 'MISSED'}")
