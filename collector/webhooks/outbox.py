"""Writing webhook messages into the outbox, inside the transaction of what caused them.

Ingestion calls :func:`record_ingest` before it commits, so a message exists exactly when
its event does: a crash after the commit cannot lose it, and a rolled-back batch sends
nothing. Each enabled endpoint subscribed to the type, whose filter the event passes, gets
its own message; the worker (:mod:`collector.webhooks.attempts`) sends them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row

from collector.kit.messages import Message
from collector.progress.service import Outcome
from collector.webhooks import catalog, filters, repository
from collector.webhooks.signing import new_message_id


@dataclass(frozen=True)
class Occurrence:
    """Something that happened to a person, before each endpoint's traits are chosen."""

    event_type: str
    person_id: uuid.UUID | None
    timestamp: datetime
    data: dict[str, Any]
    event_name: str | None = None
    """For ``event.tracked``: the track event's name, which endpoints opt into."""
    account: dict[str, Any] | None = None
    """Set when the occurrence is about an account rather than through a person."""


@dataclass
class _Context:
    persons: dict[uuid.UUID, Any] = field(default_factory=dict)
    accounts: dict[uuid.UUID, Any] = field(default_factory=dict)


def record_ingest(
    connection: Connection,
    project_id: uuid.UUID,
    *,
    fresh: Sequence[Message],
    person_of: Callable[[Message], uuid.UUID | None],
    outcomes: Sequence[Outcome],
    identified: Mapping[uuid.UUID, str],
    now: datetime,
) -> None:
    """The messages a stored batch causes: answers, progress, identification, named events."""
    if not (fresh or outcomes or identified):
        return
    endpoints = repository.enabled_endpoints(connection, project_id)
    if not endpoints:
        return
    subscribed = {event_type for endpoint in endpoints for event_type in endpoint.event_types}
    tracked = {name for endpoint in endpoints for name in endpoint.tracked_events}
    occurrences = [
        *_progress_occurrences(connection, outcomes, subscribed),
        *(
            _identified(person, user_id, now)
            for person, user_id in identified.items()
            if catalog.PERSON_IDENTIFIED in subscribed
        ),
        *(
            _tracked(message, person_of(message))
            for message in fresh
            if message.type == "track" and message.event in tracked
        ),
    ]
    record(connection, project_id, endpoints, occurrences, now)


def record(
    connection: Connection,
    project_id: uuid.UUID,
    endpoints: Sequence[Row[Any]],
    occurrences: Sequence[Occurrence],
    now: datetime,
) -> None:
    """One message per occurrence and endpoint that subscribes to it and passes its filter."""
    if not occurrences:
        return
    people = {o.person_id for o in occurrences if o.person_id is not None}
    context = _Context(
        repository.persons(connection, people), repository.accounts_of(connection, people)
    )
    rows = [
        _message_row(project_id, endpoint, payload, now)
        for occurrence in occurrences
        for endpoint in endpoints
        if _wants(endpoint, occurrence)
        for payload in [catalog.envelope(*_payload_parts(occurrence, endpoint, context))]
        if endpoint.filter is None or filters.matches(endpoint.filter, catalog.facts(payload))
    ]
    repository.insert_messages(connection, rows)


def _wants(endpoint: Row[Any], occurrence: Occurrence) -> bool:
    if occurrence.event_type not in endpoint.event_types:
        return False
    return occurrence.event_name is None or occurrence.event_name in endpoint.tracked_events


def _payload_parts(
    occurrence: Occurrence, endpoint: Row[Any], context: _Context
) -> tuple[str, datetime, dict[str, Any]]:
    chosen: Mapping[str, Collection[str]] = endpoint.traits
    data = dict(occurrence.data)
    if occurrence.account is not None:
        data["account"] = _account(occurrence.account, chosen.get("account", ()))
        return occurrence.event_type, occurrence.timestamp, data
    person = context.persons.get(occurrence.person_id) if occurrence.person_id else None
    account = context.accounts.get(occurrence.person_id) if occurrence.person_id else None
    data["person"] = (
        None
        if person is None
        else {
            "id": str(person.id),
            "user_id": person.user_id,
            "traits": _pick(person.traits, chosen.get("person", ())),
        }
    )
    data["account"] = (
        None if account is None else _account(account._asdict(), chosen.get("account", ()))
    )
    return occurrence.event_type, occurrence.timestamp, data


def _account(account: Mapping[str, Any], traits: Collection[str]) -> dict[str, Any]:
    return {
        "id": str(account["id"]),
        "group_id": account["group_id"],
        "traits": _pick(account["traits"], traits),
    }


