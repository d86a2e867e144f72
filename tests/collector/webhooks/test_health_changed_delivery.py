"""The worker evaluates account health beside its deliveries, and receivers can verify the
``account.health_changed`` messages it sends."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from standardwebhooks import Webhook

from collector.db.engine import build_engine
from collector.db.migrate import upgrade
from collector.webhooks.delivery import Delivery
from collector.webhooks.worker import Worker
from tests.collector.accounts.busy_accounts import endpoint, red_until_lately
from tests.collector.webhooks.conftest import Receiver

WAIT_SECONDS = 10.0


@pytest.fixture
def own_engine(empty_db_url: str) -> Iterator[Engine]:
    """A database of this test's own: the worker evaluates every project it holds at start,
    and the session's shared database holds every other test's projects too."""
    engine = build_engine(empty_db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def test_the_worker_evaluates_health_and_delivers_a_verifiable_change(
    own_engine: Engine, delivery: Delivery, receiver: Receiver
) -> None:
    engine = own_engine
    project = red_until_lately(engine)
    created = endpoint(engine, project, url=receiver.url, filter="account.group_id = acme")
    worker = Worker(engine, delivery, health_seconds=3600)
    thread = threading.Thread(target=worker.run)
    thread.start()
    try:
        [request] = receiver.wait_for(1, WAIT_SECONDS)
    finally:
        worker.stop()
        thread.join(WAIT_SECONDS)
    payload = Webhook(created["secret"]).verify(request.body, request.headers)
    assert payload["type"] == "account.health_changed"
    assert payload["data"]["account"]["group_id"] == "acme"
    assert payload["data"]["health"]["previous"] == "red"
    assert payload["data"]["health"]["current"] == "green"
