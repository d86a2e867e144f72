"""After ``os.fork()`` the child sends its own messages, never the parent's queued ones."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

from waypost import Client, MockTransport, Request, Response

FORK = multiprocessing.get_context("fork")


class FileCollector:
    """Appends each batch's events to a file, which parent and child can both write."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self, request: Request) -> Response:
        with self.path.open("a") as file:
            file.writelines(json.dumps(m["event"]) + "\n" for m in request.messages())
        return Response(200)

    def events(self) -> list[str]:
        return [json.loads(line) for line in self.path.read_text().splitlines()]


def child(sdk: Client) -> None:
    sdk.track("user-1", "from the child")
    raise SystemExit(0 if sdk.flush(5) else 1)


def test_the_child_sends_only_its_own_messages(tmp_path: Path) -> None:
    collector = FileCollector(tmp_path / "events.jsonl")
    sdk = Client("wk_test", transport=MockTransport(collector), flush_interval=30.0)
    sdk.track("user-1", "from the parent")
    process = FORK.Process(target=child, args=(sdk,))
    process.start()
    process.join(10)
    assert process.exitcode == 0
    assert sdk.flush(5)
    assert sorted(collector.events()) == ["from the child", "from the parent"]
