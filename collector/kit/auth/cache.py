"""Project settings and key owners as the guards in front of the routes need them:
remembered for a few seconds per process, so a limit check costs no extra query.

A settings change (limits, allowed origins) applies at once in the worker that made it
and reaches the others within ``TTL_SECONDS``.
"""

from __future__ import annotations

import threading
import time
import uuid
import weakref
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select

from collector.kit.auth.keys import find_owner, lookup_value
from collector.kit.db.engine import read_transaction
from collector.kit.db.models import Project, table_of
from collector.kit.project_settings import ProjectSettings

TTL_SECONDS = 5.0
MAX_ENTRIES = 10_000
_projects = table_of(Project)


class _Cache:
    def __init__(self) -> None:
        self._entries: dict[Any, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, now: float) -> tuple[bool, Any]:
        with self._lock:
            found = self._entries.get(key)
        if found is None or found[0] < now:
            return False, None
        return True, found[1]

    def drop(self, key: Any) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def put(self, key: Any, value: Any, now: float) -> None:
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (now + TTL_SECONDS, value)


_caches: weakref.WeakKeyDictionary[Engine, _Cache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def _cache(engine: Engine) -> _Cache:
    with _caches_lock:
        return _caches.setdefault(engine, _Cache())


def project_settings(engine: Engine, project_id: uuid.UUID) -> ProjectSettings:
    cache, now = _cache(engine), time.monotonic()
    hit, value = cache.get(("settings", project_id), now)
    if hit:
        return value  # type: ignore[no-any-return]
    with read_transaction(engine) as connection:
        found = connection.execute(
            select(_projects.c.settings).where(_projects.c.id == project_id)
        ).scalar()
    settings = ProjectSettings.from_stored(found)
    cache.put(("settings", project_id), settings, now)
    return settings


def forget_settings(engine: Engine, project_id: uuid.UUID) -> None:
    """After a change through this process, read the project's settings afresh."""
    _cache(engine).drop(("settings", project_id))


def key_project(engine: Engine, key: str, kind: str) -> uuid.UUID | None:
    """The project of a valid key of this kind, or None (the route itself answers 401)."""
    cache, now = _cache(engine), time.monotonic()
    lookup = ("key", kind, lookup_value(key))
    hit, value = cache.get(lookup, now)
    if hit:
        return value  # type: ignore[no-any-return]
    with read_transaction(engine) as connection:
        owner = find_owner(connection, key, datetime.now(UTC))
    project_id = owner.project_id if owner is not None and owner.kind == kind else None
    cache.put(lookup, project_id, now)
    return project_id
