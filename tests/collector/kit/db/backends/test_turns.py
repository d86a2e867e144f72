"""Turns and locks: how work that must not overlap is kept apart on each database."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from collector.kit.db.backends import backend_of
from collector.kit.db.engine import write_transaction

JOB = 0x5445_5354_0001
"""An advisory key no job of the collector uses."""
KEYS = [pytest.param(JOB, id="one-key"), pytest.param((0x5445_5354, 7), id="two-keys")]
WAIT_SECONDS = 10.0


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("key", KEYS)
def test_postgresql_gives_a_jobs_turn_to_one_holder_at_a_time(
    engine: Engine, key: int | tuple[int, int]
) -> None:
    backend = backend_of(engine)
    with backend.advisory_turn(engine, key) as first, backend.advisory_turn(engine, key) as second:
        assert (first, second) == (True, False)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_always_gives_its_one_process_the_turn(engine: Engine) -> None:
    backend = backend_of(engine)
    with backend.advisory_turn(engine, JOB) as first, backend.advisory_turn(engine, JOB) as second:
        assert (first, second) == (True, True)


@pytest.mark.parametrize("key", KEYS)
def test_a_turn_is_free_again_once_its_holder_is_done(
    engine: Engine, key: int | tuple[int, int]
) -> None:
    backend = backend_of(engine)
    with backend.advisory_turn(engine, key):
        pass
    with backend.advisory_turn(engine, key) as again:
        assert again


@pytest.mark.parametrize(
    ("db_url", "taken"), [("sqlite", False), ("postgresql", True)], indirect=["db_url"]
)
def test_a_transaction_lock_is_taken_only_where_writers_run_side_by_side(
    engine: Engine, taken: bool
) -> None:
    with write_transaction(engine) as connection:
        lock = backend_of(connection).transaction_lock(connection, "test", exclusive=True)
    assert lock is taken


def _in_thread(work: Callable[[], None]) -> tuple[threading.Thread, threading.Event]:
    done = threading.Event()

    def run() -> None:
        work()
        done.set()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, done


def _locked_write(engine: Engine, key: str, *, exclusive: bool) -> Callable[[], None]:
    def work() -> None:
        with write_transaction(engine) as connection:
            backend_of(connection).transaction_lock(connection, key, exclusive=exclusive)

    return work


def test_an_exclusive_section_keeps_a_second_writer_out_until_the_first_commits(
    engine: Engine,
) -> None:
    """PostgreSQL's lock or SQLite's one writer at a time: the second waits either way."""
    key = f"test:{uuid.uuid4()}"
    with write_transaction(engine) as connection:
        backend_of(connection).transaction_lock(connection, key, exclusive=True)
        thread, done = _in_thread(_locked_write(engine, key, exclusive=True))
        assert not done.wait(0.3)
    assert done.wait(WAIT_SECONDS)
    thread.join()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_shared_transaction_locks_admit_each_other(engine: Engine) -> None:
    key = f"test:{uuid.uuid4()}"
    with write_transaction(engine) as connection:
        backend_of(connection).transaction_lock(connection, key, exclusive=False)
        thread, done = _in_thread(_locked_write(engine, key, exclusive=False))
        assert done.wait(WAIT_SECONDS)
    thread.join()
