"""``AdminClient`` keeps one connection, reports refusals as ``APIError`` and keys stay
within their project."""

from __future__ import annotations

import email.utils
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import pytest
from waypost import AdminClient, APIError

from collector.projects.service import CreatedProject
from tests.conftest import LiveServer, free_port
from tests.sdk_python.proxy import FailingProxy
from tests.sdk_python.raw_server import RawReply, RawServer, http_reply

PROJECT = {
    "id": "p-1",
    "name": "Acme",
    "created_at": "2026-01-01T00:00:00Z",
    "settings": {},
    "identity_secret": "ik_x",
}


class CannedHandler(BaseHTTPRequestHandler):
    """Answers every request with ``status``, ``body`` and ``headers``, then hangs up
    without saying so (no ``Connection: close``), as an idle keep-alive timeout does."""

    protocol_version = "HTTP/1.1"
    status: ClassVar[int] = 200
    body: ClassVar[bytes] = json.dumps(PROJECT).encode()
    headers_out: ClassVar[dict[str, str]] = {}
    closed: ClassVar[threading.Semaphore]

    def do_GET(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(self.status)
        for name, value in self.headers_out.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)
        self.close_connection = True

    do_PATCH = do_GET

    def finish(self) -> None:
        super().finish()
        self.connection.close()
        self.closed.release()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


def canned_server(**answer: Any) -> Iterator[tuple[str, threading.Semaphore]]:
    closed = threading.Semaphore(0)
    handler = type("Handler", (CannedHandler,), {**answer, "closed": closed})
    server = HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", closed
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def hanging_up() -> Iterator[tuple[str, threading.Semaphore]]:
    """A server closing each connection after one answer; released once per closing."""
    yield from canned_server()


@pytest.fixture
def rate_limited() -> Iterator[tuple[str, threading.Semaphore]]:
    """A server answering every request with 429 and ``Retry-After: 7``."""
    body = b'{"error": {"code": "rate_limited", "message": "slow down"}}'
    yield from canned_server(status=429, body=body, headers_out={"Retry-After": "7"})


def admin_via(proxy: FailingProxy, project: CreatedProject) -> AdminClient:
    return AdminClient(project.secret_key, proxy.url, timeout=15.0)


def test_calls_share_one_connection(proxy: FailingProxy, project: CreatedProject) -> None:
    with admin_via(proxy, project) as admin:
        admin.create_survey({"name": "NPS", "type": "nps"})
        admin.list_surveys()
        admin.project()
    assert (proxy.requests, proxy.connections) == (3, 1)


def test_a_closed_client_reconnects_on_its_next_call(
    proxy: FailingProxy, project: CreatedProject
) -> None:
    with admin_via(proxy, project) as admin:
        admin.project()
        admin.close()
        admin.project()
    assert proxy.connections == 2


def test_a_write_after_the_server_hung_up_uses_a_new_connection(
    hanging_up: tuple[str, threading.Semaphore],
) -> None:
    url, closed = hanging_up
    with AdminClient("sk_test", url, timeout=5.0) as admin:
        admin.update_project_settings({"require_identity_verification": True})
        assert closed.acquire(timeout=5.0)
        assert admin.update_project_settings({}).name == "Acme"


def test_another_projects_key_cannot_read_the_survey(
    admin: AdminClient, live_server: LiveServer, other_project: CreatedProject
) -> None:
    survey = admin.create_survey({"name": "NPS", "type": "nps"})
    with (
        AdminClient(other_project.secret_key, live_server.url) as other,
        pytest.raises(APIError) as raised,
    ):
        other.get_survey(survey.id)
    assert raised.value.status == 404


def test_a_write_key_is_forbidden(live_server: LiveServer, project: CreatedProject) -> None:
    with (
        AdminClient(project.write_key, live_server.url) as admin,
        pytest.raises(APIError) as raised,
    ):
        admin.list_surveys()
    assert (raised.value.status, raised.value.code) == (403, "forbidden")


def test_a_rate_limited_answer_carries_retry_after(
    rate_limited: tuple[str, threading.Semaphore],
) -> None:
    with AdminClient("sk_test", rate_limited[0]) as admin, pytest.raises(APIError) as raised:
        admin.project()
    assert (raised.value.status, raised.value.code, raised.value.retry_after) == (
        429,
        "rate_limited",
        7.0,
    )


def test_a_network_failure_raises_os_error() -> None:
    with pytest.raises(OSError):
        AdminClient("sk_test", f"http://127.0.0.1:{free_port()}", timeout=2.0).project()


def test_a_host_that_is_not_a_url_is_refused() -> None:
    with pytest.raises(ValueError, match="host"):
        AdminClient("sk_test", "waypost.example.com")


@pytest.fixture
def raw_servers() -> Iterator[list[RawServer]]:
    servers: list[RawServer] = []
    yield servers
    for server in servers:
        server.close()


def scripted(servers: list[RawServer], *script: RawReply) -> RawServer:
    server = RawServer(script)
    servers.append(server)
    return server


PROJECT_REPLY = http_reply("200 OK", json.dumps(PROJECT).encode())


def test_a_read_whose_connection_dropped_is_sent_again(raw_servers: list[RawServer]) -> None:
    server = scripted(raw_servers, None, PROJECT_REPLY)
    with AdminClient("sk_test", server.url) as admin:
        assert admin.project().name == "Acme"
    assert len(server.requests) == 2


def test_a_write_whose_connection_dropped_is_not_sent_again(
    raw_servers: list[RawServer],
) -> None:
    server = scripted(raw_servers, None, PROJECT_REPLY)
    with AdminClient("sk_test", server.url) as admin, pytest.raises(ConnectionError):
        admin.update_project_settings({})
    assert len(server.requests) == 1


def test_a_garbled_answer_raises_a_connection_error(raw_servers: list[RawServer]) -> None:
    server = scripted(raw_servers, b"HELLO THERE\r\n\r\n", b"HELLO THERE\r\n\r\n")
    with AdminClient("sk_test", server.url) as admin, pytest.raises(ConnectionError):
        admin.project()


def test_an_answer_closing_the_connection_is_followed_by_a_new_one(
    raw_servers: list[RawServer],
) -> None:
    closing = http_reply("200 OK", json.dumps(PROJECT).encode(), "Connection: close")
    server = scripted(raw_servers, closing, closing)
    with AdminClient("sk_test", server.url) as admin:
        assert [admin.project().name, admin.project().name] == ["Acme", "Acme"]


def test_an_error_that_is_not_json_keeps_its_text(raw_servers: list[RawServer]) -> None:
    server = scripted(raw_servers, http_reply("502 Bad Gateway", b"upstream down"))
    with AdminClient("sk_test", server.url) as admin, pytest.raises(APIError) as raised:
        admin.project()
    assert (raised.value.status, raised.value.code, raised.value.message) == (
        502,
        "http_error",
        "upstream down",
    )


def test_a_retry_after_date_is_read_as_seconds(raw_servers: list[RawServer]) -> None:
    later = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=60), usegmt=True)
    refusal = b'{"error": {"code": "unavailable", "message": "maintenance"}}'
    server = scripted(raw_servers, http_reply("503 Unavailable", refusal, f"Retry-After: {later}"))
    with AdminClient("sk_test", server.url) as admin, pytest.raises(APIError) as raised:
        admin.project()
    assert raised.value.retry_after is not None and 50 < raised.value.retry_after <= 60
