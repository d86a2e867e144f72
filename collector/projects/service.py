"""Projects and their keys: create, list, rotate."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from collector.audit.repository import record
from collector.kit.auth.identity import generate_identity_secret
from collector.kit.auth.keys import KeyKind, rotate_key, store_key
from collector.kit.db.models import ApiKey, Project, table_of
from collector.kit.errors import NotFound, ValidationFailed
from collector.kit.project_settings import DEFAULTS
from collector.projects.results import ProjectDetail

_projects = table_of(Project)
_keys = table_of(ApiKey)
MAX_NAME_LENGTH = 200
CLI_ACTOR = "cli"
ROTATE_ACTION = "keys.rotated"


@dataclass(frozen=True)
class ProjectSummary:
    id: uuid.UUID
    name: str
    created_at: datetime


@dataclass(frozen=True)
class KeyInfo:
    """A key as listings show it: its kind and first characters, never the key."""

    kind: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None


@dataclass(frozen=True)
class CreatedProject:
    id: uuid.UUID
    name: str
    write_key: str
    secret_key: str
    identity_secret: str


def create_project(connection: Connection, name: str, *, now: datetime) -> CreatedProject:
    """A new project with its keys and identity secret; the secret key is seen only here."""
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise ValidationFailed(
            "invalid project name",
            fields={"name": [f"must be 1 to {MAX_NAME_LENGTH} characters"]},
        )
    project_id = uuid.uuid4()
    identity_secret = generate_identity_secret()
    connection.execute(
        insert(_projects).values(
            id=project_id,
            name=name,
            created_at=now,
            settings={},
            identity_secret=identity_secret,
        )
    )
    return CreatedProject(
        id=project_id,
        name=name,
        write_key=store_key(connection, project_id, "write", now),
        secret_key=store_key(connection, project_id, "secret", now),
        identity_secret=identity_secret,
    )


def list_projects(connection: Connection) -> list[ProjectSummary]:
    rows = connection.execute(
        select(_projects.c.id, _projects.c.name, _projects.c.created_at).order_by(
            _projects.c.created_at, _projects.c.name
        )
    )
    return [ProjectSummary(id=row.id, name=row.name, created_at=row.created_at) for row in rows]


def rotate_project_keys(
    connection: Connection,
    project_id: uuid.UUID,
    kinds: tuple[KeyKind, ...],
    *,
    now: datetime,
    grace: timedelta,
    actor: str = CLI_ACTOR,
) -> dict[KeyKind, str]:
    """New keys of the given kinds; the replaced ones work for ``grace`` more.

    The audit entry is written in the same transaction: a rotation that happened is
    always on record, whether made with the CLI, a secret key or a dashboard session.
    """
    exists = connection.execute(select(_projects.c.id).where(_projects.c.id == project_id)).first()
    if exists is None:
        raise NotFound(f"no project with id {project_id}")
    new_keys = {
        kind: rotate_key(connection, project_id, kind, now=now, grace=grace) for kind in kinds
    }
    record(
        connection,
        project_id,
        actor=actor,
        action=ROTATE_ACTION,
        target=None,
        details={"kinds": list(kinds), "old_keys_expire_at": (now + grace).isoformat()},
        at=now,
    )
    return new_keys


def list_keys(connection: Connection, project_id: uuid.UUID, *, now: datetime) -> list[KeyInfo]:
    """The project's keys that still work, newest first: the current ones and those in
    their grace period. Only their first characters: a listing never shows a key."""
    rows = connection.execute(
        select(_keys.c.kind, _keys.c.prefix, _keys.c.created_at, _keys.c.expires_at)
        .where(
            _keys.c.project_id == project_id,
            or_(_keys.c.expires_at.is_(None), _keys.c.expires_at > now),
        )
        .order_by(_keys.c.created_at.desc(), _keys.c.id.desc())
    )
    return [
        KeyInfo(
            kind=row.kind, prefix=row.prefix, created_at=row.created_at, expires_at=row.expires_at
        )
        for row in rows
    ]


SETTING_DEFAULTS: dict[str, Any] = {
    "health": {
        "weights": dict(DEFAULTS.health.weights),
        "thresholds": dict(DEFAULTS.health.thresholds),
        "window_days": DEFAULTS.health.window_days,
    }
}
"""What applies where a project's settings say nothing: shown so a form can say so."""


def project_details(connection: Connection, project_id: uuid.UUID) -> ProjectDetail:
    """The project as its admins see it, identity secret included (secret-key routes only)."""
    row = connection.execute(select(_projects).where(_projects.c.id == project_id)).one()
    return {
        "id": row.id,
        "name": row.name,
        "created_at": row.created_at,
        "settings": row.settings or {},
        "defaults": SETTING_DEFAULTS,
        "identity_secret": row.identity_secret,
    }


def update_settings(
    connection: Connection, project_id: uuid.UUID, changes: Mapping[str, Any]
) -> ProjectDetail:
    """Merge validated setting changes (``throttle`` and ``health`` merge key by key) and
    return the project."""
    current = project_details(connection, project_id)["settings"]
    merged = {**current, **changes}
    if "throttle" in changes:
        merged["throttle"] = {**(current.get("throttle") or {}), **changes["throttle"]}
    if "health" in changes:
        merged["health"] = {**(current.get("health") or {}), **changes["health"]}
    connection.execute(
        update(_projects).where(_projects.c.id == project_id).values(settings=merged)
    )
    return project_details(connection, project_id)
