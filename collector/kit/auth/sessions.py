"""Dashboard sessions: a random token in an itsdangerous-signed cookie, a row on the server.

The signature (with its timestamp) refuses forged and expired cookies before any database
read; the row makes signing out final and carries the session's CSRF token, which the web
app sends back in a header on every state-changing call.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import Connection, Uuid, and_, bindparam, delete, insert, select

from collector.kit.db.base import UtcDateTime
from collector.kit.db.models import DashboardMembership, DashboardSession, DashboardUser, table_of
from collector.kit.errors import InvalidKey

SESSION_COOKIE = "waypost_session"
SESSION_LIFETIME = timedelta(hours=12)
CSRF_HEADER = "x-csrf-token"
_SALT = "waypost.dashboard.session"
SESSION_ENDED = "not signed in, or the session has ended; sign in again"


class SessionRequired(InvalidKey):
    code = "session_required"


_sessions = table_of(DashboardSession)
_users = table_of(DashboardUser)
_memberships = table_of(DashboardMembership)
_OPEN = and_(
    _sessions.c.id == bindparam("row_id"),
    _sessions.c.expires_at > bindparam("now", type_=UtcDateTime()),
)
# Built once: every API call of the dashboard runs one of these, and building a statement
# costs more than running it.
_FIND_SESSION = (
    select(_sessions.c.user_id, _sessions.c.csrf_token, _users.c.email)
    .join(_users, _users.c.id == _sessions.c.user_id)
    .where(_OPEN)
)
_FIND_ACCESS = (
    select(
        _sessions.c.user_id,
        _sessions.c.csrf_token,
        _users.c.email,
        _memberships.c.id.label("membership"),
    )
    .join(_users, _users.c.id == _sessions.c.user_id)
    .outerjoin(
        _memberships,
        and_(
            _memberships.c.user_id == _sessions.c.user_id,
            _memberships.c.project_id == bindparam("project_id", type_=Uuid()),
        ),
    )
    .where(_OPEN)
)


@dataclass(frozen=True)
class OpenSession:
    user_id: uuid.UUID
    email: str
    csrf_token: str


@dataclass(frozen=True)
class ProjectAccess:
    """An open session, and whether its user belongs to the project it names."""

    user_id: uuid.UUID
    email: str
    csrf_token: str
    member: bool


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=_SALT)


def sign_token(secret: str, token: str) -> str:
    """The cookie value for a session token."""
    return _serializer(secret).dumps(token)


def unsign_token(secret: str, value: str) -> str | None:
    """The token of a cookie signed with ``secret`` within the session lifetime, else None."""
    try:
        token = _serializer(secret).loads(value, max_age=int(SESSION_LIFETIME.total_seconds()))
    except BadSignature:  # SignatureExpired is one
        return None
    return token if isinstance(token, str) else None


def _row_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(connection: Connection, user_id: uuid.UUID, *, now: datetime) -> str:
    """Start a session for the user; its token (the only time it exists in clear)."""
    token = secrets.token_urlsafe(32)
    connection.execute(
        insert(_sessions).values(
            id=_row_id(token),
            user_id=user_id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    return token


def find_session(connection: Connection, token: str, *, now: datetime) -> OpenSession | None:
    row = connection.execute(_FIND_SESSION, {"row_id": _row_id(token), "now": now}).first()
    return None if row is None else OpenSession(row.user_id, row.email, row.csrf_token)


def find_access(
    connection: Connection, token: str, project_id: uuid.UUID, *, now: datetime
) -> ProjectAccess | None:
    """The session of a token with its user and membership of the project, in one query."""
    row = connection.execute(
        _FIND_ACCESS, {"row_id": _row_id(token), "now": now, "project_id": project_id}
    ).first()
    if row is None:
        return None
    return ProjectAccess(row.user_id, row.email, row.csrf_token, row.membership is not None)


def close_session(connection: Connection, token: str, *, now: datetime) -> None:
    """End this session, and sweep the user's expired ones while at it."""
    connection.execute(delete(_sessions).where(_sessions.c.id == _row_id(token)))
    connection.execute(delete(_sessions).where(_sessions.c.expires_at <= now))
