"""Soak: the collector under a realistic mix for minutes, on PostgreSQL with 2 workers.

First the ingest capacity is measured (a few seconds of 100-event batches as fast as four
connections go); then the mix runs paced at 80% of it for ``--minutes``: 100-event batches
(one in fifty sent twice, as a client retrying after a lost answer would), single
``/v1/track`` calls, eligibility reads (``GET /v1/flows``) and NPS answers. Every
``--interval`` seconds it prints events/s, requests/s, p99 latency, errors and the RSS of
each server process and of the webhook worker, so growth shows. Meanwhile a ``waypost
worker`` sends webhooks (survey answers, detractors, new persons, ``Button Clicked``) to a
receiver on loopback (:mod:`benchmarks.soak_webhooks`). At the end it counts the stored
events and survey answers in the database and proves that every acknowledged message is
stored exactly once, then waits for the outbox to drain and proves that every webhook
written for the endpoint was delivered, with the outbox lag p50/p99.

Run from the repository root::

    python -m benchmarks.soak                 # 10 minutes
    python -m benchmarks.soak --minutes 3
    python -m benchmarks.soak --quick         # 30 seconds
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import random
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import psutil
import psycopg
from sqlalchemy.engine import make_url

from benchmarks.ingest import (
    DEFAULT_POSTGRES_URL,
    REPOSITORY,
    Options,
    _cli,
    _percentile,
    _stop,
    _wait_until_healthy,
    free_port,
    fresh_database,
    server_command,
    server_environment,
)
from benchmarks.load import BATCH_SIZE, Plan, batch_templates, drive_load
from benchmarks.soak_webhooks import (
    WORKER_ENVIRONMENT,
    WebhookFigures,
    create_endpoint,
    measure,
    print_figures,
    receiver,
    rss_mb,
    worker,
)

WORKERS = 2
LOAD_SHARE = 0.8
RETRY_EVERY = 50
USERS = 2_000


@dataclass
class Tally:
    """What the clients saw in one interval, and in total."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    events: int = 0
    requests: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    acknowledged_events: int = 0
    acknowledged_answers: int = 0

    def add(self, seconds: float, ok: bool, new_events: int = 0, answers: int = 0) -> None:
        with self.lock:
            self.requests += 1
            self.latencies.append(seconds)
            if not ok:
                self.errors += 1
                return
            self.events += new_events
            self.acknowledged_events += new_events
            self.acknowledged_answers += answers

    def interval(self) -> tuple[int, int, int, list[float]]:
        """This interval's events, requests, errors and latencies; the counters restart."""
        with self.lock:
            figures = (self.events, self.requests, self.errors, self.latencies)
            self.events, self.requests, self.errors, self.latencies = 0, 0, 0, []
        return figures


class Client:
    """One keep-alive connection that counts what the server acknowledged."""

    def __init__(self, port: int, write_key: str, tally: Tally) -> None:
        self.port = port
        self.tally = tally
        auth = base64.b64encode(f"{write_key}:".encode()).decode()
        self.headers = {"Authorization": f"Basic {auth}", "Content-Type": "application/json"}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method: str, path: str, body: bytes | None) -> tuple[int, bytes]:
        try:
            self.connection.request(method, path, body, self.headers)
            response = self.connection.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            return 0, b""

    def post(self, path: str, body: bytes, new_events: int, answers: int = 0) -> None:
        began = time.perf_counter()
        status, data = self.call("POST", path, body)
        ok = status == 200 and orjson.loads(data).get("rejected") == []
        self.tally.add(time.perf_counter() - began, ok, new_events, answers)

    def get(self, path: str) -> None:
        began = time.perf_counter()
        status, _ = self.call("GET", path, None)
        self.tally.add(time.perf_counter() - began, status == 200)


def paced(rate: float, until: float, action: Callable[[int], None]) -> None:
    """Call ``action`` ``rate`` times a second until ``until``, catching up if late."""
    interval, started, done = 1.0 / rate, time.perf_counter(), 0
    while (now := time.perf_counter()) < until:
        due = started + done * interval
        if due > now:
            time.sleep(due - now)
        action(done)
        done += 1


