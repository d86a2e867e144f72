"""Resolving a batch's ids to persons and keeping person traits, inside the ingest unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection

from collector.identity import repository
from collector.identity.resolution import IdentityPlan, distinct_ids, plan_identities
from collector.identity.traits import combine, merge_traits
from collector.kit.messages import Message
from collector.progress.repository import move_progress


def resolve_persons(
    connection: Connection, project_id: uuid.UUID, messages: Sequence[Message], now: datetime
) -> IdentityPlan:
    """Create, link and merge persons so that every message's ids resolve; return the plan."""
    ids = distinct_ids(messages)
    plan = plan_identities(messages, repository.load_known(connection, project_id, ids))
    if repository.lock_identities(connection, project_id, exclusive=plan.changes_anything):
        # Decide under the lock: another process may have changed these ids meanwhile.
        plan = plan_identities(messages, repository.load_known(connection, project_id, ids))
    _write_plan(connection, project_id, plan, _first_seen(plan, messages, now), now)
    return plan


def _first_seen(
    plan: IdentityPlan, messages: Sequence[Message], now: datetime
) -> dict[uuid.UUID, datetime]:
    """When each new person was first seen: their earliest message (imports keep history)."""
    new = set(plan.new_persons)
    seen = dict.fromkeys(new, now)
    for message in messages:
        person = plan.person_for(message)
        if person in new and message.timestamp < seen[person]:
            seen[person] = message.timestamp
    return seen


def _write_plan(
    connection: Connection,
    project_id: uuid.UUID,
    plan: IdentityPlan,
    first_seen: dict[uuid.UUID, datetime],
    now: datetime,
) -> None:
    new_persons = {
        person: (plan.user_of.get(person), first_seen[person]) for person in plan.new_persons
    }
    repository.insert_persons(connection, project_id, new_persons, now)
    for loser, survivor in plan.merges:
        _merge_traits(connection, loser=loser, survivor=survivor, now=now)
        move_progress(connection, project_id, loser=loser, survivor=survivor)
        repository.move_person(connection, project_id, loser=loser, survivor=survivor)
    repository.insert_identities(connection, project_id, plan.new_identities, now)
    repository.set_user_ids(connection, plan.newly_identified, now)


def _merge_traits(
    connection: Connection, *, loser: uuid.UUID, survivor: uuid.UUID, now: datetime
) -> None:
    traits = repository.lock_traits(connection, [loser, survivor])
    if loser in traits and survivor in traits:
        repository.save_traits(
            connection, {survivor: combine(traits[loser], traits[survivor])}, now
        )


def identified_persons(plan: IdentityPlan) -> dict[uuid.UUID, str]:
    """Persons this batch made known by a user id: new ones created with one, and anonymous
    ones that now carry one (``person.identified`` webhooks)."""
    created = {p: user for p in plan.new_persons if (user := plan.user_of.get(p)) is not None}
    return {**created, **plan.newly_identified}


def apply_identify_traits(
    connection: Connection, plan: IdentityPlan, messages: Sequence[Message], now: datetime
) -> None:
    """Merge the traits of ``identify`` calls into their persons, newest timestamp first."""
    updates = [
        (person, message)
        for message in messages
        if message.type == "identify" and message.traits
        if (person := plan.person_for(message)) is not None
    ]
    if not updates:
        return
    current = repository.lock_traits(connection, {person for person, _ in updates})
    for person, message in updates:
        values, times = current.get(person, ({}, {}))
        current[person] = merge_traits(values, times, message.traits or {}, message.timestamp)
    repository.save_traits(connection, current, now)
