"""Which project each write key belongs to, remembered by each process.

``GET /v1/flows`` needs the project before it can read anything, and a key never moves
to another project, so the answer is kept for as long as the process runs (up to
``MAX_KEYS`` keys). It is only a hint: that the key is still valid (known, a write key, not
expired or rotated out) is checked again by the statement that reads the person
(:func:`collector.delivery.loading.by_write_key`), so a key is refused the moment it
expires, as without this.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Engine

from collector.kit.auth.guards import project_for_write_key

MAX_KEYS = 10_000

_projects: dict[str, uuid.UUID] = {}


def project_of(engine: Engine, key: str | None) -> uuid.UUID:
    """The project of a write key; ``InvalidKey`` for a key that is not a valid one."""
    if key:
        found = _projects.get(key)
        if found is not None:
            return found
    project_id = project_for_write_key(engine, key)
    if len(_projects) >= MAX_KEYS:
        _projects.clear()
    _projects[key or ""] = project_id
    return project_id


def forget(key: str | None) -> None:
    """Drop a key found no longer valid, so that its next use is looked up again."""
    _projects.pop(key or "", None)
