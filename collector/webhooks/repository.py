"""SQL for webhook endpoints, the outbox and delivery attempts. Never commits."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    Select,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    true,
    update,
)

from collector.kit.db.backends import backend_of
from collector.kit.db.models import (
    Account,
    AccountMember,
    Experience,
    Person,
    WebhookAttempt,
    WebhookEndpoint,
    WebhookMessage,
    table_of,
)

endpoints = table_of(WebhookEndpoint)
messages = table_of(WebhookMessage)
attempts = table_of(WebhookAttempt)
_persons = table_of(Person)
_accounts = table_of(Account)
_members = table_of(AccountMember)
_experiences = table_of(Experience)


def enabled_endpoints(connection: Connection, project_id: uuid.UUID) -> list[Row[Any]]:
    return list(
        connection.execute(
            select(endpoints)
            .where(endpoints.c.project_id == project_id, endpoints.c.enabled.is_(True))
            .order_by(endpoints.c.created_at, endpoints.c.id)
        )
    )


def persons(connection: Connection, person_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Any]:
    if not person_ids:
        return {}
    rows = connection.execute(
        select(_persons.c.id, _persons.c.user_id, _persons.c.traits).where(
            _persons.c.id.in_(sorted(person_ids))
        )
    )
    return {row.id: row for row in rows}


def accounts_of(connection: Connection, person_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Any]:
    """Each person's first account (the one they joined first), when they have one."""
    if not person_ids:
        return {}
    rows = connection.execute(
        select(_members.c.person_id, _accounts.c.id, _accounts.c.group_id, _accounts.c.traits)
        .join(_accounts, _accounts.c.id == _members.c.account_id)
        .where(_members.c.person_id.in_(sorted(person_ids)))
        .order_by(_members.c.joined_at.desc(), _members.c.id.desc())
    )
    return {row.person_id: row for row in rows}


