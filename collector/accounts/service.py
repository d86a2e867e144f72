"""``group`` calls: the account exists with its latest traits, and the caller belongs to it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection

from collector.accounts import repository
from collector.identity.resolution import IdentityPlan
from collector.identity.traits import merge_traits
from collector.kit.messages import Message


def apply_group_calls(
    connection: Connection,
    project_id: uuid.UUID,
    plan: IdentityPlan,
    messages: Sequence[Message],
    now: datetime,
) -> None:
    calls = [m for m in messages if m.type == "group" and m.group_id]
    if not calls:
        return
    accounts = repository.ensure_accounts(
        connection, project_id, {m.group_id for m in calls if m.group_id}, now
    )
    changed: dict[str, repository.AccountState] = {}
    memberships: set[tuple[uuid.UUID, uuid.UUID]] = set()
    for message in calls:
        group_id = message.group_id or ""
        account_id, traits, times = accounts[group_id]
        if message.traits:
            traits, times = merge_traits(traits, times, message.traits, message.timestamp)
            accounts[group_id] = changed[group_id] = (account_id, traits, times)
        person = plan.person_for(message)
        if person is not None:
            memberships.add((account_id, person))
    repository.save_account_traits(connection, changed, now)
    repository.add_members(connection, project_id, memberships, now)
