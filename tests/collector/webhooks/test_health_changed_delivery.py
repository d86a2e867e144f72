"""The worker evaluates account health beside its deliveries, and receivers can verify the
``account.health_changed`` messages it sends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from standardwebhooks import Webhook

from collector.analytics.accounts.health_changes import health_evaluation
from collector.kit.db.engine import build_engine
from collector.kit.db.migrate import upgrade
from collector.kit.jobs import JobRunner
from collector.webhooks.attempts import Delivery
from collector.webhooks.worker import Worker
from tests.collector.analytics.accounts.busy_accounts import endpoint, red_until_lately
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
    evaluation = health_evaluation(engine, 3600)
    assert evaluation is not None
    runner = JobRunner([Worker(engine, delivery), evaluation]).start()
    try:
        [request] = receiver.wait_for(1, WAIT_SECONDS)
    finally:
        runner.request_stop()
        runner.join(WAIT_SECONDS)
    payload = Webhook(created["secret"]).verify(request.body, request.headers)
    assert payload["type"] == "account.health_changed"
    assert payload["data"]["account"]["group_id"] == "acme"
    assert payload["data"]["health"]["previous"] == "red"
    assert payload["data"]["health"]["current"] == "green"
