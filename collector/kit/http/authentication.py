"""Who is calling, found once per request, before the guards and the routes: Starlette's
``AuthenticationMiddleware`` with one backend per credential, tried in order by
``Backends``. What they put in ``request.auth`` is described in
:mod:`collector.kit.auth.callers`.

- ``WriteKeyBackend``: the write key of an SDK call, as the HTTP Basic username (Segment's
  libraries), else the ``writeKey`` query parameter of a ``GET`` or the ``writeKey`` field
  of a ``POST``'s JSON body (``navigator.sendBeacon`` can set no header; a field that is not
  a string is no key). ``BodyKeyMiddleware`` reads that body first.
- ``SecretKeyBackend``: the secret key of an admin call, ``Authorization: Bearer``.
- ``SessionBackend``: a signed-in dashboard session in place of the secret key (see
  :mod:`collector.kit.auth.access`): the dashboard uses this same API.

Unknown, expired and missing keys get the same 401 so that an answer never tells which
keys exist. A write key presented where a secret key is needed is a 403: it is a real key,
used in the wrong place. A key whose owner the app remembers is answered on the event
loop, without a query or a thread (:class:`collector.kit.auth.cache.KeyOwners`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import cast

from starlette.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    BaseUser,
    SimpleUser,
    UnauthenticatedUser,
)
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from collector.kit.auth.access import PROJECT_HEADER, check_csrf
from collector.kit.auth.cache import KeyOwners
from collector.kit.auth.callers import (
    INVALID_KEY_MESSAGE,
    Caller,
    Credential,
    Refusal,
    SignedInUser,
    fingerprint,
    missing_key,
)
from collector.kit.auth.credentials import basic_auth_username, bearer_token
from collector.kit.auth.keys import PREFIX_LENGTH, KeyKind, KeyOwner, lookup_value
from collector.kit.auth.sessions import (
    SESSION_COOKIE,
    SESSION_ENDED,
    ProjectAccess,
    SessionRequired,
    find_access,
    unsign_token,
)
from collector.kit.db.engine import read_transaction
from collector.kit.errors import BadRequest, Forbidden, InvalidKey, WaypostError
from collector.kit.http.body import keep_json_body, kept_json
from collector.kit.http.requests import route_path
from collector.kit.http.state import AppState, settings_of

Found = tuple[AuthCredentials, BaseUser] | None
WRONG_KIND_MESSAGE = "this route needs the project's secret key, not its write key"


def _state(connection: HTTPConnection) -> AppState | None:
    """The app's state; None in an app run without its lifespan (no database)."""
    state = connection.scope.get("state")
    return cast(AppState, state) if state and "key_owners" in state else None


def _refused(refusal: Refusal) -> Found:
    return refusal, UnauthenticatedUser()


def _accepted(caller: Caller) -> Found:
    return caller, SimpleUser(caller.actor)


def _from(found: Caller | Refusal) -> Found:
    return _accepted(found) if isinstance(found, Caller) else _refused(found)


async def _owner(owners: KeyOwners, key: str) -> KeyOwner | None:
    kept = owners.kept(key)
    if kept is not None:
        return kept.value
    return await run_in_threadpool(owners.find, key)


async def _key_caller(
    owners: KeyOwners,
    key: str,
    kind: KeyKind,
    credential: Credential,
    wrong_kind: Callable[[], WaypostError],
) -> Caller | Refusal:
    """The caller of a key that must be of ``kind``; a refusal for any other key."""
    owner = await _owner(owners, key)
    if owner is None:
        return Refusal(InvalidKey(INVALID_KEY_MESSAGE), credential, fingerprint(key))
    if owner.kind != kind:
        return Refusal(wrong_kind(), credential, fingerprint(key))
    return Caller(
        project_id=owner.project_id,
        credential=credential,
        actor=key[:PREFIX_LENGTH],
        fingerprint=fingerprint(key),
        key_lookup=lookup_value(key),
    )


def _unknown() -> WaypostError:
    """A secret key used as a write key gets the 401 of an unknown key: a leaked secret key
    is never told apart by the public routes."""
    return InvalidKey(INVALID_KEY_MESSAGE)


def _forbidden() -> WaypostError:
    return Forbidden(WRONG_KIND_MESSAGE)


