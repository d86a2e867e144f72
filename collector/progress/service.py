"""Projections of onboarding progress and survey answers, inside the ingest transaction.

Reserved events are checked first (a bad one is rejected and nothing of it stored); the
newly stored events then move each person's state with each experience, record impressions
for the frequency caps, type survey answers, complete checklist items that ordinary events
match, and count events per person and day for targeting.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from collector.kit.auth.identity import is_valid_identity_hash, verification_secret
from collector.kit.messages import Message
from collector.progress import repository
from collector.progress.reserved import (
    RESERVED_EVENTS,
    ExperienceRef,
    FieldErrors,
    check_reserved,
    referenced_id,
    scale_of,
    version_of,
)
from collector.progress.states import State, apply_event, matching_items

PersonOf = Callable[[Message], uuid.UUID | None]
IMPRESSION_EVENTS = frozenset({"Flow Started", "Survey Shown"})
DEFAULT_REASK_DAYS = 90


def is_reserved(message: Message) -> bool:
    return message.type == "track" and message.event in RESERVED_EVENTS


@dataclass(frozen=True)
class ReservedCheck:
    errors: dict[int, FieldErrors]
    """Position in the checked sequence → why that reserved event is refused."""
    experiences: dict[uuid.UUID, ExperienceRef]


def check_reserved_events(
    connection: Connection, project_id: uuid.UUID, messages: Sequence[Message]
) -> ReservedCheck:
    """Which reserved events name an experience of the project with valid properties, and,
    where the project requires identity verification, answer as a user they can prove."""
    reserved = [(i, m) for i, m in enumerate(messages) if is_reserved(m)]
    if not reserved:
        return ReservedCheck({}, {})
    ids = {referenced_id(m.event or "", m.properties) for _, m in reserved}
    experiences = repository.load_experiences(connection, project_id, ids - {None})  # type: ignore[arg-type]
    secret = verification_secret(connection, project_id)
    errors: dict[int, FieldErrors] = {}
    for index, message in reserved:
        event = message.event or ""
        experience = experiences.get(referenced_id(event, message.properties))  # type: ignore[arg-type]
        problems = check_reserved(event, message.properties, experience)
        if not problems and secret is not None:
            problems = _unverified(message, secret)
        if problems:
            errors[index] = problems
    return ReservedCheck(errors, experiences)


def _unverified(message: Message, secret: str) -> FieldErrors:
    """An answer given as a user must carry that user's identity hash in its context."""
    if message.user_id is None:
        return {}
    presented = (message.context or {}).get("identityHash")
    if is_valid_identity_hash(
        secret, message.user_id, presented if isinstance(presented, str) else None
    ):
        return {}
    return {
        "context.identityHash": ["required by the project's identity verification for this userId"]
    }


@dataclass
class _Change:
    """One step to apply to a state: a reserved event, or an item an ordinary event ticked."""

    event: str
    properties: Mapping[str, Any]
    message: Message
    definition: Mapping[str, Any]


@dataclass(frozen=True)
class Outcome:
    """What one change did to a person's state with an experience (webhooks read these)."""

    experience: ExperienceRef
    person_id: uuid.UUID
    change: _Change
    status_before: str
    status_after: str
    response: dict[str, Any] | None
    """The typed answer stored, for ``Survey Responded``."""


@dataclass
class _Pending:
    experience: ExperienceRef
    version: int
    changes: list[_Change] = field(default_factory=list)


def project_progress(
    connection: Connection,
    project_id: uuid.UUID,
    new_messages: Sequence[Message],
    person_of: PersonOf,
    *,
    experiences: Mapping[uuid.UUID, ExperienceRef],
    now: datetime,
) -> list[Outcome]:
    """Everything newly stored events change in progress, answers and counters; what each
    change did, for the webhooks it may send."""
    tracks = sorted((m for m in new_messages if m.type == "track"), key=lambda m: m.timestamp)
    if not tracks:
        return []
    _count_event_days(connection, project_id, tracks, person_of)
    pending = _pending_changes(connection, project_id, tracks, person_of, experiences)
    if not pending:
        return []
    versions = {key: entry.version for key, entry in pending.items()}
    states = repository.lock_states(connection, project_id, versions, now)
    impressions, responses, outcomes = [], [], []
    for key, entry in pending.items():
        state = states[key]
        for change in entry.changes:
            if change.event in IMPRESSION_EVENTS:
                impressions.append(_impression(project_id, key, entry.experience, change.message))
            response = None
            if change.event == "Survey Responded":
                response = _response(project_id, key, entry.experience, change, state)
                responses.append(response)
            before = state.status
            apply_event(
                state, change.event, change.properties, change.message.timestamp, change.definition
            )
            outcomes.append(
                Outcome(entry.experience, key[1], change, before, state.status, response)
            )
    repository.save_states(connection, project_id, states, now)
    repository.insert_impressions(connection, impressions)
    repository.insert_responses(connection, responses)
    return outcomes


