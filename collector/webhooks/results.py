"""Webhook endpoints, messages and delivery attempts as the webhooks service answers them.

The endpoint's secrets are never among an endpoint's keys: only creating it and rotating
its secret answer one.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, TypedDict


class Endpoint(TypedDict):
    id: uuid.UUID
    url: str
    description: str
    event_types: list[str]
    tracked_events: list[str]
    filter: str | None
    traits: dict[str, list[str]]
    enabled: bool
    disabled_reason: str | None
    failed_in_row: int
    previous_secret_expires_at: datetime | None
    created_at: datetime
    updated_at: datetime


class EndpointCreated(Endpoint):
    secret: str


class Secret(TypedDict):
    secret: str
    previous_secret_expires_at: datetime | None


class Message(TypedDict):
    id: str
    endpoint_id: uuid.UUID
    event_type: str
    status: str
    tries: int
    next_attempt_at: datetime | None
    created_at: datetime
    delivered_at: datetime | None
    payload: dict[str, Any]


class Attempt(TypedDict):
    attempted_at: datetime
    status_code: int | None
    duration_ms: int
    response_body: str | None
    error: str | None
    succeeded: bool
