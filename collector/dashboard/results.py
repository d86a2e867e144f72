"""What the dashboard's session routes answer."""

from __future__ import annotations

import uuid
from typing import TypedDict


class ProjectRef(TypedDict):
    id: uuid.UUID
    name: str


class SessionView(TypedDict):
    email: str
    projects: list[ProjectRef]
    csrf_token: str