def _body_key(conn: HTTPConnection) -> str | None:
    body = kept_json(conn)
    key = body.get("writeKey") if isinstance(body, dict) else None
    return key if isinstance(key, str) else None


class WriteKeyBackend(AuthenticationBackend):
    """The SDK routes' write key: Basic username, else the query's (``GET``) or the
    body's (``POST``) ``writeKey``."""

    async def authenticate(self, conn: HTTPConnection) -> Found:
        state = _state(conn)
        if state is None:
            return None
        key = basic_auth_username(conn)
        if key is None and conn.scope["method"] == "POST":
            key = _body_key(conn)
        elif key is None:
            key = conn.query_params.get("writeKey")
        if not key:
            return None
        found = await _key_caller(state["key_owners"], key, "write", "write_key", _unknown)
        return _from(found)


class SecretKeyBackend(AuthenticationBackend):
    """The admin routes' secret key, ``Authorization: Bearer``."""

    async def authenticate(self, conn: HTTPConnection) -> Found:
        state = _state(conn)
        key = bearer_token(conn)
        if state is None or key is None:
            return None
        found = await _key_caller(state["key_owners"], key, "secret", "secret_key", _forbidden)
        return _from(found)


def session_token(connection: HTTPConnection) -> str | None:
    """The session token of the request's cookie, if it is signed and not expired."""
    value = connection.cookies.get(SESSION_COOKIE)
    if not value:
        return None
    return unsign_token(str(settings_of(connection).signing_secret), value)


def _named_project(conn: HTTPConnection) -> uuid.UUID | None:
    try:
        return uuid.UUID(conn.headers.get(PROJECT_HEADER, ""))
    except ValueError:
        return None


class SessionBackend(AuthenticationBackend):
    """One query finds the session, its user and the membership: every chart of the
    dashboard pays for it."""

    async def authenticate(self, conn: HTTPConnection) -> Found:
        state = _state(conn)
        if state is None or SESSION_COOKIE not in conn.cookies:
            return None
        cookie = conn.cookies[SESSION_COOKIE]
        project_id = _named_project(conn)
        try:
            caller = await self._caller(state, conn, project_id)
        except WaypostError as error:
            return _refused(
                Refusal(error, "session", fingerprint(cookie) if cookie else None, project_id)
            )
        return _accepted(caller)

    @staticmethod
    async def _caller(
        state: AppState, conn: HTTPConnection, project_id: uuid.UUID | None
    ) -> Caller:
        token = session_token(conn)
        if token is None:
            raise SessionRequired(SESSION_ENDED)
        if project_id is None:
            raise BadRequest(
                "a dashboard session must name its project",
                fields={"X-Waypost-Project": ["must be the id of one of your projects"]},
            )

        def find() -> ProjectAccess | None:
            with read_transaction(state["engine"]) as connection:
                return find_access(connection, token, project_id, now=datetime.now(UTC))

        access = await run_in_threadpool(find)
        if access is None:
            raise SessionRequired(SESSION_ENDED)
        check_csrf(conn, access.csrf_token)
        if not access.member:
            raise Forbidden("you are not a member of this project")
        return Caller(
            project_id=project_id,
            credential="session",
            actor=access.email,
            fingerprint=fingerprint(conn.cookies[SESSION_COOKIE]),
            user=SignedInUser(access.user_id, access.email),
        )


class Backends(AuthenticationBackend):
    """The first backend that finds its credential in the request decides; a request with
    none of them is refused as one with a missing key."""

    def __init__(self, *backends: AuthenticationBackend) -> None:
        self.backends = backends

    async def authenticate(self, conn: HTTPConnection) -> Found:
        if _state(conn) is None:
            return None
        for backend in self.backends:
            found = await backend.authenticate(conn)
            if found is not None:
                return found
        return _refused(missing_key())


class BodyKeyMiddleware:
    """Reads the JSON body of a ``POST`` that has no HTTP Basic credentials before the
    authentication, since its write key may be in it; with the limit of the route it is
    posted to (``limits``, by path within the mount), so that it is refused exactly as that
    route would refuse it, by that route (:func:`collector.kit.http.body.read_json`)."""

    def __init__(self, app: ASGIApp, limits: Mapping[str, int]) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            limit = self.limits.get(route_path(scope))
            if limit is not None and basic_auth_username(HTTPConnection(scope)) is None:
                receive = await keep_json_body(scope, receive, limit)
        await self.app(scope, receive, send)
