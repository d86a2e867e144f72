"""What delivery answers the SDK, and what ``explain`` answers support.

A delivered experience is its content resolved to the person's locale: its keys are
those of its type's definition, so it stays a plain mapping here.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypedDict

from collector.targeting.facts import Reason


class FlowProgress(TypedDict):
    status: str
    step: str | None
    completed_items: list[str]


class Delivery(TypedDict):
    flows: list[dict[str, Any]]
    surveys: list[dict[str, Any]]


class Explained(TypedDict):
    id: uuid.UUID
    kind: str
    type: str
    name: str
    eligible: bool
    reason: Reason | None
    rule: Mapping[str, Any] | None
    until: datetime | None


class EligibilityReport(TypedDict):
    person_id: uuid.UUID
    experiences: list[Explained]
