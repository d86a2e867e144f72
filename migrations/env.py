"""Alembic environment. The database URL comes from the caller (``waypost migrate`` or the
tests) through ``config.attributes["connection"]`` or ``sqlalchemy.url``; batch mode keeps
ALTERs working on SQLite."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from collector.kit.db import models  # noqa: F401  (registers every table on the metadata)
from collector.kit.db.base import metadata
from collector.kit.db.engine import build_engine

config = context.config


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    engine = build_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.connect() as new_connection:
            run_with(new_connection)
            new_connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `waypost migrate`")
run_online()
