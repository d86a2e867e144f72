"""Delivery throughput: ``GET /v1/flows`` against ``GET /health`` on the same server.

A fresh database (a temporary SQLite file; with ``--postgres`` a PostgreSQL schema of its
own too) is migrated with ``waypost migrate`` and given a project with
``waypost project create``. The project gets 50 live flows and surveys of every type,
created through ``collector.experiences.service`` (the admin API's own validation), with
realistic audiences: traits, account traits, event rules with ``min_count`` and
``within_days``, ``first_seen``, ``url``, ``locale`` and ``sample_percent``.

Then 100,000 persons (70% identified, most in one of 4,000 accounts) with up to four
months of history, 1.3 million events in all. Their rows are written in bulk through
SQLAlchemy Core (about three minutes per database) rather than through ``POST /v1/batch``
(slower, and what ``benchmarks/ingest.py`` measures), but they are the rows ingestion
would have written for that history: each person's messages (identify, group, ordinary
tracks and the reserved events of the experiences they met, in timestamp order) become
``events`` rows, ``persons`` with their traits and trait times, ``identities`` (anonymous
and user ids), ``accounts`` and ``account_members``, the ``person_event_days`` counters of
every track, and ``experience_states``, ``impressions`` and ``survey_responses`` computed
with ingestion's own state machine (``collector.progress.states``), live checklists' items
ticked by the ordinary events that match them included.

The collector is then started with ``waypost serve`` (uvicorn, one worker) on a free
loopback port, and a separate load process drives it over a few keep-alive connections:
first ``GET /health``, then ``GET /v1/flows?userId=…&url=…&locale=…&sessionId=…`` for a
random identified user with the write key, each for a fixed time after a warm-up.
Printed: requests/s, p50/p99 latency for both, and the flows/health ratio against the
target. The load process speaks HTTP/1.1 over bare sockets: with ``http.client`` its own
Python work, not the server, would bound ``/health`` (at about half the rate).

Run by hand from the repository root::

    python -m benchmarks.eligibility             # 10 s per phase, SQLite
    python -m benchmarks.eligibility --quick     # ~3 s per phase
    python -m benchmarks.eligibility --postgres  # SQLite, then PostgreSQL
"""

from __future__ import annotations

import argparse
import base64
import json
import multiprocessing
import os
import queue
import random
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import orjson
import psycopg
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy.engine import make_url

from benchmarks.eligibility_data import (
    LOCALES,
    PATHS,
    PERSONS,
    populate,
    user_id_of,
)
from collector.kit.db.engine import build_engine

REPOSITORY = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TARGET_RATIO = 0.3

# Databases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    url: str
    project_id: str
    write_key: str


