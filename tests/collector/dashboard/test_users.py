"""Dashboard users and memberships, stored on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from collector.dashboard.users import (
    add_membership,
    create_user,
    find_user,
    is_member,
    user_projects,
)
from collector.kit.db.engine import read_transaction, write_transaction
from collector.kit.errors import Conflict, NotFound, ValidationFailed
from collector.projects.service import CreatedProject
from tests import factories

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
PASSWORD = factories.DASHBOARD_PASSWORD


def fresh_email() -> str:
    return f"Someone-{uuid.uuid4().hex[:8]}@Example.com"


def test_a_user_is_stored_under_the_lower_cased_address(engine: Engine) -> None:
    email = fresh_email()
    with write_transaction(engine) as connection:
        user_id = create_user(connection, f"  {email} ", PASSWORD, now=NOW)
    with read_transaction(engine) as connection:
        found = find_user(connection, email.upper())
    assert found is not None
    assert (found.id, found.email) == (user_id, email.lower())


def test_the_password_is_stored_only_as_a_hash(engine: Engine) -> None:
    email = fresh_email()
    with write_transaction(engine) as connection:
        create_user(connection, email, PASSWORD, now=NOW)
        found = find_user(connection, email)
    assert found is not None
    assert PASSWORD not in found.password_hash
    assert found.password_hash.startswith("scrypt$")


def test_a_second_user_with_the_same_address_is_a_conflict(engine: Engine) -> None:
    email = fresh_email()
    with write_transaction(engine) as connection:
        create_user(connection, email, PASSWORD, now=NOW)
    with pytest.raises(Conflict), write_transaction(engine) as connection:
        create_user(connection, email.lower(), PASSWORD, now=NOW)


def test_a_bad_address_and_a_short_password_are_named(engine: Engine) -> None:
    with pytest.raises(ValidationFailed) as refused, write_transaction(engine) as connection:
        create_user(connection, "not-an-address", "short", now=NOW)
    assert refused.value.fields == {
        "email": ["is not an email address"],
        "password": ["must be at least 10 characters"],
    }


def test_a_user_sees_only_the_projects_they_were_added_to(
    engine: Engine, project: CreatedProject, other_project: CreatedProject
) -> None:
    email = factories.create_dashboard_user(engine, project)
    with read_transaction(engine) as connection:
        user = find_user(connection, email)
        assert user is not None
        assert user_projects(connection, user.id) == [{"id": project.id, "name": project.name}]
        assert not is_member(connection, user.id, other_project.id)


def test_adding_a_project_twice_keeps_one_membership(
    engine: Engine, project: CreatedProject
) -> None:
    email = factories.create_dashboard_user(engine, project)
    with write_transaction(engine) as connection:
        add_membership(connection, email, project.id, now=NOW)
        user = find_user(connection, email)
        assert user is not None
        assert len(user_projects(connection, user.id)) == 1


def test_adding_a_project_to_an_unknown_user_is_not_found(
    engine: Engine, project: CreatedProject
) -> None:
    with pytest.raises(NotFound), write_transaction(engine) as connection:
        add_membership(connection, fresh_email(), project.id, now=NOW)


def test_adding_an_unknown_project_is_not_found(engine: Engine) -> None:
    email = factories.create_dashboard_user(engine)
    with pytest.raises(NotFound), write_transaction(engine) as connection:
        add_membership(connection, email, uuid.uuid4(), now=NOW)
