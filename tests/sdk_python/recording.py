"""A ``MockTransport`` handler that answers from a script and remembers every batch."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

from waypost import Client, MockTransport, Request, Response


class Collector:
    """Answers each batch with the next scripted response (200 once the script runs out).

    A scripted ``OSError`` is raised instead, as a network failure would be.
    """

    def __init__(self, script: Iterable[Response | OSError] = ()) -> None:
        self.script = list(script)
        self.requests: list[Request] = []
        self.times: list[float] = []
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> Response:
        with self._lock:
            self.requests.append(request)
            self.times.append(time.monotonic())
            answer = self.script.pop(0) if self.script else Response(200)
        if isinstance(answer, OSError):
            raise answer
        return answer

    def batches(self) -> list[list[dict[str, Any]]]:
        return [request.messages() for request in self.requests]

    def events(self) -> list[str]:
        return [message["event"] for batch in self.batches() for message in batch]


def client(collector: Collector, **options: Any) -> Client:
    """A client sending to ``collector``, quiet until flushed unless ``options`` say otherwise."""
    settings: dict[str, Any] = {"flush_interval": 30.0, "max_retries": 3, **options}
    return Client("wk_test", transport=MockTransport(collector), **settings)
