"""Right of access: everything Waypost holds about a person, as one JSON document.

The tables are the ones erasure empties (:data:`collector.privacy.erasure.PERSON_TABLES`),
so what is exported is what would be erased. Events are given in the events API's own
shape; other rows as stored, without internal row ids.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Table, select

from collector.analytics.events.service import exported
from collector.analytics.persons.results import PersonExport, Rows
from collector.analytics.persons.service import get_person
from collector.identity.repository import resolve_person_id
from collector.kit.db.engine import read_transaction
from collector.kit.db.models import Event, table_of
from collector.kit.errors import NotFound
from collector.privacy.erasure import PERSON_TABLES, linked_ids
from collector.privacy.webhooks import webhook_messages

_events = table_of(Event)
_HIDDEN = frozenset({"id", "project_id", "person_id"})


def _rows(table: Table, person_id: uuid.UUID, connection: Any) -> Rows:
    statement = select(table).where(table.c.person_id == person_id).order_by(table.c.id)
    if table is _events:
        return [exported(row) for row in connection.execute(statement)]
    return [
        {k: v for k, v in row._mapping.items() if k not in _HIDDEN}
        for row in connection.execute(statement)
    ]


def export_person(engine: Engine, project_id: uuid.UUID, key: str, now: datetime) -> PersonExport:
    """The person (traits, ids, accounts) and every row of theirs, table by table."""
    with read_transaction(engine) as connection:
        person_id = resolve_person_id(connection, project_id, key)
        if person_id is None:
            raise NotFound(f"no person with id {key!r} in this project")
        tables: dict[str, Rows] = {
            str(table.name): _rows(table, person_id, connection)
            for table in PERSON_TABLES
            if table.name != "identities"
        }
        ids = linked_ids(connection, person_id)
        messages = webhook_messages(connection, project_id, person_id, ids)
    # By person id: the same person even if another of their ids changed meanwhile.
    person = get_person(engine, project_id, str(person_id))
    return PersonExport(
        exported_at=now,
        person=person,
        events=tables["events"],
        survey_responses=tables["survey_responses"],
        experience_states=tables["experience_states"],
        impressions=tables["impressions"],
        person_event_days=tables["person_event_days"],
        account_members=tables["account_members"],
        webhook_messages=messages,
    )
