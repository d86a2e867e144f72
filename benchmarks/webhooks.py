"""Webhook delivery throughput and outbox lag on PostgreSQL, against the raw POST rate.

For one, then two, ``waypost worker`` processes delivering to a receiver on loopback (a
process of its own), each on a fresh database with one endpoint:

- end to end: ``Survey Responded`` events are posted to a real collector (``waypost
  serve``) in batches of 100 while the workers run. Printed: deliveries/s from the first
  post to the last delivery (bounded by how fast the collector stores answers) and the
  outbox lag, p50/p99, from the moment a message was written with its event to its receipt;
- from a full outbox: the same events are stored first, then the workers start. Printed:
  the deliveries/s they sustain, next to the ceiling, measured just before under the same
  load: the rate at which one process with the worker's sender and concurrency POSTs the
  same kind of signed payload to the same receiver without any outbox. Target >= 0.5x for
  one worker.

Then ingestion throughput (``benchmarks/load.py``, as ``benchmarks/ingest.py`` drives it)
with webhooks off, and on with an endpoint forwarding ``event.tracked`` for one event name
of the eight the load sends, then for all of them (every event writes an outbox message,
the heaviest case). Target >= 0.8x of off.

    python -m benchmarks.webhooks            # 10,000 events per run
    python -m benchmarks.webhooks --quick    # 2,000 events, short ingest runs
"""

from __future__ import annotations

import argparse
import base64
import http.client
import multiprocessing
import os
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson
from sqlalchemy import select

from benchmarks.ingest import (
    DEFAULT_POSTGRES_URL,
    REPOSITORY,
    Database,
    free_port,
    postgres_database,
    running_server,
)
from benchmarks.load import EVENT_NAMES, Plan, drive_load
from collector.experiences.service import create_experience
from collector.kit.db.engine import build_engine, read_transaction
from collector.webhooks import service
from collector.webhooks.repository import messages
from collector.webhooks.sender import Sender
from collector.webhooks.signing import new_message_id, signature_headers

CONCURRENCY = 8
BATCH = 100


# The receiver: a process of its own, so that it never competes with the load for a GIL.


def _receive(port: int, expected: int, receipts: Any, ready: Any) -> None:
    got: list[tuple[str, float]] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", "0")))
            got.append((self.headers.get("webhook-id", ""), time.time()))
            self.send_response(200)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler, bind_and_activate=False)
    server.request_queue_size = 256
    server.server_bind()
    server.server_activate()
    server.daemon_threads = True
    server.timeout = 0.2
    ready.set()
    deadline = time.monotonic() + 600
    while len(got) < expected and time.monotonic() < deadline:
        server.handle_request()
    receipts.put(list(got))


@contextmanager
def receiver(expected: int) -> Iterator[tuple[str, Any]]:
    """A receiver expecting ``expected`` deliveries; its URL and the queue of its receipts."""
    context = multiprocessing.get_context("spawn")
    receipts, ready, port = context.Queue(), context.Event(), free_port()
    process = context.Process(target=_receive, args=(port, expected, receipts, ready))
    process.start()
    ready.wait(30)
    try:
        yield f"http://127.0.0.1:{port}/hooks", receipts
    finally:
        process.join(5)
        process.kill()


# The ceiling: the worker's sender, without the outbox.


def _post_all(url: str, body: bytes, count: int, results: Any) -> None:
    sender = Sender(allow_private=True)
    secret = "whsec_" + base64.b64encode(os.urandom(32)).decode()

    def post(_: int) -> bool:
        headers = signature_headers([secret], new_message_id(), int(time.time()), body)
        return sender.post(url, body, headers).succeeded

    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        sent = sum(pool.map(post, range(count)))
    results.put(sent / (time.perf_counter() - started))


def ceiling(body: bytes, count: int) -> float:
    context = multiprocessing.get_context("spawn")
    results: Any = context.Queue()
    with receiver(count) as (url, receipts):
        process = context.Process(target=_post_all, args=(url, body, count, results))
        process.start()
        rate: float = results.get(timeout=600)
        process.join()
        receipts.get(timeout=60)
    return rate


# Delivery through the outbox.


def _prepare(database: Database, url: str) -> str:
    """A live NPS survey and an endpoint to ``url``; the survey's id."""
    engine = build_engine(database.collector_url, pool_size=1)
    project = uuid.UUID(database.project_id)
    now = datetime.now(UTC)
    survey = create_experience(engine, project, "survey", {"name": "NPS", "type": "nps"}, now=now)
    body = {"url": url, "event_types": ["survey.responded"]}
    service.create_endpoint(engine, project, body, allow_private=True, now=now)
    engine.dispose()
    return str(survey["id"])


def _answers(survey_id: str, count: int) -> list[bytes]:
    rng = random.Random(7)
    batches = []
    for start in range(0, count, BATCH):
        batch = [
            {
                "type": "track",
                "event": "Survey Responded",
                "userId": f"user-{rng.randrange(1000)}",
                "messageId": uuid.uuid4().hex,
                "properties": {"survey_id": survey_id, "score": rng.randrange(11)},
            }
            for _ in range(min(BATCH, count - start))
        ]
        batches.append(orjson.dumps({"batch": batch}))
    return batches


def _ingest(port: int, write_key: str, batches: list[bytes]) -> None:
    auth = "Basic " + base64.b64encode(f"{write_key}:".encode()).decode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for body in batches:
        connection.request("POST", "/v1/batch", body, {"Authorization": auth})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"ingest answered {response.status}")
    connection.close()