def _cli(database_url: str, *arguments: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "collector", *arguments],
        cwd=REPOSITORY,
        env={**os.environ, "WAYPOST_DATABASE_URL": database_url},
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _unsynchronised(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.execute("PRAGMA synchronous=OFF")


def prepare(url: str, options: Options) -> Database:
    _cli(url, "migrate")
    created = json.loads(_cli(url, "project", "create", "--name", "bench"))
    engine = build_engine(url)
    if engine.dialect.name == "sqlite":
        # The data is thrown away after the run: no need to wait for the disk while writing.
        sqlalchemy_event.listen(engine, "connect", _unsynchronised)
    try:
        began = time.perf_counter()
        events = populate(engine, uuid.UUID(created["id"]), options.persons, options.seed)
        seconds = time.perf_counter() - began
    finally:
        engine.dispose()
    print(
        f"  {options.persons:,} persons, {events:,} events, 50 experiences ({seconds:.0f} s)",
        flush=True,
    )
    return Database(url, created["id"], created["write_key"])


@contextmanager
def sqlite_database(options: Options) -> Iterator[Database]:
    with tempfile.TemporaryDirectory(prefix="waypost-elig-") as directory:
        yield prepare(f"sqlite:///{directory}/waypost.db", options)


@contextmanager
def postgres_database(options: Options) -> Iterator[Database]:
    """A schema of its own, dropped afterwards; the server reaches it through search_path."""
    schema = f"waypost_elig_{secrets.token_hex(4)}"
    url = make_url(options.postgres_url)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    scoped = url.update_query_dict({"options": f"-csearch_path={schema}"})
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield prepare(scoped.render_as_string(hide_password=False), options)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


# Server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _is_healthy(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
            status, _ = exchange(connection, _request("/health", port, None), bytearray())
            return status == 200
    except OSError:
        return False


@contextmanager
def running_server(database: Database) -> Iterator[int]:
    """``waypost serve`` with one worker, healthy; stopped with SIGINT on exit."""
    port = free_port()
    command = [sys.executable, "-m", "collector", "serve", "--port", str(port), "--workers", "1"]
    environment = {
        **os.environ,
        "WAYPOST_DATABASE_URL": database.url,
        "WAYPOST_LOG_LEVEL": "warning",
    }
    with tempfile.NamedTemporaryFile(prefix="waypost-elig-", suffix=".log") as log:
        process = subprocess.Popen(
            command,
            cwd=REPOSITORY,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while not _is_healthy(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start:\n{Path(log.name).read_text()}")
                time.sleep(0.1)
            yield port
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


# Load -------------------------------------------------------------------------------------

_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)


def _request(target: str, port: int, auth: str | None) -> bytes:
    lines = [f"GET {target} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    if auth is not None:
        lines.append(f"Authorization: {auth}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def exchange(connection: socket.socket, request: bytes, buffer: bytearray) -> tuple[int, bytes]:
    """Send one request on a keep-alive connection; the status and body of its response.

    A bare client, so that the load process spends as little time per request as it can
    and the server, not the client, is what is measured.
    """
    connection.sendall(request)
    while (end := buffer.find(b"\r\n\r\n")) < 0:
        chunk = connection.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        buffer += chunk
    length = _CONTENT_LENGTH.search(buffer, 0, end + 2)
    total = end + 4 + (int(length.group(1)) if length else 0)
    while len(buffer) < total:
        chunk = connection.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        buffer += chunk
    status, body = int(buffer[9:12]), bytes(buffer[end + 4 : total])
    del buffer[:total]
    return status, body


def flows_requests(port: int, write_key: str, persons: int, seed: int) -> list[bytes]:
    """Requests of random identified users on random pages, locales and sessions."""
    rng = random.Random(seed)
    auth = "Basic " + base64.b64encode(f"{write_key}:".encode()).decode()
    requests: list[bytes] = []
    while len(requests) < 5_000:
        user_id = user_id_of(rng.randrange(persons))
        if user_id is None:
            continue
        query = {
            "userId": user_id,
            "url": f"https://app.example.com{rng.choice(PATHS)}?tab={rng.randrange(5)}",
            "locale": rng.choice(LOCALES),
            "sessionId": f"s-{rng.randrange(10**9)}",
        }
        requests.append(_request(f"/v1/flows?{urlencode(query)}", port, auth))
    return requests


@dataclass(frozen=True)
class Phase:
    name: str
    start: float
    end: float


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    delivered: int = 0
    """Flows and surveys in the measured answers, to show that they are not empty."""


def _drive(
    port: int, requests: list[bytes], phase: Phase, tally: Tally, lock: threading.Lock
) -> None:
    """One keep-alive connection sending requests until the phase ends."""
    latencies, errors, delivered, sent = [], 0, 0, 0
    connection = socket.create_connection(("127.0.0.1", port), timeout=60)
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buffer = bytearray()
    while (began := time.perf_counter()) < phase.end:
        request = requests[sent % len(requests)]
        sent += 1
        status, body = exchange(connection, request, buffer)
        finished = time.perf_counter()
        if began >= phase.start and finished <= phase.end:
            latencies.append(finished - began)
            errors += status != 200
            if phase.name == "flows" and status == 200:
                answer = orjson.loads(body)
                delivered += len(answer["flows"]) + len(answer["surveys"])
    connection.close()
    with lock:
        tally.latencies.extend(latencies)
        tally.errors += errors
        tally.delivered += delivered


def _phase(port: int, requests: list[list[bytes]], phase: Phase) -> Tally:
    tally, lock = Tally(), threading.Lock()
    threads = [
        threading.Thread(target=_drive, args=(port, own, phase, tally, lock)) for own in requests
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


@dataclass(frozen=True)
class Result:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    delivered_per_answer: float


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def _result(name: str, tally: Tally, seconds: float) -> Result:
    count = len(tally.latencies)
    return Result(
        name=name,
        requests_per_second=count / seconds,
        p50_ms=_percentile(tally.latencies, 0.50) * 1000,
        p99_ms=_percentile(tally.latencies, 0.99) * 1000,
        errors=tally.errors,
        delivered_per_answer=tally.delivered / max(count, 1),
    )


def run_load(
    port: int,
    database: Database,
    options: Options,
    results: multiprocessing.Queue[list[Result]],
) -> None:
    """The load process: warm-up, then ``/health``, then ``/v1/flows``, each measured."""
    flows = [
        flows_requests(port, database.write_key, options.persons, options.seed + n)
        for n in range(options.connections)
    ]
    health = [[_request("/health", port, None)] for _ in range(options.connections)]
    measured = []
    now = time.perf_counter()
    _phase(port, flows, Phase("warm-up", now, now + options.warmup))
    for name, requests in (("health", health), ("flows", flows)):
        start = time.perf_counter() + 0.2
        tally = _phase(port, requests, Phase(name, start, start + options.duration))
        measured.append(_result(name, tally, options.duration))
    results.put(measured)


def drive_load(port: int, database: Database, options: Options) -> list[Result]:
    """Run the load in a separate process, so that the client never shares the server's GIL."""
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[list[Result]] = context.Queue()
    process = context.Process(target=run_load, args=(port, database, options, results))
    process.start()
    deadline = time.monotonic() + options.warmup + 2 * options.duration + 120
    while time.monotonic() < deadline:
        try:
            measured = results.get(timeout=1)
        except queue.Empty:
            if process.exitcode is not None:
                break
            continue
        process.join()
        return measured
    process.kill()
    raise RuntimeError(f"the load process failed (exit code {process.exitcode})")


# Report -----------------------------------------------------------------------------------


def describe(result: Result) -> str:
    line = (
        f"  {result.name:<7} {result.requests_per_second:>8,.0f} req/s"
        f"   p50 {result.p50_ms:6.2f} ms   p99 {result.p99_ms:6.2f} ms"
    )
    if result.name == "flows":
        line += f"   {result.delivered_per_answer:.2f} experiences per answer"
    if result.errors:
        line += f"   ({result.errors} non-200 answers)"
    return line


def verdict(flows: Result, health: Result) -> str:
    ratio = flows.requests_per_second / max(health.requests_per_second, 1.0)
    met = "met" if ratio >= TARGET_RATIO else "MISSED"
    return f"  ratio   {ratio:.2f}x /health (target >= {TARGET_RATIO:.2f}x: {met})"


@dataclass(frozen=True)
class Options:
    duration: float
    warmup: float
    connections: int
    persons: int
    seed: int
    backends: tuple[str, ...]
    postgres_url: str


def run(options: Options) -> None:
    print(
        f"{options.connections} connections, {options.warmup:g} s warm-up, "
        f"{options.duration:g} s per measured phase, one uvicorn worker",
        flush=True,
    )
    for backend in options.backends:
        print(f"\n{backend}", flush=True)
        databases = sqlite_database if backend == "sqlite" else postgres_database
        with databases(options) as database, running_server(database) as port:
            health, flows = drive_load(port, database, options)
        print(describe(health), flush=True)
        print(describe(flows), flush=True)
        print(verdict(flows, health), flush=True)


def parse_options(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per phase")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before measuring")
    parser.add_argument("--connections", type=int, default=4, help="keep-alive connections")
    parser.add_argument("--persons", type=int, default=PERSONS, help="persons in the project")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated data")
    parser.add_argument("--postgres", action="store_true", help="run on PostgreSQL as well")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, help="server to use")
    parser.add_argument("--quick", action="store_true", help="a short run (~3 s per phase)")
    arguments = parser.parse_args(argv)
    quick = arguments.quick
    return Options(
        duration=3.0 if quick else arguments.duration,
        warmup=1.0 if quick else arguments.warmup,
        connections=arguments.connections,
        persons=arguments.persons,
        seed=arguments.seed,
        backends=("sqlite", "postgresql") if arguments.postgres else ("sqlite",),
        postgres_url=arguments.postgres_url,
    )


if __name__ == "__main__":
    run(parse_options())
