"""Rate limits in front of the routes: 429 with Retry-After naming the limit."""

from __future__ import annotations

import time
import uuid

import httpx2
import pytest
from sqlalchemy import Engine, text
from starlette.testclient import TestClient

from collector.kit.settings import Settings
from collector.projects.service import CreatedProject
from collector.ratelimit.gcra import Limit
from collector.ratelimit.store import MemoryStore, PostgresStore, store_for
from tests import factories
from tests.collector.ops.conftest import limited_client


def send_until_refused(client: TestClient, project: CreatedProject, count: int) -> httpx2.Response:
    response = factories.send_batch(client, project, factories.track())
    for _ in range(count - 1):
        response = factories.send_batch(client, project, factories.track())
    return response


def test_a_write_key_past_its_limit_is_answered_429(
    strict_client: TestClient, project: CreatedProject
) -> None:
    response = send_until_refused(strict_client, project, 3)
    assert response.status_code == 429
    assert response.json()["error"]["fields"] == {"limit": ["write_key"]}


def test_a_refusal_says_when_to_retry_and_which_limit(
    strict_client: TestClient, project: CreatedProject
) -> None:
    response = send_until_refused(strict_client, project, 3)
    assert response.headers["retry-after"] == "1"
    assert response.headers["x-waypost-rate-limit"] == "write_key"


def test_a_refused_batch_is_not_stored(strict_client: TestClient, project: CreatedProject) -> None:
    send_until_refused(strict_client, project, 3)
    assert len(factories.stored_events(strict_client, project)) == 2


def test_one_projects_flood_leaves_another_project_alone(
    strict_client: TestClient, project: CreatedProject, other_project: CreatedProject
) -> None:
    send_until_refused(strict_client, project, 5)
    assert factories.send_batch(strict_client, other_project, factories.track()).status_code == 200


def test_a_write_key_in_the_body_is_limited_too(
    strict_client: TestClient, project: CreatedProject
) -> None:
    body = {"writeKey": project.write_key, "batch": [factories.track()]}
    statuses = [strict_client.post("/v1/batch", json=body).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_a_project_may_raise_its_own_limit(
    strict_client: TestClient, project: CreatedProject
) -> None:
    factories.update_project(strict_client, project, {"rate_limits": {"write_key": 100}})
    time.sleep(1)  # the admin limit of two per second, spent by the update above
    assert send_until_refused(strict_client, project, 5).status_code == 200


def test_a_client_address_past_its_limit_is_answered_429(
    settings: Settings, project: CreatedProject
) -> None:
    for client in limited_client(settings, rate_limit_client_ip=1, rate_limit_burst_seconds=1):
        factories.flows_for(client, project, userId="user-1")
        response = client.get(
            "/v1/flows", params={"userId": "user-1"}, headers=factories.write_auth(project)
        )
        assert response.status_code == 429
        assert response.json()["error"]["fields"] == {"limit": ["client_ip"]}


def test_calls_with_unknown_keys_are_limited_by_address(settings: Settings) -> None:
    for client in limited_client(settings, rate_limit_client_ip=1, rate_limit_burst_seconds=1):
        headers = factories.basic_auth("wk_" + uuid.uuid4().hex)
        body = {"batch": [factories.track()]}
        statuses = [
            client.post("/v1/batch", json=body, headers=headers).status_code for _ in range(2)
        ]
        assert statuses == [401, 429]


def test_a_secret_key_past_its_limit_is_answered_429(
    strict_client: TestClient, project: CreatedProject
) -> None:
    for _ in range(2):
        factories.admin_get(strict_client, project, "/api/v1/project")
    response = strict_client.get("/api/v1/project", headers=factories.secret_auth(project))
    assert response.status_code == 429
    assert response.json()["error"]["fields"] == {"limit": ["secret_key"]}


def test_a_limit_of_zero_is_no_limit(settings: Settings, project: CreatedProject) -> None:
    for client in limited_client(settings, rate_limit_write_key=0):
        assert send_until_refused(client, project, 5).status_code == 200


def test_the_buckets_are_shared_by_every_process_on_postgresql(engine: Engine) -> None:
    """A second process's store sees the same bucket on PostgreSQL, its own on SQLite."""
    limit = Limit(name="write_key", rate=1, burst=1)
    key, now = f"shared-{uuid.uuid4()}", time.time()
    assert store_for(engine).check(key, limit, now).allowed
    postgres = engine.dialect.name == "postgresql"
    other_process = PostgresStore(engine) if postgres else MemoryStore()
    assert other_process.check(key, limit, now).allowed is not postgres


def test_one_check_decides_each_bucket_by_its_own_limit(engine: Engine) -> None:
    """A request counted in several buckets at once: only the bucket that is full refuses."""
    one, three = Limit(name="write_key", rate=1, burst=1), Limit(name="client_ip", rate=3, burst=3)
    tight, loose, now = f"tight-{uuid.uuid4()}", f"loose-{uuid.uuid4()}", time.time()
    store = store_for(engine)
    first = store.check_all([(tight, one), (loose, three)], now)
    second = store.check_all([(tight, one), (loose, three)], now)
    assert [decision.allowed for decision in first + second] == [True, True, False, True]
    assert second[0].retry_after > 0


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_refusing_bucket_refuses_from_memory_until_its_retry_time(engine: Engine) -> None:
    """Its row deleted or not, this process knows nothing can pass before the retry time;
    another process, which never saw the refusal, asks the database."""
    limit, key, now = Limit(name="write_key", rate=1, burst=1), f"gone-{uuid.uuid4()}", time.time()
    store = PostgresStore(engine)
    store.check(key, limit, now)
    refusal = store.check(key, limit, now)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM rate_buckets WHERE key = :key"), {"key": key})
    assert not store.check(key, limit, now + refusal.retry_after / 2).allowed
    assert PostgresStore(engine).check(key, limit, now).allowed
    assert store.check(key, limit, now + refusal.retry_after).allowed


def test_an_options_call_is_never_counted(strict_client: TestClient) -> None:
    statuses = {strict_client.options("/v1/batch").status_code for _ in range(5)}
    assert 429 not in statuses
