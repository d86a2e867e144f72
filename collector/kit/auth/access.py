"""What a signed-in dashboard session must show to act on a project through the API.

The web app names the project in ``X-Waypost-Project``; the session's user must belong to
it (403 otherwise, as for a key of another project). A state-changing call must also carry
the session's CSRF token in ``X-CSRF-Token``: a page on another site can make the browser
send the cookie, never read the token. The session itself is found by
:class:`collector.kit.http.authentication.SessionBackend`.
"""

from __future__ import annotations

import hmac

from starlette.requests import HTTPConnection

from collector.kit.auth.sessions import CSRF_HEADER
from collector.kit.errors import Forbidden

PROJECT_HEADER = "x-waypost-project"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def check_csrf(connection: HTTPConnection, expected: str) -> None:
    """Refuse a state-changing call without the session's CSRF token."""
    if connection.scope["method"] in SAFE_METHODS:
        return
    presented = connection.headers.get(CSRF_HEADER, "")
    if not hmac.compare_digest(presented.encode(), expected.encode()):
        raise Forbidden(
            "missing or wrong CSRF token",
            fields={"X-CSRF-Token": ["must be the token of the signed-in session"]},
        )
