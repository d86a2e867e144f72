"""What the SDK sends, pinned as one JSON file per call type under ``snapshots/``, and
proof that the collector stores each of them.

Volatile values are replaced by placeholders before comparing: the generated
``messageId`` (checked to be a UUID4), the generated ``timestamp`` and ``sentAt`` (checked
to be ISO 8601 UTC) and the SDK's version. After an intended change of the payload, rewrite
the files with ``WAYPOST_UPDATE_SNAPSHOTS=1`` and review the difference.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import waypost
from starlette.testclient import TestClient
from waypost import Client, MockTransport, Request, Response

from collector.projects.service import CreatedProject
from tests import factories

SNAPSHOTS = Path(__file__).parent / "snapshots"
ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
UUID4, NOW, VERSION = "<uuid4>", "<iso-8601-utc>", "<version>"
CONTEXT = {"ip": "203.0.113.7", "locale": "he-IL", "page": {"url": "https://app.example.com/"}}

CALLS: dict[str, Callable[[Client], object]] = {
    "track": lambda sdk: sdk.track(
        "user-42",
        "Report Created",
        {"kind": "funnel", "price": Decimal("9.90"), "due": date(2026, 12, 1), "tags": ("a", "b")},
        context=CONTEXT,
    ),
    "identify": lambda sdk: sdk.identify(
        "user-42",
        {"email": "ada@example.com", "plan": "pro", "signed_up": datetime(2026, 1, 2, tzinfo=UTC)},
        anonymous_id="anon-7",
    ),
    "group": lambda sdk: sdk.group("user-42", "account-7", {"name": "Acme", "seats": 25}),
    "page": lambda sdk: sdk.page("user-42", "Docs", "Getting started", {"path": "/docs/start"}),
    "screen": lambda sdk: sdk.screen(None, "Settings", {"tab": "billing"}, anonymous_id="anon-7"),
    "alias": lambda sdk: sdk.alias(
        "anon-7", "user-42", integrations={"All": True}, message_id="alias-anon-7"
    ),
}


def sent(call_type: str) -> Request:
    requests: list[Request] = []

    def keep(request: Request) -> Response:
        requests.append(request)
        return Response(200)

    CALLS[call_type](Client("wk_test", transport=MockTransport(keep), sync_mode=True))
    [request] = requests
    return request


def normalised(request: Request) -> dict[str, Any]:
    body = request.json()
    assert ISO_UTC.fullmatch(body["sentAt"])
    body["sentAt"] = NOW
    for message in body["batch"]:
        if message["messageId"] != "alias-anon-7":
            assert uuid.UUID(message["messageId"]).version == 4
            message["messageId"] = UUID4
        assert ISO_UTC.fullmatch(message["timestamp"])
        message["timestamp"] = NOW
        message["context"]["library"]["version"] = VERSION
    headers = dict(request.headers)
    headers["User-Agent"] = headers["User-Agent"].replace(waypost.__version__, VERSION)
    return {"headers": headers, "body": body}


def snapshot_path(call_type: str) -> Path:
    return SNAPSHOTS / f"{call_type}.json"


def pinned(call_type: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(snapshot_path(call_type).read_text())
    return loaded


@pytest.mark.parametrize("call_type", sorted(CALLS))
def test_the_payload_matches_its_snapshot(call_type: str) -> None:
    payload = normalised(sent(call_type))
    if os.environ.get("WAYPOST_UPDATE_SNAPSHOTS") == "1":
        snapshot_path(call_type).write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
    assert payload == pinned(call_type)


def revived(message: dict[str, Any]) -> dict[str, Any]:
    """A pinned message with real values where the placeholders are."""
    text = json.dumps(message).replace(f'"{UUID4}"', json.dumps(str(uuid.uuid4())))
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    text = text.replace(f'"{NOW}"', json.dumps(now)).replace(VERSION, waypost.__version__)
    revived_message: dict[str, Any] = json.loads(text)
    return revived_message


@pytest.mark.parametrize("call_type", sorted(CALLS))
def test_the_collector_stores_each_snapshot(
    client: TestClient, project: CreatedProject, call_type: str
) -> None:
    [message] = pinned(call_type)["body"]["batch"]
    answer = factories.send_batch(client, project, revived(message))
    assert answer.json() == {"success": True, "accepted": 1, "rejected": []}
    [stored] = factories.stored_events(client, project)
    assert (stored["type"], stored.get("userId")) == (call_type, message.get("userId"))
