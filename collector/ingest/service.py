"""Ingestion: validate a batch, then store it and its projections in one transaction.

When this returns, the accepted messages are committed: a crash afterwards loses nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine

from collector.accounts.service import apply_group_calls
from collector.db.engine import write_transaction
from collector.identity.service import apply_identify_traits, resolve_persons
from collector.ingest.messages import BatchDefaults, Message
from collector.ingest.repository import event_row, insert_events
from collector.ingest.validation import Rejection, validate_messages


@dataclass(frozen=True)
class IngestResult:
    accepted: int
    rejected: list[Rejection] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "success": True,
            "accepted": self.accepted,
            "rejected": [rejection.as_dict() for rejection in self.rejected],
        }


def store_messages(
    connection: Connection, project_id: uuid.UUID, messages: Sequence[Message], now: datetime
) -> None:
    """Events, persons, identities and accounts for valid messages; the caller commits."""
    plan = resolve_persons(connection, project_id, messages, now)
    insert_events(connection, (event_row(project_id, m, plan.person_for(m)) for m in messages))
    apply_identify_traits(connection, plan, messages, now)
    apply_group_calls(connection, project_id, plan, messages, now)


def ingest(
    engine: Engine,
    project_id: uuid.UUID,
    raw_messages: list[Any],
    *,
    defaults: BatchDefaults,
    received_at: datetime,
    forced_type: str | None = None,
) -> IngestResult:
    """Store the valid messages of a batch (retries count as accepted) and name the rest."""
    messages, rejected = validate_messages(
        raw_messages, defaults, received_at, forced_type=forced_type
    )
    if messages:
        with write_transaction(engine) as connection:
            store_messages(connection, project_id, messages, received_at)
    return IngestResult(accepted=len(messages), rejected=rejected)
