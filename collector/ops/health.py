"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from collector.kit.db.migrate import is_current
from collector.kit.http.responses import JSONResponse
from collector.kit.http.state import engine_of


def readiness(engine: Engine) -> str | None:
    """Why the collector cannot serve yet, or None when it can."""
    try:
        current = is_current(engine)
    except SQLAlchemyError:
        return "database unreachable"
    return None if current else "database migrations are pending; run `waypost migrate`"


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def ready(request: Request) -> Response:
    reason = await run_in_threadpool(readiness, engine_of(request))
    if reason is not None:
        return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
    return JSONResponse({"status": "ready"})


routes = [
    Route("/health", health, methods=["GET"], name="health"),
    Route("/ready", ready, methods=["GET"], name="ready"),
]
