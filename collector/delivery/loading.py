"""What eligibility reads about the person asking, in one statement.

``GET /v1/flows`` runs on every page load of every end user, so everything it reads comes
back in one statement (one round trip to PostgreSQL), sent to the driver as it is, without
Core's per-statement work: the write key's validity, the project's settings, the stamp of
its experiences (see :mod:`collector.delivery.live`), and the person with their traits,
accounts, states with each experience, event counters and recent impressions. The
person's rows of each table come back as one JSON array that the database builds
(``json_group_array`` on SQLite, ``json_agg`` on PostgreSQL).

The person's event history is never scanned: only the ``person_event_days`` counters of
the events that live audiences name are read.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from sqlalchemy.engine.interfaces import DBAPICursor

from collector.kit.db.backends import Backend, Statements
from collector.kit.project_settings import ProjectSettings
from collector.targeting.facts import ExperienceHistory, Impression

_SELECT = (
    "SELECT p.settings, p.identity_secret, {stamp},"
    " per.id, per.user_id, per.traits, per.created_at, {facts}"
)
_BY_WRITE_KEY = """
FROM api_keys AS k
JOIN projects AS p ON p.id = k.project_id
LEFT JOIN identities AS ident ON ident.project_id = p.id AND ident.distinct_id = {distinct_id}
LEFT JOIN persons AS per ON per.id = ident.person_id
WHERE k.project_id = {project} AND k.lookup = {lookup} AND k.kind = 'write'
 AND (k.expires_at IS NULL OR k.expires_at > {now})"""
_BY_PERSON_ID = """
FROM projects AS p
LEFT JOIN persons AS per ON per.id = {person} AND per.project_id = p.id
WHERE p.id = {project}"""


def spelt(sql: Statements, template: str) -> str:
    """``{name}`` as the driver's named parameter: ``:name`` or ``%(name)s``."""
    names = ("project", "distinct_id", "lookup", "now", "person", "events", "since")
    style = sql.named_parameter
    return template.format(**{name: style.format(name) for name in names})


@cache
def _statement(sql: Statements, source: str) -> str:
    select = _SELECT.format(stamp=sql.experiences_stamp, facts=sql.person_facts)
    return spelt(sql, select + source)


@dataclass(frozen=True, slots=True)
class Person:
    id: uuid.UUID
    user_id: str | None
    traits: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class State:
    """A person's state with one experience: its history, and the progress shown back."""

    history: ExperienceHistory
    current_step: str | None
    completed_items: list[str]


@dataclass(frozen=True, slots=True)
class Loaded:
    """Everything one request decides on, besides the live experiences themselves."""

    settings: ProjectSettings
    identity_secret: str
    stamp: str
    """The project's experiences' stamp when this was read (see
    ``Statements.experiences_stamp``)."""
    person: Person | None
    account_traits: list[dict[str, Any]]
    states: dict[uuid.UUID, State]
    event_days: dict[str, dict[date, int]]
    impressions: list[Impression]


def by_write_key(
    cursor: DBAPICursor,
    backend: Backend,
    *,
    project_id: uuid.UUID,
    lookup: str,
    distinct_id: str,
    events: str,
    since: datetime,
    now: datetime,
) -> Loaded | None:
    """What the person with ``distinct_id`` asks with; None when the key is not (or no
    longer) a live write key of the project. ``events`` is a JSON array of event names."""
    values = backend.values
    parameters = {
        "project": values.bind_uuid(project_id),
        "lookup": lookup,
        "distinct_id": distinct_id,
        "events": events,
        "since": values.bind_time(since),
        "now": values.bind_time(now),
    }
    return _load(cursor, backend, _statement(backend.sql, _BY_WRITE_KEY), parameters)


def by_person_id(
    cursor: DBAPICursor,
    backend: Backend,
    *,
    project_id: uuid.UUID,
    person_id: uuid.UUID,
    events: str,
    since: datetime,
) -> Loaded | None:
    """The same, of a person the caller has found by id; None when there is no project."""
    values = backend.values
    parameters = {
        "project": values.bind_uuid(project_id),
        "person": values.bind_uuid(person_id),
        "events": events,
        "since": values.bind_time(since),
    }
    return _load(cursor, backend, _statement(backend.sql, _BY_PERSON_ID), parameters)


def _load(
    cursor: DBAPICursor, backend: Backend, statement: str, parameters: dict[str, Any]
) -> Loaded | None:
    cursor.execute(statement, parameters)
    row = cursor.fetchone()
    if row is None:
        return None
    settings, secret, stamp, person_id, user_id, traits, created_at, *lists = row
    values = backend.values
    read_json = values.read_json
    accounts, states, counters, impressions = (read_json(value) for value in lists)
    person = None
    if person_id is not None:
        person = Person(
            values.read_uuid(person_id), user_id, read_json(traits) or {}, moment(created_at)
        )
    return Loaded(
        settings=ProjectSettings.from_stored(read_json(settings)),
        identity_secret=secret or "",
        stamp=stamp,
        person=person,
        account_traits=accounts,
        states={uuid.UUID(state[0]): _state(state) for state in states},
        event_days=_event_days(counters),
        impressions=[_impression(entry) for entry in impressions],
    )


def moment(value: str | datetime) -> datetime:
    """A ``UtcDateTime`` as a value inside JSON (ISO 8601 text) or as the driver gives it."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _maybe(value: str | None) -> datetime | None:
    return None if value is None else moment(value)


def _state(fields: list[Any]) -> State:
    _, status, step, items, shown, dismissed, last_shown, last_dismissed, responded, done = fields
    history = ExperienceHistory(
        status=status,
        shown_count=shown,
        dismiss_count=dismissed,
        last_shown_at=_maybe(last_shown),
        last_dismissed_at=_maybe(last_dismissed),
        last_responded_at=_maybe(responded),
        completed_at=_maybe(done),
    )
    return State(history, step, items)


def _event_days(counters: list[Any]) -> dict[str, dict[date, int]]:
    found: dict[str, dict[date, int]] = defaultdict(dict)
    for event, day, count in counters:
        found[event][date.fromisoformat(day)] = count
    return dict(found)


def _impression(fields: list[Any]) -> Impression:
    experience_id, kind, session_id, shown_at, type_ = fields
    return Impression(uuid.UUID(experience_id), kind, session_id, moment(shown_at), type_)
