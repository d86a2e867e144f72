"""An event as the events export answers it: Segment's field names."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, NotRequired, TypedDict


class ExportedEvent(TypedDict):
    """The keys a call type does not have are left out: ``event`` is a track call's,
    ``name`` a page or screen call's, ``groupId`` a group call's…"""

    messageId: str
    type: str
    event: NotRequired[str]
    userId: str | None
    anonymousId: str | None
    personId: uuid.UUID | None
    groupId: NotRequired[str]
    previousId: NotRequired[str]
    category: NotRequired[str]
    properties: NotRequired[dict[str, Any]]
    traits: NotRequired[dict[str, Any]]
    context: dict[str, Any]
    integrations: NotRequired[dict[str, Any]]
    timestamp: datetime
    originalTimestamp: NotRequired[datetime]
    sentAt: NotRequired[datetime]
    receivedAt: datetime
    name: NotRequired[str]
