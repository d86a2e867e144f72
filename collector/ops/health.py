"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from collector.kit.db.migrate import is_current
from collector.kit.http.answers import Answer
from collector.kit.http.openapi import Auth, Operation, route
from collector.kit.http.state import engine_of
from collector.ops.schemas import StatusSchema

_up = Answer(StatusSchema)
_unavailable = Answer(StatusSchema, status=503, description="not ready, and why")


def readiness(engine: Engine) -> str | None:
    """Why the collector cannot serve yet, or None when it can."""
    try:
        current = is_current(engine)
    except SQLAlchemyError:
        return "database unreachable"
    return None if current else "database migrations are pending; run `waypost migrate`"


async def health(request: Request) -> Response:
    return _up.render({"status": "ok"})


async def ready(request: Request) -> Response:
    reason = await run_in_threadpool(readiness, engine_of(request))
    if reason is not None:
        return _unavailable.render({"status": "unavailable", "reason": reason})
    return _up.render({"status": "ready"})


routes = [
    route("/health", health, name="health", get=Operation("The process is up", Auth.NONE, _up)),
    route(
        "/ready",
        ready,
        name="ready",
        get=Operation(
            "The database is reachable and migrated (503 otherwise)",
            Auth.NONE,
            _up,
            also=(_unavailable,),
        ),
    ),
]
