"""Projects: creation with their two keys, listing, lookup by name, key rotation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from collector.kit.auth.keys import find_owner
from collector.kit.db.engine import read_transaction, write_transaction
from collector.kit.errors import NotFound, ValidationFailed
from collector.projects.service import (
    MAX_NAME_LENGTH,
    CreatedProject,
    ProjectSummary,
    create_project,
    list_projects,
    rotate_project_keys,
)

CREATED_AT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def unique_name() -> str:
    """A name no other test uses: every test shares the session's database."""
    return f"Project {uuid.uuid4().hex}"


def create(engine: Engine, name: str, *, now: datetime = CREATED_AT) -> CreatedProject:
    with write_transaction(engine) as connection:
        return create_project(connection, name, now=now)


def test_created_project_has_a_write_key_and_a_secret_key(engine: Engine) -> None:
    created = create(engine, unique_name())
    assert created.write_key.startswith("wk_")
    assert created.secret_key.startswith("sk_")


def test_created_keys_belong_to_the_project(engine: Engine) -> None:
    created = create(engine, unique_name())
    with read_transaction(engine) as connection:
        owners = [
            find_owner(connection, key, CREATED_AT)
            for key in (created.write_key, created.secret_key)
        ]
    assert [(owner.project_id, owner.kind) for owner in owners if owner] == [
        (created.id, "write"),
        (created.id, "secret"),
    ]


def test_project_name_is_stripped(engine: Engine) -> None:
    name = unique_name()
    assert create(engine, f"  {name}\n").name == name


@pytest.mark.parametrize("name", ["", "   ", "x" * (MAX_NAME_LENGTH + 1)])
def test_invalid_project_name_is_refused_naming_the_field(engine: Engine, name: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        create(engine, name)
    assert refused.value.fields is not None
    assert "name" in refused.value.fields


def test_name_of_the_longest_length_is_accepted(engine: Engine) -> None:
    name = uuid.uuid4().hex + "x" * (MAX_NAME_LENGTH - 32)
    assert create(engine, name).name == name


def test_list_includes_a_created_project(engine: Engine) -> None:
    created = create(engine, unique_name(), now=CREATED_AT)
    with read_transaction(engine) as connection:
        listed = list_projects(connection)
    assert ProjectSummary(created.id, created.name, CREATED_AT) in listed


def test_list_is_ordered_by_creation_time(engine: Engine) -> None:
    later = create(engine, "A " + unique_name(), now=CREATED_AT + timedelta(days=1))
    earlier = create(engine, "B " + unique_name(), now=CREATED_AT)
    with read_transaction(engine) as connection:
        ids = [summary.id for summary in list_projects(connection)]
    assert ids.index(earlier.id) < ids.index(later.id)


def test_projects_created_together_are_listed_by_name(engine: Engine) -> None:
    suffix = unique_name()
    second = create(engine, "B " + suffix)
    first = create(engine, "A " + suffix)
    with read_transaction(engine) as connection:
        ids = [summary.id for summary in list_projects(connection)]
    assert ids.index(first.id) < ids.index(second.id)


def test_rotation_returns_a_new_key_of_each_kind_asked(engine: Engine) -> None:
    created = create(engine, unique_name())
    with write_transaction(engine) as connection:
        new_keys = rotate_project_keys(
            connection, created.id, ("write", "secret"), now=CREATED_AT, grace=timedelta(0)
        )
    assert set(new_keys) == {"write", "secret"}
    assert new_keys["write"] != created.write_key
    assert new_keys["secret"] != created.secret_key


def test_rotation_of_one_kind_returns_only_that_kind(engine: Engine) -> None:
    created = create(engine, unique_name())
    with write_transaction(engine) as connection:
        new_keys = rotate_project_keys(
            connection, created.id, ("secret",), now=CREATED_AT, grace=timedelta(0)
        )
    assert list(new_keys) == ["secret"]


def test_rotating_the_keys_of_an_unknown_project_is_not_found(engine: Engine) -> None:
    with pytest.raises(NotFound), write_transaction(engine) as connection:
        rotate_project_keys(
            connection, uuid.uuid4(), ("write",), now=CREATED_AT, grace=timedelta(0)
        )
