"""A session ends at its expiry, whether the cookie or the server says so."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import Engine

from collector.dashboard.users import find_user
from collector.kit.auth.sessions import (
    SESSION_LIFETIME,
    find_session,
    open_session,
    sign_token,
    unsign_token,
)
from collector.kit.db.engine import read_transaction, write_transaction
from tests import factories

SECRET = "a-signing-secret-of-enough-length-for-tests"


class SignerOfLongAgo(TimestampSigner):
    """Signs as if it were one session lifetime and a minute ago."""

    def get_timestamp(self) -> int:
        return int(time.time() - SESSION_LIFETIME.total_seconds() - 60)


def test_a_cookie_signed_now_gives_back_its_token() -> None:
    assert unsign_token(SECRET, sign_token(SECRET, "token")) == "token"


def test_a_cookie_older_than_the_session_lifetime_is_refused() -> None:
    old = URLSafeTimedSerializer(SECRET, salt="waypost.dashboard.session", signer=SignerOfLongAgo)
    assert unsign_token(SECRET, old.dumps("token")) is None


def test_a_cookie_signed_with_another_secret_is_refused() -> None:
    assert unsign_token(SECRET, sign_token(SECRET + "-other", "token")) is None


def test_a_signed_value_that_is_not_a_token_is_refused() -> None:
    serializer = URLSafeTimedSerializer(SECRET, salt="waypost.dashboard.session")
    assert unsign_token(SECRET, serializer.dumps({"user": "admin"})) is None


def test_a_session_row_past_its_expiry_opens_nothing(engine: Engine) -> None:
    email = factories.create_dashboard_user(engine)
    started = datetime.now(UTC) - SESSION_LIFETIME - timedelta(minutes=1)
    with write_transaction(engine) as connection:
        user = find_user(connection, email)
        assert user is not None
        token = open_session(connection, user.id, now=started)
    with read_transaction(engine) as connection:
        assert find_session(connection, token, now=started) is not None
        assert find_session(connection, token, now=datetime.now(UTC)) is None
