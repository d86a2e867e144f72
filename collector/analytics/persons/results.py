"""A person as the persons service answers it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
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


Rows = Sequence[Mapping[str, Any]]
"""A table's rows of the person, as stored but for the ids that only mean something here."""


class PersonExport(TypedDict):
    exported_at: datetime
    person: PersonDetail
    events: Rows
    survey_responses: Rows
    experience_states: Rows
    impressions: Rows
    person_event_days: Rows
    account_members: Rows
    webhook_messages: Rows
