"""Signing in and out, and what the web app learns about its user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from collector.dashboard import sign_in_limits as ratelimit
from collector.dashboard.results import SessionView
from collector.dashboard.users import find_user, normalise_email, user_projects
from collector.kit.auth.passwords import dummy_hash, verify_password
from collector.kit.auth.sessions import (
    SESSION_ENDED,
    OpenSession,
    SessionRequired,
    close_session,
    find_session,
    open_session,
)
from collector.kit.db.engine import read_transaction, write_transaction
from collector.kit.errors import InvalidKey


class InvalidCredentials(InvalidKey):
    code = "invalid_credentials"


@dataclass(frozen=True)
class SignedIn:
    token: str
    view: SessionView


def sign_in(engine: Engine, email: str, password: str, address: str, *, now: datetime) -> SignedIn:
    """A new session for the right password, within the rate limit.

    The password is checked outside any transaction: scrypt takes tens of milliseconds,
    during which no database lock should be held.
    """
    email = normalise_email(email)
    with read_transaction(engine) as connection:
        ratelimit.check_allowed(connection, email, address, now=now)
        user = find_user(connection, email)
    matches = verify_password(password, user.password_hash if user else dummy_hash())
    with write_transaction(engine) as connection:
        if user is None or not matches:
            ratelimit.record_failure(connection, email, address, now=now)
        else:
            ratelimit.clear_failures(connection, email)
            token = open_session(connection, user.id, now=now)
    if user is None or not matches:
        raise InvalidCredentials("wrong email or password")
    return SignedIn(token, current_view(engine, token, now=now))


def require_session(engine: Engine, token: str | None, *, now: datetime) -> OpenSession:
    """The open session of a token, or 401."""
    found = None
    if token is not None:
        with read_transaction(engine) as connection:
            found = find_session(connection, token, now=now)
    if found is None:
        raise SessionRequired(SESSION_ENDED)
    return found


def current_view(engine: Engine, token: str | None, *, now: datetime) -> SessionView:
    """Who is signed in, their projects, and the CSRF token for their changes."""
    session = require_session(engine, token, now=now)
    with read_transaction(engine) as connection:
        projects = user_projects(connection, session.user_id)
    return {"email": session.email, "projects": projects, "csrf_token": session.csrf_token}


def sign_out(engine: Engine, token: str, *, now: datetime) -> None:
    with write_transaction(engine) as connection:
        close_session(connection, token, now=now)
