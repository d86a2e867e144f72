"""A loopback HTTP proxy in front of the live collector that can fail on purpose.

It answers the first ``fail_first`` requests itself (503 by default) and forwards every
other one, body and headers unchanged, over a keep-alive connection of its own. With
``forward_failures`` it forwards the failed requests too and only replaces the answer, as
when a collector stored a batch but the answer was lost on the way back. It counts
the TCP connections clients open to it, which is how a test sees connection reuse.
"""

from __future__ import annotations

import http.client
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "server", "date"}
"""Headers each hop writes for itself."""


class FailingProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str, *, fail_first: int = 0, status: int = 503) -> None:
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.upstream = urllib.parse.urlsplit(upstream).netloc
        self.fail_first, self.status = fail_first, status
        self.forward_failures = False
        self.requests = 0
        self.failed = 0
        self.connections = 0
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def should_fail(self) -> bool:
        with self.lock:
            self.requests += 1
            if self.failed < self.fail_first:
                self.failed += 1
                return True
            return False

    def start(self) -> None:
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FailingProxy

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.connections += 1
        self.upstream = http.client.HTTPConnection(self.server.upstream, timeout=15)

    def finish(self) -> None:
        self.upstream.close()
        super().finish()

    def do_POST(self) -> None:
        self.relay()

    def do_GET(self) -> None:
        self.relay()

    def do_PATCH(self) -> None:
        self.relay()

    def do_DELETE(self) -> None:
        self.relay()

    def relay(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        fail = self.server.should_fail()
        if not fail or self.server.forward_failures:
            status, headers, content = self.forward(body)
        if fail:
            status, headers, content = self.server.status, {}, b'{"error": "unavailable"}'
        self.answer(status, headers, content)

    def forward(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        self.upstream.request(self.command, self.path, body=body, headers=headers)
        answer = self.upstream.getresponse()
        content = answer.read()
        kept = {k: v for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP}
        return answer.status, kept, content

    def answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads counts, not logs."""
