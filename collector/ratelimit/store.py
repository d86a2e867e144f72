"""Where buckets live: in the process on SQLite (one process serves a small app), in the
``rate_buckets`` table on PostgreSQL so that every worker and host shares them.

On PostgreSQL the buckets a request is counted in are checked by one autocommitted
statement (the backend's ``bucket_check``: an ``INSERT … ON CONFLICT DO UPDATE …
RETURNING`` per bucket, as data-modifying ``WITH`` queries): one round trip per request,
row locks held for the statement only, on an unlogged table so no commit waits for the
disk.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import Engine, text

from collector.kit.db.backends import backend_of
from collector.ratelimit.gcra import Decision, Limit, decide

MAX_MEMORY_BUCKETS = 100_000

_SWEEP_SQL = text("DELETE FROM rate_buckets WHERE tat < :now")


Check = tuple[str, Limit]
"""A bucket's key and the limit it is counted against."""


class BucketStore(Protocol):
    def check(self, key: str, limit: Limit, now: float) -> Decision: ...

    def check_all(self, checks: Sequence[Check], now: float) -> list[Decision]:
        """Count one request in every bucket, in order: a decision per bucket. A store may
        answer a bucket it knows is still refusing without counting in the others."""
        ...

    def sweep(self, now: float) -> int:
        """Forget buckets that are full again (they would start full anyway)."""
        ...


class MemoryStore:
    def __init__(self) -> None:
        self._tats: dict[str, float] = {}
        self._lock = threading.Lock()

    def check(self, key: str, limit: Limit, now: float) -> Decision:
        with self._lock:
            decision = decide(self._tats.get(key), now, limit)
            if len(self._tats) >= MAX_MEMORY_BUCKETS and key not in self._tats:
                self._sweep_locked(now)
            self._tats[key] = decision.tat
        return decision

    def check_all(self, checks: Sequence[Check], now: float) -> list[Decision]:
        return [self.check(key, limit, now) for key, limit in checks]

    def sweep(self, now: float) -> int:
        with self._lock:
            return self._sweep_locked(now)

    def _sweep_locked(self, now: float) -> int:
        full = [key for key, tat in self._tats.items() if tat < now]
        for key in full:
            del self._tats[key]
        return len(full)


class PostgresStore:
    """Buckets in the database, and the refusals this process has seen.

    A bucket that refused cannot allow anything before its retry time (the TAT only ever
    moves later, whichever process moves it), so until then this process refuses it from
    memory: a flood past its limit costs no round trip and no row lock.
    """

    def __init__(self, engine: Engine) -> None:
        backend = backend_of(engine)
        bucket_check = backend.bucket_check
        if bucket_check is None:
            raise ValueError(f"{backend.name} keeps no rate buckets in the database")
        self._engine = engine
        self._bucket_check = bucket_check
        self._refusing: dict[str, float] = {}
        """Bucket key to the moment before which it refuses."""
        self._lock = threading.Lock()

    def check(self, key: str, limit: Limit, now: float) -> Decision:
        return self.check_all([(key, limit)], now)[0]

    def check_all(self, checks: Sequence[Check], now: float) -> list[Decision]:
        if not checks:
            return []
        known = self._known_refusal(checks, now)
        if known is not None:
            return known
        params: dict[str, Any] = {"now": now}
        for n, (key, limit) in enumerate(checks):
            params |= {
                f"key{n}": key,
                f"interval{n}": limit.interval,
                f"tolerance{n}": limit.tolerance,
            }
        with self._engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            rows = c.execute(self._bucket_check(len(checks)), params).all()
        results = {row.n: row for row in rows}
        decisions = [
            _decision(results[n].tat, results[n].allowed, limit, now)
            for n, (_key, limit) in enumerate(checks)
        ]
        self._remember_refusals(checks, decisions, now)
        return decisions

    def _known_refusal(self, checks: Sequence[Check], now: float) -> list[Decision] | None:
        """Decisions without a round trip when a bucket is known to refuse: that one
        refuses, the others are not counted (the request is refused anyway)."""
        with self._lock:
            until = [self._refusing.get(key, 0.0) for key, _limit in checks]
        if all(moment <= now for moment in until):
            return None
        return [
            Decision(allowed=False, tat=moment, retry_after=moment - now)
            if moment > now
            else Decision(allowed=True, tat=now, retry_after=0.0)
            for moment in until
        ]

    def _remember_refusals(
        self, checks: Sequence[Check], decisions: Sequence[Decision], now: float
    ) -> None:
        refused = [
            (key, now + decision.retry_after)
            for (key, _limit), decision in zip(checks, decisions, strict=True)
            if not decision.allowed
        ]
        if not refused:
            return
        with self._lock:
            if len(self._refusing) >= MAX_MEMORY_BUCKETS:
                self._refusing = {k: t for k, t in self._refusing.items() if t > now}
            self._refusing.update(refused)

    def sweep(self, now: float) -> int:
        with self._engine.begin() as connection:
            return connection.execute(_SWEEP_SQL, {"now": now}).rowcount


def _decision(tat: float, allowed: bool, limit: Limit, now: float) -> Decision:
    retry = 0.0 if allowed else tat + limit.interval - now - limit.tolerance
    return Decision(allowed=bool(allowed), tat=float(tat), retry_after=retry)


_stores: weakref.WeakKeyDictionary[Engine, BucketStore] = weakref.WeakKeyDictionary()
_stores_lock = threading.Lock()


def store_for(engine: Engine) -> BucketStore:
    """The engine's bucket store, made on first use."""
    with _stores_lock:
        store = _stores.get(engine)
        if store is None:
            shared = backend_of(engine).bucket_check is not None
            store = PostgresStore(engine) if shared else MemoryStore()
            _stores[engine] = store
        return store
