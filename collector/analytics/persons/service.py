"""A person as the admin API shows them: traits, every id, the accounts they belong to."""

from __future__ import annotations

import uuid

from sqlalchemy import Engine, select

from collector.analytics.persons.results import PersonDetail
from collector.identity.repository import resolve_person_id
from collector.kit.db.engine import read_transaction
from collector.kit.db.models import Account, AccountMember, Identity, Person, table_of
from collector.kit.errors import NotFound

_persons = table_of(Person)
_identities = table_of(Identity)
_accounts = table_of(Account)
_members = table_of(AccountMember)


def get_person(engine: Engine, project_id: uuid.UUID, key: str) -> PersonDetail:
    with read_transaction(engine) as connection:
        person_id = resolve_person_id(connection, project_id, key)
        person = (
            None
            if person_id is None
            else connection.execute(select(_persons).where(_persons.c.id == person_id)).first()
        )
        if person is None:
            raise NotFound(f"no person with id {key!r} in this project")
        identities = connection.execute(
            select(_identities.c.distinct_id, _identities.c.kind)
            .where(_identities.c.person_id == person.id)
            .order_by(_identities.c.id)
        ).all()
        accounts = connection.execute(
            select(_accounts.c.group_id, _accounts.c.traits)
            .join(_members, _members.c.account_id == _accounts.c.id)
            .where(_members.c.person_id == person.id)
            .order_by(_members.c.joined_at, _accounts.c.group_id)
        ).all()
    return {
        "id": person.id,
        "userId": person.user_id,
        "traits": person.traits,
        "identities": [{"id": row.distinct_id, "kind": row.kind} for row in identities],
        "accounts": [{"groupId": row.group_id, "traits": row.traits} for row in accounts],
        "createdAt": person.created_at,
        "updatedAt": person.updated_at,
    }
