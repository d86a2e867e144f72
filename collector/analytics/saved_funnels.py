"""Funnels saved by name on the server, per project, so a script reads what the dashboard
shows. Another project's funnel answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import Connection, Engine, Row, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from collector.analytics.results import SavedFunnel as SavedFunnelResult
from collector.analytics.saved_funnel_schemas import SavedFunnelBodySchema
from collector.kit.db.engine import read_transaction, write_transaction
from collector.kit.db.models import SavedFunnel, table_of
from collector.kit.errors import Conflict, NotFound, ValidationFailed

_funnels = table_of(SavedFunnel)
_body = SavedFunnelBodySchema()
MAX_SAVED_FUNNELS = 500
"""Per project: the list is answered whole, so it must stay a list a person can read."""
_SHOWN = [column for column in _funnels.c if column.name != "project_id"]


def parse_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise _missing(text) from None


def _missing(identifier: object) -> NotFound:
    return NotFound(f"no saved funnel with id {identifier} in this project")


def _load(body: Any) -> dict[str, Any]:
    """The name (trimmed) and the definition as sent, once the funnel schema accepts it."""
    try:
        _body.load(body)
    except ValidationError as error:
        raise ValidationFailed("invalid saved funnel", fields=error.messages_dict) from None
    return {"name": body["name"].strip(), "definition": body["definition"]}


def _duplicate(name: str) -> Conflict:
    return Conflict(
        "a saved funnel with this name exists",
        fields={"name": [f"the project already has a funnel named {name!r}"]},
    )


def _shown(row: Row[Any]) -> SavedFunnelResult:
    return SavedFunnelResult(
        id=row.id,
        name=row.name,
        definition=row.definition,
        created_by=row.created_by,
        updated_by=row.updated_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _one(connection: Connection, project_id: uuid.UUID, funnel_id: uuid.UUID) -> Row[Any]:
    row = connection.execute(
        select(*_SHOWN).where(_funnels.c.project_id == project_id, _funnels.c.id == funnel_id)
    ).first()
    if row is None:
        raise _missing(funnel_id)
    return row


def _check_room(connection: Connection, project_id: uuid.UUID) -> None:
    count = connection.execute(
        select(func.count()).where(_funnels.c.project_id == project_id)
    ).scalar_one()
    if count >= MAX_SAVED_FUNNELS:
        raise ValidationFailed(
            "too many saved funnels",
            fields={"name": [f"the project keeps at most {MAX_SAVED_FUNNELS}; delete one first"]},
        )


def list_funnels(engine: Engine, project_id: uuid.UUID) -> list[SavedFunnelResult]:
    with read_transaction(engine) as connection:
        rows = connection.execute(
            select(*_SHOWN)
            .where(_funnels.c.project_id == project_id)
            .order_by(_funnels.c.name, _funnels.c.id)
        )
        return [_shown(row) for row in rows]


def get_funnel(engine: Engine, project_id: uuid.UUID, funnel_id: uuid.UUID) -> SavedFunnelResult:
    with read_transaction(engine) as connection:
        return _shown(_one(connection, project_id, funnel_id))


def create_funnel(
    engine: Engine, project_id: uuid.UUID, body: Any, *, actor: str | None, now: datetime
) -> SavedFunnelResult:
    """Save a funnel; a name the project already uses is a conflict (409 naming ``name``)."""
    loaded = _load(body)
    row = {
        "id": uuid.uuid4(),
        "project_id": project_id,
        **loaded,
        "created_by": actor,
        "updated_by": actor,
        "created_at": now,
        "updated_at": now,
    }
    try:
        with write_transaction(engine) as connection:
            _check_room(connection, project_id)
            connection.execute(insert(_funnels), [row])
            return _shown(_one(connection, project_id, row["id"]))
    except IntegrityError:
        raise _duplicate(loaded["name"]) from None


def replace_funnel(
    engine: Engine,
    project_id: uuid.UUID,
    funnel_id: uuid.UUID,
    body: Any,
    *,
    actor: str | None,
    now: datetime,
) -> SavedFunnelResult:
    """Give a saved funnel a new name and definition (both, as ``PUT`` replaces)."""
    loaded = _load(body)
    try:
        with write_transaction(engine) as connection:
            _one(connection, project_id, funnel_id)
            connection.execute(
                update(_funnels)
                .where(_funnels.c.project_id == project_id, _funnels.c.id == funnel_id)
                .values(**loaded, updated_by=actor, updated_at=now)
            )
            return _shown(_one(connection, project_id, funnel_id))
    except IntegrityError:
        raise _duplicate(loaded["name"]) from None


def delete_funnel(engine: Engine, project_id: uuid.UUID, funnel_id: uuid.UUID) -> None:
    with write_transaction(engine) as connection:
        deleted = connection.execute(
            delete(_funnels).where(_funnels.c.project_id == project_id, _funnels.c.id == funnel_id)
        )
        if deleted.rowcount == 0:
            raise _missing(funnel_id)
