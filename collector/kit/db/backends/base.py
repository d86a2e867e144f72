"""The ``Backend`` protocol: everything Waypost does differently on SQLite and PostgreSQL.

Feature code never asks which database it runs on; it asks the backend of its engine
(:func:`collector.kit.db.backends.backend_of`) for what it needs, and each method says
why the databases differ there.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, Table, TextClause
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL
from sqlalchemy.engine.interfaces import DBAPICursor

WRITE_OPTION = "waypost_write"
"""Execution option of connections that write (see ``write_transaction``)."""

ConflictInsert = postgresql.Insert | sqlite.Insert
"""An ``INSERT`` that takes ``ON CONFLICT`` clauses: Core has them only per dialect."""

EventDays = Mapping[tuple[uuid.UUID, str, date], int]
"""``{(person, event, day): count}``: what to add to persons' daily event counters."""


@dataclass(frozen=True)
class DriverValues:
    """Values as Core's types bind and read them, for statements that bypass Core."""

    bind_uuid: Callable[[uuid.UUID | None], Any]
    bind_time: Callable[[datetime | None], Any]
    """For ``UtcDateTime`` columns."""
    bind_json: Callable[[Any], Any]
    """For ``Document`` columns: the JSON text on SQLite (``None`` is ``null``, as Core's
    ``JSON`` stores it); on PostgreSQL the value itself, nested in the rows' document."""
    read_uuid: Callable[[Any], uuid.UUID]
    read_json: Callable[[Any], Any]
    """A ``Document`` column's value: JSON text on SQLite, already parsed on PostgreSQL."""


@dataclass(frozen=True, eq=False)
class Statements:
    """SQL text of hot statements that bypass Core, in each driver's parameter style.

    Positional parameters are listed in order; ``{name}`` marks a named parameter that
    the caller spells with ``named_parameter``. Each backend has one, compared and hashed
    by identity: delivery caches the statements it builds from it on every request.
    """

    known_identities: str
    """``(JSON array of distinct ids, project)`` → ``distinct_id, person_id, user_id`` of
    the ids the project knows."""
    lock_traits: str
    """``(JSON array of person ids)`` → ``id, traits, trait_times``, rows locked where
    writers run side by side."""
    save_traits: str
    """``(traits, trait_times, updated_at, id)``, one tuple per person."""
    experiences_stamp: str
    """A scalar subquery: how many experiences project ``{project}`` has and when one
    last changed, as text (any create, edit or archive changes it)."""
    person_facts: str
    """Four JSON array columns of person ``per`` in project ``p``: account traits (by
    group id), experience states, counters of the events in the JSON array ``{events}``,
    and impressions since ``{since}``."""
    named_parameter: str
    """``str.format`` pattern of a named parameter: ``:{}`` or ``%({})s``."""


def utc(value: datetime | None) -> datetime | None:
    """What ``UtcDateTime`` binds: aware values in UTC; naive ones are refused."""
    if value is None or value.tzinfo is UTC:
        return value
    if value.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
    return value.astimezone(UTC)


class Backend(Protocol):
    """One database's ways, chosen once when the engine is built.

    Bulk inserts take rows of driver values (see ``values``) in ``columns`` order.
    ``insert_many_reporting_new`` returns the ``key`` column's values of the rows it
    inserted, each once; ``key`` must tell the rows apart, and ``stored()`` must give the
    keys among them already stored, which the backend asks for only where the database
    cannot say what it inserted. ``advisory_turn`` keys are one 64-bit or two 32-bit ints.
    """

    @property
    def name(self) -> str:
        """The SQLAlchemy dialect name the backend serves."""
        ...

    @property
    def values(self) -> DriverValues:
        """sqlite3 binds only text and numbers; psycopg adapts UUIDs and datetimes itself."""
        ...

    @property
    def sql(self) -> Statements:
        """Each database expands JSON arrays, builds JSON and locks rows in its own words."""
        ...

    @property
    def runs_in_process(self) -> bool:
        """SQLite runs statements in this process's threads; PostgreSQL over the network."""
        ...

    @property
    def skips_locked_rows(self) -> bool:
        """PostgreSQL's concurrent claimers skip each other's row locks; SQLite has none."""
        ...

    @property
    def bucket_check(self) -> Callable[[int], TextClause] | None:
        """PostgreSQL shares rate buckets across processes; SQLite's one process keeps none."""
        ...

    def build_engine(self, url: URL, *, pool_size: int) -> Engine:
        """SQLite needs pragmas, its own BEGIN and one writer; PostgreSQL a connection pool."""
        ...

    def writer_turn(self, engine: Engine) -> AbstractContextManager[None]:
        """SQLite admits one writer, so a process queues its own; PostgreSQL has no need."""
        ...

    def raw_cursor(self, engine: Engine) -> AbstractContextManager[DBAPICursor]:
        """psycopg would begin a transaction for each statement; sqlite3 here never does."""
        ...

    def advisory_turn(
        self, engine: Engine, key: int | tuple[int, int]
    ) -> AbstractContextManager[bool]:
        """PostgreSQL grants one process a job's advisory lock; SQLite's one process, always."""
        ...

    def transaction_lock(self, connection: Connection, key: str, *, exclusive: bool) -> bool:
        """PostgreSQL writers need a lock till commit (True); SQLite's take turns (False)."""
        ...

    def insert_on_conflict(self, table: Table) -> ConflictInsert:
        """Core spells ``ON CONFLICT`` only through each dialect's own ``insert``."""
        ...

    def insert_many_ignoring_duplicates(
        self,
        connection: Connection,
        table: Table,
        columns: Sequence[str],
        rows: list[tuple[Any, ...]],
    ) -> None:
        """Fastest in bulk: sqlite3's executemany in C; one JSON document to PostgreSQL."""
        ...

    def insert_many_reporting_new(
        self,
        connection: Connection,
        table: Table,
        columns: Sequence[str],
        rows: list[tuple[Any, ...]],
        *,
        key: str,
        stored: Callable[[], Collection[Any]],
    ) -> list[Any]:
        """PostgreSQL returns the keys it inserted; SQLite's executemany cannot: it reads first."""
        ...

    def add_event_days(
        self, connection: Connection, project_id: uuid.UUID, counts: EventDays
    ) -> None:
        """PostgreSQL adds all counters in one statement over arrays; SQLite by executemany."""
        ...

    def without_waiting_for_disk(self, connection: Connection) -> None:
        """PostgreSQL's commits wait for an fsync unless told; SQLite's WAL commits never do."""
        ...

    def tune_for_analysis(self, connection: Connection) -> None:
        """PostgreSQL's sorts spill past 4 MB and its JIT slows index seeks; SQLite has neither."""
        ...
