"""Failed sign-ins are limited per account and per address; the right password clears."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.dashboard import sign_in_limits as ratelimit
from collector.dashboard.service import InvalidCredentials, sign_in
from collector.kit.errors import RateLimited
from tests import factories
from tests.collector.dashboard.conftest import sign_in_attempt

WRONG = "not the password"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def fail(engine: Engine, email: str, address: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(InvalidCredentials):
            sign_in(engine, email, WRONG, address, now=NOW)


def test_past_the_limit_even_the_right_password_is_refused_with_retry_after(
    client: TestClient, member: str
) -> None:
    for _ in range(ratelimit.MAX_FAILURES_PER_ACCOUNT):
        assert sign_in_attempt(client, member, WRONG).status_code == 401
    response = sign_in_attempt(client, member, factories.DASHBOARD_PASSWORD)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert 0 < int(response.headers["retry-after"]) <= ratelimit.WINDOW.total_seconds()


def test_an_account_opens_again_once_the_window_has_passed(engine: Engine) -> None:
    email = factories.create_dashboard_user(engine)
    fail(engine, email, "192.0.2.1", ratelimit.MAX_FAILURES_PER_ACCOUNT)
    later = NOW + ratelimit.WINDOW
    signed_in = sign_in(engine, email, factories.DASHBOARD_PASSWORD, "192.0.2.1", now=later)
    assert signed_in.view["email"] == email


def test_the_right_password_clears_the_accounts_failures(engine: Engine) -> None:
    email = factories.create_dashboard_user(engine)
    fail(engine, email, "192.0.2.2", ratelimit.MAX_FAILURES_PER_ACCOUNT - 1)
    sign_in(engine, email, factories.DASHBOARD_PASSWORD, "192.0.2.2", now=NOW)
    fail(engine, email, "192.0.2.2", ratelimit.MAX_FAILURES_PER_ACCOUNT - 1)
    sign_in(engine, email, factories.DASHBOARD_PASSWORD, "192.0.2.2", now=NOW)


def test_one_address_guessing_many_accounts_is_limited(engine: Engine) -> None:
    address = "198.51.100.7"
    for index in range(ratelimit.MAX_FAILURES_PER_ADDRESS):
        fail(engine, f"guess-{index}-{address}@example.com", address, 1)
    email = factories.create_dashboard_user(engine)
    with pytest.raises(RateLimited):
        sign_in(engine, email, factories.DASHBOARD_PASSWORD, address, now=NOW)


def test_another_address_is_not_limited_by_one_guessing(engine: Engine) -> None:
    address = "198.51.100.8"
    for index in range(ratelimit.MAX_FAILURES_PER_ADDRESS):
        fail(engine, f"guess-{index}-{address}@example.com", address, 1)
    email = factories.create_dashboard_user(engine)
    signed_in = sign_in(engine, email, factories.DASHBOARD_PASSWORD, "198.51.100.9", now=NOW)
    assert signed_in.view["email"] == email
