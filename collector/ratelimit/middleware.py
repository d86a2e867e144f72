"""Guards in front of the ``/v1`` and ``/api/v1`` routes: rate limits, allowed origins.

They run after the authentication and count each call against the caller it found in
``request.auth`` (or what a refused call presented). They answer refusals themselves,
inside the CORS middleware, so a browser reads the 429 or 403 (with its CORS headers)
instead of a network error.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from collector.kit.auth.callers import auth_of
from collector.kit.errors import WaypostError
from collector.kit.http.error_handlers import render
from collector.kit.http.state import app_state
from collector.ratelimit.limiter import guard_admin_call, guard_sdk_call


def client_ip(request: Request) -> str | None:
    """The caller's address (the proxy's ``X-Forwarded-For`` when uvicorn trusts it)."""
    return request.client.host if request.client else None


def sdk_guard(request: Request) -> Callable[[], None]:
    """The checks of an SDK call: per write key and address, and the key's origins."""
    state, auth = app_state(request), auth_of(request)
    origin = request.headers.get("origin")
    return lambda: guard_sdk_call(state, auth, client_ip(request), origin)


def admin_guard(request: Request) -> Callable[[], None]:
    """Per secret key; without one, per dashboard session (the cookie stands in for it)."""
    state, auth = app_state(request), auth_of(request)
    return lambda: guard_admin_call(state, auth)


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
