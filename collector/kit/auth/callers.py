"""Who is calling: found once per request, before the routes, and read by everything after.

The authentication backends (:mod:`collector.kit.auth.backends`) put a ``Caller`` in
``request.auth`` when the request's credential is good, and a ``Refusal`` when it is missing
or is not. A refusal is not answered at once: a route answers it where it needs its caller
(:func:`caller_of`), so that a malformed body or a wrong query is answered as it always was,
whatever the credential; and the guards in front of the routes still count the refused
request against what it presented.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Literal

from starlette.authentication import AuthCredentials
from starlette.requests import HTTPConnection

from collector.kit.errors import InvalidKey, WaypostError

INVALID_KEY_MESSAGE = "missing or invalid API key"

Credential = Literal["write_key", "secret_key", "session"]


def fingerprint(credential: str) -> str:
    """A name for a presented key or session cookie that does not reveal it."""
    return hashlib.sha256(credential.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class SignedInUser:
    """The dashboard user whose session made the call."""

    id: uuid.UUID
    email: str


@dataclass(frozen=True)
class Caller(AuthCredentials):
    """A project's own call: with one of its keys, or a session of one of its members."""

    project_id: uuid.UUID
    credential: Credential
    actor: str
    """Who the audit log names: the key's first characters, or the user's email."""
    fingerprint: str
    """Names the credential (its own rate limit bucket) without holding it."""
    key_lookup: str | None = None
    """What the keys table holds for the calling key (None for a session): a statement that
    reads with it can check, in the same round trip, that the key still works."""
    user: SignedInUser | None = None
    scopes: list[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "scopes", [self.credential])


@dataclass(frozen=True)
class Refusal(AuthCredentials):
    """Why a request has no caller, and what it presented (rate limits count it)."""

    error: WaypostError
    credential: Credential | None = None
    fingerprint: str | None = None
    project_id: uuid.UUID | None = None
    """The project a refused session named: its limits still apply to the session."""
    scopes: list[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "scopes", [])


def missing_key() -> Refusal:
    return Refusal(InvalidKey(INVALID_KEY_MESSAGE))


def auth_of(connection: HTTPConnection) -> Caller | Refusal:
    """The request's caller or refusal; a refusal when no backend ran (no lifespan)."""
    found = connection.scope.get("auth")
    return found if isinstance(found, Caller | Refusal) else missing_key()


def caller_of(connection: HTTPConnection) -> Caller:
    """The request's caller; its refusal (401, 403, 400) raised when it has none."""
    found = auth_of(connection)
    if isinstance(found, Refusal):
        raise found.error
    return found
