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
from collector.identity.service import (
    apply_identify_traits,
    identified_persons,
    resolve_persons,
)
from collector.ingest.repository import insert_events
from collector.ingest.results import IngestAnswer
from collector.ingest.validation import Rejection, validate_messages
from collector.kit.db.engine import write_transaction
from collector.kit.messages import BatchDefaults, Message
from collector.kit.metrics import record_duplicates, record_ingested
from collector.privacy.suppression import screen_messages
from collector.progress.service import check_reserved_events, project_progress
from collector.webhooks.outbox import record_ingest

MAX_LISTED_REJECTIONS = 1000
"""A 500 KB batch of empty objects would otherwise answer 20 MB of rejections."""


@dataclass(frozen=True)
class IngestResult:
    accepted: int
    rejected: list[Rejection] = field(default_factory=list)
    suppressed: int = 0
    """Valid messages of erased-and-suppressed ids, dropped on purpose and counted."""

    def as_dict(self) -> IngestAnswer:
        """The batch answer; past the first thousand rejections only their count is given."""
        answer: IngestAnswer = {
            "success": True,
            "accepted": self.accepted,
            "rejected": [r.as_dict() for r in self.rejected[:MAX_LISTED_REJECTIONS]],
        }
        if len(self.rejected) > MAX_LISTED_REJECTIONS:
            answer["rejected_count"] = len(self.rejected)
        if self.suppressed:
            answer["suppressed"] = self.suppressed
        return answer


def store_messages(
    connection: Connection, project_id: uuid.UUID, messages: Sequence[Message], now: datetime
) -> list[Rejection]:
    """Events and every projection of valid messages; the caller commits.

    Reserved events naming an unknown experience, or with properties it refuses, are
    refused here (they need the database to be judged) and nothing of them is stored.
    """
    check = check_reserved_events(connection, project_id, messages)
    refused = [
        Rejection(messages[i].index, messages[i].message_id, errors)
        for i, errors in check.errors.items()
    ]
    kept = [m for i, m in enumerate(messages) if i not in check.errors]
    if not kept:
        return refused
    plan = resolve_persons(connection, project_id, kept, now)
    fresh = insert_events(connection, project_id, kept, [plan.person_for(m) for m in kept])
    record_duplicates(len(kept) - len(fresh))
    apply_identify_traits(connection, plan, kept, now)
    apply_group_calls(connection, project_id, plan, kept, now)
    outcomes = project_progress(
        connection, project_id, fresh, plan.person_for, experiences=check.experiences, now=now
    )
    record_ingest(
        connection,
        project_id,
        fresh=fresh,
        person_of=plan.person_for,
        outcomes=outcomes,
        identified=identified_persons(plan),
        now=now,
    )
    return refused


def ingest(
    engine: Engine,
    project_id: uuid.UUID,
    raw_messages: list[Any],
    *,
    defaults: BatchDefaults,
    received_at: datetime,
    forced_type: str | None = None,
    client_ip: str | None = None,
) -> IngestResult:
    """Store the valid messages of a batch (retries count as accepted) and name the rest.

    ``client_ip`` is the request's address, stored only if the project keeps addresses.
    """
    messages, rejected = validate_messages(
        raw_messages, defaults, received_at, forced_type=forced_type
    )
    if not messages:
        record_ingested(0, 0, rejected, 0)
        return IngestResult(accepted=0, rejected=rejected)
    with write_transaction(engine) as connection:
        screened = screen_messages(connection, project_id, messages, client_ip)
        refused = store_messages(connection, project_id, screened.kept, received_at)
    rejected = sorted([*rejected, *refused], key=lambda rejection: rejection.index)
    record_ingested(len(messages), len(screened.kept) - len(refused), rejected, screened.suppressed)
    return IngestResult(
        accepted=len(screened.kept) - len(refused),
        rejected=rejected,
        suppressed=screened.suppressed,
    )
