"""Guards in front of the ``/v1`` and ``/api/v1`` routes: rate limits, allowed origins.

They answer refusals themselves, inside the CORS middleware, so a browser reads the 429
or 403 (with its CORS headers) instead of a network error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from collector.kit.auth.access import PROJECT_HEADER
from collector.kit.auth.guards import basic_auth_username, bearer_token
from collector.kit.auth.sessions import SESSION_COOKIE
from collector.kit.errors import WaypostError
from collector.kit.http.error_handlers import render
from collector.ratelimit.limiter import (
    guard_secret_key_call,
    guard_session_call,
    guard_write_key_call,
)


def client_ip(request: Request) -> str | None:
    """The caller's address (the proxy's ``X-Forwarded-For`` when uvicorn trusts it)."""
    return request.client.host if request.client else None


def sdk_guard(request: Request) -> Callable[[], None]:
    """The checks of an SDK call whose key is in its header or query string."""
    state: Any = request.state
    key = basic_auth_username(request) or request.query_params.get("writeKey")
    origin = request.headers.get("origin")
    return lambda: guard_write_key_call(
        state.engine, state.settings, key, client_ip(request), origin
    )


def admin_guard(request: Request) -> Callable[[], None]:
    """Per secret key; without one, per dashboard session (the cookie stands in for it)."""
    state: Any = request.state
    key = bearer_token(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    if key is None and cookie:
        project = request.headers.get(PROJECT_HEADER)
        return lambda: guard_session_call(state.engine, state.settings, cookie, project)
    return lambda: guard_secret_key_call(state.engine, state.settings, key)


class GuardMiddleware:
    """Runs ``guard`` (built from the request, run in a thread: it may query) first."""

    def __init__(self, app: ASGIApp, guard: Callable[[Request], Callable[[], None]]) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)
            return
        # An app run without its lifespan (no database) has nothing to count with.
        if "engine" not in (scope.get("state") or {}):
            await self.app(scope, receive, send)
            return
        try:
            await run_in_threadpool(self.guard(Request(scope)))
        except WaypostError as error:
            await render(error)(scope, receive, send)
            return
        await self.app(scope, receive, send)
