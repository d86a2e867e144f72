"""Where buckets live: in the process on SQLite (one process serves a small app), in the
``rate_buckets`` table on PostgreSQL so that every worker and host shares them.

On PostgreSQL a check is one autocommitted ``INSERT … ON CONFLICT DO UPDATE … RETURNING``:
one round trip, a row lock held for the statement only.
"""

from __future__ import annotations

import threading
import weakref
from typing import Protocol

from sqlalchemy import Engine, text

from collector.ratelimit.gcra import Decision, Limit, decide

MAX_MEMORY_BUCKETS = 100_000

_CHECK_SQL = text(
    "INSERT INTO rate_buckets (key, tat, allowed) VALUES (:key, :now + :interval, true)"
    " ON CONFLICT (key) DO UPDATE SET"
    "  tat = CASE WHEN GREATEST(rate_buckets.tat, :now) + :interval - :now <= :tolerance"
    "   THEN GREATEST(rate_buckets.tat, :now) + :interval ELSE rate_buckets.tat END,"
    "  allowed = GREATEST(rate_buckets.tat, :now) + :interval - :now <= :tolerance"
    " RETURNING tat, allowed"
)
_SWEEP_SQL = text("DELETE FROM rate_buckets WHERE tat < :now")


class BucketStore(Protocol):
    def check(self, key: str, limit: Limit, now: float) -> Decision: ...

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

    def sweep(self, now: float) -> int:
        with self._lock:
            return self._sweep_locked(now)

    def _sweep_locked(self, now: float) -> int:
        full = [key for key, tat in self._tats.items() if tat < now]
        for key in full:
            del self._tats[key]
        return len(full)


class PostgresStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def check(self, key: str, limit: Limit, now: float) -> Decision:
        params = {
            "key": key,
            "now": now,
            "interval": limit.interval,
            "tolerance": limit.tolerance,
        }
        with self._engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            tat, allowed = c.execute(_CHECK_SQL, params).one()
        retry = 0.0 if allowed else tat + limit.interval - now - limit.tolerance
        return Decision(allowed=bool(allowed), tat=float(tat), retry_after=retry)

    def sweep(self, now: float) -> int:
        with self._engine.begin() as connection:
            return connection.execute(_SWEEP_SQL, {"now": now}).rowcount


_stores: weakref.WeakKeyDictionary[Engine, BucketStore] = weakref.WeakKeyDictionary()
_stores_lock = threading.Lock()


def store_for(engine: Engine) -> BucketStore:
    """The engine's bucket store, made on first use."""
    with _stores_lock:
        store = _stores.get(engine)
        if store is None:
            postgres = engine.dialect.name == "postgresql"
            store = PostgresStore(engine) if postgres else MemoryStore()
            _stores[engine] = store
        return store