def batches(client: Client, rate: float, until: float, seed: int) -> None:
    templates = batch_templates(seed)
    last: list[bytes] = []

    def send(number: int) -> None:
        if number % RETRY_EVERY == RETRY_EVERY - 1 and last:
            client.post("/v1/batch", last[0], new_events=0)  # a retry: nothing new
            return
        body = templates[number % len(templates)].body()
        last[:] = [body]
        client.post("/v1/batch", body, new_events=BATCH_SIZE)

    paced(rate, until, send)


def single_calls(client: Client, rate: float, until: float) -> None:
    def send(number: int) -> None:
        body = {
            "event": "Button Clicked",
            "userId": f"user-{number % USERS}",
            "messageId": os.urandom(16).hex(),
            "properties": {"button": "save"},
        }
        client.post("/v1/track", orjson.dumps(body), new_events=1)

    paced(rate, until, send)


def eligibility_reads(client: Client, rate: float, until: float) -> None:
    paced(rate, until, lambda n: client.get(f"/v1/flows?userId=user-{n % USERS}&sessionId=s{n}"))


def survey_answers(client: Client, survey: dict[str, Any], rate: float, until: float) -> None:
    rng = random.Random(7)

    def send(number: int) -> None:
        properties = {"survey_id": survey["id"], "version": survey["version"]}
        message = {
            "type": "track",
            "event": "Survey Responded",
            "userId": f"user-{number % USERS}",
            "messageId": os.urandom(16).hex(),
            "timestamp": datetime.now(UTC).isoformat(),
            "properties": {**properties, "score": rng.randrange(11)},
        }
        client.post("/v1/batch", orjson.dumps({"batch": [message]}), new_events=1, answers=1)

    paced(rate, until, send)


@dataclass(frozen=True)
class Project:
    id: str
    write_key: str
    secret_key: str


