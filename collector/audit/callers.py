"""Who is calling an admin route: the project, and the key's prefix as the audit's actor."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Engine
from starlette.requests import Request

from collector.kit.auth.guards import bearer_token, project_for_secret_key

ACTOR_LENGTH = 12
"""As many characters as key listings show (``ApiKey.prefix``): enough to tell keys apart."""


@dataclass(frozen=True)
class Caller:
    project_id: uuid.UUID
    actor: str


def actor_of(key: str) -> str:
    return key[:ACTOR_LENGTH]


def secret_key_caller(engine: Engine, request: Request) -> Caller:
    """The calling project (401/403 as every admin route) and the key that called."""
    project_id = project_for_secret_key(engine, request)
    return Caller(project_id=project_id, actor=actor_of(bearer_token(request) or ""))
