"""Where a request carries its key: the HTTP Basic username of an ingestion call (as
Segment's libraries send the write key), the ``Authorization: Bearer`` token of an admin
call (the secret key). :mod:`collector.kit.http.authentication` finds the caller from them.
"""

from __future__ import annotations

import base64
import binascii

from starlette.requests import HTTPConnection


def basic_auth_username(connection: HTTPConnection) -> str | None:
    """The username of an HTTP Basic header (Segment puts the write key there)."""
    header = connection.headers.get("authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "basic" or not credentials:
        return None
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, _, _password = decoded.partition(":")
    return username or None


def bearer_token(connection: HTTPConnection) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
