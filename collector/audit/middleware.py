"""Records every successful change made through the admin API in the audit log.

Whatever the route (flows, surveys, project settings, webhooks…), a ``POST``, ``PUT``,
``PATCH`` or ``DELETE`` answered 2xx becomes one entry: the caller that made it, as the
authentication in front found it (the key's first characters, or the signed-in dashboard
user's email), the route template as the action, the changed object's id (from the path,
or the created object's ``id`` in the answer) and the names of the fields sent, never their
values. The entry is written once the answer is sent, in a transaction of its own. Routes
that write a more precise entry themselves, in their own transaction, are listed in
``SELF_AUDITED``.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from collector.audit.repository import record
from collector.kit.auth.callers import Caller
from collector.kit.db.engine import write_transaction
from collector.kit.http.requests import route_template
from collector.kit.http.state import AppState

CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SELF_AUDITED = frozenset({"erase_person", "rotate_project_keys"})
MAX_CAPTURED_BYTES = 64 * 1024
logger = logging.getLogger("waypost.audit")


def _parsed(body: bytes) -> Any:
    """A small JSON body, or None (empty, too large, or not JSON)."""
    if not 0 < len(body) <= MAX_CAPTURED_BYTES:
        return None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return None


def object_keys(body: bytes) -> list[str] | None:
    """The field names of a JSON object body, never their values."""
    parsed = _parsed(body)
    return sorted(parsed)[:50] if isinstance(parsed, dict) else None


def created_id(body: bytes) -> str | None:
    """The ``id`` of the object an answer describes (what a ``POST`` created)."""
    parsed = _parsed(body)
    found = parsed.get("id") if isinstance(parsed, dict) else None
    return str(found) if isinstance(found, str | int) else None


def write_entry(state: AppState, caller: Caller, entry: dict[str, Any]) -> None:
    """Record the change; the project's remembered settings may be what changed."""
    with write_transaction(state["engine"]) as connection:
        record(connection, caller.project_id, actor=caller.actor, at=datetime.now(UTC), **entry)
    state["project_settings"].forget(caller.project_id)


class AuditMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in CHANGES:
            await self.app(scope, receive, send)
            return
        request_body, response_body, status = bytearray(), bytearray(), [0]

        async def receive_copy() -> Message:
            message = await receive()
            if message["type"] == "http.request" and len(request_body) <= MAX_CAPTURED_BYTES:
                request_body.extend(message.get("body", b""))
            return message

        async def send_copy(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            elif (
                message["type"] == "http.response.body" and len(response_body) <= MAX_CAPTURED_BYTES
            ):
                response_body.extend(message.get("body", b""))
            await send(message)

        await self.app(scope, receive_copy, send_copy)
        if 200 <= status[0] < 300 and getattr(scope.get("route"), "name", None) not in SELF_AUDITED:
            await self._record(scope, bytes(request_body), bytes(response_body))

    async def _record(self, scope: Scope, request_body: bytes, response_body: bytes) -> None:
        caller = scope.get("auth")
        if not isinstance(caller, Caller):
            return
        path_id = (scope.get("path_params") or {}).get("id")
        entry = {
            "action": f"{scope['method']} {route_template(scope)}",
            "target": str(path_id) if path_id is not None else created_id(response_body),
            "details": {"fields": object_keys(request_body)},
        }
        try:
            await run_in_threadpool(write_entry, scope["state"], caller, entry)
        except SQLAlchemyError:
            logger.exception("could not write an audit entry for %s", entry["action"])
