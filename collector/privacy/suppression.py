"""Delete and suppress: the ids of an erased person, kept only as hashes, whose future
messages are dropped at ingestion and counted, so the person does not come back.

Screening runs inside the ingest transaction, where the project's privacy settings are
read too, so a suppression or a settings change applies to the very next batch on every
worker. A project with no suppressions pays one indexed lookup per batch.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, exists, func, select, update

from collector.kit.db.backends import insert_ignoring_duplicates
from collector.kit.db.models import Project, Suppression, table_of
from collector.kit.messages import Message
from collector.kit.project_settings import IpMode, ProjectSettings
from collector.privacy.ip import apply_ip_policy

_projects = table_of(Project)
_suppressions = table_of(Suppression)


def id_hash(project_id: uuid.UUID, distinct_id: str) -> str:
    """The stored form of a suppressed id; salted with the project so lists never match."""
    return hashlib.sha256(f"{project_id}:{distinct_id}".encode()).hexdigest()


def suppress_ids(
    connection: Connection, project_id: uuid.UUID, distinct_ids: Collection[str], now: datetime
) -> None:
    statement = insert_ignoring_duplicates(connection, _suppressions)
    rows = [
        {"project_id": project_id, "id_hash": id_hash(project_id, i), "created_at": now}
        for i in sorted(set(distinct_ids))
    ]
    if rows:
        connection.execute(statement, [{**row, "dropped_count": 0} for row in rows])


@dataclass(frozen=True)
class Screened:
    kept: list[Message]
    suppressed: int


def _message_ids(message: Message) -> tuple[str, ...]:
    return tuple(i for i in (message.user_id, message.anonymous_id, message.previous_id) if i)


def _policy(connection: Connection, project_id: uuid.UUID) -> tuple[IpMode, bool]:
    """The project's IP mode, and whether it has any suppressed id, in one statement."""
    has_suppressions = exists().where(_suppressions.c.project_id == project_id)
    row = connection.execute(
        select(_projects.c.settings, has_suppressions).where(_projects.c.id == project_id)
    ).one()
    return ProjectSettings.from_stored(row[0]).ip_addresses, bool(row[1])


def _suppressed_hashes(
    connection: Connection, project_id: uuid.UUID, messages: Sequence[Message]
) -> set[str]:
    hashes = {id_hash(project_id, i) for m in messages for i in _message_ids(m)}
    found = connection.execute(
        select(_suppressions.c.id_hash).where(
            _suppressions.c.project_id == project_id, _suppressions.c.id_hash.in_(sorted(hashes))
        )
    ).scalars()
    return set(found)


def _count_drops(connection: Connection, project_id: uuid.UUID, drops: dict[str, int]) -> None:
    for hashed, count in sorted(drops.items()):
        connection.execute(
            update(_suppressions)
            .where(_suppressions.c.project_id == project_id, _suppressions.c.id_hash == hashed)
            .values(dropped_count=_suppressions.c.dropped_count + count)
        )


def screen_messages(
    connection: Connection,
    project_id: uuid.UUID,
    messages: Sequence[Message],
    client_ip: str | None,
) -> Screened:
    """Drop (and count) messages of suppressed ids; keep or strip addresses as configured."""
    mode, has_suppressions = _policy(connection, project_id)
    kept = list(messages)
    drops: dict[str, int] = {}
    if has_suppressions:
        suppressed = _suppressed_hashes(connection, project_id, messages)
        kept = []
        for message in messages:
            hit = [h for i in _message_ids(message) if (h := id_hash(project_id, i)) in suppressed]
            if hit:
                drops[hit[0]] = drops.get(hit[0], 0) + 1
            else:
                kept.append(message)
        _count_drops(connection, project_id, drops)
    apply_ip_policy(kept, mode, client_ip)
    return Screened(kept=kept, suppressed=sum(drops.values()))


def suppression_count(connection: Connection, project_id: uuid.UUID) -> tuple[int, int]:
    """How many ids the project suppresses, and how many messages were dropped for them."""
    row = connection.execute(
        select(func.count(), func.coalesce(func.sum(_suppressions.c.dropped_count), 0)).where(
            _suppressions.c.project_id == project_id
        )
    ).one()
    return int(row[0]), int(row[1])
