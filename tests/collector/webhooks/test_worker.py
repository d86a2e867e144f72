"""The worker loop in this process: it keeps deliveries in flight, stops cleanly, runs inside
``waypost serve`` when asked, and bounds slow or wrong receivers."""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.app import create_app
from collector.kit.db.engine import build_engine
from collector.kit.settings import Settings
from collector.projects.service import CreatedProject
from collector.webhooks.attempts import Delivery, claim_due
from collector.webhooks.sender import Sender
from collector.webhooks.worker import Worker
from collector.worker import run_worker
from tests.collector.webhooks.conftest import Receiver, create_endpoint, messages_of
from tests.factories import create_survey, report, reserved

WAIT_SECONDS = 10.0


def answer(client: TestClient, engine: Engine, project: CreatedProject, count: int = 1) -> None:
    survey = create_survey(engine, project)
    report(
        client, project, *(reserved("Survey Responded", survey, {"score": 5}) for _ in range(count))
    )


def delivered(client: TestClient, project: CreatedProject) -> int:
    return len(messages_of(client, project, status="delivered"))


def wait_for(condition: object) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.02)
    pytest.fail("timed out waiting")


@pytest.fixture
def worker(engine: Engine, delivery: Delivery) -> Iterator[Worker]:
    running = Worker(engine, delivery)
    thread = threading.Thread(target=running.run)
    thread.start()
    yield running
    running.stop()
    thread.join(WAIT_SECONDS)


def test_a_running_worker_delivers_whatever_is_written(
    client: TestClient, engine: Engine, project: CreatedProject, receiver: Receiver, worker: Worker
) -> None:
    create_endpoint(client, project, receiver.url)
    answer(client, engine, project, 20)
    wait_for(lambda: delivered(client, project) == 20)
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 20


def test_a_stopped_worker_claims_nothing_more(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    stopped = Worker(engine, delivery)
    stopped.stop()
    stopped.run()
    create_endpoint(client, project, receiver.url)
    answer(client, engine, project)
    assert receiver.received == []


def slow_ok(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(0.3)
    handler.send_response(200)
    handler.send_header("content-length", "0")
    handler.end_headers()


def test_a_stopping_worker_hands_back_what_it_has_not_started_to_send(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    receiver.answers = [slow_ok]
    create_endpoint(client, project, receiver.url)
    answer(client, engine, project, 3)
    one_at_a_time = Worker(
        engine,
        dataclasses.replace(
            delivery, settings=dataclasses.replace(delivery.settings, concurrency=1)
        ),
    )
    thread = threading.Thread(target=one_at_a_time.run)
    thread.start()
    receiver.wait_for(1, WAIT_SECONDS)
    one_at_a_time.stop()
    thread.join(WAIT_SECONDS)
    statuses = sorted(m["status"] for m in messages_of(client, project))
    assert statuses == ["delivered", "pending", "pending"]
    claimable = claim_due(engine, delivery, 1000).rows
    assert len([row for row in claimable if row.project_id == project.id]) == 2


def test_serve_runs_the_worker_when_asked(
    settings: Settings, engine: Engine, project: CreatedProject, receiver: Receiver
) -> None:
    with TestClient(create_app(dataclasses.replace(settings, worker_in_process=True))) as client:
        create_endpoint(client, project, receiver.url)
        answer(client, engine, project)
        wait_for(lambda: delivered(client, project) == 1)


def test_run_worker_delivers_until_sigterm_then_restores_the_signal_handlers(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    settings: Settings,
) -> None:
    create_endpoint(client, project, receiver.url)
    answer(client, engine, project)
    before = signal.getsignal(signal.SIGTERM)

    def terminate_once_delivered() -> None:
        receiver.wait_for(1, WAIT_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=terminate_once_delivered).start()
    run_worker(settings)
    assert signal.getsignal(signal.SIGTERM) is before
    assert delivered(client, project) == 1


def test_a_worker_whose_database_is_unreachable_keeps_trying(
    delivery: Delivery, caplog: pytest.LogCaptureFixture
) -> None:
    unreachable = build_engine("postgresql+psycopg://waypost@127.0.0.1:9/none", pool_size=1)
    stopped = Worker(unreachable, delivery)
    thread = threading.Thread(target=stopped.run)
    with caplog.at_level(logging.ERROR, logger="waypost.webhooks"):
        thread.start()
        wait_for(lambda: "could not claim messages" in caplog.text)
        stopped.stop()
        thread.join(WAIT_SECONDS)
    assert not thread.is_alive()


def drip(handler: BaseHTTPRequestHandler) -> None:
    """An answer that never ends: a byte every tenth of a second."""
    handler.send_response(200)
    handler.send_header("content-length", "1000")
    handler.end_headers()
    for _ in range(40):
        handler.wfile.write(b"x")
        handler.wfile.flush()
        time.sleep(0.1)


def test_an_answer_dripping_past_the_timeout_is_a_failed_try(receiver: Receiver) -> None:
    receiver.answers = [drip]
    result = Sender(timeout=0.5, allow_private=True).post(receiver.url, b"{}", {})
    assert (result.status_code, result.error) == (None, "timed out")
    assert result.duration_ms < 2000


def test_https_to_a_receiver_that_speaks_no_tls_is_a_failed_try(receiver: Receiver) -> None:
    url = receiver.url.replace("http://", "https://")
    result = Sender(timeout=1.0, allow_private=True).post(url, b"{}", {})
    assert result.succeeded is False
    assert result.error is not None and "SSL" in result.error


def test_the_openapi_document_describes_the_webhook_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert paths["/api/v1/webhooks/endpoints"]["post"]["responses"]["201"]
    assert paths["/api/v1/webhooks/messages/{id}/replay"]["post"]["responses"]["202"]
    assert "delete" in paths["/api/v1/webhooks/endpoints/{id}"]
