"""Erasing a person: every row held about them, across every id linked to them, in one
transaction, recorded in the audit log with the number of rows per table. Webhook messages
about them go too, delivered or not: their payloads carry the person's traits.

The audit entry names the erased person only by a hash of the id asked for, so the log
proves an erasure happened without keeping who it was about. With ``suppress``, every
linked id is added to the suppression list in the same transaction, so a message already
in flight either lands before the erasure (and is erased) or is dropped after it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, TypedDict

from sqlalchemy import Connection, Table, delete, select

from collector.audit.repository import record
from collector.identity.repository import lock_identities, resolve_person_id
from collector.kit.db.models import (
    AccountMember,
    Event,
    ExperienceState,
    Identity,
    Impression,
    Person,
    PersonEventDay,
    SurveyResponse,
    table_of,
)
from collector.kit.errors import NotFound
from collector.privacy.suppression import id_hash, suppress_ids
from collector.privacy.webhooks import erase_webhook_messages

ERASE_ACTION = "person.erased"
_identities = table_of(Identity)
# Children before parents; every table holding a person's rows, by its person column.
PERSON_TABLES: tuple[Table, ...] = (
    table_of(Event),
    table_of(SurveyResponse),
    table_of(ExperienceState),
    table_of(Impression),
    table_of(PersonEventDay),
    table_of(AccountMember),
    _identities,
)
_persons = table_of(Person)


class ErasureAnswer(TypedDict):
    """What an erasure answers: counts, never the erased ids themselves."""

    erased: Literal[True]
    ids: int
    rows: dict[str, int]
    suppressed: bool


@dataclass(frozen=True)
class Erasure:
    ids: list[str]
    rows: dict[str, int]
    suppressed: bool

    def as_dict(self) -> ErasureAnswer:
        return {
            "erased": True,
            "ids": len(self.ids),
            "rows": self.rows,
            "suppressed": self.suppressed,
        }


def linked_ids(connection: Connection, person_id: uuid.UUID) -> list[str]:
    return list(
        connection.execute(
            select(_identities.c.distinct_id)
            .where(_identities.c.person_id == person_id)
            .order_by(_identities.c.id)
        ).scalars()
    )


def _delete_rows(
    connection: Connection, project_id: uuid.UUID, person_id: uuid.UUID
) -> dict[str, int]:
    rows: dict[str, int] = {}
    for table in (*PERSON_TABLES, _persons):
        column = table.c.id if table is _persons else table.c.person_id
        result = connection.execute(
            delete(table).where(table.c.project_id == project_id, column == person_id)
        )
        rows[str(table.name)] = result.rowcount
    return rows


def erase_person(
    connection: Connection,
    project_id: uuid.UUID,
    key: str,
    *,
    actor: str,
    suppress: bool,
    now: datetime,
) -> Erasure:
    """Erase the person a user id, anonymous id or person id resolves to.

    An id nobody has used is a 404, unless it is to be suppressed: suppressing an id
    before it is ever seen is how a customer keeps someone from being tracked at all.
    """
    lock_identities(connection, project_id, exclusive=True)
    person_id = resolve_person_id(connection, project_id, key)
    if person_id is None and not suppress:
        raise NotFound(f"no person with id {key!r} in this project")
    ids = [key] if person_id is None else linked_ids(connection, person_id)
    rows: dict[str, int] = {}
    if person_id is not None:
        rows["webhook_messages"] = erase_webhook_messages(connection, project_id, person_id, ids)
        rows.update(_delete_rows(connection, project_id, person_id))
    if suppress:
        suppress_ids(connection, project_id, [*ids, key], now)
    erasure = Erasure(ids=ids, rows=rows, suppressed=suppress)
    record(
        connection,
        project_id,
        actor=actor,
        action=ERASE_ACTION,
        target=id_hash(project_id, key),
        details={"rows": rows, "ids": len(ids), "suppressed": suppress},
        at=now,
    )
    return erasure
