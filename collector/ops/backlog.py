"""The webhook outbox as a scrape sees it: how many messages wait, and since when.

Read when ``/metrics`` is asked for (one indexed query), rather than by every worker on a
timer, so the figure is as fresh as the scrape.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, func, select

from collector.kit.db.engine import read_transaction
from collector.kit.db.models import WebhookMessage, table_of
from collector.kit.metrics import record_outbox

_messages = table_of(WebhookMessage)


def observe_outbox(engine: Engine, now: datetime | None = None) -> tuple[int, float]:
    """Pending messages and the age in seconds of the oldest; reported to the gauges."""
    with read_transaction(engine) as connection:
        depth, oldest = connection.execute(
            select(func.count(), func.min(_messages.c.created_at)).where(
                _messages.c.status == "pending"
            )
        ).one()
    moment = now or datetime.now(UTC)
    lag = 0.0 if oldest is None else max(0.0, (moment - _aware(oldest)).total_seconds())
    record_outbox(int(depth), lag)
    return int(depth), lag


def _aware(moment: datetime) -> datetime:
    """SQLite gives an aggregate's datetime back as text or naive; it was stored as UTC."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
