"""API keys: how they look, how they are stored, how a presented key finds its project.

A write key is public (it ships in the browser) and is stored as is. A secret key is shown
once at creation and stored only as its SHA-256: secret keys carry 256 bits of randomness,
so a fast hash is as safe as a slow one and keeps every admin request cheap.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Connection, insert, or_, select, update

from collector.kit.db.models import ApiKey, table_of

KeyKind = Literal["write", "secret"]
KEY_PREFIXES: dict[KeyKind, str] = {"write": "wk_", "secret": "sk_"}
PREFIX_LENGTH = 12
"""The first characters of a key that listings and the audit log show: enough to tell
keys apart, never enough to use one."""
_keys = table_of(ApiKey)


@dataclass(frozen=True)
class KeyOwner:
    project_id: uuid.UUID
    kind: KeyKind
    expires_at: datetime | None = None
    """When a rotated-out key stops working; None for a current key."""


def generate_key(kind: KeyKind) -> str:
    return KEY_PREFIXES[kind] + secrets.token_urlsafe(32)


def kind_of(key: str) -> KeyKind | None:
    """The kind a key's prefix announces, or None for a string no key can look like."""
    if "\x00" in key:
        return None  # never in a key, and PostgreSQL could not even look it up
    for kind, prefix in KEY_PREFIXES.items():
        if key.startswith(prefix):
            return kind
    return None


def lookup_value(key: str) -> str:
    """What the database holds for a presented key: the key, or its hash for secret keys."""
    if key.startswith(KEY_PREFIXES["secret"]):
        return hashlib.sha256(key.encode()).hexdigest()
    return key


def store_key(connection: Connection, project_id: uuid.UUID, kind: KeyKind, now: datetime) -> str:
    """Create a key for the project and return it in clear (the only time it is seen)."""
    key = generate_key(kind)
    connection.execute(
        insert(_keys).values(
            project_id=project_id,
            kind=kind,
            lookup=lookup_value(key),
            prefix=key[:PREFIX_LENGTH],
            created_at=now,
            expires_at=None,
        )
    )
    return key


def find_owner(connection: Connection, key: str, now: datetime) -> KeyOwner | None:
    """The project and kind of a key that is known and not expired, else None.

    The stored row must be of the kind the key's prefix announces: otherwise the stored
    hash of a secret key, presented as it is, would be looked up unchanged and accepted.
    """
    kind = kind_of(key)
    if kind is None:
        return None
    row = connection.execute(
        select(_keys.c.project_id, _keys.c.kind, _keys.c.expires_at).where(
            _keys.c.lookup == lookup_value(key),
            _keys.c.kind == kind,
            or_(_keys.c.expires_at.is_(None), _keys.c.expires_at > now),
        )
    ).first()
    if row is None:
        return None
    return KeyOwner(project_id=row.project_id, kind=row.kind, expires_at=row.expires_at)


def expire_current_keys(
    connection: Connection, project_id: uuid.UUID, kind: KeyKind, *, at: datetime
) -> None:
    """Give the project's live keys of this kind an end, keeping earlier, sooner ends."""
    connection.execute(
        update(_keys)
        .where(
            _keys.c.project_id == project_id,
            _keys.c.kind == kind,
            or_(_keys.c.expires_at.is_(None), _keys.c.expires_at > at),
        )
        .values(expires_at=at)
    )


def rotate_key(
    connection: Connection,
    project_id: uuid.UUID,
    kind: KeyKind,
    *,
    now: datetime,
    grace: timedelta,
) -> str:
    """Issue a new key; the old ones keep working for ``grace``, then stop."""
    expire_current_keys(connection, project_id, kind, at=now + grace)
    return store_key(connection, project_id, kind, now)
