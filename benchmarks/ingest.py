"""Ingestion throughput of the collector, against a bare baseline measured in the same run.

For each backend (SQLite, PostgreSQL) and worker count (1, 2), the collector and
``benchmarks/baseline_app.py`` are each started under uvicorn on a fresh, migrated
database and driven by the same load (``benchmarks/load.py``): a few keep-alive
connections posting 100-event Segment batches (track calls from a pool of 10,000 users,
some identify calls) for a fixed time. Printed per run: events/s, p50/p99 request latency,
peak RSS of the server processes (summed); then the collector/baseline ratio against the
targets.

Run by hand from the repository root::

    python -m benchmarks.ingest            # 12 s per run, after 2 s of warm-up
    python -m benchmarks.ingest --quick    # a ~3 s smoke run per configuration
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil
import psycopg
from sqlalchemy.engine import make_url

from benchmarks.load import BATCH_SIZE, Plan, drive_load

REPOSITORY = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TARGET_RATIOS = {"sqlite": 0.35, "postgresql": 1.0}
TARGET_SQLITE_ONE_WORKER = 25_000.0


@dataclass(frozen=True)
class Options:
    load: Plan
    workers: tuple[int, ...]
    backends: tuple[str, ...]
    postgres_url: str


@dataclass(frozen=True)
class Database:
    """A fresh migrated database with one project, as both servers are given it."""

    collector_url: str
    baseline_url: str
    project_id: str
    write_key: str


@dataclass(frozen=True)
class Measurement:
    events_per_second: float
    p50_ms: float
    p99_ms: float
    peak_rss_mb: float
    errors: int


# Databases --------------------------------------------------------------------------------


def _cli(database_url: str, *arguments: str) -> str:
    environment = {**os.environ, "WAYPOST_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "collector", *arguments],
        cwd=REPOSITORY,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _prepared(collector_url: str, baseline_url: str) -> Database:
    """Migrate with ``waypost migrate`` and create the project with ``waypost project create``."""
    _cli(collector_url, "migrate")
    created = json.loads(_cli(collector_url, "project", "create", "--name", "Benchmark"))
    return Database(collector_url, baseline_url, created["id"], created["write_key"])


@contextmanager
def sqlite_database() -> Iterator[Database]:
    with tempfile.TemporaryDirectory(prefix="waypost-bench-") as directory:
        url = f"sqlite:///{directory}/waypost.db"
        yield _prepared(url, url)


@contextmanager
def postgres_database(base_url: str) -> Iterator[Database]:
    """A schema of its own, dropped afterwards; servers reach it through ``search_path``."""
    schema = f"waypost_bench_{secrets.token_hex(4)}"
    url = make_url(base_url)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    scoped = url.update_query_dict({"options": f"-csearch_path={schema}"})
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield _prepared(
            scoped.render_as_string(hide_password=False),
            scoped.set(drivername="postgresql").render_as_string(hide_password=False),
        )
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@contextmanager
def fresh_database(backend: str, options: Options) -> Iterator[Database]:
    if backend == "sqlite":
        with sqlite_database() as database:
            yield database
    else:
        with postgres_database(options.postgres_url) as database:
            yield database


# Servers ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_command(target: str, port: int, workers: int) -> list[str]:
    flags = ["--port", str(port), "--workers", str(workers)]
    if target == "collector":
        return [sys.executable, "-m", "collector", "serve", *flags]
    app = "benchmarks.baseline_app:create_app"
    return [sys.executable, "-m", "uvicorn", app, "--factory", *flags, "--log-level", "warning"]


def server_environment(target: str, database: Database) -> dict[str, str]:
    if target == "collector":
        # Access logs off in both servers: a log line per request is not what is measured.
        return {"WAYPOST_DATABASE_URL": database.collector_url, "WAYPOST_LOG_LEVEL": "warning"}
    return {
        "BASELINE_DATABASE_URL": database.baseline_url,
        "BASELINE_PROJECT_ID": database.project_id,
        "BASELINE_WRITE_KEY": database.write_key,
    }


def _is_healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/health")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def _wait_until_healthy(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while not _is_healthy(port):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"server did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGINT, as Ctrl-C would; uvicorn's supervisor passes it to its workers."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class RssSampler:
    """Samples the summed RSS of a server and all its workers every 100 ms."""

    def __init__(self, pid: int) -> None:
        self.peak = 0
        self._root = psutil.Process(pid)
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._done.wait(0.1):
            self.peak = max(self.peak, self._sample())

    def _sample(self) -> int:
        total = 0
        for process in [self._root, *self._root.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        return total


@dataclass(frozen=True)
class Server:
    port: int
    memory: RssSampler


@contextmanager
def running_server(target: str, workers: int, database: Database) -> Iterator[Server]:
    """The server, healthy and sampled for memory until it is stopped on exit."""
    port = free_port()
    with tempfile.NamedTemporaryFile(prefix=f"waypost-{target}-", suffix=".log") as log:
        process = subprocess.Popen(
            server_command(target, port, workers),
            cwd=REPOSITORY,
            env={**os.environ, **server_environment(target, database)},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_healthy(process, port, Path(log.name))
            with RssSampler(process.pid) as sampler:
                yield Server(port, sampler)
        finally:
            _stop(process)


# Measurement and report -------------------------------------------------------------------


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def measure(target: str, backend: str, workers: int, options: Options) -> Measurement:
    with fresh_database(backend, options) as database:
        with running_server(target, workers, database) as server:
            load = drive_load(server.port, database.write_key, options.load)
            peak_rss = server.memory.peak
        return Measurement(
            events_per_second=load.events / load.seconds,
            p50_ms=_percentile(load.latencies, 0.50) * 1000,
            p99_ms=_percentile(load.latencies, 0.99) * 1000,
            peak_rss_mb=peak_rss / 2**20,
            errors=load.errors,
        )


def describe(target: str, figures: Measurement) -> str:
    errors = f"  ({figures.errors} failed requests)" if figures.errors else ""
    return (
        f"  {target:<9} {figures.events_per_second:>9,.0f} events/s"
        f"   p50 {figures.p50_ms:6.1f} ms   p99 {figures.p99_ms:6.1f} ms"
        f"   peak RSS {figures.peak_rss_mb:6.0f} MB{errors}"
    )


def verdict(backend: str, workers: int, collector: Measurement, baseline: Measurement) -> str:
    ratio = collector.events_per_second / max(baseline.events_per_second, 1.0)
    target = TARGET_RATIOS[backend]
    line = f"  ratio     {ratio:.2f}x baseline (target >= {target:.2f}x: {_mark(ratio >= target)})"
    if backend == "sqlite" and workers == 1:
        rate = collector.events_per_second
        line += f"\n  target    >= {TARGET_SQLITE_ONE_WORKER:,.0f} events/s on one SQLite worker: "
        line += _mark(rate >= TARGET_SQLITE_ONE_WORKER)
    return line


def _mark(met: bool) -> str:
    return "met" if met else "MISSED"


def run(options: Options) -> None:
    plan = options.load
    print(
        f"{BATCH_SIZE}-event batches, {plan.connections} connections, "
        f"{plan.warmup:g} s warm-up + {plan.duration:g} s measured per run",
        flush=True,
    )
    for backend in options.backends:
        for workers in options.workers:
            print(f"\n{backend}, {workers} worker{'s' if workers > 1 else ''}", flush=True)
            collector = measure("collector", backend, workers, options)
            print(describe("collector", collector), flush=True)
            baseline = measure("baseline", backend, workers, options)
            print(describe("baseline", baseline), flush=True)
            print(verdict(backend, workers, collector, baseline), flush=True)


def parse_options(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--duration", type=float, default=12.0, help="seconds measured per run")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before measuring")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections")
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    parser.add_argument("--backends", default="sqlite,postgresql", help="sqlite and/or postgresql")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, help="server to use")
    parser.add_argument("--quick", action="store_true", help="a short smoke run (~3 s per run)")
    arguments = parser.parse_args(argv)
    quick = arguments.quick
    return Options(
        load=Plan(
            connections=arguments.connections,
            warmup=1.0 if quick else arguments.warmup,
            duration=2.0 if quick else arguments.duration,
        ),
        workers=tuple(int(count) for count in arguments.workers.split(",")),
        backends=tuple(arguments.backends.split(",")),
        postgres_url=arguments.postgres_url,
    )


if __name__ == "__main__":
    run(parse_options())
