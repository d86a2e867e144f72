"""Claiming due messages, sending them signed, and recording what happened.

A claim is a short transaction that stamps messages with a lease and this claim's token.
The POST happens outside any transaction; its result is settled in another one, which
records the attempt and moves the message on only while the token still holds it. A
worker that dies mid-delivery leaves its lease to expire, and the message is claimed
again: delivered at least once, and the ``webhook-id`` lets receivers de-duplicate.
"""

from __future__ import annotations

import logging
import random
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, Engine

from collector.kit.db.engine import write_transaction
from collector.kit.metrics import record_delivery
from collector.kit.webhook_settings import WebhookSettings
from collector.webhooks import repository
from collector.webhooks.repository import ClaimedMessage, ClaimShare
from collector.webhooks.schedule import next_delay, parse_retry_after
from collector.webhooks.sender import Sender, SendResult
from collector.webhooks.signing import signature_headers

logger = logging.getLogger("waypost.webhooks")


@dataclass(frozen=True)
class Delivery:
    """What the worker needs to deliver: the settings and how to send."""

    settings: WebhookSettings
    sender: Sender
    rng: random.Random = field(default_factory=random.Random)

    @classmethod
    def from_settings(cls, settings: WebhookSettings) -> Delivery:
        sender = Sender(
            timeout=settings.timeout_seconds, allow_private=settings.allow_private_targets
        )
        return cls(settings, sender)


NO_LEASE = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Claimed:
    token: str
    rows: list[ClaimedMessage]
    lease_until: datetime = NO_LEASE
    """When the lease of these rows ends: no try may start after it is nearly over."""


def claim_due(engine: Engine, delivery: Delivery, share: ClaimShare | int) -> Claimed:
    """Due messages leased to this claim: as ``share`` allows, or the oldest ``share``."""
    if isinstance(share, int):
        share = ClaimShare.oldest(share)
    token = secrets.token_hex(16)
    now = datetime.now(UTC)
    lease_until = now + timedelta(seconds=delivery.settings.lease_seconds)
    with write_transaction(engine) as connection:
        repository.without_waiting_for_disk(connection)
        rows = repository.claim(connection, now, lease_until, token, share)
    return Claimed(token, rows, lease_until)


def release(engine: Engine, unsent: Sequence[tuple[ClaimedMessage, str]]) -> None:
    """Hand claimed messages back unsent, for any worker to claim at once."""
    by_token: dict[str, list[int]] = {}
    for row, token in unsent:
        by_token.setdefault(token, []).append(row.id)
    with write_transaction(engine) as connection:
        repository.without_waiting_for_disk(connection)
        for token, ids in by_token.items():
            repository.release(connection, ids, token)


def signing_secrets(row: ClaimedMessage, now: datetime) -> list[str]:
    """The endpoint's secret, and the one it replaced while its grace period lasts."""
    found = [row.secret]
    expires = row.previous_secret_expires_at
    if row.previous_secret and expires is not None and expires > now:
        found.append(row.previous_secret)
    return found


@dataclass(frozen=True)
class Sent:
    """One try, made and not yet recorded."""

    row: ClaimedMessage
    token: str
    result: SendResult
    at: datetime


def send(delivery: Delivery, row: ClaimedMessage, token: str) -> Sent:
    """POST one claimed message, signed with the endpoint's current secrets."""
    at = datetime.now(UTC)
    body = orjson.dumps(row.payload)
    headers = signature_headers(signing_secrets(row, at), row.webhook_id, int(time.time()), body)
    return Sent(row, token, delivery.sender.post(row.url, body, headers), at)


def settle(engine: Engine, delivery: Delivery, tries: Sequence[Sent]) -> None:
    """Record tries in one transaction: each attempt, and each message delivered, due again
    later, or failed. A message whose claim expired meanwhile keeps the state its new
    claimant gives it; its attempt is recorded all the same."""
    now = datetime.now(UTC)
    delivered: dict[str, list[int]] = {}
    for sent in tries:
        if sent.result.succeeded:
            delivered.setdefault(sent.token, []).append(sent.row.id)
    with write_transaction(engine) as connection:
        repository.without_waiting_for_disk(connection)
        repository.insert_attempts(connection, [_attempt_row(sent) for sent in tries])
        for sent in tries:
            if not sent.result.succeeded:
                _settle_failure(connection, delivery, sent, now)
        endpoints = {
            endpoint_id
            for token, ids in delivered.items()
            for endpoint_id in repository.settle_delivered(connection, ids, token, now)
        }
        for endpoint_id in sorted(endpoints):
            repository.reset_failures(connection, endpoint_id)
    for sent in tries:
        record_delivery("succeeded" if sent.result.succeeded else "failed")


def deliver(engine: Engine, delivery: Delivery, row: ClaimedMessage, token: str) -> SendResult:
    """Send one claimed message and record its try."""
    sent = send(delivery, row, token)
    settle(engine, delivery, [sent])
    return sent.result


def _settle_failure(connection: Connection, delivery: Delivery, sent: Sent, now: datetime) -> None:
    """Schedule the next try, or mark the message failed after the last one."""
    row, token = sent.row, sent.token
    tries = row.tries + 1
    retry_after = parse_retry_after(sent.result.retry_after, now)
    delay = next_delay(
        delivery.settings.retry_schedule, tries, retry_after=retry_after, rng=delivery.rng
    )
    if delay is not None:
        due = now + timedelta(seconds=delay)
        repository.settle(connection, row.id, token, {"tries": tries, "next_attempt_at": due})
        return
    failed = {"status": "failed", "tries": tries, "next_attempt_at": None}
    if repository.settle(connection, row.id, token, failed):
        _count_failure(connection, row, delivery.settings.disable_after)


def _count_failure(connection: Connection, row: ClaimedMessage, limit: int) -> None:
    if repository.count_failure(connection, row.endpoint_id, limit):
        logger.warning(
            "webhook.endpoint_disabled endpoint=%s project=%s reason=%d messages in a row failed",
            row.endpoint_id,
            row.project_id,
            limit,
        )


def _attempt_row(sent: Sent) -> dict[str, Any]:
    row, result = sent.row, sent.result
    return {
        "project_id": row.project_id,
        "message_id": row.id,
        "endpoint_id": row.endpoint_id,
        "attempted_at": sent.at,
        "duration_ms": result.duration_ms,
        "status_code": result.status_code,
        "response_body": result.body,
        "error": result.error,
        "succeeded": result.succeeded,
    }
