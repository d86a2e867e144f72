"""Migrations are the schema's truth: on SQLite and PostgreSQL they build exactly what the
models describe, and every revision can be undone and redone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from collector.kit.db import models  # noqa: F401  (registers every table on the metadata)
from collector.kit.db.base import metadata
from collector.kit.db.engine import build_engine
from collector.kit.db.migrate import alembic_config, downgrade, head_revision, is_current, upgrade

VERSION_TABLE = "alembic_version"


@pytest.fixture
def empty_engine(empty_db_url: str) -> Iterator[Engine]:
    engine = build_engine(empty_db_url, pool_size=2)
    yield engine
    engine.dispose()


def schema_differences(engine: Engine) -> list[Any]:
    """What autogenerate would write into a new revision, compared as ``env.py`` does."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences: list[Any] = compare_metadata(context, metadata)
    return differences


def tables(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def revisions_oldest_first(engine: Engine) -> list[str]:
    script = ScriptDirectory.from_config(alembic_config(engine))
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def test_autogenerate_finds_no_difference_after_upgrade_to_head(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    assert schema_differences(empty_engine) == []


def test_upgrade_creates_every_table_the_models_declare(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    assert tables(empty_engine) == {*metadata.tables, VERSION_TABLE}


def test_upgraded_database_is_at_the_head_revision(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    assert is_current(empty_engine)


def test_downgrade_to_base_removes_every_table(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    downgrade(empty_engine, "base")
    assert tables(empty_engine) <= {VERSION_TABLE}


def test_upgrade_after_downgrade_to_base_matches_the_models_again(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    downgrade(empty_engine, "base")
    upgrade(empty_engine)
    assert schema_differences(empty_engine) == []


def test_upgrade_twice_changes_nothing(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    upgrade(empty_engine)
    assert schema_differences(empty_engine) == []


def test_each_revision_upgrades_and_downgrades_one_step_at_a_time(empty_engine: Engine) -> None:
    revisions = revisions_oldest_first(empty_engine)
    assert revisions[-1] == head_revision(empty_engine)
    for revision in revisions:
        upgrade(empty_engine, revision)
    for _ in revisions:
        downgrade(empty_engine, "-1")
    assert tables(empty_engine) <= {VERSION_TABLE}
