"""Fixtures of the webhook tests: a real receiver on loopback, and settings that allow it.

The receiver is a threaded HTTP server standing in for a CRM. Each test scripts its
answers (``receiver.answers``: status codes, or callables for slow or odd answers) and
reads back what it received.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.testclient import TestClient

from collector.app import create_app
from collector.kit.settings import Settings
from collector.kit.webhook_settings import WebhookSettings
from collector.projects.service import CreatedProject
from collector.webhooks.attempts import Delivery, claim_due, deliver
from tests.factories import secret_auth

FAST_SCHEDULE = (0.0, 0.0, 0.0, 0.0)
"""Four tries, each due at once: retries without waiting."""
Answer = int | Callable[[BaseHTTPRequestHandler], None]


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """What the fake CRM answers, in order (the last answer repeats), and what it got."""

    url: str = ""
    answers: list[Answer] = field(default_factory=lambda: [200])
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_answer(self, request: Received) -> Answer:
        with self.lock:
            self.received.append(request)
            index = min(len(self.received), len(self.answers)) - 1
            return self.answers[index]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return list(self.received)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            request = Received(
                self.path, {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length)
            )
            answer = receiver.next_answer(request)
            if callable(answer):
                answer(self)
                return
            self.send_response(answer)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests read what was received instead."""

    return Handler


class _Server(ThreadingHTTPServer):
    request_queue_size = 128
    """Room for every worker's connections at once (the default, 5, makes them wait)."""


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    found = Receiver()
    server = _Server(("127.0.0.1", 0), _handler(found))
    server.daemon_threads = True
    found.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as found:
        yield found


@pytest.fixture
def other_receiver() -> Iterator[Receiver]:
    """A second CRM, for tests where one receiver must not hold up another."""
    with running_receiver() as found:
        yield found


@pytest.fixture
def hook_settings() -> WebhookSettings:
    return WebhookSettings(
        allow_private_targets=True,
        timeout_seconds=2.0,
        retry_schedule=FAST_SCHEDULE,
        disable_after=2,
        lease_seconds=7.0,
        poll_seconds=0.05,
    )


@pytest.fixture
def settings(db_url: str, hook_settings: WebhookSettings) -> Settings:
    """The installation's settings, delivering to loopback (the receiver) and retrying at once."""
    return Settings(database_url=db_url, db_pool_size=5, webhooks=hook_settings)


@pytest.fixture
def app(settings: Settings) -> Starlette:
    return create_app(settings)


@pytest.fixture
def delivery(hook_settings: WebhookSettings) -> Delivery:
    return Delivery.from_settings(hook_settings)


def create_endpoint(
    client: TestClient, project: CreatedProject, url: str, **fields: Any
) -> dict[str, Any]:
    """``POST /api/v1/webhooks/endpoints`` that must answer 201; the endpoint with its secret."""
    body = {"url": url, "event_types": ["survey.responded"], **fields}
    response = client.post("/api/v1/webhooks/endpoints", json=body, headers=secret_auth(project))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def messages_of(client: TestClient, project: CreatedProject, **params: str) -> list[dict[str, Any]]:
    response = client.get("/api/v1/webhooks/messages", params=params, headers=secret_auth(project))
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def attempts_of(
    client: TestClient, project: CreatedProject, message_id: str
) -> list[dict[str, Any]]:
    response = client.get(
        f"/api/v1/webhooks/messages/{message_id}/attempts", headers=secret_auth(project)
    )
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def deliver_until_idle(engine: Engine, delivery: Delivery, rounds: int = 20) -> int:
    """Claim and send due messages, one by one in this thread, until none is due."""
    sent = 0
    for _ in range(rounds):
        claimed = claim_due(engine, delivery, 50)
        if not claimed.rows:
            return sent
        for row in claimed.rows:
            deliver(engine, delivery, row, claimed.token)
            sent += 1
    return sent
