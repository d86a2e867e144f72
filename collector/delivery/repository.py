"""Loading what eligibility decides on: one person's facts, the live experiences with
that person's history, and their recent impressions. Reads only."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from collector.db.models import (
    Account,
    AccountMember,
    Experience,
    ExperienceState,
    Identity,
    Impression,
    Person,
    PersonEventDay,
    Project,
    table_of,
)
from collector.targeting.facts import Candidate, ExperienceHistory, PersonFacts
from collector.targeting.facts import Impression as ImpressionFact

_projects = table_of(Project)
_identities = table_of(Identity)
_persons = table_of(Person)
_accounts = table_of(Account)
_members = table_of(AccountMember)
_experiences = table_of(Experience)
_states = table_of(ExperienceState)
_impressions = table_of(Impression)
_event_days = table_of(PersonEventDay)


def project_settings(connection: Connection, project_id: uuid.UUID) -> tuple[dict[str, Any], str]:
    """The project's settings and identity secret."""
    row = connection.execute(
        select(_projects.c.settings, _projects.c.identity_secret).where(
            _projects.c.id == project_id
        )
    ).one()
    return row.settings or {}, row.identity_secret or ""


def find_person(connection: Connection, project_id: uuid.UUID, distinct_id: str) -> Any:
    """The person row an id resolves to, or None for an id never seen."""
    return connection.execute(
        select(_persons)
        .join(_identities, _identities.c.person_id == _persons.c.id)
        .where(_identities.c.project_id == project_id, _identities.c.distinct_id == distinct_id)
    ).first()


def anonymous_id(connection: Connection, person_id: uuid.UUID) -> str | None:
    """The first anonymous id a person was seen with (a visitor has exactly one)."""
    found: str | None = connection.execute(
        select(_identities.c.distinct_id)
        .where(_identities.c.person_id == person_id, _identities.c.kind == "anonymous")
        .order_by(_identities.c.id)
        .limit(1)
    ).scalar()
    return found


def person_by_id(connection: Connection, person_id: uuid.UUID) -> Any:
    return connection.execute(select(_persons).where(_persons.c.id == person_id)).first()


def account_traits(connection: Connection, person_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = connection.execute(
        select(_accounts.c.traits)
        .join(_members, _members.c.account_id == _accounts.c.id)
        .where(_members.c.person_id == person_id)
        .order_by(_accounts.c.group_id)
    )
    return [row.traits for row in rows]


def event_days(
    connection: Connection, person_id: uuid.UUID, events: Collection[str]
) -> dict[str, dict[date, int]]:
    """Daily counts of the named events: the counters targeting rules read."""
    found: dict[str, dict[date, int]] = defaultdict(dict)
    if events:
        rows = connection.execute(
            select(_event_days.c.event, _event_days.c.day, _event_days.c.count.label("n")).where(
                _event_days.c.person_id == person_id, _event_days.c.event.in_(sorted(events))
            )
        )
        for row in rows:
            found[row.event][row.day] = row.n
    return dict(found)


def person_facts(
    connection: Connection, person: Any, sampling_key: str, events: Collection[str]
) -> PersonFacts:
    if person is None:
        return PersonFacts({}, [], None, {}, sampling_key)
    return PersonFacts(
        traits=person.traits or {},
        account_traits=account_traits(connection, person.id),
        first_seen_at=person.created_at,
        event_days=event_days(connection, person.id, events),
        sampling_key=sampling_key,
    )


def live_experiences(connection: Connection, project_id: uuid.UUID) -> list[Any]:
    return list(
        connection.execute(
            select(_experiences).where(
                _experiences.c.project_id == project_id, _experiences.c.status == "live"
            )
        )
    )


def histories(connection: Connection, person_id: uuid.UUID | None) -> dict[uuid.UUID, Any]:
    """The person's state with each experience, by experience id."""
    if person_id is None:
        return {}
    rows = connection.execute(select(_states).where(_states.c.person_id == person_id))
    return {row.experience_id: row for row in rows}


def candidates(experiences: list[Any], states: dict[uuid.UUID, Any]) -> list[Candidate]:
    return [
        Candidate(
            id=row.id,
            kind=row.kind,
            type=row.type,
            priority=row.priority,
            definition=row.definition,
            history=_history(states.get(row.id)),
        )
        for row in experiences
    ]


def _history(state: Any) -> ExperienceHistory | None:
    if state is None:
        return None
    return ExperienceHistory(
        status=state.status,
        shown_count=state.shown_count,
        dismiss_count=state.dismiss_count,
        last_shown_at=state.last_shown_at,
        last_dismissed_at=state.last_dismissed_at,
        last_responded_at=state.last_responded_at,
        completed_at=state.completed_at,
    )


def impressions_since(
    connection: Connection, project_id: uuid.UUID, person_id: uuid.UUID | None, since: datetime
) -> list[ImpressionFact]:
    if person_id is None:
        return []
    rows = connection.execute(
        select(
            _impressions.c.experience_id,
            _impressions.c.kind,
            _impressions.c.session_id,
            _impressions.c.shown_at,
            _experiences.c.type,
        )
        .join(_experiences, _experiences.c.id == _impressions.c.experience_id)
        .where(
            _impressions.c.project_id == project_id,
            _impressions.c.person_id == person_id,
            _impressions.c.shown_at >= since,
        )
    )
    return [
        ImpressionFact(row.experience_id, row.kind, row.session_id, row.shown_at, row.type)
        for row in rows
    ]
