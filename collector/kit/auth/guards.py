"""Who is calling: the write key of an ingestion call, the secret key of an admin call.

Unknown, expired and missing keys get the same 401 so that an answer never tells which
keys exist. A write key presented where a secret key is needed is a 403: it is a real
key, used in the wrong place.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import UTC, datetime

from sqlalchemy import Engine
from starlette.requests import Request

from collector.kit.auth.access import project_for_session
from collector.kit.auth.keys import find_owner
from collector.kit.db.engine import read_transaction
from collector.kit.errors import Forbidden, InvalidKey

INVALID_KEY_MESSAGE = "missing or invalid API key"


def basic_auth_username(request: Request) -> str | None:
    """The username of an HTTP Basic header (Segment puts the write key there)."""
    header = request.headers.get("authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "basic" or not credentials:
        return None
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, _, _password = decoded.partition(":")
    return username or None


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def project_for_write_key(engine: Engine, key: str | None) -> uuid.UUID:
    if not key:
        raise InvalidKey(INVALID_KEY_MESSAGE)
    with read_transaction(engine) as connection:
        owner = find_owner(connection, key, datetime.now(UTC))
    if owner is None or owner.kind != "write":
        raise InvalidKey(INVALID_KEY_MESSAGE)
    return owner.project_id


def project_for_secret_key(engine: Engine, request: Request) -> uuid.UUID:
    """The project of the request's ``Authorization: Bearer`` secret key.

    Without a key, a signed-in dashboard session stands in for it (see
    :mod:`collector.kit.auth.access`): the dashboard uses this same API.
    """
    key = bearer_token(request)
    if not key:
        project_id = project_for_session(engine, request)
        if project_id is None:
            raise InvalidKey(INVALID_KEY_MESSAGE)
        return project_id
    with read_transaction(engine) as connection:
        owner = find_owner(connection, key, datetime.now(UTC))
    if owner is None:
        raise InvalidKey(INVALID_KEY_MESSAGE)
    if owner.kind != "secret":
        raise Forbidden("this route needs the project's secret key, not its write key")
    return owner.project_id
