"""The SDK against a real ``waypost serve``: what it sends is stored, once, over real HTTP."""

from __future__ import annotations

import multiprocessing
import uuid
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from waypost import Client, identity_hash

from collector.projects.service import CreatedProject
from tests import factories
from tests.conftest import LiveServer
from tests.sdk_python.live import WAIT_SECONDS

FORK = multiprocessing.get_context("fork")


@pytest.fixture
def http(live_server: LiveServer) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=live_server.url, timeout=WAIT_SECONDS) as client:
        yield client


def sdk(live_server: LiveServer, project: CreatedProject, **options: Any) -> Client:
    return Client(project.write_key, live_server.url, max_retries=1, **options)


def every_call(client: Client, run: str) -> list[str]:
    """One call of each type; their message ids."""
    ids = [f"{run}-{n}" for n in range(6)]
    client.identify(f"user-{run}", {"plan": "pro"}, message_id=ids[0])
    client.track(f"user-{run}", "Report Created", {"kind": "funnel"}, message_id=ids[1])
    client.group(f"user-{run}", f"account-{run}", {"seats": 5}, message_id=ids[2])
    client.page(f"user-{run}", "Docs", "Getting started", message_id=ids[3])
    client.screen(f"user-{run}", "Settings", message_id=ids[4])
    client.alias(f"anon-{run}", f"user-{run}", message_id=ids[5])
    return ids


@pytest.mark.parametrize("gzip", [True, False], ids=["gzip", "plain"])
def test_every_call_is_stored_exactly_once(
    live_server: LiveServer, http: httpx2.Client, project: CreatedProject, gzip: bool
) -> None:
    client = sdk(live_server, project, gzip=gzip)
    sent = every_call(client, uuid.uuid4().hex)
    assert client.flush(WAIT_SECONDS)
    assert sorted(factories.stored_message_ids(http, project)) == sorted(sent)


def test_batches_split_by_count_are_each_stored_once(
    live_server: LiveServer, http: httpx2.Client, project: CreatedProject
) -> None:
    client = sdk(live_server, project, flush_at=7)
    sent = [f"queued-{n}" for n in range(40)]
    for message_id in sent:
        client.track("user-1", "Report Created", message_id=message_id)
    assert client.flush(WAIT_SECONDS)
    assert sorted(factories.stored_message_ids(http, project)) == sorted(sent)


def test_the_identity_hash_is_accepted_by_the_collector(
    live_server: LiveServer, http: httpx2.Client, project: CreatedProject
) -> None:
    settings = {"settings": {"require_identity_verification": True}}
    patched = http.patch("/api/v1/project", json=settings, headers=factories.secret_auth(project))
    assert patched.status_code == 200, patched.text
    signed = identity_hash("user-1", project.identity_secret)
    params = {"userId": "user-1", "identityHash": signed}
    flows = http.get("/v1/flows", params=params, headers=factories.write_auth(project))
    assert flows.status_code == 200, flows.text


def test_a_wrong_identity_hash_is_refused_by_the_collector(
    live_server: LiveServer, http: httpx2.Client, project: CreatedProject
) -> None:
    settings = {"settings": {"require_identity_verification": True}}
    http.patch("/api/v1/project", json=settings, headers=factories.secret_auth(project))
    params = {"userId": "user-1", "identityHash": identity_hash("user-2", project.identity_secret)}
    flows = http.get("/v1/flows", params=params, headers=factories.write_auth(project))
    assert flows.status_code == 403


def child(client: Client) -> None:
    client.track("user-1", "Report Created", message_id="from-the-child")
    raise SystemExit(0 if client.flush(WAIT_SECONDS) else 1)


def test_after_fork_each_process_sends_its_own_messages_once(
    live_server: LiveServer, http: httpx2.Client, project: CreatedProject
) -> None:
    client = sdk(live_server, project, flush_interval=30.0)
    client.track("user-1", "Report Created", message_id="from-the-parent")
    process = FORK.Process(target=child, args=(client,))
    process.start()
    process.join(WAIT_SECONDS)
    assert process.exitcode == 0
    assert client.flush(WAIT_SECONDS)
    assert sorted(factories.stored_message_ids(http, project)) == [
        "from-the-child",
        "from-the-parent",
    ]
