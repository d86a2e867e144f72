"""Account health changes: noticing that an account moved between green, yellow and red.

Health is computed when read (:mod:`collector.analytics.accounts.health`), so nothing changes on its
own; an evaluation scores a project's accounts, compares each colour with the one stored
in ``account_health_states`` and, in one transaction, stores the new colours, adds each
account's first colour and every change to ``account_health_history``, and writes an
``account.health_changed`` outbox message per change (:func:`record_health_changes`).

An account's first evaluation records its colour and sends nothing: a change needs a colour
to change from, and turning evaluation on must not send one message per existing account.
An account without a score (nothing to score it on) keeps its last colour.

The webhook worker evaluates every ``WAYPOST_HEALTH_EVALUATION_SECONDS``; ``waypost health
evaluate`` evaluates now (for cron). On PostgreSQL a per-project advisory lock lets one
process evaluate a project at a time; the others skip it, and a worker skips a project
another one evaluated less than an interval ago, so many workers do the work about once.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, insert, select, update

from collector.analytics.accounts.health import accounts_health
from collector.kit.db.backends import backend_of
from collector.kit.db.engine import read_transaction, write_transaction
from collector.kit.db.models import (
    Account,
    AccountHealthChange,
    AccountHealthState,
    Project,
    table_of,
)
from collector.kit.errors import NotFound
from collector.kit.jobs import Periodic
from collector.webhooks.outbox import HealthChange, record_health_changes

_states = table_of(AccountHealthState)
_history = table_of(AccountHealthChange)
_accounts = table_of(Account)
_projects = table_of(Project)
LOCK_CLASS = 0x5741_5948  # "WAYH": the first key of every project's evaluation lock
DUE_SHARE = 0.9
"""A project evaluated less than this share of the interval ago is not due yet: timers of
several workers drift, and one a little early must not skip a whole round."""
logger = logging.getLogger("waypost.health")


@dataclass(frozen=True)
class Change:
    account_id: uuid.UUID
    group_id: str
    previous: str
    current: str
    score: float | None


@dataclass(frozen=True)
class Evaluation:
    """One project's evaluation: the accounts given a colour, and those whose colour changed."""

    project_id: uuid.UUID
    accounts: int = 0
    changes: tuple[Change, ...] = ()
    skipped: bool = False
    """Another process was evaluating the project, or it was not due."""


def project_turn(engine: Engine, project_id: uuid.UUID) -> AbstractContextManager[bool]:
    """Whether this process may evaluate the project now: always on SQLite (one writer at a
    time, and changes are compared inside the write), one holder per project on PostgreSQL."""
    key = (LOCK_CLASS, int.from_bytes(project_id.bytes[:4], "big", signed=True))
    return backend_of(engine).advisory_turn(engine, key)


def evaluate_project(
    engine: Engine, project_id: uuid.UUID, now: datetime, *, interval: float = 0
) -> Evaluation:
    """Evaluate one project's accounts at ``now``; skipped when another process is evaluating
    it, or (with an ``interval`` in seconds) evaluated it less than an interval ago."""
    with project_turn(engine, project_id) as mine:
        if not mine or (interval and not _due(engine, project_id, now, interval)):
            return Evaluation(project_id, skipped=True)
        entries, _ = accounts_health(engine, project_id, None, now)
        with write_transaction(engine) as connection:
            return _apply(connection, project_id, entries, now)


def evaluate_projects(
    engine: Engine, now: datetime, project_ids: Sequence[uuid.UUID] | None = None
) -> list[Evaluation]:
    """Evaluate the given projects (all by default), in order; unknown ids are refused."""
    known = _project_ids(engine)
    for project_id in project_ids or ():
        if project_id not in known:
            raise NotFound(f"project {project_id} does not exist")
    return [evaluate_project(engine, project_id, now) for project_id in project_ids or known]


def _project_ids(engine: Engine) -> list[uuid.UUID]:
    with read_transaction(engine) as connection:
        return list(connection.execute(select(_projects.c.id).order_by(_projects.c.id)).scalars())


def _due(engine: Engine, project_id: uuid.UUID, now: datetime, interval: float) -> bool:
    with read_transaction(engine) as connection:
        last = connection.execute(
            select(func.max(_states.c.evaluated_at)).where(_states.c.project_id == project_id)
        ).scalar()
    return last is None or now - last >= timedelta(seconds=interval * DUE_SHARE)


