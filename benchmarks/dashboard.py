"""Dashboard sessions on the admin API: the server's CPU time per request with a session
cookie against the same requests with the secret key, on the same server in the same run.

The dashboard reads everything through the public API, so what a session costs on each
call (the cookie's signature, the session row, the membership) is what every chart pays.
A fresh SQLite database gets a project and a dashboard user; ``waypost serve`` (one worker)
runs on a free loopback port; one keep-alive client then alternates rounds of
``GET /api/v1/project`` with ``Authorization: Bearer sk_…`` and with the session cookie
and ``X-Waypost-Project``, several rounds each. The figure is the server process's CPU
time per request (user + system, read from the kernel), which other work on a shared
machine does not distort as it does wall-clock rates; requests/s are printed beside it.
Printed: the medians and the key/session ratio of CPU per request (target: 0.8x or better,
a session costing at most a quarter more than a key). Sign-in, which hashes with scrypt on
purpose, is timed too, against a ``GET /health`` round trip. The secret key's rate limit
is raised out of the way (``WAYPOST_RATE_LIMIT_SECRET_KEY``): it would cap the key's rounds.

Run by hand from the repository root::

    python -m benchmarks.dashboard           # 5 s rounds
    python -m benchmarks.dashboard --quick   # 1 s rounds
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil

from collector.dashboard.users import add_membership, create_user
from collector.kit.db.engine import build_engine, write_transaction
from collector.kit.db.migrate import upgrade
from collector.projects.service import CreatedProject, create_project

REPOSITORY = Path(__file__).resolve().parent.parent
TARGET_RATIO = 0.8
ROUNDS = 3
EMAIL = "bench@example.com"
PASSWORD = "a benchmark password"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _prepare(url: str) -> CreatedProject:
    engine = build_engine(url)
    try:
        upgrade(engine)
        now = datetime.now(UTC)
        with write_transaction(engine) as connection:
            project = create_project(connection, "Bench", now=now)
            create_user(connection, EMAIL, PASSWORD, now=now)
            add_membership(connection, EMAIL, project.id, now=now)
        return project
    finally:
        engine.dispose()


@contextmanager
def _server(url: str, directory: Path) -> Iterator[tuple[int, psutil.Process]]:
    port = _free_port()
    command = [sys.executable, "-m", "collector", "serve", "--port", str(port)]
    command += ["--database-url", url, "--log-level", "warning"]
    log = (directory / "server.log").open("wb")
    process = subprocess.Popen(
        command,
        cwd=directory,
        env={
            **os.environ,
            "PYTHONPATH": str(REPOSITORY),
            "WAYPOST_RATE_LIMIT_SECRET_KEY": "1000000",
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(port)
        yield port, psutil.Process(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def _wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("waypost serve did not start")


def _request(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes | None = None,
) -> http.client.HTTPResponse:
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    if response.status >= 400:
        raise SystemExit(f"{method} {path} answered {response.status}")
    return response


def _sign_in(connection: http.client.HTTPConnection) -> tuple[str, float]:
    """The session cookie, and how long signing in took."""
    body = json.dumps({"email": EMAIL, "password": PASSWORD}).encode()
    started = time.perf_counter()
    response = _request(
        connection, "POST", "/dashboard/api/session", {"content-type": "application/json"}, body
    )
    elapsed = time.perf_counter() - started
    cookie = response.getheader("set-cookie", "").split(";")[0]
    return cookie, elapsed


@dataclass(frozen=True)
class Round:
    per_second: float
    cpu_per_request: float


def _cpu(server: psutil.Process) -> float:
    times = server.cpu_times()
    return float(times.user + times.system)


def _round(call: Callable[[], object], seconds: float, server: psutil.Process) -> Round:
    done, cpu, deadline = 0, _cpu(server), time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        call()
        done += 1
    return Round(done / seconds, (_cpu(server) - cpu) / done)


def run(seconds: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        url = f"sqlite:///{directory / 'bench.db'}"
        project = _prepare(url)
        with _server(url, directory) as (port, server):
            connection = http.client.HTTPConnection("127.0.0.1", port)
            sign_ins = [_sign_in(connection) for _ in range(5)]
            cookie = sign_ins[-1][0]
            key = {"authorization": f"Bearer {project.secret_key}"}
            session = {"cookie": cookie, "x-waypost-project": str(project.id)}
            health = statistics.median(
                _timed(lambda: _request(connection, "GET", "/health", {})) for _ in range(50)
            )
            rounds: dict[str, list[Round]] = {"key": [], "session": []}
            for _ in range(ROUNDS):
                for name, headers in (("key", key), ("session", session)):
                    call = lambda h=headers: _request(connection, "GET", "/api/v1/project", h)  # noqa: E731
                    rounds[name].append(_round(call, seconds, server))
            connection.close()
    _report(rounds, statistics.median(elapsed for _, elapsed in sign_ins), health)


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _report(rounds: dict[str, list[Round]], sign_in: float, health: float) -> None:
    figures = {
        name: (
            statistics.median(r.cpu_per_request for r in found) * 1e6,
            statistics.median(r.per_second for r in found),
        )
        for name, found in rounds.items()
    }
    for name, label in (("key", "the secret key"), ("session", "a dashboard session")):
        cpu, rate = figures[name]
        print(f"GET /api/v1/project with {label:20}: {cpu:6.0f} us CPU/request, {rate:5.0f} req/s")
    ratio = figures["key"][0] / figures["session"][0]
    verdict = "meets" if ratio >= TARGET_RATIO else "misses"
    print(f"key / session CPU per request: {ratio:.2f}x ({verdict} the {TARGET_RATIO}x target)")
    print(
        f"sign-in (scrypt): {sign_in * 1000:.0f} ms median; "
        f"GET /health {health * 1000:.2f} ms ({sign_in / health:.0f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 s rounds instead of 5 s")
    arguments = parser.parse_args()
    run(1.0 if arguments.quick else 5.0)


if __name__ == "__main__":
    main()
