"""Key owners and project settings as the authentication and the guards in front of the
routes read them on every request: remembered for a few seconds, so that a hit costs no
query.

Each app keeps its own, built by its lifespan (:class:`collector.kit.http.state.AppState`):
nothing outlives the app, and two apps in one process share nothing.

A key's owner is kept for ``TTL_SECONDS``, never past the key's own end, so a rotated-out
key is refused the moment its grace period ends. A rotation made through this app forgets
the project's keys at once (:meth:`KeyOwners.forget_project`); one made elsewhere (``waypost
keys rotate``, another worker) is seen within ``TTL_SECONDS``. A settings change applies at
once in the worker that made it and reaches the others within ``TTL_SECONDS``.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

from sqlalchemy import Engine, select

from collector.kit.auth.keys import KeyKind, KeyOwner, find_owner, kind_of, lookup_value
from collector.kit.db.engine import read_transaction
from collector.kit.db.models import Project, table_of
from collector.kit.project_settings import ProjectSettings

TTL_SECONDS = 5.0
MAX_ENTRIES = 10_000
_projects = table_of(Project)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Kept(Generic[V]):
    value: V
    until: float


class Expiring(Generic[K, V]):
    """Values kept until their own moment (on ``clock``), shared by every thread.

    A value read while something was forgotten is not kept: it may have been read from
    the database before the change that made the cache forget.
    """

    def __init__(self, ttl: float = TTL_SECONDS, clock: Clock = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._entries: dict[K, Kept[V]] = {}
        self._lock = threading.Lock()
        self._generation = 0

    def get(self, key: K) -> Kept[V] | None:
        """The kept value, unless there is none or it has expired."""
        found = self._entries.get(key)
        if found is None or found.until <= self.clock():
            return None
        return found

    def remember(self, key: K, read: Callable[[], tuple[V, float]]) -> V:
        """The kept value, else ``read()``'s, kept for as many seconds as it says (at
        most ``ttl``)."""
        kept = self.get(key)
        if kept is not None:
            return kept.value
        with self._lock:
            generation = self._generation
        value, seconds = read()
        until = self.clock() + min(seconds, self.ttl)
        with self._lock:
            if generation == self._generation:
                if len(self._entries) >= MAX_ENTRIES:
                    self._entries.clear()
                self._entries[key] = Kept(value, until)
        return value

    def forget(self, matches: Callable[[K, V], bool]) -> None:
        """Drop every kept value that ``matches``, and any being read right now."""
        with self._lock:
            self._generation += 1
            for key in [k for k, kept in self._entries.items() if matches(k, kept.value)]:
                del self._entries[key]


def _seconds_until(end: datetime | None) -> float:
    return float("inf") if end is None else (end - datetime.now(UTC)).total_seconds()


class KeyOwners:
    """The owner of each key presented to this app: its project and kind, or None."""

    def __init__(self, engine: Engine, clock: Clock = time.monotonic) -> None:
        self.engine = engine
        self._kept: Expiring[tuple[KeyKind, str], KeyOwner | None] = Expiring(clock=clock)

    @staticmethod
    def _name(key: str) -> tuple[KeyKind, str] | None:
        """What a key is kept under: its kind too, since a secret key's stored hash, once
        presented as a key, must not find the secret key's owner."""
        kind = kind_of(key)
        return None if kind is None else (kind, lookup_value(key))

    def kept(self, key: str) -> Kept[KeyOwner | None] | None:
        """The owner if it is known without a query (for the event loop)."""
        name = self._name(key)
        return Kept(None, 0.0) if name is None else self._kept.get(name)

    def find(self, key: str) -> KeyOwner | None:
        """The owner of a key that is known and not expired, else None; may query."""
        name = self._name(key)
        if name is None:
            return None

        def read() -> tuple[KeyOwner | None, float]:
            with read_transaction(self.engine) as connection:
                owner = find_owner(connection, key, datetime.now(UTC))
            return owner, _seconds_until(owner.expires_at if owner else None)

        return self._kept.remember(name, read)

    def forget_key(self, lookup: str) -> None:
        """After a key (by its ``lookup_value``) was found no longer valid, look it up
        again on its next use."""
        self._kept.forget(lambda name, _owner: name[1] == lookup)

    def forget_project(self, project_id: uuid.UUID) -> None:
        """After the project's keys changed (a rotation), look them up again."""
        self._kept.forget(lambda _name, owner: owner is not None and owner.project_id == project_id)


class ProjectSettingsCache:
    """Each project's settings, as the guards read them (limits, allowed origins)."""

    def __init__(self, engine: Engine, clock: Clock = time.monotonic) -> None:
        self.engine = engine
        self._kept: Expiring[uuid.UUID, ProjectSettings] = Expiring(clock=clock)

    def get(self, project_id: uuid.UUID) -> ProjectSettings:
        def read() -> tuple[ProjectSettings, float]:
            with read_transaction(self.engine) as connection:
                found = connection.execute(
                    select(_projects.c.settings).where(_projects.c.id == project_id)
                ).scalar()
            return ProjectSettings.from_stored(found), TTL_SECONDS

        return self._kept.remember(project_id, read)

    def forget(self, project_id: uuid.UUID) -> None:
        """After a change through this app, read the project's settings afresh."""
        self._kept.forget(lambda kept, _settings: kept == project_id)
