"""SQL for persons and identities. Nothing here commits: the caller's unit of work does."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, text, update

from collector.db.models import AccountMember, Event, Identity, Person, table_of
from collector.identity.resolution import KnownIdentity

_identities = table_of(Identity)
_persons = table_of(Person)
_events = table_of(Event)
_members = table_of(AccountMember)

# Keeps each IN (...) list well under SQLite's and PostgreSQL's bound-parameter limits.
CHUNK = 500


def _chunks(values: Collection[str]) -> Iterable[list[str]]:
    ordered = sorted(values)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def load_known(
    connection: Connection, project_id: uuid.UUID, distinct_ids: Collection[str]
) -> dict[str, KnownIdentity]:
    """The person (and that person's user id) behind each already-known id."""
    known: dict[str, KnownIdentity] = {}
    for chunk in _chunks(distinct_ids):
        rows = connection.execute(
            select(_identities.c.distinct_id, _identities.c.person_id, _persons.c.user_id)
            .join(_persons, _persons.c.id == _identities.c.person_id)
            .where(_identities.c.project_id == project_id, _identities.c.distinct_id.in_(chunk))
        )
        for row in rows:
            known[row.distinct_id] = KnownIdentity(row.person_id, row.user_id)
    return known


def lock_identities(connection: Connection, project_id: uuid.UUID, *, exclusive: bool) -> None:
    """Serialise identity changes of a project across processes (PostgreSQL only).

    Batches that only read known ids share the lock and run side by side; a batch that
    creates, links or merges ids takes it alone, so no two processes create the same id
    twice or write events for a person while it is merged away. SQLite needs none of
    this: its write transactions already run one at a time.
    """
    if connection.dialect.name != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    connection.execute(
        text(f"SELECT {function}(hashtextextended(:key, 0))"), {"key": f"identity:{project_id}"}
    )


def insert_persons(
    connection: Connection,
    project_id: uuid.UUID,
    persons: dict[uuid.UUID, str | None],
    now: datetime,
) -> None:
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
                "created_at": now,
                "updated_at": now,
            }
            for person_id, user_id in persons.items()
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


def lock_traits(
    connection: Connection, person_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, tuple[dict[str, Any], dict[str, str]]]:
    if not person_ids:
        return {}
    rows = connection.execute(
        select(_persons.c.id, _persons.c.traits, _persons.c.trait_times)
        .where(_persons.c.id.in_(sorted(person_ids)))
        .order_by(_persons.c.id)
        .with_for_update()
    )
    return {row.id: (row.traits, row.trait_times) for row in rows}


def save_traits(
    connection: Connection,
    traits: dict[uuid.UUID, tuple[dict[str, Any], dict[str, str]]],
    now: datetime,
) -> None:
    if not traits:
        return
    connection.execute(
        update(_persons)
        .where(_persons.c.id == bindparam("person"))
        .values(traits=bindparam("traits"), trait_times=bindparam("times"), updated_at=now),
        [
            {"person": person, "traits": values, "times": times}
            for person, (values, times) in traits.items()
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
    connection.execute(delete(_persons).where(_persons.c.id == loser))


def count_persons(connection: Connection, project_id: uuid.UUID) -> int:
    return connection.execute(
        select(func.count()).select_from(_persons).where(_persons.c.project_id == project_id)
    ).scalar_one()
