"""An audit log entry as the audit route answers it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict


class AuditEntry(TypedDict):
    actor: str
    action: str
    target: str | None
    details: dict[str, Any]
    at: datetime
