"""The load: realistic Segment batches posted over keep-alive connections, from a process
of its own so that the client never competes with a server for a GIL.

Each batch holds 100 messages from a pool of 10,000 users (70% signed in, sending both
their userId and anonymousId, the rest anonymous): track calls with a few properties and a
browser context, and one identify call in twenty. Every request carries fresh random
messageIds and timestamps just before its ``sentAt``, as real SDKs send them: replaying
fixed ones would make the databases' index writes unlike production's.
"""

from __future__ import annotations

import base64
import http.client
import multiprocessing
import os
import queue
import random
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

BATCH_SIZE = 100
USERS = 10_000
TEMPLATES = 50
# Ordinary events only: reserved ones (``Flow Started``, ``Survey Responded`` …) must name
# a flow or survey defined in the project.
EVENT_NAMES = (
    "Report Created",
    "Button Clicked",
    "Search Performed",
    "File Uploaded",
    "Invite Sent",
    "Comment Added",
    "Export Downloaded",
    "Dashboard Viewed",
)
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"
PATHS = ("/reports", "/reports/42", "/settings/team", "/search", "/files", "/onboarding")


@dataclass(frozen=True)
class LoadResult:
    events: int
    seconds: float
    latencies: list[float]
    errors: int


def _user_ids(user: int) -> dict[str, str]:
    """A user's ids: an anonymousId always; a userId for the 70% who signed in."""
    ids = {"anonymousId": f"{user:08x}-7c1e-4b5d-9a4f-{user * 7919:012x}"}
    if user % 10 < 7:
        ids["userId"] = f"user-{user}"
    return ids


def _context(rng: random.Random, path: str) -> dict[str, Any]:
    return {
        "library": {"name": "analytics.js", "version": "5.2.0"},
        "page": {
            "path": path,
            "url": f"https://app.example.com{path}",
            "referrer": "https://www.example.com/",
            "title": "Example App",
        },
        "userAgent": USER_AGENT,
        "locale": "en-GB",
        "ip": f"203.0.113.{rng.randrange(1, 255)}",
    }


def _track(rng: random.Random, user: int) -> dict[str, Any]:
    path = rng.choice(PATHS)
    return {
        "type": "track",
        "event": rng.choice(EVENT_NAMES),
        **_user_ids(user),
        "properties": {"path": path, "plan": rng.choice(("free", "pro")), "value": rng.random()},
        "context": _context(rng, path),
    }


def _identify(rng: random.Random, user: int) -> dict[str, Any]:
    return {
        "type": "identify",
        "userId": f"user-{user}",
        "anonymousId": _user_ids(user)["anonymousId"],
        "traits": {
            "email": f"user{user}@example.com",
            "name": f"User {user}",
            "plan": rng.choice(("free", "pro", "enterprise")),
            "seats": rng.randrange(1, 50),
        },
        "context": _context(rng, "/settings/profile"),
    }


def _message(rng: random.Random) -> dict[str, Any]:
    user = rng.randrange(USERS)
    identifies = rng.random() < 0.05 and user % 10 < 7
    return _identify(rng, user) if identifies else _track(rng, user)


@dataclass(frozen=True)
class Template:
    """A batch's messages, and how long before sending each one happened."""

    messages: list[dict[str, Any]]
    ages: list[timedelta]

    def body(self) -> bytes:
        """The batch as sent now: fresh random messageIds, timestamps just before ``sentAt``."""
        sent_at = datetime.now(UTC)
        for message, age in zip(self.messages, self.ages, strict=True):
            message["messageId"] = os.urandom(16).hex()
            message["timestamp"] = (sent_at - age).isoformat()
        return orjson.dumps({"batch": self.messages, "sentAt": sent_at.isoformat()})


def batch_templates(seed: int) -> list[Template]:
    rng = random.Random(seed)
    return [
        Template(
            messages=[_message(rng) for _ in range(BATCH_SIZE)],
            # Up to 10 s old when sent, as SDKs that batch flush every few seconds.
            ages=[timedelta(seconds=rng.uniform(0, 10)) for _ in range(BATCH_SIZE)],
        )
        for _ in range(TEMPLATES)
    ]


@dataclass(frozen=True)
class Window:
    """Requests started at or after ``start`` and finished by ``end`` are counted."""

    start: float
    end: float


def _post(connection: http.client.HTTPConnection, body: bytes, headers: dict[str, str]) -> int:
    """Events the server accepted from one batch; 0 if it refused it."""
    connection.request("POST", "/v1/batch", body, headers)
    response = connection.getresponse()
    data = response.read()
    return int(orjson.loads(data)["accepted"]) if response.status == 200 else 0


def _drive(port: int, auth: str, templates: list[Template], window: Window, out: list[Any]) -> None:
    """One keep-alive connection posting batches until the window closes."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": auth, "Content-Type": "application/json"}
    events, errors, latencies, sent = 0, 0, [], 0
    while (began := time.perf_counter()) < window.end:
        body = templates[sent % len(templates)].body()
        sent += 1
        try:
            accepted = _post(connection, body, headers)
        except (OSError, http.client.HTTPException):
            accepted = 0
            connection.close()  # reconnects on the next request
        finished = time.perf_counter()
        if began >= window.start and finished <= window.end:
            latencies.append(finished - began)
            events += accepted
            errors += accepted != BATCH_SIZE
    connection.close()
    out.append((events, errors, latencies))


@dataclass(frozen=True)
class Plan:
    """How hard and how long to drive a server."""

    connections: int
    warmup: float
    """Seconds of load before measuring: pools fill, caches warm, the users get known."""
    duration: float


def _collect(out: list[Any], duration: float) -> LoadResult:
    return LoadResult(
        events=sum(events for events, _, _ in out),
        seconds=duration,
        latencies=[latency for _, _, latencies in out for latency in latencies],
        errors=sum(errors for _, errors, _ in out),
    )


def run_load(
    port: int, write_key: str, plan: Plan, results: multiprocessing.Queue[LoadResult]
) -> None:
    """The load process: ``plan.connections`` threads, one connection each."""
    auth = "Basic " + base64.b64encode(f"{write_key}:".encode()).decode()
    start = time.perf_counter() + plan.warmup
    window = Window(start, start + plan.duration)
    out: list[Any] = []
    threads = [
        # Each thread has templates of its own: their bodies are rebuilt in place.
        threading.Thread(target=_drive, args=(port, auth, batch_templates(number), window, out))
        for number in range(plan.connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(_collect(out, plan.duration))


def drive_load(port: int, write_key: str, plan: Plan) -> LoadResult:
    """Run the load in a process of its own and return what it measured."""
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[LoadResult] = context.Queue()
    process = context.Process(target=run_load, args=(port, write_key, plan, results))
    process.start()
    deadline = time.monotonic() + plan.warmup + plan.duration + 120
    while time.monotonic() < deadline:
        try:
            result = results.get(timeout=1)
        except queue.Empty:
            if process.exitcode is not None:
                break
            continue
        process.join()
        return result
    process.kill()
    raise RuntimeError(f"the load process failed (exit code {process.exitcode})")
