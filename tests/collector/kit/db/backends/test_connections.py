"""What a backend does to connections: lent raw, tuned for analysis, committing without
waiting for the disk, and where rate buckets are kept."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, insert, select

from collector.kit.db.backends import backend_of
from collector.kit.db.engine import build_engine, read_transaction, write_transaction
from collector.kit.db.models import Suppression, table_of
from collector.projects.service import CreatedProject

_suppressions = table_of(Suppression)


def _suppression(project: CreatedProject, id_hash: str) -> dict[str, object]:
    return {
        "project_id": project.id,
        "id_hash": id_hash,
        "created_at": datetime.now(UTC),
        "dropped_count": 0,
    }


def _is_stored(engine: Engine, project: CreatedProject, id_hash: str) -> bool:
    with read_transaction(engine) as connection:
        return (
            connection.execute(
                select(_suppressions.c.id).where(
                    _suppressions.c.project_id == project.id, _suppressions.c.id_hash == id_hash
                )
            ).first()
            is not None
        )


@pytest.fixture
def one_connection_engine(db_url: str) -> Iterator[Engine]:
    """An engine that lends its one pooled connection again and again."""
    engine = build_engine(db_url, pool_size=1)
    yield engine
    engine.dispose()


def test_a_raw_cursor_runs_a_statement_on_its_own(engine: Engine) -> None:
    with backend_of(engine).raw_cursor(engine) as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_connection_lent_to_a_raw_cursor_rolls_back_again_once_returned(
    one_connection_engine: Engine, project: CreatedProject
) -> None:
    engine = one_connection_engine
    with backend_of(engine).raw_cursor(engine) as cursor:
        cursor.execute("SELECT 1")
    with engine.connect() as connection:
        transaction = connection.begin()
        connection.execute(insert(_suppressions), [_suppression(project, "rolled-back")])
        transaction.rollback()
    assert not _is_stored(engine, project, "rolled-back")


def test_a_transaction_that_does_not_wait_for_the_disk_still_commits(
    engine: Engine, project: CreatedProject
) -> None:
    with write_transaction(engine) as connection:
        backend_of(connection).without_waiting_for_disk(connection)
        connection.execute(insert(_suppressions), [_suppression(project, "quick")])
    assert _is_stored(engine, project, "quick")


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_analysis_tuning_ends_with_its_transaction(engine: Engine) -> None:
    with engine.connect() as connection:
        with connection.begin():
            before = connection.exec_driver_sql("SHOW work_mem").scalar()
        with connection.begin():
            backend_of(connection).tune_for_analysis(connection)
            tuned = connection.exec_driver_sql("SHOW work_mem").scalar()
        with connection.begin():
            after = connection.exec_driver_sql("SHOW work_mem").scalar()
    assert (tuned, after) == ("64MB", before)


def test_an_analysis_reads_in_a_tuned_transaction(engine: Engine, project: CreatedProject) -> None:
    with write_transaction(engine) as connection:
        connection.execute(insert(_suppressions), [_suppression(project, "read")])
    with read_transaction(engine) as connection:
        backend_of(connection).tune_for_analysis(connection)
        found = connection.execute(
            select(_suppressions.c.id_hash).where(_suppressions.c.project_id == project.id)
        ).scalar()
    assert found == "read"


@pytest.mark.parametrize(
    ("db_url", "shared"), [("sqlite", False), ("postgresql", True)], indirect=["db_url"]
)
def test_rate_buckets_are_kept_in_the_database_only_where_processes_share_it(
    engine: Engine, shared: bool
) -> None:
    assert (backend_of(engine).bucket_check is not None) is shared


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_bucket_check_counts_one_request_in_each_bucket(engine: Engine) -> None:
    check = backend_of(engine).bucket_check
    assert check is not None
    now, keys = time.time(), [f"test-{uuid.uuid4()}", f"test-{uuid.uuid4()}"]
    parameters: dict[str, object] = {"now": now}
    for n, key in enumerate(keys):
        parameters |= {f"key{n}": key, f"interval{n}": 1.0, f"tolerance{n}": 0.0}
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        first = connection.execute(check(2), parameters).all()
        second = connection.execute(check(2), parameters).all()
    assert sorted((row.n, row.allowed) for row in first) == [(0, True), (1, True)]
    assert sorted((row.n, row.allowed) for row in second) == [(0, False), (1, False)]
