"""A real ``waypost serve`` (uvicorn in a child process) with real clients: Segment's own
Python library, gzip over the wire, clients that hang up, and a ``kill -9``."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx2
import pytest
from segment.analytics.client import Client
from sqlalchemy import Engine

from collector.projects.service import CreatedProject
from tests import factories
from tests.conftest import LiveServer

WAIT_SECONDS = 15.0


@pytest.fixture
def http(live_server: LiveServer) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=live_server.url, timeout=WAIT_SECONDS) as client:
        yield client


def segment_calls(client: Client, run: str) -> dict[str, str]:
    """One call of each type through Segment's client; their message ids by call type."""
    ids = {call: f"{run}-{call}" for call in ("identify", "track", "group", "page", "screen")}
    ids["alias"] = f"{run}-alias"
    client.identify(f"user-{run}", {"plan": "pro"}, message_id=ids["identify"])
    client.track(f"user-{run}", "Report Created", {"kind": "funnel"}, message_id=ids["track"])
    client.group(f"user-{run}", f"account-{run}", {"seats": 5}, message_id=ids["group"])
    client.page(f"user-{run}", "Docs", "Getting started", message_id=ids["page"])
    client.screen(f"user-{run}", "Settings", "Billing", message_id=ids["screen"])
    client.alias(f"anon-{run}", f"user-{run}", message_id=ids["alias"])
    return ids


def stored_types(http: httpx2.Client, project: CreatedProject) -> dict[str, list[str]]:
    """The call types stored under each message id."""
    stored: dict[str, list[str]] = {}
    for event in factories.stored_events(http, project):
        stored.setdefault(event["messageId"], []).append(event["type"])
    return stored


def test_segment_client_calls_are_each_stored_once(
    live_server: LiveServer, http: httpx2.Client, engine: Engine
) -> None:
    project = factories.create_project(engine)
    segment = Client(project.write_key, host=live_server.url, sync_mode=True, timeout=5)
    sent = segment_calls(segment, uuid.uuid4().hex)
    assert stored_types(http, project) == {id_: [call] for call, id_ in sent.items()}


def test_segment_client_queued_calls_are_stored_once_after_flush(
    live_server: LiveServer, http: httpx2.Client, engine: Engine
) -> None:
    project = factories.create_project(engine)
    errors: list[Exception] = []
    segment = Client(
        project.write_key,
        host=live_server.url,
        upload_size=7,
        upload_interval=0.05,
        max_retries=1,
        on_error=lambda error, _batch: errors.append(error),
    )
    try:
        sent = [f"queued-{n}" for n in range(40)]
        for message_id in sent:
            segment.track("user-1", "Report Created", message_id=message_id)
        segment.flush()
    finally:
        segment.join()
    assert errors == []
    assert stored_types(http, project) == {message_id: ["track"] for message_id in sent}


def test_segment_client_gzip_batches_are_stored_once(
    live_server: LiveServer, http: httpx2.Client, engine: Engine
) -> None:
    project = factories.create_project(engine)
    segment = Client(project.write_key, host=live_server.url, sync_mode=True, gzip=True)
    sent = segment_calls(segment, uuid.uuid4().hex)
    assert stored_types(http, project) == {id_: [call] for call, id_ in sent.items()}


def test_a_gzip_batch_streamed_without_content_length_is_stored(
    live_server: LiveServer, http: httpx2.Client, engine: Engine
) -> None:
    project = factories.create_project(engine)
    batch = [factories.track(properties={"n": n, "text": "é" * 500}) for n in range(100)]
    compressed = gzip.compress(json.dumps({"batch": batch}).encode())

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(compressed), 4096):
            yield compressed[start : start + 4096]

    response = http.post(
        "/v1/batch",
        content=chunks(),
        headers={
            "content-type": "application/json",
            "content-encoding": "gzip",
            **factories.write_auth(project),
        },
    )
    assert response.json()["accepted"] == 100
    stored = factories.stored_message_ids(http, project)
    assert sorted(stored) == sorted(message["messageId"] for message in batch)


def test_a_gzip_bomb_over_real_http_is_refused_with_413(
    live_server: LiveServer, http: httpx2.Client, engine: Engine
) -> None:
    project = factories.create_project(engine)
    inflated_size = 50 * 1024 * 1024
    bomb = gzip.compress(b" " * inflated_size, compresslevel=9)
    peak_before = live_server.peak_memory_bytes()
    response = http.post(
        "/v1/batch",
        content=bomb,
        headers={"content-encoding": "gzip", **factories.write_auth(project)},
    )
    assert response.status_code == 413
    assert "500 KB" in response.json()["error"]["message"]
    assert live_server.peak_memory_bytes() - peak_before < inflated_size // 2


