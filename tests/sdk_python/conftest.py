"""Fixtures of the SDK's live tests: a real ``waypost serve`` per module and backend, an
admin client of it, and a proxy in front of it that fails on purpose."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from waypost import AdminClient

from collector.projects.service import CreatedProject
from tests.conftest import LiveServer
from tests.sdk_python.live import WAIT_SECONDS
from tests.sdk_python.proxy import FailingProxy


@pytest.fixture(scope="module")
def live_server(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One ``waypost serve`` per test module and backend: the SDK's tests each use a project
    of their own and never stop the server, so starting one per test would only cost time."""
    server = LiveServer(db_url, tmp_path_factory.mktemp("live") / "server.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def admin(live_server: LiveServer, project: CreatedProject) -> Iterator[AdminClient]:
    with AdminClient(project.secret_key, live_server.url, timeout=WAIT_SECONDS) as client:
        yield client


@pytest.fixture
def proxy(live_server: LiveServer) -> Iterator[FailingProxy]:
    """Forwards to the live collector; set ``fail_first`` to answer 503 before that."""
    server = FailingProxy(live_server.url)
    server.start()
    try:
        yield server
    finally:
        server.stop()