def experience_names(connection: Connection, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = connection.execute(
        select(_experiences.c.id, _experiences.c.name).where(_experiences.c.id.in_(sorted(ids)))
    )
    return {row.id: row.name for row in rows}


MESSAGE_COLUMNS = (
    "project_id",
    "endpoint_id",
    "webhook_id",
    "event_type",
    "payload",
    "status",
    "tries",
    "next_attempt_at",
    "created_at",
)


def insert_messages(connection: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """New pending messages, written in bulk: ingestion pays for these on every batch."""
    backend = backend_of(connection)
    values = backend.values
    uuid_, json, time = values.bind_uuid, values.bind_json, values.bind_time
    tuples = [
        (
            uuid_(row["project_id"]),
            uuid_(row["endpoint_id"]),
            row["webhook_id"],
            row["event_type"],
            json(row["payload"]),
            "pending",
            0,
            time(row["created_at"]),
            time(row["created_at"]),
        )
        for row in rows
    ]
    backend.insert_many_ignoring_duplicates(connection, messages, MESSAGE_COLUMNS, tuples)


def without_waiting_for_disk(connection: Connection) -> None:
    """Commit the worker's bookkeeping without waiting for the disk.

    Safe because no webhook depends on it: the message itself was committed durably with
    its event. A database crash can only forget a claim (the message is claimed again) or a
    try (it is sent again, and receivers de-duplicate by ``webhook-id``), so delivery stays
    at least once while a worker's commits no longer each wait for an fsync.
    """
    backend_of(connection).without_waiting_for_disk(connection)


@dataclass(frozen=True)
class ClaimShare:
    """How much one claim takes: messages in all, per endpoint (more of the ``fast`` ones,
    which answer quickly), and endpoints left out (those the worker holds enough of)."""

    total: int
    per_endpoint: int
    skipped: frozenset[uuid.UUID] = frozenset()
    fast: frozenset[uuid.UUID] = frozenset()
    per_fast_endpoint: int = 0

    @classmethod
    def oldest(cls, total: int) -> ClaimShare:
        """The oldest ``total`` due messages, of whichever endpoints."""
        return cls(total, total)

    def of(self, endpoint_id: uuid.UUID) -> int:
        return self.per_fast_endpoint if endpoint_id in self.fast else self.per_endpoint

    def limit_for(self, endpoint_id: Any) -> Any:
        """Each endpoint's part, as SQL over an endpoint id column."""
        if not self.fast:
            return literal(self.per_endpoint)
        fast = endpoint_id.in_(sorted(self.fast))
        return case((fast, self.per_fast_endpoint), else_=self.per_endpoint)


def due_messages(now: datetime, share: ClaimShare, *, skip_locked: bool) -> Select[Any]:
    """Up to ``share.of(endpoint)`` pending messages of each enabled endpoint whose time has
    come and that no live lease holds, oldest first; the oldest ``share.total`` of those.

    Taking a few per endpoint means an endpoint with a long backlog cannot fill a claim and
    hide the other endpoints' messages behind its own. With ``skip_locked`` (claimers
    running side by side), each claim locks its messages and skips those another holds.
    """
    wanted = [endpoints.c.enabled.is_(True)]
    if share.skipped:
        wanted.append(endpoints.c.id.not_in(sorted(share.skipped)))
    if skip_locked:
        return _due_skipping_locked(now, share, wanted)
    return _due_ranked(now, share, wanted)


def _is_due(table: Any, now: datetime) -> list[Any]:
    return [
        table.c.status == "pending",
        table.c.next_attempt_at <= now,
        or_(table.c.lease_until.is_(None), table.c.lease_until < now),
    ]


def _due_skipping_locked(now: datetime, share: ClaimShare, wanted: list[Any]) -> Select[Any]:
    """Each endpoint's oldest messages in a ``LATERAL`` lookup (index on endpoint, status and
    next try). ``SKIP LOCKED`` in each lookup lets several workers claim side by side: each
    skips the rows another is claiming instead of waiting for them. (``FOR UPDATE`` is
    refused beside a window function, hence not the ranked form.)"""
    due = messages.alias("due")
    picked = (
        select(due.c.id, due.c.next_attempt_at)
        .where(due.c.endpoint_id == endpoints.c.id, *_is_due(due, now))
        .order_by(due.c.next_attempt_at, due.c.id)
        .limit(share.limit_for(endpoints.c.id))
        .with_for_update(skip_locked=True, of=due)
        .lateral("picked")
    )
    return (
        select(picked.c.id)
        .select_from(endpoints.join(picked, true()))
        .where(*wanted)
        .order_by(picked.c.next_attempt_at, picked.c.id)
        .limit(share.total)
    )


def _due_ranked(now: datetime, share: ClaimShare, wanted: list[Any]) -> Select[Any]:
    """Due messages numbered within their endpoint, for a database with one writer at a
    time (SQLite, which has no ``LATERAL``): nothing else claims meanwhile and no row
    locks are needed."""
    place = func.row_number().over(
        partition_by=messages.c.endpoint_id, order_by=(messages.c.next_attempt_at, messages.c.id)
    )
    ranked = (
        select(
            messages.c.id,
            messages.c.next_attempt_at,
            place.label("place"),
            share.limit_for(messages.c.endpoint_id).label("part"),
        )
        .join(endpoints, endpoints.c.id == messages.c.endpoint_id)
        .where(*wanted, *_is_due(messages, now))
        .subquery("ranked")
    )
    return (
        select(ranked.c.id)
        .where(ranked.c.place <= ranked.c.part)
        .order_by(ranked.c.next_attempt_at, ranked.c.id)
        .limit(share.total)
    )


@dataclass(frozen=True)
class ClaimedMessage:
    """A message leased to a worker, with what sending it needs from its endpoint."""

    id: int
    project_id: uuid.UUID
    endpoint_id: uuid.UUID
    webhook_id: str
    event_type: str
    payload: dict[str, Any]
    tries: int
    url: str
    secret: str
    previous_secret: str | None
    previous_secret_expires_at: datetime | None


_CLAIMED = (
    messages.c.id,
    messages.c.project_id,
    messages.c.endpoint_id,
    messages.c.webhook_id,
    messages.c.event_type,
    messages.c.payload,
    messages.c.tries,
)
_TARGET = (
    endpoints.c.id,
    endpoints.c.url,
    endpoints.c.secret,
    endpoints.c.previous_secret,
    endpoints.c.previous_secret_expires_at,
)


def claim(
    connection: Connection, now: datetime, lease_until: datetime, token: str, share: ClaimShare
) -> list[ClaimedMessage]:
    """Take due messages under a lease, as much as ``share`` allows, in one statement."""
    due = due_messages(now, share, skip_locked=backend_of(connection).skips_locked_rows)
    taken = connection.execute(
        update(messages)
        .where(messages.c.id.in_(due))
        .values(lease_until=lease_until, claim_token=token)
        .returning(*_CLAIMED)
    ).all()
    if not taken:
        return []
    wanted = sorted({row.endpoint_id for row in taken})
    targets = {
        row.id: row
        for row in connection.execute(select(*_TARGET).where(endpoints.c.id.in_(wanted)))
    }
    return sorted(
        (_claimed(row, targets[row.endpoint_id]) for row in taken), key=lambda message: message.id
    )


def _claimed(row: Any, target: Any) -> ClaimedMessage:
    return ClaimedMessage(
        **row._asdict(),
        url=target.url,
        secret=target.secret,
        previous_secret=target.previous_secret,
        previous_secret_expires_at=target.previous_secret_expires_at,
    )


ATTEMPT_COLUMNS = (
    "project_id",
    "message_id",
    "endpoint_id",
    "attempted_at",
    "duration_ms",
    "status_code",
    "response_body",
    "error",
    "succeeded",
)


def insert_attempts(connection: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Attempts, written in bulk: a worker records its tries a batch at a time."""
    backend = backend_of(connection)
    values = backend.values
    tuples = [
        (
            values.bind_uuid(row["project_id"]),
            row["message_id"],
            values.bind_uuid(row["endpoint_id"]),
            values.bind_time(row["attempted_at"]),
            *(row[name] for name in ATTEMPT_COLUMNS[4:]),
        )
        for row in rows
    ]
    backend.insert_many_ignoring_duplicates(connection, attempts, ATTEMPT_COLUMNS, tuples)


def settle(connection: Connection, message_id: int, token: str, values: dict[str, Any]) -> bool:
    """Record a try's result on its message, if this worker's claim still holds it."""
    result = connection.execute(
        update(messages)
        .where(messages.c.id == message_id, messages.c.claim_token == token)
        .values(lease_until=None, claim_token=None, **values)
    )
    return result.rowcount == 1


def release(connection: Connection, message_ids: Sequence[int], token: str) -> None:
    """End this claim's lease on messages it did not send."""
    connection.execute(
        update(messages)
        .where(messages.c.id.in_(message_ids), messages.c.claim_token == token)
        .values(lease_until=None, claim_token=None)
    )


def settle_delivered(
    connection: Connection, message_ids: Sequence[int], token: str, now: datetime
) -> list[uuid.UUID]:
    """Mark delivered the messages this claim still holds; the endpoint of each."""
    result = connection.execute(
        update(messages)
        .where(messages.c.id.in_(message_ids), messages.c.claim_token == token)
        .values(
            status="delivered",
            tries=messages.c.tries + 1,
            delivered_at=now,
            next_attempt_at=None,
            lease_until=None,
            claim_token=None,
        )
        .returning(messages.c.endpoint_id)
    )
    return list(result.scalars())


def count_failure(connection: Connection, endpoint_id: uuid.UUID, limit: int) -> bool:
    """One more message given up; disables the endpoint at ``limit``. Whether it just was."""
    connection.execute(
        update(endpoints)
        .where(endpoints.c.id == endpoint_id)
        .values(failed_in_row=endpoints.c.failed_in_row + 1)
    )
    result = connection.execute(
        update(endpoints)
        .where(
            endpoints.c.id == endpoint_id,
            endpoints.c.enabled.is_(True),
            endpoints.c.failed_in_row >= limit,
        )
        .values(enabled=False, disabled_reason=f"{limit} messages in a row failed")
    )
    return result.rowcount == 1


def reset_failures(connection: Connection, endpoint_id: uuid.UUID) -> None:
    connection.execute(
        update(endpoints)
        .where(endpoints.c.id == endpoint_id, endpoints.c.failed_in_row != 0)
        .values(failed_in_row=0)
    )


def requeue(connection: Connection, project_id: uuid.UUID, now: datetime, *conditions: Any) -> int:
    """Send matching messages again from the first try (replay); how many there were."""
    result = connection.execute(
        update(messages)
        .where(messages.c.project_id == project_id, and_(*conditions))
        .values(status="pending", tries=0, next_attempt_at=now, delivered_at=None)
    )
    return int(result.rowcount)
