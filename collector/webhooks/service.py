"""Webhook endpoints, the delivery log and replay: the work behind the admin routes.

Another project's endpoint or message answers 404, exactly like one that does not exist.
A secret is shown when it is created (with the endpoint, or by a rotation) and never again.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from marshmallow import Schema, ValidationError
from sqlalchemy import Connection, Engine, Row, Select, delete, insert, select, update

from collector.kit.db.engine import read_transaction, write_transaction
from collector.kit.db.paging import Page, read_page
from collector.kit.errors import NotFound, ValidationFailed
from collector.webhooks.repository import attempts, endpoints, messages, requeue
from collector.webhooks.results import Attempt, Endpoint, EndpointCreated, Message, Secret
from collector.webhooks.schemas import (
    EndpointCreateSchema,
    EndpointUpdateSchema,
    field_messages,
)
from collector.webhooks.signing import new_secret
from collector.webhooks.targets import TargetRefused, check_url

DEFAULT_TRAITS = {"person": ["email", "name"], "account": ["name", "plan"]}
_create = EndpointCreateSchema()
_update = EndpointUpdateSchema()


def _load(schema: Schema, body: dict[str, Any], *, allow_private: bool) -> dict[str, Any]:
    try:
        loaded: dict[str, Any] = schema.load(body)
    except ValidationError as error:
        fields = field_messages(error.messages_dict)
        raise ValidationFailed("invalid webhook endpoint", fields=fields) from None
    if "url" in loaded:
        try:
            check_url(loaded["url"], allow_private=allow_private)
        except TargetRefused as exc:
            raise ValidationFailed("invalid webhook endpoint", fields={"url": [str(exc)]}) from None
    return loaded


def _shown(row: Row[Any]) -> Endpoint:
    return Endpoint(
        id=row.id,
        url=row.url,
        description=row.description,
        event_types=row.event_types,
        tracked_events=row.tracked_events,
        filter=row.filter,
        traits=row.traits,
        enabled=row.enabled,
        disabled_reason=row.disabled_reason,
        failed_in_row=row.failed_in_row,
        previous_secret_expires_at=row.previous_secret_expires_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def parse_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise _missing("endpoint", text) from None


def _missing(kind: str, identifier: object) -> NotFound:
    return NotFound(f"no webhook {kind} with id {identifier} in this project")


def _one_endpoint(connection: Connection, project_id: uuid.UUID, endpoint_id: uuid.UUID) -> Any:
    row = connection.execute(
        select(endpoints).where(endpoints.c.project_id == project_id, endpoints.c.id == endpoint_id)
    ).first()
    if row is None:
        raise _missing("endpoint", endpoint_id)
    return row


def create_endpoint(
    engine: Engine,
    project_id: uuid.UUID,
    body: dict[str, Any],
    *,
    allow_private: bool,
    now: datetime,
) -> EndpointCreated:
    """A new endpoint, with its secret: the only answer that ever shows it."""
    loaded = _load(_create, body, allow_private=allow_private)
    row = {
        "id": uuid.uuid4(),
        "project_id": project_id,
        "description": "",
        "tracked_events": [],
        "filter": None,
        "traits": DEFAULT_TRAITS,
        "enabled": True,
        **loaded,
        "disabled_reason": None,
        "secret": new_secret(),
        "previous_secret": None,
        "previous_secret_expires_at": None,
        "failed_in_row": 0,
        "created_at": now,
        "updated_at": now,
    }
    with write_transaction(engine) as connection:
        connection.execute(insert(endpoints), [row])
        created = _one_endpoint(connection, project_id, row["id"])
    return EndpointCreated(**_shown(created), secret=row["secret"])


def list_endpoints(engine: Engine, project_id: uuid.UUID) -> list[Endpoint]:
    with read_transaction(engine) as connection:
        rows = connection.execute(
            select(endpoints)
            .where(endpoints.c.project_id == project_id)
            .order_by(endpoints.c.created_at, endpoints.c.id)
        )
        return [_shown(row) for row in rows]


def get_endpoint(engine: Engine, project_id: uuid.UUID, endpoint_id: uuid.UUID) -> Endpoint:
    with read_transaction(engine) as connection:
        return _shown(_one_endpoint(connection, project_id, endpoint_id))


def update_endpoint(
    engine: Engine,
    project_id: uuid.UUID,
    endpoint_id: uuid.UUID,
    body: dict[str, Any],
    *,
    allow_private: bool,
    now: datetime,
) -> Endpoint:
    """Change some fields; enabling an endpoint again clears its run of failures."""
    changes = _load(_update, body, allow_private=allow_private)
    if changes.get("enabled") is True:
        changes |= {"disabled_reason": None, "failed_in_row": 0}
    elif changes.get("enabled") is False:
        changes["disabled_reason"] = "disabled through the API"
    with write_transaction(engine) as connection:
        current = _one_endpoint(connection, project_id, endpoint_id)
        merged = {**current._asdict(), **changes}
        if "event.tracked" in merged["event_types"] and not merged["tracked_events"]:
            raise ValidationFailed(
                "invalid webhook endpoint",
                fields={"tracked_events": ["name the track events that event.tracked forwards"]},
            )
        connection.execute(
            update(endpoints).where(endpoints.c.id == endpoint_id).values(**changes, updated_at=now)
        )
        return _shown(_one_endpoint(connection, project_id, endpoint_id))


def delete_endpoint(engine: Engine, project_id: uuid.UUID, endpoint_id: uuid.UUID) -> None:
    """Remove an endpoint with its messages and their attempts."""
    with write_transaction(engine) as connection:
        _one_endpoint(connection, project_id, endpoint_id)
        connection.execute(delete(attempts).where(attempts.c.endpoint_id == endpoint_id))
        connection.execute(delete(messages).where(messages.c.endpoint_id == endpoint_id))
        connection.execute(delete(endpoints).where(endpoints.c.id == endpoint_id))


def rotate_secret(
    engine: Engine,
    project_id: uuid.UUID,
    endpoint_id: uuid.UUID,
    *,
    grace: timedelta,
    now: datetime,
) -> Secret:
    """A new secret; the current one keeps signing too until ``now + grace``."""
    secret = new_secret()
    with write_transaction(engine) as connection:
        current = _one_endpoint(connection, project_id, endpoint_id)
        expires = now + grace if grace else None
        connection.execute(
            update(endpoints)
            .where(endpoints.c.id == endpoint_id)
            .values(
                secret=secret,
                previous_secret=current.secret if grace else None,
                previous_secret_expires_at=expires,
                updated_at=now,
            )
        )
    return {"secret": secret, "previous_secret_expires_at": expires}


def _message(row: Row[Any]) -> Message:
    return {
        "id": row.webhook_id,
        "endpoint_id": row.endpoint_id,
        "event_type": row.event_type,
        "status": row.status,
        "tries": row.tries,
        "next_attempt_at": row.next_attempt_at,
        "created_at": row.created_at,
        "delivered_at": row.delivered_at,
        "payload": row.payload,
    }


def list_messages(
    engine: Engine,
    project_id: uuid.UUID,
    *,
    where: dict[str, Any],
    cursor: str | None,
    limit: int,
) -> Page[Message]:
    """The delivery log, oldest first; ``where`` narrows it by endpoint, type or status."""
    conditions = [messages.c.project_id == project_id]
    conditions += [messages.c[name] == value for name, value in where.items()]

    def query(after: int, size: int) -> Select[Any]:
        return (
            select(messages)
            .where(*conditions, messages.c.id > after)
            .order_by(messages.c.id)
            .limit(size)
        )

    return read_page(engine, query, _message, cursor=cursor, limit=limit)


def _message_row_id(connection: Connection, project_id: uuid.UUID, webhook_id: str) -> int:
    found = connection.execute(
        select(messages.c.id).where(
            messages.c.project_id == project_id, messages.c.webhook_id == webhook_id
        )
    ).scalar()
    if found is None:
        raise _missing("message", webhook_id)
    return int(found)


def list_attempts(
    engine: Engine, project_id: uuid.UUID, webhook_id: str, *, cursor: str | None, limit: int
) -> Page[Attempt]:
    """Every try at delivering one message, oldest first."""
    with read_transaction(engine) as connection:
        row_id = _message_row_id(connection, project_id, webhook_id)

    def query(after: int, size: int) -> Select[Any]:
        return (
            select(attempts)
            .where(attempts.c.message_id == row_id, attempts.c.id > after)
            .order_by(attempts.c.id)
            .limit(size)
        )

    def shape(row: Row[Any]) -> Attempt:
        return Attempt(
            attempted_at=row.attempted_at,
            status_code=row.status_code,
            duration_ms=row.duration_ms,
            response_body=row.response_body,
            error=row.error,
            succeeded=row.succeeded,
        )

    return read_page(engine, query, shape, cursor=cursor, limit=limit)


def replay_message(
    engine: Engine, project_id: uuid.UUID, webhook_id: str, *, now: datetime
) -> Message:
    """Send a message again, from the first try of the schedule, with the same ``webhook-id``."""
    with write_transaction(engine) as connection:
        row_id = _message_row_id(connection, project_id, webhook_id)
        requeue(connection, project_id, now, messages.c.id == row_id)
        row = connection.execute(select(messages).where(messages.c.id == row_id)).one()
    return _message(row)


def replay_endpoint(
    engine: Engine,
    project_id: uuid.UUID,
    endpoint_id: uuid.UUID,
    *,
    since: datetime,
    status: str | None,
    now: datetime,
) -> int:
    """Send again every message of an endpoint written since ``since`` (of one status)."""
    conditions = [messages.c.endpoint_id == endpoint_id, messages.c.created_at >= since]
    if status is not None:
        conditions.append(messages.c.status == status)
    with write_transaction(engine) as connection:
        _one_endpoint(connection, project_id, endpoint_id)
        return requeue(connection, project_id, now, *conditions)