def _pending_changes(
    connection: Connection,
    project_id: uuid.UUID,
    tracks: Sequence[Message],
    person_of: PersonOf,
    experiences: Mapping[uuid.UUID, ExperienceRef],
) -> dict[tuple[uuid.UUID, uuid.UUID], _Pending]:
    """Per (experience, person): the changes to apply, in timestamp order."""
    pending: dict[tuple[uuid.UUID, uuid.UUID], _Pending] = {}

    def add(experience: ExperienceRef, person: uuid.UUID, version: int, change: _Change) -> None:
        entry = pending.setdefault((experience.id, person), _Pending(experience, version))
        entry.changes.append(change)

    checklists = _checklists_if_needed(connection, project_id, tracks)
    for message in tracks:
        person = person_of(message)
        if person is None:
            continue
        event, props = message.event or "", message.properties or {}
        if is_reserved(message):
            experience = experiences[referenced_id(event, props)]  # type: ignore[index]
            version = version_of(props, experience)
            add(
                experience,
                person,
                version,
                _Change(event, props, message, experience.definitions[version]),
            )
            continue
        for checklist in checklists:
            definition = checklist.definitions[checklist.version]
            for item in matching_items(definition, event, props):
                change = _Change("Checklist Item Completed", {"item": item}, message, definition)
                add(checklist, person, checklist.version, change)
    return pending


def _checklists_if_needed(
    connection: Connection, project_id: uuid.UUID, tracks: Sequence[Message]
) -> list[ExperienceRef]:
    if all(is_reserved(m) for m in tracks):
        return []
    return repository.live_checklists(connection, project_id)


def _count_event_days(
    connection: Connection, project_id: uuid.UUID, tracks: Sequence[Message], person_of: PersonOf
) -> None:
    counts: Counter[tuple[uuid.UUID, str, date]] = Counter()
    for message in tracks:
        person = person_of(message)
        if person is not None and message.event:
            counts[(person, message.event, message.timestamp.date())] += 1
    repository.add_event_days(connection, project_id, counts)


def _impression(
    project_id: uuid.UUID,
    key: tuple[uuid.UUID, uuid.UUID],
    experience: ExperienceRef,
    message: Message,
) -> dict[str, Any]:
    session = (message.properties or {}).get("sessionId") or (message.context or {}).get(
        "sessionId"
    )
    return {
        "project_id": project_id,
        "person_id": key[1],
        "experience_id": experience.id,
        "kind": experience.kind,
        "session_id": str(session)[:255] if session is not None else None,
        "message_id": message.message_id,
        "shown_at": message.timestamp,
    }


def _response(
    project_id: uuid.UUID,
    key: tuple[uuid.UUID, uuid.UUID],
    experience: ExperienceRef,
    change: _Change,
    state: State,
) -> dict[str, Any]:
    message, definition, props = change.message, change.definition, change.properties
    low, high = scale_of(experience.type, definition)
    return {
        "project_id": project_id,
        "survey_id": experience.id,
        "version": version_of(props, experience),
        "person_id": key[1],
        "message_id": message.message_id,
        "survey_type": experience.type,
        "score": int(props["score"]),
        "scale_min": low,
        "scale_max": high,
        "dimension": props.get("dimension"),
        "text": props.get("text"),
        "choices": props.get("choices"),
        "answers": props.get("answers"),
        "locale": props.get("locale"),
        "eligible": _was_due(experience, definition, state, message.timestamp),
        "responded_at": message.timestamp,
    }


def _was_due(
    experience: ExperienceRef, definition: Mapping[str, Any], state: State, at: datetime
) -> bool:
    """Whether the survey was due for this person when they answered."""
    if experience.status != "live":
        return False
    reask = (definition.get("throttle") or {}).get("reask_days", DEFAULT_REASK_DAYS)
    last = state.last_responded_at
    return last is None or at - last >= timedelta(days=reask)
