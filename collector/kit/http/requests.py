"""Every request: an id (the client's ``X-Request-Id`` when well formed, else a new one)
echoed in the answer and carried by its log lines, a latency sample per route template,
and one access-log line.

The access line names the route template (``/api/v1/persons/{id}``), not the path: paths
and query strings carry user ids, which logs must not collect.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from sqlalchemy import Engine
from starlette.datastructures import MutableHeaders
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from collector.kit import metrics
from collector.kit.logs import request_id

REQUEST_ID_HEADER = "x-request-id"
_WELL_FORMED = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_CONVERTER = re.compile(r"\{(\w+):\w+\}")
UNMATCHED = "unmatched"
access = logging.getLogger("waypost.access")


def accepted_request_id(value: str | None) -> str:
    """The client's id if it is safe to log and echo, else a fresh one."""
    if value and _WELL_FORMED.match(value):
        return value
    return uuid.uuid4().hex


def route_template(scope: Scope) -> str:
    """The matched route's path with its mount prefix, or ``unmatched``."""
    route: BaseRoute | None = scope.get("route")
    path = getattr(route, "path", None)
    if not isinstance(path, str):
        return UNMATCHED
    prefix = scope.get("root_path", "")[len(scope.get("app_root_path", "")) :]
    return _CONVERTER.sub(r"{\1}", prefix + path)


def route_path(scope: Scope) -> str:
    """The request's path within the mount it has reached (``/batch`` under ``/v1``)."""
    path: str = scope["path"]
    root_path: str = scope.get("root_path", "")
    return path[len(root_path) :] if root_path and path.startswith(root_path) else path


def pool_use(engine: Engine) -> tuple[int, int]:
    pool: Any = engine.pool
    checked_out = getattr(pool, "checkedout", None)
    size = getattr(pool, "size", None)
    return (checked_out() if callable(checked_out) else 0, size() if callable(size) else 0)


class RequestMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        current = accepted_request_id(headers.get(b"x-request-id", b"").decode("latin-1"))
        token = request_id.set(current)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = current
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._record(scope, status, time.perf_counter() - started)
            request_id.reset(token)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        route, method = route_template(scope), scope["method"]
        metrics.record_request(route, method, status, seconds)
        state = scope.get("state") or {}
        engine = state.get("engine")
        if isinstance(engine, Engine):
            metrics.record_pool(*pool_use(engine))
        access.info(
            "%s %s %d",
            method,
            route,
            status,
            extra={
                "route": route,
                "method": method,
                "status": status,
                "ms": round(seconds * 1e3, 2),
            },
        )
