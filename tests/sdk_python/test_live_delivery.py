"""Delivery guarantees against a real ``waypost serve``: a process that exits still sends
its queue, failures in between are retried into exactly one stored copy, and forked
workers each send their own messages."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from collections.abc import Iterator

import httpx2
import pytest
import waypost
from waypost import Client

from collector.projects.service import CreatedProject
from tests import factories
from tests.conftest import LiveServer
from tests.sdk_python.live import WAIT_SECONDS
from tests.sdk_python.proxy import FailingProxy

FORK = multiprocessing.get_context("fork")
EXITING_WITHOUT_FLUSH = """
import sys, waypost
key, host, style = sys.argv[1:]
client = waypost.configure(key, host=host) if style == "module" else waypost.Client(key, host)
for n in range(25):
    (waypost if style == "module" else client).track("user-1", "Exported", message_id=f"exit-{n}")
"""


@pytest.fixture
def http(live_server: LiveServer) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=live_server.url, timeout=WAIT_SECONDS) as client:
        yield client


def stored(http: httpx2.Client, project: CreatedProject) -> list[str]:
    return sorted(factories.stored_message_ids(http, project))


@pytest.mark.parametrize("style", ["client", "module"])
def test_a_process_that_exits_without_flush_delivers_its_queue(
    live_server: LiveServer, http: httpx2.Client, project: CreatedProject, style: str
) -> None:
    command = [sys.executable, "-c", EXITING_WITHOUT_FLUSH, project.write_key, live_server.url]
    finished = subprocess.run(
        [*command, style], capture_output=True, timeout=WAIT_SECONDS, check=False
    )
    assert finished.returncode == 0, finished.stderr
    assert stored(http, project) == sorted(f"exit-{n}" for n in range(25))


def test_a_collector_answering_503_then_200_gets_each_message_once(
    proxy: FailingProxy, http: httpx2.Client, project: CreatedProject
) -> None:
    proxy.fail_first = 3
    client = Client(project.write_key, proxy.url, flush_at=5, flush_interval=30.0)
    sent = [f"retried-{n}" for n in range(12)]
    for message_id in sent:
        client.track("user-1", "Report Created", message_id=message_id)
    assert client.shutdown(WAIT_SECONDS)
    assert (proxy.failed, stored(http, project)) == (3, sorted(sent))


def test_a_batch_stored_but_answered_503_is_stored_once(
    proxy: FailingProxy, http: httpx2.Client, project: CreatedProject
) -> None:
    proxy.fail_first, proxy.forward_failures = 2, True
    client = Client(project.write_key, proxy.url, flush_interval=30.0)
    sent = [f"lost-answer-{n}" for n in range(10)]
    for message_id in sent:
        client.track("user-1", "Report Created", message_id=message_id)
    assert client.shutdown(WAIT_SECONDS)
    assert (proxy.requests, stored(http, project)) == (3, sorted(sent))


def worker(number: int) -> None:
    """A prefork worker: uses the client configured in the parent before the fork."""
    waypost.track("user-1", "Report Created", message_id=f"worker-{number}")
    raise SystemExit(0 if waypost.shutdown(WAIT_SECONDS) else 1)


def test_forked_workers_and_their_parent_each_send_their_own_messages_once(
    live_server: LiveServer, http: httpx2.Client, project: CreatedProject
) -> None:
    waypost.configure(project.write_key, host=live_server.url, flush_interval=30.0)
    try:
        waypost.track("user-1", "Report Created", message_id="parent-before-fork")
        workers = [FORK.Process(target=worker, args=(n,)) for n in range(3)]
        for process in workers:
            process.start()
        waypost.track("user-1", "Report Created", message_id="parent-after-fork")
        for process in workers:
            process.join(WAIT_SECONDS)
        assert [process.exitcode for process in workers] == [0, 0, 0]
    finally:
        assert waypost.shutdown(WAIT_SECONDS)
    expected = ["parent-after-fork", "parent-before-fork", "worker-0", "worker-1", "worker-2"]
    assert stored(http, project) == expected
