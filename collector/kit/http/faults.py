"""When the database fails: 503 with a clear error, never a 500, and never an answer that
claims something was stored when it was not (the failing transaction rolled back).

A lost PostgreSQL connection, a server restarting, a pool with no free connection, or a
SQLite disk that is full are the service being unavailable, not a bug: clients (every
Segment SDK, Waypost's own) retry a 503 later, and the collector recovers by itself when
the database is back (the pool checks connections before using them). A connection lost
during a commit leaves its outcome unknown to the collector; the 503 says so, and the
retry is stored once thanks to its ``messageId``.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.requests import Request
from starlette.responses import Response

from collector.kit.errors import WaypostError
from collector.kit.http.error_handlers import handle_unexpected, render

RETRY_AFTER_SECONDS = "5"
logger = logging.getLogger("waypost.faults")


class ServiceUnavailable(WaypostError):
    status = 503
    code = "unavailable"


def describe(exc: Exception) -> str:
    """What failed, in words a client can act on."""
    reason = str(getattr(exc, "orig", exc)).lower()
    if "full" in reason:
        return "the database's disk is full; nothing of this request was stored"
    if isinstance(exc, PoolTimeout):
        return "every database connection is busy; nothing of this request was stored"
    # The connection may have dropped during the commit, which then may or may not have
    # happened: the answer cannot say "not stored", only that a retry is safe.
    return "the database is unreachable; retry later (a retried messageId is stored once)"


async def handle_database_unavailable(request: Request, exc: Exception) -> Response:
    logger.warning("database unavailable on %s: %s", request.method, exc.__class__.__name__)
    return render(ServiceUnavailable(describe(exc), headers={"Retry-After": RETRY_AFTER_SECONDS}))


async def handle_dbapi_error(request: Request, exc: Exception) -> Response:
    """A lost connection surfaces as any DBAPI error with ``connection_invalidated``."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return await handle_database_unavailable(request, exc)
    return await handle_unexpected(request, exc)


FAULT_HANDLERS = {
    OperationalError: handle_database_unavailable,
    PoolTimeout: handle_database_unavailable,
    DBAPIError: handle_dbapi_error,
}
