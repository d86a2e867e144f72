"""Shared fixtures: settings → app → client, over a real SQLite file and a real PostgreSQL.

Every storage test runs once per backend through the ``db_url`` parameter. PostgreSQL runs
when ``WAYPOST_TEST_POSTGRES_URL`` names a server (CI sets it); each test session gets a
schema of its own there, dropped at the end. Tests isolate themselves by creating their own
project, which is also how tenants are isolated in production.

``empty_db_url`` is a fresh, unmigrated database of each backend for tests that migrate
(or un-migrate) it; ``live_server`` is ``waypost serve`` running in a child process.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2
import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.testclient import TestClient

from collector.app import create_app
from collector.kit.db.engine import build_engine
from collector.kit.db.migrate import upgrade
from collector.kit.settings import Settings
from collector.projects.service import CreatedProject
from tests import factories

POSTGRES_URL_VARIABLE = "WAYPOST_TEST_POSTGRES_URL"
BACKENDS: list[Any] = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
ROOT = Path(__file__).resolve().parents[1]
SERVER_START_SECONDS = 15.0
SERVER_STOP_SECONDS = 10.0


def _postgres_schema_url(base_url: str, schema: str) -> str:
    url = make_url(base_url)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def _libpq_dsn(base_url: str) -> str:
    return make_url(base_url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def _new_database(backend: str, directory: Path) -> Iterator[str]:
    """An empty database: a SQLite file in ``directory``, or a PostgreSQL schema of its own."""
    if backend == "sqlite":
        yield f"sqlite:///{directory / 'waypost.db'}"
        return
    base_url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not base_url:
        pytest.skip(f"set {POSTGRES_URL_VARIABLE} to run the PostgreSQL suite")
    schema = f"waypost_test_{secrets.token_hex(4)}"
    with psycopg.connect(_libpq_dsn(base_url), autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield _postgres_schema_url(base_url, schema)
    finally:
        with psycopg.connect(_libpq_dsn(base_url), autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="session", params=BACKENDS)
def db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated, empty database of each backend, for the whole test session."""
    with _new_database(request.param, tmp_path_factory.mktemp("sqlite")) as url:
        _migrate(url)
        yield url


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of each backend with no tables at all, for one test."""
    with _new_database(request.param, tmp_path) as url:
        yield url


def _migrate(url: str) -> None:
    engine = build_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    engine = build_engine(db_url, pool_size=5)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url, db_pool_size=5)


@pytest.fixture
def app(settings: Settings) -> Starlette:
    return create_app(settings)


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def project(engine: Engine) -> CreatedProject:
    return factories.create_project(engine)


@pytest.fixture
def other_project(engine: Engine) -> CreatedProject:
    return factories.create_project(engine, name="Other Co")


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class LiveServer:
    """``waypost serve`` in a child process on a loopback port, logging to a file.

    Tests may ``kill()`` it (SIGKILL: no shutdown, nothing flushed) and ``start()`` it
    again on the same port and database; the fixture always stops it at the end.
    """

    def __init__(self, database_url: str, log_path: Path, *, workers: int = 1) -> None:
        self.database_url = database_url
        self.log_path = log_path
        self.workers = workers
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            *(sys.executable, "-m", "collector", "serve"),
            *("--host", "127.0.0.1", "--port", str(self.port)),
            *("--database-url", self.database_url, "--log-level", "warning"),
            *("--workers", str(self.workers)),
        ]
        with self.log_path.open("ab") as log:
            # A session of its own, so that kill() reaches uvicorn's worker processes too.
            self.process = subprocess.Popen(
                command,
                cwd=self.log_path.parent,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self._wait_until_healthy()
        except BaseException:
            self.kill()
            raise

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                pytest.fail(f"waypost serve exited while starting:\n{self.log()}")
            try:
                if httpx2.get(f"{self.url}/health", timeout=1.0).status_code == 200:
                    return
            except httpx2.TransportError:
                pass
            time.sleep(0.05)
        pytest.fail(f"waypost serve did not answer /health in {SERVER_START_SECONDS} s")

    def kill(self) -> None:
        """Kill the server and its workers at once, as a crash or the OOM killer would."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=SERVER_STOP_SECONDS)

    def stop(self) -> None:
        """Shut down gracefully (SIGTERM), killing the process if it does not exit in time."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=SERVER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()

    def peak_memory_bytes(self) -> int:
        """The most resident memory the server process has used so far (Linux ``VmHWM``)."""
        assert self.process is not None
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        [line] = [line for line in status.splitlines() if line.startswith("VmHWM:")]
        return int(line.split()[1]) * 1024

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@contextmanager
def running_server(database_url: str, log_path: Path) -> Iterator[LiveServer]:
    """A ``LiveServer`` started for the ``with`` block and always stopped after it."""
    server = LiveServer(database_url, log_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def live_server(db_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    """A real uvicorn serving the collector over ``db_url``'s database."""
    with running_server(db_url, tmp_path / "server.log") as server:
        yield server
