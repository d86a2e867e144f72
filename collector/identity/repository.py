"""SQL for persons and identities. Nothing here commits: the caller's unit of work does."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, case, delete, func, insert, select, update

from collector.identity.resolution import KnownIdentity
from collector.kit.db.backends import backend_of
from collector.kit.db.base import json_serializer
from collector.kit.db.models import AccountMember, Event, Identity, Person, table_of

_identities = table_of(Identity)
_persons = table_of(Person)
_events = table_of(Event)
_members = table_of(AccountMember)


def load_known(
    connection: Connection, project_id: uuid.UUID, distinct_ids: Collection[str]
) -> dict[str, KnownIdentity]:
    """The person (and that person's user id) behind each already-known id.

    The ids travel as one JSON array, so the statement text, and the plan each database
    caches for it, is the same whatever the number of ids (an ``IN (?, ?, …)`` list is a
    new statement for each batch size).
    """
    if not distinct_ids:
        return {}
    backend = backend_of(connection)
    values = backend.values
    rows = connection.exec_driver_sql(
        backend.sql.known_identities,
        (json_serializer(list(distinct_ids)), values.bind_uuid(project_id)),
    ).fetchall()
    read_uuid = values.read_uuid
    return {
        distinct_id: KnownIdentity(read_uuid(person_id), user_id)
        for distinct_id, person_id, user_id in rows
    }


def lock_identities(connection: Connection, project_id: uuid.UUID, *, exclusive: bool) -> bool:
    """Serialise identity changes of a project across processes; whether a lock was taken.

    Batches that only read known ids share the lock and run side by side; a batch that
    creates, links or merges ids takes it alone, so no two processes create the same id
    twice or write events for a person while it is merged away. Where write transactions
    already run one at a time (SQLite) none is needed, and none is taken.
    """
    return backend_of(connection).transaction_lock(
        connection, f"identity:{project_id}", exclusive=exclusive
    )


def insert_persons(
    connection: Connection,
    project_id: uuid.UUID,
    persons: dict[uuid.UUID, tuple[str | None, datetime]],
    now: datetime,
) -> None:
    """New persons: ``{id: (user id, first seen)}``; first seen is their earliest message."""
    if not persons:
        return
    connection.execute(
        insert(_persons),
        [
            {
                "id": person_id,
                "project_id": project_id,
                "user_id": user_id,
                "traits": {},
                "trait_times": {},
                "created_at": min(first_seen, now),
                "updated_at": now,
            }
            for person_id, (user_id, first_seen) in persons.items()
        ],
    )


def insert_identities(
    connection: Connection,
    project_id: uuid.UUID,
    identities: list[tuple[str, str, uuid.UUID]],
    now: datetime,
) -> None:
    if not identities:
        return
    connection.execute(
        insert(_identities),
        [
            {
                "project_id": project_id,
                "distinct_id": distinct_id,
                "kind": kind,
                "person_id": person_id,
                "created_at": now,
            }
            for distinct_id, kind, person_id in identities
        ],
    )


def set_user_ids(connection: Connection, identified: dict[uuid.UUID, str], now: datetime) -> None:
    if not identified:
        return
    connection.execute(
        update(_persons)
        .where(_persons.c.id == bindparam("person"))
        .values(user_id=bindparam("user"), updated_at=now),
        [{"person": person, "user": user} for person, user in identified.items()],
    )


# Trait reads and writes run for every batch with identify calls, so they skip Core's
# per-statement work too.


def lock_traits(
    connection: Connection, person_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, tuple[dict[str, Any], dict[str, str]]]:
    if not person_ids:
        return {}
    backend = backend_of(connection)
    values = backend.values
    rows = connection.exec_driver_sql(
        backend.sql.lock_traits,
        (json_serializer([str(values.bind_uuid(person)) for person in person_ids]),),
    ).fetchall()
    read_uuid, read_json = values.read_uuid, values.read_json
    return {read_uuid(id_): (read_json(traits), read_json(times)) for id_, traits, times in rows}


def save_traits(
    connection: Connection,
    traits: dict[uuid.UUID, tuple[dict[str, Any], dict[str, str]]],
    now: datetime,
) -> None:
    if not traits:
        return
    backend = backend_of(connection)
    values = backend.values
    updated_at = values.bind_time(now)
    connection.exec_driver_sql(
        backend.sql.save_traits,
        [
            (json_serializer(current), json_serializer(times), updated_at, values.bind_uuid(person))
            for person, (current, times) in traits.items()
        ],
    )


def move_person(
    connection: Connection, project_id: uuid.UUID, *, loser: uuid.UUID, survivor: uuid.UUID
) -> None:
    """Point everything of ``loser`` at ``survivor`` and delete ``loser``."""
    connection.execute(
        update(_identities)
        .where(_identities.c.project_id == project_id, _identities.c.person_id == loser)
        .values(person_id=survivor)
    )
    connection.execute(
        update(_events)
        .where(_events.c.project_id == project_id, _events.c.person_id == loser)
        .values(person_id=survivor)
    )
    already = select(_members.c.account_id).where(_members.c.person_id == survivor)
    connection.execute(
        delete(_members).where(
            _members.c.person_id == loser, _members.c.account_id.in_(already.scalar_subquery())
        )
    )
    connection.execute(
        update(_members).where(_members.c.person_id == loser).values(person_id=survivor)
    )
    # Whoever was seen first, the merged person was first seen then.
    loser_seen = select(_persons.c.created_at).where(_persons.c.id == loser).scalar_subquery()
    connection.execute(
        update(_persons)
        .where(_persons.c.id == survivor)
        .values(
            created_at=case(
                (loser_seen < _persons.c.created_at, loser_seen), else_=_persons.c.created_at
            )
        )
    )
    connection.execute(delete(_persons).where(_persons.c.id == loser))


def count_persons(connection: Connection, project_id: uuid.UUID) -> int:
    return connection.execute(
        select(func.count()).select_from(_persons).where(_persons.c.project_id == project_id)
    ).scalar_one()


def resolve_person_id(connection: Connection, project_id: uuid.UUID, key: str) -> uuid.UUID | None:
    """The person a user id or anonymous id resolves to, or the person with that id."""
    found: uuid.UUID | None = connection.execute(
        select(_identities.c.person_id).where(
            _identities.c.project_id == project_id, _identities.c.distinct_id == key
        )
    ).scalar()
    if found is not None:
        return found
    try:
        candidate = uuid.UUID(key)
    except ValueError:
        return None
    person: uuid.UUID | None = connection.execute(
        select(_persons.c.id).where(_persons.c.project_id == project_id, _persons.c.id == candidate)
    ).scalar()
    return person
