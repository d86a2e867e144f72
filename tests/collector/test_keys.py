"""API keys: storage, lookup, rotation with a grace period, and the guards over HTTP."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, Row, select
from starlette.testclient import TestClient

from collector.kit.auth.keys import (
    KEY_PREFIXES,
    KeyKind,
    KeyOwner,
    find_owner,
    generate_key,
    kind_of,
    lookup_value,
)
from collector.kit.db.engine import read_transaction
from collector.kit.db.models import ApiKey, table_of
from collector.projects.service import CreatedProject
from tests import factories

HOUR = timedelta(hours=1)
ROTATED_AT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
EVENTS = "/api/v1/events"


def owner_at(engine: Engine, key: str, now: datetime) -> KeyOwner | None:
    with read_transaction(engine) as connection:
        return find_owner(connection, key, now)


def key_rows(engine: Engine, project: CreatedProject) -> list[Row[Any]]:
    keys = table_of(ApiKey)
    with read_transaction(engine) as connection:
        rows = connection.execute(
            select(keys).where(keys.c.project_id == project.id).order_by(keys.c.id)
        )
        return list(rows)


def error_of(client: TestClient, headers: dict[str, str]) -> tuple[int, Any]:
    response = client.get(EVENTS, headers=headers)
    return response.status_code, response.json()


# Keys and their storage


@pytest.mark.parametrize("kind", ["write", "secret"])
def test_generated_key_starts_with_the_prefix_of_its_kind(kind: KeyKind) -> None:
    key = generate_key(kind)
    assert key.startswith(KEY_PREFIXES[kind])
    assert kind_of(key) == kind


def test_generated_keys_differ() -> None:
    assert generate_key("secret") != generate_key("secret")


def test_string_without_a_key_prefix_has_no_kind() -> None:
    assert kind_of("0123abcd") is None


def test_secret_key_is_looked_up_by_its_sha256() -> None:
    key = generate_key("secret")
    assert lookup_value(key) == hashlib.sha256(key.encode()).hexdigest()


def test_write_key_is_looked_up_as_it_is() -> None:
    key = generate_key("write")
    assert lookup_value(key) == key


def test_secret_key_is_stored_only_as_its_hash(engine: Engine, project: CreatedProject) -> None:
    stored = [row.lookup for row in key_rows(engine, project) if row.kind == "secret"]
    assert stored == [hashlib.sha256(project.secret_key.encode()).hexdigest()]


def test_key_keeps_a_prefix_to_tell_it_apart(engine: Engine, project: CreatedProject) -> None:
    prefixes = {row.kind: row.prefix for row in key_rows(engine, project)}
    assert prefixes == {"write": project.write_key[:12], "secret": project.secret_key[:12]}


def test_write_key_finds_its_project(engine: Engine, project: CreatedProject) -> None:
    owner = owner_at(engine, project.write_key, datetime.now(UTC))
    assert owner == KeyOwner(project_id=project.id, kind="write")


def test_secret_key_finds_its_project(engine: Engine, project: CreatedProject) -> None:
    owner = owner_at(engine, project.secret_key, datetime.now(UTC))
    assert owner == KeyOwner(project_id=project.id, kind="secret")


def test_unknown_key_finds_nothing(engine: Engine) -> None:
    assert owner_at(engine, generate_key("write"), datetime.now(UTC)) is None


def test_stored_hash_of_a_secret_key_is_not_a_key(engine: Engine, project: CreatedProject) -> None:
    stored_hash = hashlib.sha256(project.secret_key.encode()).hexdigest()
    assert owner_at(engine, stored_hash, datetime.now(UTC)) is None


def test_rotated_key_keeps_working_until_the_grace_period_ends(
    engine: Engine, project: CreatedProject
) -> None:
    factories.rotate_keys(engine, project, "write", now=ROTATED_AT, grace=HOUR)
    just_before_the_end = ROTATED_AT + HOUR - timedelta(microseconds=1)
    assert owner_at(engine, project.write_key, just_before_the_end) is not None


def test_rotated_key_is_refused_once_the_grace_period_ends(
    engine: Engine, project: CreatedProject
) -> None:
    factories.rotate_keys(engine, project, "write", now=ROTATED_AT, grace=HOUR)
    assert owner_at(engine, project.write_key, ROTATED_AT + HOUR) is None


def test_new_key_works_after_the_grace_period(engine: Engine, project: CreatedProject) -> None:
    new_keys = factories.rotate_keys(engine, project, "write", now=ROTATED_AT, grace=HOUR)
    assert owner_at(engine, new_keys["write"], ROTATED_AT + 2 * HOUR) is not None


def test_rotating_again_keeps_the_sooner_end_of_an_older_key(
    engine: Engine, project: CreatedProject
) -> None:
    factories.rotate_keys(engine, project, "secret", now=ROTATED_AT, grace=HOUR)
    factories.rotate_keys(engine, project, "secret", now=ROTATED_AT, grace=24 * HOUR)
    assert owner_at(engine, project.secret_key, ROTATED_AT + 2 * HOUR) is None


def test_rotating_again_gives_the_previous_new_key_an_end(
    engine: Engine, project: CreatedProject
) -> None:
    first = factories.rotate_keys(engine, project, "secret", now=ROTATED_AT, grace=HOUR)
    factories.rotate_keys(engine, project, "secret", now=ROTATED_AT + HOUR, grace=HOUR)
    assert owner_at(engine, first["secret"], ROTATED_AT + 2 * HOUR) is None


def test_rotating_one_kind_leaves_the_other_kind_alone(
    engine: Engine, project: CreatedProject
) -> None:
    factories.rotate_keys(engine, project, "write", now=ROTATED_AT, grace=HOUR)
    assert owner_at(engine, project.secret_key, ROTATED_AT + 2 * HOUR) is not None


def test_rotating_a_project_leaves_other_projects_keys_alone(
    engine: Engine, project: CreatedProject, other_project: CreatedProject
) -> None:
    factories.rotate_keys(engine, project, "write", now=ROTATED_AT, grace=HOUR)
    assert owner_at(engine, other_project.write_key, ROTATED_AT + 2 * HOUR) is not None


# Guards, over HTTP


def test_write_key_in_basic_auth_may_ingest(client: TestClient, project: CreatedProject) -> None:
    assert factories.send_batch(client, project, factories.track()).status_code == 200


def test_write_key_in_the_body_may_ingest(client: TestClient, project: CreatedProject) -> None:
    body = {"batch": [factories.track()], "writeKey": project.write_key}
    assert client.post("/v1/batch", json=body).status_code == 200


def test_secret_key_may_not_ingest(client: TestClient, project: CreatedProject) -> None:
    body = {"batch": [factories.track()]}
    response = client.post("/v1/batch", json=body, headers=factories.basic_auth(project.secret_key))
    assert response.status_code == 401


def test_ingestion_without_a_key_is_refused(client: TestClient) -> None:
    response = client.post("/v1/batch", json={"batch": [factories.track()]})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_key"


@pytest.mark.parametrize("header", ["Basic !!not-base64!!", "Basic ", "Basic Og==", "Token abc"])
def test_malformed_basic_auth_is_refused(client: TestClient, header: str) -> None:
    response = client.post(
        "/v1/batch", json={"batch": [factories.track()]}, headers={"Authorization": header}
    )
    assert response.status_code == 401


def test_basic_auth_that_is_not_utf8_is_refused(client: TestClient) -> None:
    response = client.post(
        "/v1/batch", json={"batch": [factories.track()]}, headers={"Authorization": "Basic //79"}
    )
    assert response.status_code == 401


def test_secret_key_may_read_events(client: TestClient, project: CreatedProject) -> None:
    assert client.get(EVENTS, headers=factories.secret_auth(project)).status_code == 200


def test_write_key_on_a_secret_key_route_is_forbidden(
    client: TestClient, project: CreatedProject
) -> None:
    status, body = error_of(client, factories.bearer_auth(project.write_key))
    assert (status, body["error"]["code"]) == (403, "forbidden")


def test_unknown_and_expired_keys_get_the_same_401(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    factories.rotate_keys(
        engine, project, "secret", now=datetime.now(UTC) - 2 * HOUR, grace=timedelta(0)
    )
    expired = error_of(client, factories.secret_auth(project))
    unknown = error_of(client, factories.bearer_auth(generate_key("secret")))
    assert expired == unknown
    assert expired[0] == 401


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer "}, {"Authorization": "Basic x"}]
)
def test_missing_secret_key_gets_the_same_401_as_an_unknown_one(
    client: TestClient, headers: dict[str, str]
) -> None:
    unknown = error_of(client, factories.bearer_auth(generate_key("secret")))
    assert error_of(client, headers) == unknown


def test_stored_hash_presented_as_a_secret_key_is_refused(
    client: TestClient, project: CreatedProject
) -> None:
    stored_hash = hashlib.sha256(project.secret_key.encode()).hexdigest()
    status, _ = error_of(client, factories.bearer_auth(stored_hash))
    assert status == 401


def test_rotated_out_key_is_accepted_during_the_grace_period(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    factories.rotate_keys(engine, project, "secret", now=datetime.now(UTC), grace=HOUR)
    assert client.get(EVENTS, headers=factories.secret_auth(project)).status_code == 200


def test_rotated_out_key_is_refused_after_the_grace_period(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    factories.rotate_keys(engine, project, "write", now=datetime.now(UTC) - 2 * HOUR, grace=HOUR)
    assert factories.send_batch(client, project, factories.track()).status_code == 401


def test_new_key_is_accepted_at_once(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    new_keys = factories.rotate_keys(engine, project, "secret", now=datetime.now(UTC), grace=HOUR)
    response = client.get(EVENTS, headers=factories.bearer_auth(new_keys["secret"]))
    assert response.status_code == 200
