"""A seeded reference dataset: persons moving through a product funnel, with what real
traffic does to a funnel query.

- timestamps out of order (each person's messages arrive shuffled);
- repeated steps, and steps at exactly the same instant;
- conversions just inside (exactly the window) and just outside (a millisecond more);
- anonymous users identified later (their earlier events must join them);
- duplicate messageIds (a retried message must count once);
- several projects built from different seeds, which must never mix.

The benchmark builds its million events with the same generator.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

FUNNEL = ("Signed Up", "Project Created", "Report Created", "Report Shared")
NOISE = ("Page Viewed", "Settings Opened", "Search Used", "Plan Downgraded")
WINDOW = timedelta(days=14)
START = datetime(2026, 3, 2, tzinfo=UTC)
PLANS = ("free", "pro", "team")
SOURCES = ("ads", "seo", "referral")
GAPS = (
    timedelta(0),
    timedelta(minutes=5),
    timedelta(hours=3),
    timedelta(days=2),
    timedelta(days=6),
)


@dataclass(frozen=True)
class ReferenceSpec:
    seed: int = 7
    persons: int = 200
    noise_per_person: int = 4
    """Non-funnel events per person (the benchmark's 20 events a person come from here)."""
    start: datetime = START
    days: int = 28
    """Persons sign up over this many days from ``start``."""


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Person:
    def __init__(self, rng: random.Random, spec: ReferenceSpec, number: int) -> None:
        self.rng = rng
        self.anonymous_id = f"anon-{spec.seed}-{number}"
        self.user_id = f"user-{spec.seed}-{number}" if rng.random() < 0.75 else None
        seconds = rng.randrange(spec.days * 86400) + rng.randrange(1000) / 1000
        self.signed_up = spec.start + timedelta(seconds=seconds)
        self.identified_at = self.signed_up + timedelta(minutes=rng.randrange(1, 90))
        self.messages: list[dict[str, Any]] = []

    def message(self, call: str, moment: datetime, **fields: Any) -> None:
        """A message sent before identify (anonymous) or after (as the user)."""
        ids: dict[str, Any] = {"anonymousId": self.anonymous_id}
        if self.user_id is not None and moment >= self.identified_at:
            ids = {"userId": self.user_id}
        message_id = uuid.UUID(int=self.rng.getrandbits(128), version=4)
        self.messages.append(
            {"type": call, "messageId": str(message_id), "timestamp": _iso(moment), **ids, **fields}
        )

    def track(self, event: str, moment: datetime, **properties: Any) -> None:
        self.message("track", moment, event=event, properties=properties)


def _steps(person: _Person) -> None:
    rng = person.rng
    depth = rng.choices((1, 2, 3, 4), weights=(30, 25, 20, 25))[0]
    moment = person.signed_up
    person.track(FUNNEL[0], moment, source=rng.choice(SOURCES))
    for step in FUNNEL[1:depth]:
        moment += rng.choice(GAPS)
        person.track(step, moment, type=rng.choice(("funnel", "table")))
        if rng.random() < 0.15:
            person.track(step, moment + rng.choice(GAPS))
    edge = rng.random()
    if edge < 0.05:
        person.track(FUNNEL[1], person.signed_up + WINDOW)
    elif edge < 0.10:
        person.track(FUNNEL[1], person.signed_up + WINDOW + timedelta(milliseconds=1))
    elif edge < 0.15:
        person.track(FUNNEL[0], person.signed_up + timedelta(days=rng.randrange(3, 12)))


def _person_messages(person: _Person, spec: ReferenceSpec) -> list[dict[str, Any]]:
    rng = person.rng
    _steps(person)
    for _ in range(spec.noise_per_person):
        offset = timedelta(seconds=rng.randrange(-86400, 20 * 86400))
        person.track(rng.choice(NOISE), person.signed_up + offset, path=f"/{rng.randrange(50)}")
    if person.user_id is not None:
        traits = {"plan": rng.choice(PLANS)}
        person.messages.append(
            {
                "type": "identify",
                "messageId": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "timestamp": _iso(person.identified_at),
                "userId": person.user_id,
                "anonymousId": person.anonymous_id,
                "traits": traits,
            }
        )
    messages = person.messages
    messages += [dict(message) for message in messages if rng.random() < 0.03]
    rng.shuffle(messages)
    return messages


def reference_messages(spec: ReferenceSpec) -> Iterator[dict[str, Any]]:
    """Every message of one project's dataset; the same ``spec`` gives the same messages."""
    rng = random.Random(spec.seed)
    for number in range(spec.persons):
        yield from _person_messages(_Person(rng, spec, number), spec)
