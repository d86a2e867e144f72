"""The key owners an app remembers: for a few seconds, never past a key's own end, and
forgotten when something changed them."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.kit.auth.cache import TTL_SECONDS, Expiring, KeyOwners
from collector.projects.service import CreatedProject
from tests import factories


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_remembered_value_expires_after_the_ttl() -> None:
    clock = Clock()
    cache: Expiring[str, int] = Expiring(ttl=5.0, clock=clock)
    cache.remember("a", lambda: (1, 60.0))
    clock.now += 5.0
    assert cache.get("a") is None


def test_a_value_read_while_the_cache_forgets_is_not_remembered() -> None:
    """It may have been read from the database before the change that made it forget."""
    cache: Expiring[str, int] = Expiring(ttl=5.0, clock=Clock())

    def read_during_a_change() -> tuple[int, float]:
        cache.forget(lambda _key, _value: True)
        return 1, 5.0

    assert cache.remember("a", read_during_a_change) == 1
    assert cache.get("a") is None


def test_an_owner_found_once_is_remembered(engine: Engine, project: CreatedProject) -> None:
    owners = KeyOwners(engine, clock=Clock())
    found = owners.find(project.write_key)
    kept = owners.kept(project.write_key)
    assert kept is not None and kept.value == found


def test_a_remembered_owner_expires(engine: Engine, project: CreatedProject) -> None:
    clock = Clock()
    owners = KeyOwners(engine, clock=clock)
    owners.find(project.write_key)
    clock.now += TTL_SECONDS
    assert owners.kept(project.write_key) is None


def test_an_owner_is_not_remembered_past_its_keys_end(
    engine: Engine, project: CreatedProject
) -> None:
    clock = Clock()
    owners = KeyOwners(engine, clock=clock)
    factories.rotate_keys(
        engine, project, "write", now=datetime.now(UTC), grace=timedelta(seconds=TTL_SECONDS / 2)
    )
    owners.find(project.write_key)
    clock.now += TTL_SECONDS / 2
    assert owners.kept(project.write_key) is None


def test_a_key_rotated_out_by_another_process_is_refused_once_its_owner_expires(
    engine: Engine, project: CreatedProject
) -> None:
    """``waypost keys rotate`` cannot reach a serving app: the TTL bounds how long it
    still accepts the key."""
    clock = Clock()
    owners = KeyOwners(engine, clock=clock)
    owners.find(project.write_key)
    factories.rotate_keys(engine, project, "write", now=datetime.now(UTC), grace=timedelta(0))
    clock.now += TTL_SECONDS
    assert owners.find(project.write_key) is None


def test_forgetting_a_project_forgets_only_its_keys(
    engine: Engine, project: CreatedProject, other_project: CreatedProject
) -> None:
    owners = KeyOwners(engine, clock=Clock())
    for key in (project.write_key, project.secret_key, other_project.write_key):
        owners.find(key)
    owners.forget_project(project.id)
    assert owners.kept(project.write_key) is None
    assert owners.kept(project.secret_key) is None
    assert owners.kept(other_project.write_key) is not None


def test_a_secret_keys_stored_hash_is_refused_while_the_key_is_remembered(
    client: TestClient, project: CreatedProject
) -> None:
    """A remembered key is named by its kind too: its hash, presented, finds nothing."""
    stored_hash = hashlib.sha256(project.secret_key.encode()).hexdigest()
    assert factories.admin_get(client, project, "/api/v1/project")["id"] == str(project.id)
    response = client.get("/api/v1/project", headers=factories.bearer_auth(stored_hash))
    assert response.status_code == 401
