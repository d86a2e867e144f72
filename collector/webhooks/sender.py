"""One HTTP POST to a receiver: checked addresses, a deadline, no redirects, a size cap.

The standard library's ``http.client`` is used because it lets the worker connect to the
very address it has just checked (see :mod:`collector.webhooks.targets`) while still
sending the receiver's host name in ``Host`` and in TLS SNI, and because it follows no
redirects by itself: a 3xx is an answer like any other, so a receiver cannot bounce a
webhook to an internal address.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from collector.webhooks.targets import Resolver, TargetRefused, safe_addresses, system_resolver

USER_AGENT = "Waypost-Webhooks/1"
MAX_RESPONSE_BYTES = 64 * 1024
"""Read no further than this; the log keeps the first ``KEPT_RESPONSE_CHARS``."""
KEPT_RESPONSE_CHARS = 2000
MAX_ERROR_CHARS = 500


@dataclass(frozen=True)
class SendResult:
    status_code: int | None
    body: str | None
    error: str | None
    duration_ms: int
    retry_after: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass(frozen=True)
class Sender:
    """How the worker sends: its deadline, whether private addresses are allowed, and the
    resolver (the system's, or a fixed one in tests of DNS rebinding)."""

    timeout: float = 15.0
    allow_private: bool = False
    resolve: Resolver = system_resolver

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> SendResult:
        started = time.monotonic()
        try:
            status, answer, retry_after = self._exchange(url, body, headers, started)
        except (TargetRefused, OSError, http.client.HTTPException, ValueError) as exc:
            return SendResult(None, None, _describe(exc), _elapsed_ms(started))
        return SendResult(status, answer, None, _elapsed_ms(started), retry_after)

    def _exchange(
        self, url: str, body: bytes, headers: dict[str, str], started: float
    ) -> tuple[int, str, str | None]:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = safe_addresses(
            host, port, allow_private=self.allow_private, resolve=self.resolve
        )[0]
        connection = _connection(parts.scheme, host, port, self.timeout)
        # Connect to the address just checked, not to whatever the name resolves to next.
        connection._create_connection = lambda _where, timeout, source: socket.create_connection(  # type: ignore[attr-defined]
            (address, port), timeout, source
        )
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request("POST", path, body=body, headers=_headers(headers, body))
            response = connection.getresponse()
            answer = _read_capped(response, started + self.timeout)
            return response.status, answer, response.getheader("retry-after")
        finally:
            connection.close()


def _connection(scheme: str, host: str, port: int, timeout: float) -> http.client.HTTPConnection:
    if scheme == "https":
        return http.client.HTTPSConnection(host, port, timeout=timeout, context=_tls_context())
    return http.client.HTTPConnection(host, port, timeout=timeout)


@cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def _headers(headers: dict[str, str], body: bytes) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "content-length": str(len(body)),
        **headers,
    }


def _read_capped(response: http.client.HTTPResponse, deadline: float) -> str:
    """At most ``MAX_RESPONSE_BYTES`` of the answer, read before the deadline."""
    received = bytearray()
    while len(received) < MAX_RESPONSE_BYTES:
        if time.monotonic() > deadline:
            raise TimeoutError("the receiver took too long to answer")
        chunk = response.read1(MAX_RESPONSE_BYTES - len(received))
        if not chunk:
            break
        received += chunk
    return received.decode("utf-8", errors="replace")[:KEPT_RESPONSE_CHARS]


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TargetRefused):
        text = f"refused target: {exc}"
    elif isinstance(exc, TimeoutError):
        text = "timed out"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return text[:MAX_ERROR_CHARS]


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
