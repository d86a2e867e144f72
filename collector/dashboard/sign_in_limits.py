"""Sign-in rate limit: failed attempts counted per account and per client address.

Counted in the database, so every worker process and host sees the same numbers. Past
the limit, even the right password is refused until the window has moved on, which is
what makes guessing slow; a successful sign-in clears the account's count.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, func, insert, select

from collector.kit.db.models import DashboardLoginFailure, table_of
from collector.kit.errors import RateLimited

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 30
"""Higher: an office behind one address has many people who mistype."""
_failures = table_of(DashboardLoginFailure)


def _oldest_recent_failure(
    connection: Connection, scope: str, key: str, limit: int, now: datetime
) -> datetime | None:
    """When the window frees a slot, if ``key`` has ``limit`` recent failures; else None."""
    recent = connection.execute(
        select(func.count(), func.min(_failures.c.at)).where(
            _failures.c.scope == scope, _failures.c.key == key, _failures.c.at > now - WINDOW
        )
    ).one()
    count, oldest = recent
    return oldest if count >= limit else None


def check_allowed(connection: Connection, email: str, address: str, *, now: datetime) -> None:
    """Refuse with 429 and ``Retry-After`` while the account or the address is locked out."""
    for scope, key, limit in (
        ("email", email, MAX_FAILURES_PER_ACCOUNT),
        ("ip", address, MAX_FAILURES_PER_ADDRESS),
    ):
        oldest = _oldest_recent_failure(connection, scope, key, limit, now)
        if oldest is not None:
            wait = max(1, math.ceil((oldest + WINDOW - now).total_seconds()))
            raise RateLimited(
                "too many failed sign-ins; try again later",
                headers={"Retry-After": str(wait)},
            )


def record_failure(connection: Connection, email: str, address: str, *, now: datetime) -> None:
    connection.execute(
        insert(_failures),
        [
            {"scope": "email", "key": email, "at": now},
            {"scope": "ip", "key": address, "at": now},
        ],
    )
    connection.execute(delete(_failures).where(_failures.c.at <= now - WINDOW))


def clear_failures(connection: Connection, email: str) -> None:
    connection.execute(
        delete(_failures).where(_failures.c.scope == "email", _failures.c.key == email)
    )
