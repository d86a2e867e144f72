"""A signed-in dashboard session in place of the secret key on the admin and analytics API.

The web app names the project in ``X-Waypost-Project``; the session's user must belong to
it (403 otherwise, as for a key of another project). A state-changing call must also carry
the session's CSRF token in ``X-CSRF-Token``: a page on another site can make the browser
send the cookie, never read the token.
"""

from __future__ import annotations

import hmac
import uuid
from datetime import UTC, datetime

from sqlalchemy import Engine
from starlette.requests import Request

from collector.kit.auth.sessions import (
    CSRF_HEADER,
    SESSION_COOKIE,
    SESSION_ENDED,
    SessionRequired,
    find_access,
    unsign_token,
)
from collector.kit.db.engine import read_transaction
from collector.kit.errors import BadRequest, Forbidden
from collector.kit.http.state import settings_of

PROJECT_HEADER = "x-waypost-project"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def session_token(request: Request) -> str | None:
    """The session token of the request's cookie, if it is signed and not expired."""
    value = request.cookies.get(SESSION_COOKIE)
    if not value:
        return None
    return unsign_token(str(settings_of(request).signing_secret), value)


def _project_header(request: Request) -> uuid.UUID:
    value = request.headers.get(PROJECT_HEADER, "")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise BadRequest(
            "a dashboard session must name its project",
            fields={"X-Waypost-Project": ["must be the id of one of your projects"]},
        ) from None


def check_csrf(request: Request, expected: str) -> None:
    """Refuse a state-changing call without the session's CSRF token."""
    if request.method in SAFE_METHODS:
        return
    presented = request.headers.get(CSRF_HEADER, "")
    if not hmac.compare_digest(presented.encode(), expected.encode()):
        raise Forbidden(
            "missing or wrong CSRF token",
            fields={"X-CSRF-Token": ["must be the token of the signed-in session"]},
        )


def project_for_session(engine: Engine, request: Request) -> uuid.UUID | None:
    """The project a dashboard session acts on; None when the request has no session cookie.

    One query finds the session and the membership: every chart of the dashboard pays for it.
    """
    if SESSION_COOKIE not in request.cookies:
        return None
    token = session_token(request)
    if token is None:
        raise SessionRequired(SESSION_ENDED)
    project_id = _project_header(request)
    with read_transaction(engine) as connection:
        access = find_access(connection, token, project_id, now=datetime.now(UTC))
    if access is None:
        raise SessionRequired(SESSION_ENDED)
    check_csrf(request, access.csrf_token)
    if not access.member:
        raise Forbidden("you are not a member of this project")
    return project_id
