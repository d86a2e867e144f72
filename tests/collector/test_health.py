"""``/health`` (the process answers) and ``/ready`` (the database is reachable and migrated)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from collector.app import create_app
from collector.kit.settings import Settings


def client_for(database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=database_url))) as test_client:
        yield test_client


@pytest.fixture
def unmigrated_client(empty_db_url: str) -> Iterator[TestClient]:
    """A collector on a fresh, empty database (a new SQLite file, a new PostgreSQL schema)."""
    yield from client_for(empty_db_url)


@pytest.fixture
def unreachable_client(tmp_path: Path) -> Iterator[TestClient]:
    """A collector whose SQLite "file" is a directory, so it cannot be opened."""
    yield from client_for(f"sqlite:///{tmp_path}")


def test_health_answers_ok(client: TestClient) -> None:
    response = client.get("/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_health_does_not_need_the_database(unreachable_client: TestClient) -> None:
    assert unreachable_client.get("/health").status_code == 200


def test_ready_on_a_migrated_database(client: TestClient) -> None:
    response = client.get("/ready")
    assert (response.status_code, response.json()) == (200, {"status": "ready"})


def test_not_ready_while_migrations_are_pending(unmigrated_client: TestClient) -> None:
    response = unmigrated_client.get("/ready")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert "migrations are pending" in response.json()["reason"]


def test_not_ready_when_the_database_is_unreachable(unreachable_client: TestClient) -> None:
    response = unreachable_client.get("/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "reason": "database unreachable"}
