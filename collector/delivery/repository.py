"""Core queries of the eligibility report that ``loading`` does not cover. Reads only."""

from __future__ import annotations

import uuid

from sqlalchemy import Connection, select

from collector.kit.db.models import Identity, table_of

_identities = table_of(Identity)


def anonymous_id(connection: Connection, person_id: uuid.UUID) -> str | None:
    """The first anonymous id a person was seen with (a visitor has exactly one)."""
    found: str | None = connection.execute(
        select(_identities.c.distinct_id)
        .where(_identities.c.person_id == person_id, _identities.c.kind == "anonymous")
        .order_by(_identities.c.id)
        .limit(1)
    ).scalar()
    return found
