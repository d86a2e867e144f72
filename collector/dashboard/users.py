"""Dashboard users and the projects each belongs to."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, exists, insert, select

from collector.dashboard.results import ProjectRef
from collector.kit.auth.passwords import hash_password, password_problem
from collector.kit.db.models import DashboardMembership, DashboardUser, Project, table_of
from collector.kit.errors import Conflict, NotFound, ValidationFailed

_users = table_of(DashboardUser)
_memberships = table_of(DashboardMembership)
_projects = table_of(Project)
MAX_EMAIL_LENGTH = 320


@dataclass(frozen=True)
class StoredUser:
    id: uuid.UUID
    email: str
    password_hash: str


def normalise_email(email: str) -> str:
    """The address as stored: trimmed and lower-cased."""
    return email.strip().lower()


def _check_new_user(email: str, password: str) -> None:
    problems: dict[str, list[str]] = {}
    local, _, domain = email.partition("@")
    if not local or "." not in domain or len(email) > MAX_EMAIL_LENGTH:
        problems["email"] = ["is not an email address"]
    if (reason := password_problem(password)) is not None:
        problems["password"] = [reason]
    if problems:
        raise ValidationFailed("invalid dashboard user", fields=problems)


def create_user(connection: Connection, email: str, password: str, *, now: datetime) -> uuid.UUID:
    """A new user with no projects yet; a second user with the same address is a conflict."""
    email = normalise_email(email)
    _check_new_user(email, password)
    if find_user(connection, email) is not None:
        raise Conflict(f"a dashboard user with the email {email} already exists")
    user_id = uuid.uuid4()
    connection.execute(
        insert(_users).values(
            id=user_id, email=email, password_hash=hash_password(password), created_at=now
        )
    )
    return user_id


def find_user(connection: Connection, email: str) -> StoredUser | None:
    row = connection.execute(
        select(_users.c.id, _users.c.email, _users.c.password_hash).where(
            _users.c.email == normalise_email(email)
        )
    ).first()
    return None if row is None else StoredUser(row.id, row.email, row.password_hash)


def add_membership(
    connection: Connection, email: str, project_id: uuid.UUID, *, now: datetime
) -> None:
    """Let the user see the project; adding it twice changes nothing."""
    user = find_user(connection, email)
    if user is None:
        raise NotFound(f"no dashboard user with the email {normalise_email(email)}")
    if (
        connection.execute(select(_projects.c.id).where(_projects.c.id == project_id)).first()
        is None
    ):
        raise NotFound(f"no project with id {project_id}")
    if not is_member(connection, user.id, project_id):
        connection.execute(
            insert(_memberships).values(user_id=user.id, project_id=project_id, created_at=now)
        )


def is_member(connection: Connection, user_id: uuid.UUID, project_id: uuid.UUID) -> bool:
    query = select(
        exists().where(_memberships.c.user_id == user_id, _memberships.c.project_id == project_id)
    )
    return bool(connection.execute(query).scalar())


def user_projects(connection: Connection, user_id: uuid.UUID) -> list[ProjectRef]:
    """The projects the user belongs to, by name."""
    rows = connection.execute(
        select(_projects.c.id, _projects.c.name)
        .join(_memberships, _memberships.c.project_id == _projects.c.id)
        .where(_memberships.c.user_id == user_id)
        .order_by(_projects.c.name, _projects.c.id)
    )
    return [{"id": row.id, "name": row.name} for row in rows]
