"""Shared fixtures: settings → app → client, over a real SQLite file and a real PostgreSQL.

Every storage test runs once per backend through the ``db_url`` parameter. PostgreSQL runs
when ``WAYPOST_TEST_POSTGRES_URL`` names a server (CI sets it); each test session gets a
schema of its own there, dropped at the end. Tests isolate themselves by creating their own
project, which is also how tenants are isolated in production.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.testclient import TestClient

from collector.app import create_app
from collector.db.engine import build_engine
from collector.db.migrate import upgrade
from collector.projects.service import CreatedProject
from collector.settings import Settings
from tests import factories

POSTGRES_URL_VARIABLE = "WAYPOST_TEST_POSTGRES_URL"


def _postgres_schema_url(base_url: str, schema: str) -> str:
    url = make_url(base_url)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def _libpq_dsn(base_url: str) -> str:
    return make_url(base_url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database of each backend, for the whole test session."""
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("sqlite") / "waypost.db"
        url = f"sqlite:///{path}"
        _migrate(url)
        yield url
        return
    base_url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not base_url:
        pytest.skip(f"set {POSTGRES_URL_VARIABLE} to run the PostgreSQL suite")
    schema = f"waypost_test_{secrets.token_hex(4)}"
    with psycopg.connect(_libpq_dsn(base_url), autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        url = _postgres_schema_url(base_url, schema)
        _migrate(url)
        yield url
    finally:
        with psycopg.connect(_libpq_dsn(base_url), autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _migrate(url: str) -> None:
    engine = build_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    engine = build_engine(db_url, pool_size=5)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url, db_pool_size=5)


@pytest.fixture
def app(settings: Settings) -> Starlette:
    return create_app(settings)


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def project(engine: Engine) -> CreatedProject:
    return factories.create_project(engine)


@pytest.fixture
def other_project(engine: Engine) -> CreatedProject:
    return factories.create_project(engine, name="Other Co")