def _workers(database: Database, count: int) -> list[subprocess.Popen[bytes]]:
    environment = {
        **os.environ,
        "WAYPOST_DATABASE_URL": database.collector_url,
        "WAYPOST_WEBHOOK_ALLOW_PRIVATE_TARGETS": "1",
        "WAYPOST_LOG_LEVEL": "warning",
    }
    command = [sys.executable, "-m", "collector", "worker"]
    return [
        subprocess.Popen(command, cwd=REPOSITORY, env=environment, stderr=subprocess.DEVNULL)
        for _ in range(count)
    ]


def _written_at(database: Database) -> dict[str, float]:
    engine = build_engine(database.collector_url, pool_size=1)
    with read_transaction(engine) as connection:
        rows = connection.execute(select(messages.c.webhook_id, messages.c.created_at)).all()
    engine.dispose()
    return {row.webhook_id: row.created_at.timestamp() for row in rows}


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


@contextmanager
def _outbox_run(postgres_url: str, count: int) -> Iterator[tuple[Database, Any, list[bytes]]]:
    """A fresh database with a survey and an endpoint, a receiver, and the answers to post."""
    with postgres_database(postgres_url) as database, receiver(count) as (url, receipts):
        yield database, receipts, _answers(_prepare(database, url), count)


@contextmanager
def _running_workers(database: Database, count: int) -> Iterator[None]:
    running = _workers(database, count)
    try:
        yield
    finally:
        for process in running:
            process.terminate()
            process.wait(30)


def live(postgres_url: str, workers: int, count: int) -> tuple[float, float, float]:
    """Answers posted while the workers run: deliveries/s from the first post to the last
    delivery, and the p50/p99 outbox lag in ms."""
    with _outbox_run(postgres_url, count) as (database, receipts, batches):
        with (
            _running_workers(database, workers),
            running_server("collector", 1, database) as server,
        ):
            started = time.time()
            _ingest(server.port, database.write_key, batches)
            got: list[tuple[str, float]] = receipts.get(timeout=600)
        written = _written_at(database)
    lags = [(at - written[webhook_id]) * 1000 for webhook_id, at in got]
    rate = len(got) / (max(at for _, at in got) - started)
    return rate, _percentile(lags, 0.5), _percentile(lags, 0.99)


def drain(postgres_url: str, workers: int, count: int) -> float:
    """Answers posted first, then delivered: what the workers sustain, in deliveries/s."""
    with _outbox_run(postgres_url, count) as (database, receipts, batches):
        with running_server("collector", 1, database) as server:
            _ingest(server.port, database.write_key, batches)
        with _running_workers(database, workers):
            got: list[tuple[str, float]] = receipts.get(timeout=600)
    times = sorted(at for _, at in got)
    return (len(times) - 1) / (times[-1] - times[0])


# Ingestion with webhooks off and on.


def ingest_rate(postgres_url: str, plan: Plan, *, tracked: tuple[str, ...]) -> float:
    """Events/s of the load with an endpoint forwarding ``tracked`` (none: webhooks off)."""
    with postgres_database(postgres_url) as database:
        if tracked:
            engine = build_engine(database.collector_url, pool_size=1)
            body = {
                "url": "http://127.0.0.1:9/hooks",
                "event_types": ["event.tracked"],
                "tracked_events": list(tracked),
            }
            project = uuid.UUID(database.project_id)
            service.create_endpoint(
                engine, project, body, allow_private=True, now=datetime.now(UTC)
            )
            engine.dispose()
        with running_server("collector", 1, database) as server:
            load = drive_load(server.port, database.write_key, plan)
    return load.events / load.seconds


def _mark(met: bool) -> str:
    return "met" if met else "MISSED"


def run(postgres_url: str, count: int, plan: Plan) -> None:
    sample = orjson.dumps(
        {"type": "survey.responded", "version": 1, "data": {"score": 3} | {"pad": "x" * 600}}
    )
    print(f"{count:,} Survey Responded events, PostgreSQL, {CONCURRENCY} in flight per worker")
    for workers in (1, 2):
        name = f"{workers} worker{'s' if workers > 1 else ''}"
        rate, p50, p99 = live(postgres_url, workers, count)
        print(f"  {name:<9}  {rate:7,.0f} deliveries/s end to end (posting while delivering)")
        print(f"             outbox lag p50 {p50:,.0f} ms, p99 {p99:,.0f} ms", flush=True)
        # The ceiling is measured next to the run it is compared with, under the same load.
        top = ceiling(sample, count)
        sustained = drain(postgres_url, workers, count)
        ratio = sustained / top
        target = f" (target >= 0.50x: {_mark(ratio >= 0.5)})" if workers == 1 else ""
        print(f"  ceiling    {top:7,.0f} POSTs/s: one process, the worker's sender, no outbox")
        print(
            f"  {name:<9}  {sustained:7,.0f} deliveries/s from a full outbox: "
            f"{ratio:.2f}x ceiling{target}",
            flush=True,
        )
    off = ingest_rate(postgres_url, plan, tracked=())
    print("\ningestion, PostgreSQL, 1 server process (benchmarks/load.py)")
    print(f"  webhooks off                   {off:7,.0f} events/s")
    for label, tracked in (("1 event name in 8", EVENT_NAMES[:1]), ("every event", EVENT_NAMES)):
        on = ingest_rate(postgres_url, plan, tracked=tracked)
        ratio = on / off
        print(
            f"  event.tracked, {label:<17}{on:7,.0f} events/s: {ratio:.2f}x "
            f"(target >= 0.80x: {_mark(ratio >= 0.8)})",
            flush=True,
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="2,000 events, short ingest runs")
    arguments = parser.parse_args(argv)
    count = 2_000 if arguments.quick else arguments.events
    plan = Plan(connections=4, warmup=1.0, duration=3.0 if arguments.quick else 10.0)
    run(arguments.postgres_url, count, plan)


if __name__ == "__main__":
    main()
