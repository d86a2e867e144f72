"""Writing and reading the audit log. Never commits: the caller's unit of work does, so an
entry exists exactly when the change it describes does."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, insert, select

from collector.kit.db.models import AuditEntry, table_of

_audit = table_of(AuditEntry)
MAX_TARGET_LENGTH = 255


def record(
    connection: Connection,
    project_id: uuid.UUID,
    *,
    actor: str,
    action: str,
    target: str | None,
    details: dict[str, Any],
    at: datetime,
) -> None:
    connection.execute(
        insert(_audit).values(
            project_id=project_id,
            actor=actor,
            action=action,
            target=target[:MAX_TARGET_LENGTH] if target else None,
            details=details,
            at=at,
        )
    )


def entries_page(project_id: uuid.UUID, *, after_id: int, limit: int) -> Select[Any]:
    return (
        select(_audit)
        .where(_audit.c.project_id == project_id, _audit.c.id > after_id)
        .order_by(_audit.c.id)
        .limit(limit)
    )
