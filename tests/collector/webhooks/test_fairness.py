"""One endpoint that hangs cannot hold up the others: a worker sends at most
``WAYPOST_WEBHOOK_ENDPOINT_CONCURRENCY`` messages to it at once, and claims the other
endpoints' messages past its backlog."""

from __future__ import annotations

import dataclasses
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.kit.webhook_settings import WebhookSettings
from collector.projects.service import CreatedProject
from collector.webhooks.attempts import Delivery, claim_due
from collector.webhooks.repository import ClaimShare
from collector.webhooks.worker import Worker
from tests.collector.webhooks.conftest import Receiver, create_endpoint
from tests.factories import create_survey, report, reserved

TIMEOUT = 1.0
CONCURRENCY = 4
BACKLOG = 48
ONE_PASS = BACKLOG / CONCURRENCY * TIMEOUT
"""Seconds to try the hanging endpoint's backlog once with every sender on it (12 s)."""
WAIT_SECONDS = 20.0


@pytest.fixture
def hook_settings(hook_settings: WebhookSettings) -> WebhookSettings:
    """Four senders, a short timeout, and no disabling: the hanging endpoint keeps its backlog."""
    return dataclasses.replace(
        hook_settings,
        timeout_seconds=TIMEOUT,
        lease_seconds=4 * TIMEOUT + 1,
        concurrency=CONCURRENCY,
        disable_after=10_000,
    )


def hang_until_dropped(handler: BaseHTTPRequestHandler) -> None:
    """Never answer: wait until the worker gives up on the try and closes the connection."""
    handler.connection.settimeout(WAIT_SECONDS)
    try:
        handler.connection.recv(1)
    except OSError:
        return


def answer(client: TestClient, engine: Engine, project: CreatedProject, count: int) -> None:
    survey = create_survey(engine, project)
    report(
        client, project, *(reserved("Survey Responded", survey, {"score": 5}) for _ in range(count))
    )


@contextmanager
def running(worker: Worker) -> Iterator[Worker]:
    thread = threading.Thread(target=worker.run)
    thread.start()
    try:
        yield worker
    finally:
        worker.stop()
        thread.join(WAIT_SECONDS)


def test_a_hanging_endpoint_with_a_backlog_does_not_hold_up_a_healthy_one(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    *,
    other_receiver: Receiver,
    delivery: Delivery,
) -> None:
    receiver.answers = [hang_until_dropped]
    create_endpoint(client, project, receiver.url)
    answer(client, engine, project, BACKLOG)
    create_endpoint(client, project, other_receiver.url)
    answer(client, engine, project, 10)
    started = time.monotonic()
    with running(Worker(engine, delivery)):
        other_receiver.wait_for(10, WAIT_SECONDS)
        took = time.monotonic() - started
    assert len({r.headers["webhook-id"] for r in other_receiver.received}) == 10
    # Behind the backlog it would take a whole pass; its own pace is well under a second.
    assert took < ONE_PASS / 2


def test_a_hanging_endpoint_gets_no_more_senders_than_its_share(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    receiver.answers = [hang_until_dropped]
    create_endpoint(client, project, receiver.url)
    answer(client, engine, project, BACKLOG)
    share = dataclasses.replace(
        delivery.settings, endpoint_concurrency=3, timeout_seconds=3.0, lease_seconds=13.0
    )
    with running(Worker(engine, Delivery.from_settings(share))):
        receiver.wait_for(3, WAIT_SECONDS)
        # Well within the first tries' timeout: a fourth sender would have connected by now.
        time.sleep(1.0)
        at_once = len(receiver.received)
    assert at_once == 3


def test_the_default_share_is_half_the_senders() -> None:
    assert WebhookSettings(concurrency=8).endpoint_limit == 4
    assert WebhookSettings(concurrency=1).endpoint_limit == 1
    assert WebhookSettings(concurrency=8, endpoint_concurrency=20).endpoint_limit == 8


def test_a_claim_takes_at_most_its_share_of_each_endpoint_oldest_first(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    *,
    other_receiver: Receiver,
    delivery: Delivery,
) -> None:
    busy = create_endpoint(client, project, receiver.url)
    answer(client, engine, project, 5)
    quiet = create_endpoint(client, project, other_receiver.url)
    answer(client, engine, project, 1)
    claimed = claim_due(engine, delivery, ClaimShare(1000, 2)).rows
    mine = [row for row in claimed if row.project_id == project.id]
    by_endpoint = {
        endpoint: [r.id for r in mine if str(r.endpoint_id) == endpoint]
        for endpoint in (busy["id"], quiet["id"])
    }
    assert len(by_endpoint[busy["id"]]) == 2
    assert len(by_endpoint[quiet["id"]]) == 1
    again = claim_due(engine, delivery, ClaimShare(1000, 2)).rows
    next_two = [row.id for row in again if str(row.endpoint_id) == busy["id"]]
    assert len(next_two) == 2 and min(next_two) > max(by_endpoint[busy["id"]])


def test_a_claim_leaves_out_the_endpoints_it_is_told_to_skip(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    *,
    other_receiver: Receiver,
    delivery: Delivery,
) -> None:
    busy = create_endpoint(client, project, receiver.url)
    quiet = create_endpoint(client, project, other_receiver.url)
    answer(client, engine, project, 3)
    skipped = frozenset({uuid.UUID(busy["id"])})
    claimed = claim_due(engine, delivery, ClaimShare(1000, 1000, skipped=skipped)).rows
    mine = {str(row.endpoint_id) for row in claimed if row.project_id == project.id}
    assert mine == {quiet["id"]}


def test_a_claim_takes_more_of_the_endpoints_that_answer_fast(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    *,
    other_receiver: Receiver,
    delivery: Delivery,
) -> None:
    slow = create_endpoint(client, project, receiver.url)
    fast = create_endpoint(client, project, other_receiver.url)
    answer(client, engine, project, 6)
    share = ClaimShare(1000, 2, fast=frozenset({uuid.UUID(fast["id"])}), per_fast_endpoint=5)
    claimed = claim_due(engine, delivery, share).rows
    counts = Counter(str(row.endpoint_id) for row in claimed if row.project_id == project.id)
    assert (counts[slow["id"]], counts[fast["id"]]) == (2, 5)