def create_survey(port: int, project: Project) -> dict[str, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {project.secret_key}", "Content-Type": "application/json"}
    connection.request(
        "POST", "/api/v1/surveys", json.dumps({"name": "NPS", "type": "nps"}), headers
    )
    response = connection.getresponse()
    survey: dict[str, Any] = json.loads(response.read())
    connection.close()
    if response.status != 201:
        raise RuntimeError(f"could not create the survey: {survey}")
    return survey


@dataclass(frozen=True)
class Running:
    pid: int
    port: int


@contextmanager
def serve(database: Any) -> Iterator[Running]:
    port = free_port()
    with tempfile.NamedTemporaryFile(prefix="waypost-soak-", suffix=".log") as log:
        process = subprocess.Popen(
            server_command("collector", port, WORKERS),
            cwd=REPOSITORY,
            env={**os.environ, **server_environment("collector", database), **WORKER_ENVIRONMENT},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_healthy(process, port, Path(log.name))
            yield Running(process.pid, port)
        finally:
            _stop(process)


def rss_per_process(pid: int) -> list[int]:
    """Resident MB of the supervisor and each worker."""
    root = psutil.Process(pid)
    sizes = []
    for process in [root, *root.children(recursive=True)]:
        try:
            sizes.append(process.memory_info().rss // 2**20)
        except psutil.NoSuchProcess:
            continue
    return sizes


def stored_counts(collector_url: str, project_id: str) -> tuple[int, int, int]:
    """Events, distinct messageIds and survey answers stored for the project."""
    url = make_url(collector_url)
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as connection:
        events, distinct = connection.execute(
            "SELECT count(*), count(DISTINCT message_id) FROM events WHERE project_id = %s",
            (project_id,),
        ).fetchone() or (0, 0)
        answers = connection.execute(
            "SELECT count(*) FROM survey_responses WHERE project_id = %s", (project_id,)
        ).fetchone() or (0,)
    return int(events), int(distinct), int(answers[0])


@dataclass(frozen=True)
class Pids:
    server: int
    worker: int


def report_intervals(tally: Tally, pids: Pids, until: float, every: float, started: float) -> int:
    """Print a line per interval until ``until``; the total of errors seen."""
    errors = 0
    while time.perf_counter() < until:
        time.sleep(min(every, max(0.0, until - time.perf_counter())))
        events, requests, failed, latencies = tally.interval()
        errors += failed
        p99 = _percentile(latencies, 0.99) * 1000
        print(
            f"  {time.perf_counter() - started:6.0f} s  {events / every:>8,.0f} events/s"
            f"  {requests / every:>6,.0f} req/s  p99 {p99:7.1f} ms  errors {failed}"
            f"  RSS MB {rss_per_process(pids.server)}  webhook worker {rss_mb(pids.worker)}",
            flush=True,
        )
    return errors


def run_mix(
    port: int, project: Project, capacity: float, *, seconds: float, every: float, pids: Pids
) -> Tally:
    """The paced mix for ``seconds``; prints as it goes; returns the totals."""
    tally = Tally()
    survey = create_survey(port, project)
    rate = capacity * LOAD_SHARE / BATCH_SIZE
    until = time.perf_counter() + seconds
    started = time.perf_counter()
    loads: list[Callable[[], None]] = [
        lambda: batches(Client(port, project.write_key, tally), rate / 2, until, 1),
        lambda: batches(Client(port, project.write_key, tally), rate / 2, until, 2),
        lambda: single_calls(Client(port, project.write_key, tally), max(rate, 1.0), until),
        lambda: eligibility_reads(Client(port, project.write_key, tally), max(rate, 1.0), until),
        lambda: survey_answers(Client(port, project.write_key, tally), survey, 5.0, until),
    ]
    threads = [threading.Thread(target=load) for load in loads]
    for thread in threads:
        thread.start()
    tally.errors = report_intervals(tally, pids, until, every, started)
    for thread in threads:
        thread.join()
    return tally


def run(minutes: float, interval: float, postgres_url: str) -> None:
    options = Options(Plan(4, 1.0, 5.0), (WORKERS,), ("postgresql",), postgres_url)
    with fresh_database("postgresql", options) as database:
        created = json.loads(_cli(database.collector_url, "project", "create", "--name", "Soak"))
        project = Project(created["id"], created["write_key"], created["secret_key"])
        with serve(database) as server, receiver() as hooks:
            port = server.port
            probe = drive_load(port, database.write_key, options.load)
            capacity = probe.events / probe.seconds
            print(
                f"capacity {capacity:,.0f} events/s; soaking at {LOAD_SHARE:.0%}, {minutes:g} min"
            )
            endpoint_id = create_endpoint(port, project.secret_key, hooks.url)
            with worker(database.collector_url) as worker_pid:
                pids = Pids(server.pid, worker_pid)
                tally = run_mix(
                    port, project, capacity, seconds=minutes * 60, every=interval, pids=pids
                )
                # The last requests' transactions are committed before their answers.
                events, distinct, answers = stored_counts(database.collector_url, project.id)
                webhooks = measure(database.collector_url, endpoint_id, hooks.receipts, worker_pid)
    pace = (capacity * LOAD_SHARE, minutes * 60)
    print_verdict(tally, events, distinct, answers, webhooks, pace=pace)


def print_verdict(
    tally: Tally,
    events: int,
    distinct: int,
    answers: int,
    webhooks: WebhookFigures,
    *,
    pace: tuple[float, float],
) -> None:
    """``pace``: the events/s the mix was paced at, and the seconds it ran."""
    exact = events == distinct == tally.acknowledged_events
    acknowledged = tally.acknowledged_events
    rate, seconds = pace
    held = acknowledged / seconds / rate
    print(
        f"  mix held {acknowledged / seconds:,.0f} events/s of the {rate:,.0f} paced "
        f"({held:.0%}): {'met' if held >= 0.95 else 'MISSED'}"
    )
    print(f"  acknowledged {acknowledged:,} events, stored {events:,} ({distinct:,} distinct)")
    print(f"  acknowledged {tally.acknowledged_answers:,} survey answers, stored {answers:,}")
    print(f"  errors {tally.errors} (must be 0): {'met' if tally.errors == 0 else 'MISSED'}")
    verdict = "met" if exact and answers == tally.acknowledged_answers else "MISSED"
    print(f"  every acknowledged message stored exactly once: {verdict}")
    print_figures(webhooks)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to soak")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds per report line")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--quick", action="store_true", help="30 seconds, a line every 5 s")
    arguments = parser.parse_args(argv)
    minutes = 0.5 if arguments.quick else arguments.minutes
    interval = 5.0 if arguments.quick else arguments.interval
    run(minutes, interval, arguments.postgres_url)


if __name__ == "__main__":
    main()
