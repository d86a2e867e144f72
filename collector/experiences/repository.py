"""SQL for experiences and their versions. Callers own the transaction; nothing here
commits, so a definition and its version row are always written together."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from collector.kit.db.models import Experience, ExperienceVersion, table_of

_experiences = table_of(Experience)
_versions = table_of(ExperienceVersion)
_VERSION_COLUMNS = [
    _versions.c.experience_id,
    _versions.c.version,
    _versions.c.definition,
    _versions.c.created_at,
    _experiences.c.type,
    _experiences.c.name,
]


def insert_experience(connection: Connection, values: dict[str, Any]) -> None:
    connection.execute(insert(_experiences).values(**values))


def insert_version(
    connection: Connection,
    experience_id: uuid.UUID,
    version: int,
    definition: dict[str, Any],
    *,
    now: datetime,
) -> None:
    connection.execute(
        insert(_versions).values(
            experience_id=experience_id, version=version, definition=definition, created_at=now
        )
    )


def find_experience(
    connection: Connection,
    project_id: uuid.UUID,
    kind: str,
    experience_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> Row[Any] | None:
    """The project's experience of ``kind``; locked against concurrent edits if asked.

    ``FOR UPDATE`` makes two simultaneous edits on PostgreSQL take turns, so both cannot
    claim the same next version; SQLite's write transactions already take turns.
    """
    statement = select(_experiences).where(
        _experiences.c.project_id == project_id,
        _experiences.c.kind == kind,
        _experiences.c.id == experience_id,
    )
    if for_update:
        statement = statement.with_for_update()
    return connection.execute(statement).first()


def list_experiences(
    connection: Connection,
    project_id: uuid.UUID,
    kind: str,
    *,
    statuses: Sequence[str],
    type_: str | None = None,
) -> Sequence[Row[Any]]:
    """The project's experiences of ``kind`` with one of ``statuses``, oldest first."""
    statement = select(_experiences).where(
        _experiences.c.project_id == project_id,
        _experiences.c.kind == kind,
        _experiences.c.status.in_(statuses),
    )
    if type_ is not None:
        statement = statement.where(_experiences.c.type == type_)
    return connection.execute(
        statement.order_by(_experiences.c.created_at, _experiences.c.id)
    ).all()


def update_experience(
    connection: Connection, experience_id: uuid.UUID, values: dict[str, Any]
) -> None:
    connection.execute(
        update(_experiences).where(_experiences.c.id == experience_id).values(**values)
    )


def find_version(
    connection: Connection,
    project_id: uuid.UUID,
    kind: str,
    experience_id: uuid.UUID,
    version: int,
) -> Row[Any] | None:
    """One version of the project's experience, with the experience's type and name."""
    statement = (
        select(*_VERSION_COLUMNS)
        .join(_experiences, _experiences.c.id == _versions.c.experience_id)
        .where(
            _experiences.c.project_id == project_id,
            _experiences.c.kind == kind,
            _versions.c.experience_id == experience_id,
            _versions.c.version == version,
        )
    )
    return connection.execute(statement).first()
