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

import gzip
import http.client
import json
import os
import threading
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Response:
    """The collector's answer; header names are lower-case."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


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
    """``POST {host}/v1/batch`` over one kept-alive connection, reopened when it breaks or
    when the process has forked (a socket must not be shared with the parent)."""

    def __init__(self, host: str, *, gzip: bool = True, timeout: float = 10.0) -> None:
        url = urllib.parse.urlsplit(host)
        self._https = url.scheme == "https"
        self._netloc = url.netloc
        self._path = url.path.rstrip("/") + "/v1/batch"
        self._gzip = gzip
        self._timeout = timeout
        self._connection: http.client.HTTPConnection | None = None
        self._pid = os.getpid()
        self._lock = threading.Lock()

    def send(self, batch_body: bytes, headers: Mapping[str, str]) -> Response:
        body, headers = self._encoded(batch_body, headers)
        with self._lock:
            try:
                return self._post(body, headers)
            except OSError:
                self.close()
                raise
            except http.client.HTTPException as error:
                self.close()
                raise ConnectionError(f"bad HTTP answer: {error!r}") from error

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection = None

    def _encoded(self, body: bytes, headers: Mapping[str, str]) -> tuple[bytes, dict[str, str]]:
        if not self._gzip:
            return body, dict(headers)
        return gzip.compress(body), {**headers, "Content-Encoding": "gzip"}

    def _post(self, body: bytes, headers: dict[str, str]) -> Response:
        connection = self._open()
        connection.request("POST", self._path, body=body, headers=headers)
        answer = connection.getresponse()
        content = answer.read()
        names = {name.lower(): value for name, value in answer.getheaders()}
        return Response(answer.status, names, content)

    def _open(self) -> http.client.HTTPConnection:
        if self._pid != os.getpid():
            self._connection, self._pid = None, os.getpid()
        if self._connection is None:
            kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            self._connection = kind(self._netloc, timeout=self._timeout)
        return self._connection


class MockTransport:
    """Calls ``handler`` with each batch instead of sending it; see the module docstring."""

    def __init__(self, handler: Callable[[Request], Response]) -> None:
        self._handler = handler

    def send(self, batch_body: bytes, headers: Mapping[str, str]) -> Response:
        return self._handler(Request(batch_body, dict(headers)))
