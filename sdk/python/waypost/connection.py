"""One kept-alive HTTP connection to the collector, shared by the tracking transport and
the admin client: a TCP and TLS handshake per request would cost more than the request.

The connection is reopened when it breaks, when the collector closed it while idle (the
socket reads as ready with nothing asked), and in the child of a fork, which must not
write to its parent's socket.
"""

from __future__ import annotations

import email.utils
import http.client
import os
import select
import threading
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass(frozen=True)
class Response:
    """The collector's answer; header names are lower-case."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


class Connection:
    """Requests to ``host`` in turn over one keep-alive connection (thread-safe)."""

    def __init__(self, host: str, *, timeout: float) -> None:
        url = urllib.parse.urlsplit(host)
        if url.scheme not in ("http", "https") or not url.netloc:
            raise ValueError(f"host must be an http:// or https:// URL, not {host!r}")
        self.prefix = url.path.rstrip("/")
        self._kind = (
            http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
        )
        self._netloc = url.netloc
        self._timeout = timeout
        self._connection: http.client.HTTPConnection | None = None
        self._pid = os.getpid()
        self._lock = threading.Lock()

    def request(
        self, method: str, target: str, body: bytes | None, headers: Mapping[str, str]
    ) -> Response:
        """Send one request; an ``OSError`` for any network failure (after which it reconnects)."""
        with self._lock:
            try:
                return self._exchange(method, self.prefix + target, body, headers)
            except OSError:
                self._close()
                raise
            except http.client.HTTPException as error:
                self._close()
                raise ConnectionError(f"bad HTTP answer: {error!r}") from error

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection = None

    def _exchange(
        self, method: str, target: str, body: bytes | None, headers: Mapping[str, str]
    ) -> Response:
        connection = self._open()
        connection.request(method, target, body=body, headers=dict(headers))
        answer = connection.getresponse()
        content = answer.read()
        names = {name.lower(): value for name, value in answer.getheaders()}
        if answer.will_close:
            self._close()
        return Response(answer.status, names, content)

    def _open(self) -> http.client.HTTPConnection:
        if self._pid != os.getpid():
            # The parent's socket: forget it without closing it under the parent.
            self._connection, self._pid = None, os.getpid()
        if self._connection is not None and _closed_by_peer(self._connection):
            self._close()
        if self._connection is None:
            self._connection = self._kind(self._netloc, timeout=self._timeout)
        return self._connection


def _closed_by_peer(connection: http.client.HTTPConnection) -> bool:
    """An idle keep-alive socket that is readable has been closed (or broken) by the server."""
    sock = connection.sock
    if sock is None:
        return False
    if not hasattr(select, "poll"):  # Windows: select() takes any socket there
        return bool(select.select([sock], [], [], 0)[0])
    poller = select.poll()  # poll(), unlike select(), takes descriptors past 1024
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


def retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds from now, given as seconds or as an HTTP date; ``None``
    when absent or unreadable. Never negative."""
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    if email.utils.parsedate_tz(value) is None:
        return None
    moment = email.utils.parsedate_to_datetime(value)
    return max((moment - datetime.now(UTC)).total_seconds(), 0.0)
