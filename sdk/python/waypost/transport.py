"""How batches reach the collector, kept behind a tiny protocol so that the consumer can be
tested, and your own code too, without a network.

``HttpTransport`` is the real one: ``http.client`` over one keep-alive connection, gzip on
by default. ``MockTransport`` calls a function of yours instead::

    import waypost

    seen: list[waypost.Request] = []

    def handler(request: waypost.Request) -> waypost.Response:
        seen.append(request)
        return waypost.Response(200)

    client = waypost.Client("wk_test", transport=waypost.MockTransport(handler), sync_mode=True)
    client.track("user-1", "Report Created")
    assert seen[0].messages()[0]["event"] == "Report Created"

The handler gets the uncompressed body; what it returns (or raises, as ``OSError`` for a
network failure) is what the client sees, retries included.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from gzip import compress
from typing import Any, Protocol

from waypost.connection import Connection, Response

__all__ = ["HttpTransport", "MockTransport", "Request", "Response", "Transport"]

GZIP_LEVEL = 1
"""Batches are repetitive JSON: the fastest level already shrinks them about tenfold, and
the higher ones cost the sending thread several times the CPU for a few percent more."""


@dataclass(frozen=True)
class Request:
    """One batch as ``MockTransport`` hands it to the handler."""

    body: bytes
    headers: Mapping[str, str]

    def json(self) -> dict[str, Any]:
        decoded: dict[str, Any] = json.loads(self.body)
        return decoded

    def messages(self) -> list[dict[str, Any]]:
        batch: list[dict[str, Any]] = self.json()["batch"]
        return batch


class Transport(Protocol):
    def send(self, batch_body: bytes, headers: Mapping[str, str]) -> Response: ...


class HttpTransport:
    """``POST {host}/v1/batch`` over kept-alive connections; see ``waypost.connection``.

    Each sending thread uses an idle connection of the pool, or opens one: with
    ``threads=2`` two batches are in flight at once, one per connection.
    """

    def __init__(self, host: str, *, gzip: bool = True, timeout: float = 10.0) -> None:
        self._host, self._timeout, self._gzip = host, timeout, gzip
        # Opened now so that a host that is not a URL is refused at construction.
        self._idle = [Connection(host, timeout=timeout)]

    def send(self, batch_body: bytes, headers: Mapping[str, str]) -> Response:
        if self._gzip:
            batch_body = compress(batch_body, GZIP_LEVEL)
            headers = {**headers, "Content-Encoding": "gzip"}
        connection = self._checkout()
        try:
            return connection.request("POST", "/v1/batch", batch_body, headers)
        finally:
            self._idle.append(connection)

    def close(self) -> None:
        while self._idle:
            self._checkout().close()

    def _checkout(self) -> Connection:
        # list.pop and list.append are atomic: no lock that a fork could leave held.
        try:
            return self._idle.pop()
        except IndexError:
            return Connection(self._host, timeout=self._timeout)


class MockTransport:
    """Calls ``handler`` with each batch instead of sending it; see the module docstring."""

    def __init__(self, handler: Callable[[Request], Response]) -> None:
        self._handler = handler

    def send(self, batch_body: bytes, headers: Mapping[str, str]) -> Response:
        return self._handler(Request(batch_body, dict(headers)))
