"""A project as its admins see it, as the projects service answers it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, NotRequired, TypedDict


class ProjectDetail(TypedDict):
    id: uuid.UUID
    name: str
    created_at: datetime
    settings: dict[str, Any]
    defaults: dict[str, Any]
    identity_secret: NotRequired[str]
    """Left out of what a browser is answered."""


class RotatedKeys(TypedDict):
    """The new keys, shown this once: only those of the kinds rotated."""

    write_key: NotRequired[str]
    secret_key: NotRequired[str]
    old_keys_expire_at: datetime
