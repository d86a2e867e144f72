"""A person as the persons service answers it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, TypedDict


class PersonIdentity(TypedDict):
    id: str
    kind: str


class AccountRef(TypedDict):
    groupId: str
    traits: dict[str, Any]


class PersonDetail(TypedDict):
    id: uuid.UUID
    userId: str | None
    traits: dict[str, Any]
    identities: list[PersonIdentity]
    accounts: list[AccountRef]
    createdAt: datetime
    updatedAt: datetime
