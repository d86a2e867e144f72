"""A loopback server that answers each request with the next scripted raw reply: bytes to
send as they are (a garbled answer, say), or ``None`` to hang up without answering."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterable

RawReply = bytes | None


def http_reply(status: str, body: bytes, *headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", *headers, "", ""]
    return "\r\n".join(lines).encode() + body


class RawServer:
    def __init__(self, script: Iterable[RawReply]) -> None:
        self.script = list(script)
        self.requests: list[bytes] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def close(self) -> None:
        self._listener.close()

    def _serve(self) -> None:
        while self.script:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            with connection:
                self._answer(connection)

    def _answer(self, connection: socket.socket) -> None:
        """Answer requests on one connection while the script says to keep it open."""
        while self.script:
            request = _read_request(connection)
            if not request:
                return
            self.requests.append(request)
            reply = self.script.pop(0)
            if reply is None:
                return
            connection.sendall(reply)


def _read_request(connection: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":")[1])
            for line in head.lower().split(b"\r\n")
            if line.startswith(b"content-length:")
        ),
        0,
    )
    while len(body) < length:
        body += connection.recv(65536)
    return head + b"\r\n\r\n" + body
