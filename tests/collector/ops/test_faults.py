"""The database failing under the collector: 503 with a clear error, never a 500, nothing
acknowledged that was not stored, and recovery without a restart."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from collector.app import create_app
from collector.kit.db.engine import build_engine
from collector.kit.db.migrate import upgrade
from collector.kit.settings import Settings
from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.ops.conftest import TcpProxy
from tests.conftest import LiveServer
from tests.conftest import _migrate as migrate
from tests.conftest import _new_database as new_database

PAGES_OF_HEADROOM = 40


@pytest.fixture
def proxied_postgres(tmp_path: Path) -> Iterator[tuple[str, TcpProxy]]:
    """A migrated PostgreSQL schema of its own, reached through a relay the test can cut."""
    with new_database("postgresql", tmp_path) as db_url:
        migrate(db_url)
        url = make_url(db_url)
        proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
        try:
            yield url.set(host="127.0.0.1", port=proxy.port).render_as_string(False), proxy
        finally:
            proxy.close()


def send(client: TestClient, project: CreatedProject) -> tuple[int, dict[str, Any], str]:
    message = factories.track()
    response = factories.send_batch(client, project, message)
    return response.status_code, response.json(), message["messageId"]


def test_a_lost_database_is_a_503_and_the_collector_recovers(
    proxied_postgres: tuple[str, TcpProxy],
) -> None:
    url, proxy = proxied_postgres
    engine = build_engine(url)
    project = factories.create_project(engine)
    engine.dispose()
    with TestClient(create_app(Settings(database_url=url, db_pool_size=2))) as client:
        acknowledged = [send(client, project)[2]]
        proxy.cut()
        status, body, lost = send(client, project)
        assert (status, body["error"]["code"]) == (503, "unavailable")
        assert "unreachable" in body["error"]["message"]
        assert client.get("/ready").status_code == 503
        proxy.restore()
        recovered = send(client, project)
        assert recovered[0] == 200
        acknowledged.append(recovered[2])
        stored = factories.stored_message_ids(client, project)
    assert sorted(stored) == sorted(acknowledged)
    assert lost not in stored


@pytest.fixture
def nearly_full_sqlite(tmp_path: Path) -> Iterator[str]:
    """A migrated SQLite database whose connections may grow it by a few pages only."""
    url = f"sqlite:///{tmp_path / 'small.db'}"
    engine = build_engine(url)
    upgrade(engine)
    with engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()
    engine.dispose()

    def cap(dbapi_connection: Any, _record: object) -> None:
        if str(tmp_path) in str(dbapi_connection.execute("PRAGMA database_list").fetchone()[2]):
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages + PAGES_OF_HEADROOM}")

    event.listen(Engine, "connect", cap)
    try:
        yield url
    finally:
        event.remove(Engine, "connect", cap)


def test_a_full_disk_is_a_503_and_nothing_unstored_is_acknowledged(
    nearly_full_sqlite: str,
) -> None:
    settings = Settings(database_url=nearly_full_sqlite, rate_limit_write_key=0)
    with TestClient(create_app(settings)) as client:
        engine = build_engine(nearly_full_sqlite)
        project = factories.create_project(engine)
        engine.dispose()
        answers = []
        for _ in range(200):
            batch = [factories.track(properties={"text": "x" * 2000}) for _ in range(10)]
            response = factories.send_batch(client, project, *batch)
            answers.append((response.status_code, [m["messageId"] for m in batch]))
            if response.status_code != 200:
                break
        status, refused = answers[-1]
        body = response.json()
        stored = set(factories.stored_message_ids(client, project))
    assert (status, body["error"]["code"]) == (503, "unavailable")
    assert "disk is full" in body["error"]["message"]
    assert stored == {m for code, ids in answers if code == 200 for m in ids}
    assert stored.isdisjoint(refused)


def retry(client: httpx2.Client, project: CreatedProject, message_id: str) -> int:
    """What an SDK does with a 503: send the message again, with its messageId."""
    body = {"batch": [factories.track(messageId=message_id)]}
    return client.post("/v1/batch", json=body, headers=factories.write_auth(project)).status_code


def wait_for(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the load never reached the expected state"
        time.sleep(0.02)


def test_a_database_lost_under_load_loses_no_acknowledged_message(
    proxied_postgres: tuple[str, TcpProxy], tmp_path: Path
) -> None:
    """Four clients post while the connection is cut and restored under them: every
    answer is a 200 or a 503, every 200 is stored, and once the 503s are retried as SDKs
    do, every message is stored exactly once (a commit cut off may have happened)."""
    url, proxy = proxied_postgres
    engine = build_engine(url)
    project = factories.create_project(engine)
    engine.dispose()
    server = LiveServer(url, tmp_path / "server.log", workers=2)
    server.start()
    answers: list[tuple[int, str]] = []
    done = threading.Event()

    def client_load() -> None:
        with httpx2.Client(base_url=server.url, timeout=30) as client:
            while not done.is_set():
                message = factories.track()
                body = {"batch": [message]}
                response = client.post(
                    "/v1/batch", json=body, headers=factories.write_auth(project)
                )
                answers.append((response.status_code, message["messageId"]))

    def count(status: int) -> int:
        return sum(1 for code, _ in list(answers) if code == status)

    clients = [threading.Thread(target=client_load) for _ in range(4)]
    try:
        for thread in clients:
            thread.start()
        wait_for(lambda: count(200) >= 10)
        proxy.cut()
        wait_for(lambda: count(503) >= 4)
        proxy.restore()
        recovered_from = count(200)
        wait_for(lambda: count(200) >= recovered_from + 10)
        done.set()
        for thread in clients:
            thread.join()
        with httpx2.Client(base_url=server.url, timeout=30) as client:
            stored_before_retries = set(factories.stored_message_ids(client, project))
            retried = [retry(client, project, m) for status, m in answers if status == 503]
            stored = factories.stored_message_ids(client, project)
    finally:
        done.set()
        server.stop()
    assert {status for status, _ in answers} <= {200, 503}
    assert {m for status, m in answers if status == 200} <= stored_before_retries
    assert set(retried) == {200}
    assert sorted(stored) == sorted(m for _, m in answers)
