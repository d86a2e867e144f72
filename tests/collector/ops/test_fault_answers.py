"""How database failures are worded and answered, failure by failure."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import orjson
import pytest
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.requests import Request

from collector.kit import metrics
from collector.kit.http.faults import describe, handle_dbapi_error


def request() -> Request:
    return Request({"type": "http", "method": "POST", "path": "/v1/batch", "headers": []})


def test_a_full_disk_says_nothing_was_stored() -> None:
    failure = OperationalError("INSERT", {}, Exception("database or disk is full"))
    assert describe(failure) == "the database's disk is full; nothing of this request was stored"


def test_a_pool_with_no_free_connection_says_so() -> None:
    assert describe(PoolTimeout("QueuePool limit reached")).startswith(
        "every database connection is busy"
    )


def test_a_lost_connection_says_a_retry_is_safe() -> None:
    failure = DBAPIError("COMMIT", {}, Exception("server closed the connection"))
    assert "retried messageId is stored once" in describe(failure)


def test_a_connection_found_dead_is_a_503() -> None:
    failure = DBAPIError("SELECT 1", {}, Exception("closed"), connection_invalidated=True)
    answer = asyncio.run(handle_dbapi_error(request(), failure))
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "5"


def test_any_other_database_error_is_an_internal_error() -> None:
    failure = DBAPIError("INSERT", {}, Exception("check constraint"))
    answer = asyncio.run(handle_dbapi_error(request(), failure))
    assert answer.status_code == 500
    assert orjson.loads(bytes(answer.body))["error"]["code"] == "internal_error"


def test_a_stopped_workers_live_gauges_are_dropped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(metrics.MULTIPROC_VARIABLE, str(tmp_path))
    live = tmp_path / f"gauge_livesum_{os.getpid()}.db"
    live.write_bytes(b"")
    metrics.forget_worker(os.getpid())
    assert not live.exists()
