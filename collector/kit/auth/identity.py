"""Identity verification: the customer's server signs each user id, so that nobody can read
or answer as another user by changing the id their browser sends.

The signature is the hex HMAC-SHA256 of the user id, keyed with the project's identity
secret (the scheme Intercom and others use, easy to compute in any language).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid

from sqlalchemy import Connection, select

from collector.kit.db.models import Project, table_of
from collector.kit.project_settings import ProjectSettings

_projects = table_of(Project)

IDENTITY_SECRET_PREFIX = "ik_"


def generate_identity_secret() -> str:
    return IDENTITY_SECRET_PREFIX + secrets.token_urlsafe(32)


def identity_hash(secret: str, user_id: str) -> str:
    return hmac.new(secret.encode(), user_id.encode(), hashlib.sha256).hexdigest()


def is_valid_identity_hash(secret: str, user_id: str, presented: str | None) -> bool:
    """Constant-time comparison, so timing tells nothing about the right value.

    Compared as bytes: ``compare_digest`` raises on a ``str`` that is not ASCII, and what
    is presented comes from the browser.
    """
    if not presented:
        return False
    expected = identity_hash(secret, user_id).encode()
    return hmac.compare_digest(expected, presented.strip().lower().encode())


def verification_secret(connection: Connection, project_id: uuid.UUID) -> str | None:
    """The identity secret when the project requires identity verification, else None."""
    row = connection.execute(
        select(_projects.c.settings, _projects.c.identity_secret).where(
            _projects.c.id == project_id
        )
    ).one()
    if not ProjectSettings.from_stored(row.settings).require_identity_verification:
        return None
    return str(row.identity_secret or "")
