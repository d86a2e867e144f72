"""Flows and surveys as the admin API manages them: create, read, list, edit, archive.

An experience row holds the current ``version`` and its ``definition`` (everything but
``type``, ``name``, ``status`` and ``priority``, which are columns); every version ever
made, the first included, is also an ``experience_versions`` row, so an answer given
against version 3 can always be read with version 3's questions. Only a change of the
definition makes a version: renaming, pausing or re-prioritising does not.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row

from collector.experiences import repository
from collector.experiences.schemas import Kind, load_experience
from collector.kit.db.engine import read_transaction, write_transaction
from collector.kit.errors import NotFound, ValidationFailed

COLUMNS = ("type", "name", "status", "priority")
"""Fields stored as columns; the rest of a loaded experience is its definition."""
READ_ONLY = ("id", "version", "created_at", "updated_at")
LISTED_STATUSES = ("draft", "live", "paused")
"""What a list shows unless asked for a status: archiving is how the API deletes."""
MAX_VERSION = 2**31 - 1


def split(loaded: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A loaded experience as its column values and its versioned definition."""
    columns = {name: loaded[name] for name in COLUMNS}
    definition = {name: value for name, value in loaded.items() if name not in COLUMNS}
    return columns, definition


def resource(row: Row[Any]) -> dict[str, Any]:
    """An experience row as the API shows it: the definition's fields at the top level."""
    return {
        "id": row.id,
        "type": row.type,
        "name": row.name,
        "status": row.status,
        "priority": row.priority,
        "version": row.version,
        **row.definition,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def parse_id(text: str, kind: Kind) -> uuid.UUID:
    """An id from a URL; one that is not a UUID names no experience, so it is a 404."""
    try:
        return uuid.UUID(text)
    except ValueError:
        raise _not_found(kind, text) from None


def _not_found(kind: Kind, experience_id: object) -> NotFound:
    return NotFound(f"no {kind} with id {experience_id} in this project")


def _existing(
    connection: Connection,
    project_id: uuid.UUID,
    kind: Kind,
    experience_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> Row[Any]:
    row = repository.find_experience(
        connection, project_id, kind, experience_id, for_update=for_update
    )
    if row is None:
        raise _not_found(kind, experience_id)
    return row


def create_experience(
    engine: Engine, project_id: uuid.UUID, kind: Kind, body: dict[str, Any], *, now: datetime
) -> dict[str, Any]:
    """Validate ``body`` and store it as version 1 of a new experience."""
    columns, definition = split(load_experience(kind, body))
    experience_id = uuid.uuid4()
    with write_transaction(engine) as connection:
        repository.insert_experience(
            connection,
            {
                "id": experience_id,
                "project_id": project_id,
                "kind": kind,
                **columns,
                "version": 1,
                "definition": definition,
                "created_at": now,
                "updated_at": now,
            },
        )
        repository.insert_version(connection, experience_id, 1, definition, now=now)
        return resource(_existing(connection, project_id, kind, experience_id))


def get_experience(
    engine: Engine, project_id: uuid.UUID, kind: Kind, experience_id: uuid.UUID
) -> dict[str, Any]:
    with read_transaction(engine) as connection:
        return resource(_existing(connection, project_id, kind, experience_id))


def list_experiences(
    engine: Engine,
    project_id: uuid.UUID,
    kind: Kind,
    *,
    status: str | None = None,
    type_: str | None = None,
) -> list[dict[str, Any]]:
    """The project's experiences of ``kind``, oldest first; archived ones only if asked."""
    statuses = LISTED_STATUSES if status is None else (status,)
    with read_transaction(engine) as connection:
        rows = repository.list_experiences(
            connection, project_id, kind, statuses=statuses, type_=type_
        )
    return [resource(row) for row in rows]


def _refuse_fixed_fields(kind: Kind, row: Row[Any], patch: dict[str, Any]) -> None:
    """Ids and versions are the server's; a type change would change what answers mean."""
    errors = {name: ["is read-only"] for name in READ_ONLY if name in patch}
    if "type" in patch and patch["type"] != row.type:
        errors["type"] = [f"cannot be changed; create a new {kind} of that type"]
    if errors:
        raise ValidationFailed(f"invalid {kind}", fields=errors)


def _merged(row: Row[Any], patch: dict[str, Any]) -> dict[str, Any]:
    """The stored experience with each field of ``patch`` replacing the stored one.

    Fields are replaced whole (a new ``steps`` list, a new ``throttle`` object), and a
    field set to null goes back to its default.
    """
    current: dict[str, Any] = {name: getattr(row, name) for name in COLUMNS}
    current.update(row.definition)
    for name, value in patch.items():
        if value is None:
            current.pop(name, None)
        else:
            current[name] = value
    return current


def update_experience(
    engine: Engine,
    project_id: uuid.UUID,
    kind: Kind,
    experience_id: uuid.UUID,
    patch: dict[str, Any],
    *,
    now: datetime,
) -> dict[str, Any]:
    """Apply ``patch``, validating the result as a whole; a new definition is a new version."""
    with write_transaction(engine) as connection:
        row = _existing(connection, project_id, kind, experience_id, for_update=True)
        _refuse_fixed_fields(kind, row, patch)
        columns, definition = split(load_experience(kind, _merged(row, patch)))
        changes = {name: value for name, value in columns.items() if getattr(row, name) != value}
        if definition != row.definition:
            changes |= {"definition": definition, "version": row.version + 1}
            repository.insert_version(connection, row.id, row.version + 1, definition, now=now)
        if changes:
            repository.update_experience(connection, row.id, {**changes, "updated_at": now})
        return resource(_existing(connection, project_id, kind, experience_id))


def archive_experience(
    engine: Engine, project_id: uuid.UUID, kind: Kind, experience_id: uuid.UUID, *, now: datetime
) -> dict[str, Any]:
    """Archive: it is no longer shown or listed, and its answers and progress are kept.

    Unlike an edit, archiving does not validate the definition again, so an experience
    stored under older rules can always be taken down.
    """
    with write_transaction(engine) as connection:
        row = _existing(connection, project_id, kind, experience_id, for_update=True)
        if row.status != "archived":
            repository.update_experience(
                connection, row.id, {"status": "archived", "updated_at": now}
            )
        return resource(_existing(connection, project_id, kind, experience_id))


def get_version(
    engine: Engine, project_id: uuid.UUID, kind: Kind, experience_id: uuid.UUID, version: int
) -> dict[str, Any]:
    """One version's definition, as it was when answers were given against it."""
    row = None
    if 1 <= version <= MAX_VERSION:
        with read_transaction(engine) as connection:
            row = repository.find_version(connection, project_id, kind, experience_id, version)
    if row is None:
        raise NotFound(f"no version {version} of {kind} {experience_id} in this project")
    return {
        "id": row.experience_id,
        "type": row.type,
        "name": row.name,
        "version": row.version,
        **row.definition,
        "created_at": row.created_at,
    }