def _apply(
    connection: Connection,
    project_id: uuid.UUID,
    entries: Sequence[Mapping[str, Any]],
    now: datetime,
) -> Evaluation:
    scored = {entry["account_id"]: entry for entry in entries if entry["status"] is not None}
    stored = dict(
        connection.execute(
            select(_states.c.account_id, _states.c.colour).where(_states.c.project_id == project_id)
        ).all()
    )
    rows = [
        {
            "account_id": account_id,
            "project_id": project_id,
            "colour": entry["status"],
            "score": entry["score"],
            "evaluated_at": now,
        }
        for account_id, entry in scored.items()
    ]
    _store(connection, [row for row in rows if row["account_id"] not in stored], new=True)
    _store(connection, [row for row in rows if row["account_id"] in stored], new=False)
    changes = tuple(
        Change(account_id, entry["group_id"], stored[account_id], entry["status"], entry["score"])
        for account_id, entry in scored.items()
        if account_id in stored and stored[account_id] != entry["status"]
    )
    firsts = [row for row in rows if row["account_id"] not in stored]
    _remember(connection, project_id, firsts, changes, now)
    _record(connection, project_id, changes, now)
    return Evaluation(project_id, len(scored), changes)


def _remember(
    connection: Connection,
    project_id: uuid.UUID,
    firsts: Sequence[Mapping[str, Any]],
    changes: Sequence[Change],
    now: datetime,
) -> None:
    """Each account's first colour, then every change: never an unchanged colour, so the
    history grows with changes rather than with evaluations."""
    entries = [(row["account_id"], row["colour"], None, row["score"]) for row in firsts] + [
        (c.account_id, c.current, c.previous, c.score) for c in changes
    ]
    if not entries:
        return
    connection.execute(
        insert(_history),
        [
            {
                "project_id": project_id,
                "account_id": account_id,
                "colour": colour,
                "previous": previous,
                "score": score,
                "at": now,
            }
            for account_id, colour, previous, score in entries
        ],
    )


def _store(connection: Connection, rows: list[dict[str, Any]], *, new: bool) -> None:
    if not rows:
        return
    if new:
        connection.execute(insert(_states), rows)
        return
    statement = (
        update(_states)
        .where(_states.c.account_id == bindparam("b_account"))
        .values(
            colour=bindparam("colour"),
            score=bindparam("score"),
            evaluated_at=bindparam("evaluated_at"),
        )
    )
    # The key column is bound under another name: a parameter named like a column is SET.
    connection.execute(
        statement,
        [{"b_account": row["account_id"], **_changed_columns(row)} for row in rows],
    )


def _changed_columns(row: Mapping[str, Any]) -> dict[str, Any]:
    return {name: row[name] for name in ("colour", "score", "evaluated_at")}


def _record(
    connection: Connection, project_id: uuid.UUID, changes: Sequence[Change], now: datetime
) -> None:
    if not changes:
        return
    traits = dict(
        connection.execute(
            select(_accounts.c.id, _accounts.c.traits).where(
                _accounts.c.id.in_([change.account_id for change in changes])
            )
        ).all()
    )
    record_health_changes(
        connection,
        project_id,
        [
            HealthChange(
                account={
                    "id": change.account_id,
                    "group_id": change.group_id,
                    "traits": traits.get(change.account_id) or {},
                },
                previous=change.previous,
                current=change.current,
                score=change.score,
            )
            for change in changes
        ],
        now,
    )


def evaluate_due(engine: Engine, interval: float, stopping: threading.Event) -> None:
    """One round: every project not evaluated within ``interval`` seconds; a project that
    fails is logged and left for the next round, so one cannot hold the others back."""
    for project_id in _project_ids(engine):
        if stopping.is_set():
            return
        try:
            evaluate_project(engine, project_id, datetime.now(UTC), interval=interval)
        except Exception:
            logger.exception("health evaluation of project %s failed", project_id)


def health_evaluation(engine: Engine, interval: float) -> Periodic | None:
    """The job evaluating due projects now and every ``interval`` seconds (None when
    ``interval`` is 0: evaluation is off). Stopping waits for the project being evaluated,
    not for the round."""
    if interval <= 0:
        return None
    return Periodic(
        "health-evaluation", interval, lambda stopping: evaluate_due(engine, interval, stopping)
    )