def _pick(traits: Mapping[str, Any] | None, names: Iterable[str]) -> dict[str, Any]:
    return {name: traits[name] for name in names if traits and name in traits}


def _message_row(
    project_id: uuid.UUID, endpoint: Row[Any], payload: dict[str, Any], now: datetime
) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "endpoint_id": endpoint.id,
        "webhook_id": new_message_id(),
        "event_type": payload["type"],
        "payload": payload,
        "created_at": now,
    }


def _progress_occurrences(
    connection: Connection, outcomes: Sequence[Outcome], subscribed: Collection[str]
) -> list[Occurrence]:
    found = [
        (event_type, outcome)
        for outcome in outcomes
        for event_type in _event_types(outcome)
        if event_type in subscribed
    ]
    names = repository.experience_names(connection, {o.experience.id for _, o in found})
    return [_progress(event_type, outcome, names) for event_type, outcome in found]


def _event_types(outcome: Outcome) -> list[str]:
    experience, response = outcome.experience, outcome.response
    if response is not None:
        low, high = response["scale_min"], response["scale_max"]
        detractor = catalog.sentiment(response["survey_type"], response["score"], low, high)
        types = [catalog.SURVEY_RESPONDED]
        return [*types, catalog.SURVEY_DETRACTOR] if detractor == "detractor" else types
    if experience.kind != "flow" or outcome.status_before == outcome.status_after:
        return []
    if outcome.status_after == "completed":
        checklist = experience.type == "checklist"
        return [catalog.CHECKLIST_COMPLETED if checklist else catalog.FLOW_COMPLETED]
    if outcome.status_after == "dismissed":
        return [catalog.FLOW_DISMISSED]
    return []


def _progress(event_type: str, outcome: Outcome, names: Mapping[uuid.UUID, str]) -> Occurrence:
    experience, message = outcome.experience, outcome.change.message
    reference = {
        "id": str(experience.id),
        "type": experience.type,
        "name": names.get(experience.id),
        "version": (outcome.response or {}).get("version", experience.version),
    }
    base = {"message_id": message.message_id, "anonymous_id": message.anonymous_id}
    if outcome.response is None:
        last = "item" if experience.type == "checklist" else "step"
        data = {"flow": reference, **base, last: outcome.change.properties.get(last)}
        return Occurrence(event_type, outcome.person_id, message.timestamp, data)
    return Occurrence(
        event_type,
        outcome.person_id,
        message.timestamp,
        {"survey": reference, **base, "response": _response(outcome.response)},
    )


def _response(response: Mapping[str, Any]) -> dict[str, Any]:
    low, high = response["scale_min"], response["scale_max"]
    return {
        "score": response["score"],
        "scale": {"min": low, "max": high},
        "sentiment": catalog.sentiment(response["survey_type"], response["score"], low, high),
        "dimension": response["dimension"],
        "text": response["text"],
        "choices": response["choices"],
        "answers": response["answers"],
        "locale": response["locale"],
        "eligible": response["eligible"],
        "responded_at": response["responded_at"].isoformat().replace("+00:00", "Z"),
    }


def _identified(person_id: uuid.UUID, user_id: str, now: datetime) -> Occurrence:
    return Occurrence(catalog.PERSON_IDENTIFIED, person_id, now, {"user_id": user_id})


def _tracked(message: Message, person_id: uuid.UUID | None) -> Occurrence:
    data = {
        "event": message.event,
        "message_id": message.message_id,
        "user_id": message.user_id,
        "anonymous_id": message.anonymous_id,
        "properties": message.properties or {},
    }
    return Occurrence(catalog.EVENT_TRACKED, person_id, message.timestamp, data, message.event)


@dataclass(frozen=True)
class HealthChange:
    """An account (``id``, ``group_id``, ``traits``) that moved between green, yellow and red."""

    account: Mapping[str, Any]
    previous: str
    current: str
    score: float | None


def record_health_changes(
    connection: Connection, project_id: uuid.UUID, changes: Sequence[HealthChange], now: datetime
) -> None:
    """``account.health_changed`` for each change, written together; to be called in the
    transaction that stores the changes."""
    if not changes:
        return
    endpoints = repository.enabled_endpoints(connection, project_id)
    occurrences = [
        Occurrence(
            catalog.ACCOUNT_HEALTH_CHANGED,
            None,
            now,
            {"health": {"previous": c.previous, "current": c.current, "score": c.score}},
            account=dict(c.account),
        )
        for c in changes
    ]
    record(connection, project_id, endpoints, occurrences, now)