def test_a_client_hanging_up_mid_body_is_not_logged_as_a_server_error(
    live_server: LiveServer,
) -> None:
    head = (
        "POST /v1/batch HTTP/1.1\r\nHost: collector\r\nContent-Type: application/json\r\n"
        "Content-Length: 5000\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", live_server.port), timeout=WAIT_SECONDS) as sock:
        sock.sendall(head.encode() + b'{"batch": [')
    # The server handles the hang-up before this later request, and a graceful stop
    # waits for every request task to finish before the log is read.
    assert httpx2.get(f"{live_server.url}/health", timeout=WAIT_SECONDS).status_code == 200
    live_server.stop()
    log = live_server.log()
    assert "Traceback" not in log
    assert "unhandled error" not in log


def _send_until_the_server_dies(
    url: str,
    project: CreatedProject,
    accepted: list[str],
    unanswered: list[Any],
    ready: threading.Event,
) -> None:
    """Post batches until the connection fails; record what was answered 200."""
    with httpx2.Client(base_url=url, headers=factories.write_auth(project), timeout=5) as client:
        while True:
            batch = [factories.track() for _ in range(5)]
            try:
                response = client.post("/v1/batch", json={"batch": batch})
            except httpx2.TransportError:
                unanswered.extend(batch)
                ready.set()
                return
            if response.status_code == 200 and response.json()["accepted"] == len(batch):
                accepted.extend(message["messageId"] for message in batch)
            if len(accepted) >= 100:
                ready.set()


def test_every_accepted_event_survives_kill_9_and_restart(
    live_server: LiveServer, engine: Engine
) -> None:
    project = factories.create_project(engine)
    accepted: list[str] = []
    unanswered: list[Any] = []
    ready = threading.Event()
    sender = threading.Thread(
        target=_send_until_the_server_dies,
        args=(live_server.url, project, accepted, unanswered, ready),
    )
    sender.start()
    try:
        assert ready.wait(WAIT_SECONDS), "the server accepted too few batches"
        live_server.kill()  # SIGKILL while batches are in flight
    finally:
        sender.join(WAIT_SECONDS)
    assert not sender.is_alive()
    live_server.start()
    with httpx2.Client(base_url=live_server.url, timeout=WAIT_SECONDS) as http:
        stored = factories.stored_message_ids(http, project)
    assert len(stored) == len(set(stored))
    assert set(accepted) <= set(stored)
    assert set(stored) <= set(accepted) | {message["messageId"] for message in unanswered}


def test_a_batch_retried_after_a_crash_is_stored_once(
    live_server: LiveServer, engine: Engine
) -> None:
    project = factories.create_project(engine)
    batch = [factories.track() for _ in range(5)]
    with httpx2.Client(base_url=live_server.url, headers=factories.write_auth(project)) as http:
        assert http.post("/v1/batch", json={"batch": batch}).status_code == 200
    live_server.kill()
    live_server.start()
    with httpx2.Client(base_url=live_server.url, headers=factories.write_auth(project)) as http:
        retry = http.post("/v1/batch", json={"batch": batch})
        stored = factories.stored_message_ids(http, project)
    assert retry.json()["accepted"] == 5
    assert sorted(stored) == sorted(message["messageId"] for message in batch)


def test_concurrent_batches_to_several_workers_are_each_stored_once(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    project = factories.create_project(engine)
    server = LiveServer(db_url, tmp_path / "workers.log", workers=3)
    server.start()
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            sent = list(
                pool.map(lambda n: _send_shared_identities(server.url, project, n), range(8))
            )
        with httpx2.Client(base_url=server.url, timeout=WAIT_SECONDS) as http:
            stored = factories.stored_message_ids(http, project)
    finally:
        server.stop()
    expected = [message_id for batch in sent for message_id in batch]
    assert len(expected) == 8 * 10 * 4, "every batch is answered 200 with all accepted"
    assert sorted(stored) == sorted(expected)
    assert "Traceback" not in server.log()


def _send_shared_identities(url: str, project: CreatedProject, sender: int) -> list[str]:
    """Batches whose users, anonymous ids and accounts overlap with other senders'."""
    sent: list[str] = []
    with httpx2.Client(base_url=url, headers=factories.write_auth(project), timeout=30) as http:
        for n in range(10):
            batch = [
                factories.message("identify", userId=f"u{n % 3}", anonymousId=f"a{sender}-{n}"),
                factories.track(userId=f"u{(sender + n) % 3}", anonymousId=f"a{n % 4}"),
                factories.message("group", userId=f"u{sender % 3}", groupId=f"g{n % 2}"),
                factories.message("alias", userId=f"u{n % 3}", previousId=f"a{sender % 4}"),
            ]
            response = http.post("/v1/batch", json={"batch": batch})
            if response.status_code == 200 and response.json()["accepted"] == len(batch):
                sent.extend(message["messageId"] for message in batch)
    return sent
