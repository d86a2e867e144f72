"""Real processes: ``waypost serve --with-worker`` and ``waypost worker`` delivering to a real
receiver on loopback, killed, stopped with SIGTERM, and two of them sharing PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx2
import pytest
from sqlalchemy import Engine
from standardwebhooks import Webhook
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests.collector.webhooks.conftest import Receiver, attempts_of, create_endpoint, messages_of
from tests.conftest import ROOT, LiveServer
from tests.factories import create_survey, report, reserved, secret_auth, write_auth

WAIT_SECONDS = 20.0
WORKER_ENV = {
    "WAYPOST_WEBHOOK_ALLOW_PRIVATE_TARGETS": "1",
    "WAYPOST_WEBHOOK_RETRY_SCHEDULE": "0,0.2,0.2,0.2",
    "WAYPOST_WEBHOOK_TIMEOUT_SECONDS": "1",
    "WAYPOST_WEBHOOK_LEASE_SECONDS": "3.5",
    "WAYPOST_WEBHOOK_POLL_SECONDS": "0.05",
}


class WorkerProcess:
    """``waypost worker`` in a child process over the test database, logging to a file."""

    def __init__(self, database_url: str, log_path: Path) -> None:
        command = [sys.executable, "-m", "collector", "worker", "--database-url", database_url]
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=log_path.parent,
                env={**os.environ, **WORKER_ENV, "PYTHONPATH": str(ROOT)},
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=WAIT_SECONDS)

    def terminate(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=WAIT_SECONDS)


@pytest.fixture
def start_worker(db_url: str, tmp_path: Path) -> Iterator[list[WorkerProcess]]:
    started: list[WorkerProcess] = []
    yield started
    for worker in started:
        worker.kill()


def new_worker(started: list[WorkerProcess], db_url: str, tmp_path: Path) -> WorkerProcess:
    worker = WorkerProcess(db_url, tmp_path / f"worker-{len(started)}.log")
    started.append(worker)
    return worker


def wait_until(condition: object, timeout: float = WAIT_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.05)
    pytest.fail("timed out waiting")


def answered(client: TestClient, engine: Engine, project: CreatedProject, count: int = 1) -> None:
    survey = create_survey(engine, project)
    answers = [reserved("Survey Responded", survey, {"score": i % 11}) for i in range(count)]
    for start in range(0, count, 100):
        report(client, project, *answers[start : start + 100])


@pytest.fixture
def serving(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    """``waypost serve`` with its worker in the same process (``WAYPOST_WORKER_IN_PROCESS``)."""
    for name, value in {**WORKER_ENV, "WAYPOST_WORKER_IN_PROCESS": "1"}.items():
        monkeypatch.setenv(name, value)
    server = LiveServer(db_url, tmp_path / "server.log")
    server.start()
    yield server
    server.stop()


def test_serve_with_its_worker_delivers_a_verified_answer_end_to_end(
    serving: LiveServer, engine: Engine, project: CreatedProject, receiver: Receiver
) -> None:
    survey = create_survey(engine, project)
    with httpx2.Client(base_url=serving.url, timeout=WAIT_SECONDS) as http:
        created = http.post(
            "/api/v1/webhooks/endpoints",
            json={"url": receiver.url, "event_types": ["survey.responded"]},
            headers=secret_auth(project),
        )
        assert created.status_code == 201, created.text
        answer = reserved("Survey Responded", survey, {"score": 2, "text": "<b>slow</b>"})
        sent = http.post("/v1/batch", json={"batch": [answer]}, headers=write_auth(project))
        assert sent.status_code == 200
    [request] = receiver.wait_for(1, WAIT_SECONDS)
    payload = Webhook(created.json()["secret"]).verify(request.body, request.headers)
    assert payload["data"]["response"]["text"] == "<b>slow</b>"
    assert payload["data"]["message_id"] == answer["messageId"]


def hang(handler: BaseHTTPRequestHandler) -> None:
    """A receiver that never answers the first try (the worker dies meanwhile)."""
    time.sleep(5)


def test_a_worker_killed_mid_delivery_loses_nothing(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    db_url: str,
    *,
    tmp_path: Path,
    start_worker: list[WorkerProcess],
) -> None:
    receiver.answers = [hang, 200]
    create_endpoint(client, project, receiver.url)
    answered(client, engine, project)
    first = new_worker(start_worker, db_url, tmp_path)
    receiver.wait_for(1, WAIT_SECONDS)
    first.kill()
    new_worker(start_worker, db_url, tmp_path)
    wait_until(lambda: messages_of(client, project)[0]["status"] == "delivered")
    [sent] = messages_of(client, project)
    assert {r.headers["webhook-id"] for r in receiver.received} == {sent["id"]}
    assert [a["status_code"] for a in attempts_of(client, project, sent["id"])] == [200]


def slow_ok(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(0.5)
    handler.send_response(200)
    handler.send_header("content-length", "0")
    handler.end_headers()


def test_sigterm_lets_the_worker_finish_its_deliveries_in_flight(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    db_url: str,
    *,
    tmp_path: Path,
    start_worker: list[WorkerProcess],
) -> None:
    receiver.answers = [slow_ok]
    create_endpoint(client, project, receiver.url)
    answered(client, engine, project)
    worker = new_worker(start_worker, db_url, tmp_path)
    receiver.wait_for(1, WAIT_SECONDS)
    assert worker.terminate() == 0
    [sent] = messages_of(client, project)
    assert sent["status"] == "delivered"


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_workers_on_postgresql_never_deliver_the_same_attempt_twice(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    db_url: str,
    *,
    tmp_path: Path,
    start_worker: list[WorkerProcess],
) -> None:
    count = 300
    create_endpoint(client, project, receiver.url)
    answered(client, engine, project, count)
    new_worker(start_worker, db_url, tmp_path)
    new_worker(start_worker, db_url, tmp_path)
    receiver.wait_for(count, WAIT_SECONDS)
    wait_until(lambda: len(messages_of(client, project, status="delivered", limit="1000")) == count)
    ids = [r.headers["webhook-id"] for r in receiver.received]
    assert len(ids) == len(set(ids)) == count
    sample = messages_of(client, project, limit="20")
    succeeded = [[a["succeeded"] for a in attempts_of(client, project, m["id"])] for m in sample]
    assert all(tries.count(True) == 1 for tries in succeeded)
