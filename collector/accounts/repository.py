"""SQL for accounts (Segment groups) and their members. Never commits."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from collector.kit.db.backends import insert_ignoring_duplicates
from collector.kit.db.models import Account, AccountMember, table_of

_accounts = table_of(Account)
_members = table_of(AccountMember)

AccountState = tuple[uuid.UUID, dict[str, Any], dict[str, str]]


def ensure_accounts(
    connection: Connection, project_id: uuid.UUID, group_ids: Collection[str], now: datetime
) -> dict[str, AccountState]:
    """Create the accounts that do not exist, then lock and return all of them.

    Creating first (skipping existing ones) and locking the rows after means two
    processes that see the same new group neither fail nor overwrite each other's traits.
    """
    ordered = sorted(group_ids)
    connection.execute(
        insert_ignoring_duplicates(connection, _accounts),
        [
            {
                "id": uuid.uuid4(),
                "project_id": project_id,
                "group_id": group_id,
                "traits": {},
                "trait_times": {},
                "created_at": now,
                "updated_at": now,
            }
            for group_id in ordered
        ],
    )
    rows = connection.execute(
        select(_accounts.c.group_id, _accounts.c.id, _accounts.c.traits, _accounts.c.trait_times)
        .where(_accounts.c.project_id == project_id, _accounts.c.group_id.in_(ordered))
        .order_by(_accounts.c.id)
        .with_for_update()
    )
    return {row.group_id: (row.id, row.traits, row.trait_times) for row in rows}


def save_account_traits(
    connection: Connection, accounts: dict[str, AccountState], now: datetime
) -> None:
    if not accounts:
        return
    connection.execute(
        update(_accounts)
        .where(_accounts.c.id == bindparam("account"))
        .values(traits=bindparam("traits"), trait_times=bindparam("times"), updated_at=now),
        [
            {"account": account_id, "traits": traits, "times": times}
            for account_id, traits, times in accounts.values()
        ],
    )


def add_members(
    connection: Connection,
    project_id: uuid.UUID,
    memberships: set[tuple[uuid.UUID, uuid.UUID]],
    now: datetime,
) -> None:
    """Add ``(account, person)`` pairs that do not exist yet."""
    if not memberships:
        return
    connection.execute(
        insert_ignoring_duplicates(connection, _members),
        [
            {"project_id": project_id, "account_id": account, "person_id": person, "joined_at": now}
            for account, person in sorted(memberships)
        ],
    )
