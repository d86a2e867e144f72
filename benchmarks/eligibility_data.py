"""The data ``benchmarks/eligibility.py`` measures delivery over: 50 live experiences with
realistic audiences, and a population of persons with months of history, written as the
rows ingestion would have written for it (see that script's docstring)."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Table, insert

from collector.experiences.schemas import Kind
from collector.experiences.service import create_experience
from collector.identity.traits import stamp
from collector.kit.db.engine import write_transaction
from collector.kit.db.models import (
    Account,
    AccountMember,
    Event,
    ExperienceState,
    Identity,
    Impression,
    Person,
    PersonEventDay,
    SurveyResponse,
    table_of,
)
from collector.progress.reserved import RESERVED_EVENTS
from collector.progress.states import State, apply_event, matching_items

PERSONS = 100_000
ACCOUNTS = 4_000
CHUNK = 5_000
"""Persons written per transaction."""
HISTORY_DAYS = 120
EVENT_NAMES = (
    "Report Created",
    "Dashboard Viewed",
    "Invite Sent",
    "File Uploaded",
    "Search Performed",
    "Export Downloaded",
    "Comment Added",
    "Integration Connected",
)
EVENT_WEIGHTS = (12, 30, 2, 6, 15, 4, 8, 1)
PATHS = (
    "/app/dashboard",
    "/app/reports/42",
    "/app/reports",
    "/app/settings/billing",
    "/app/onboarding",
    "/app/projects/7/board",
    "/docs/getting-started",
)
LOCALES = ("en-US", "en-GB", "he-IL", "de-DE", "fr-FR", "pt-BR", "zh-Hant-TW")
PLANS = ("free", "starter", "pro", "enterprise")
ROLES = ("admin", "member", "viewer")
INDUSTRIES = ("software", "retail", "finance", "health", "education")
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


def user_id_of(number: int) -> str | None:
    """Persons 0, 1 … 6 of every ten signed in; the rest stay anonymous."""
    return f"user-{number}" if number % 10 < 7 else None


def anonymous_id_of(number: int) -> str:
    return f"{number:08x}-7c1e-4b5d-9a4f-{number * 7919 % 16**12:012x}"


# Experiences ------------------------------------------------------------------------------

TYPES = (
    *["tour"] * 10,
    *["announcement"] * 7,
    *["hotspot"] * 5,
    *["checklist"] * 6,
    *["resource_center"] * 2,
    *["nps"] * 8,
    *["csat"] * 7,
    *["ces"] * 5,
)
SURVEY_TYPES = frozenset({"nps", "csat", "ces"})
RULES: tuple[dict[str, Any], ...] = (
    {"type": "trait", "name": "plan", "op": "in", "value": ["pro", "enterprise"]},
    {"type": "trait", "name": "role", "op": "eq", "value": "admin"},
    {"type": "trait", "name": "seats", "op": "gte", "value": 10},
    {"type": "trait", "name": "email", "op": "contains", "value": "@example.com"},
    {"type": "trait", "name": "beta", "op": "not_exists"},
    {"type": "account_trait", "name": "size", "op": "gte", "value": 50},
    {"type": "account_trait", "name": "industry", "op": "in", "value": ["software", "finance"]},
    {"type": "event", "event": "Report Created", "op": "did", "min_count": 3, "within_days": 30},
    {"type": "event", "event": "Dashboard Viewed", "op": "did", "min_count": 5},
    {"type": "event", "event": "Invite Sent", "op": "did_not"},
    {"type": "event", "event": "Export Downloaded", "op": "did", "within_days": 14},
    {"type": "first_seen", "min_days": 7, "max_days": 90},
    {"type": "first_seen", "max_days": 30},
    {"type": "url", "pattern": "/app/*"},
    {"type": "url", "pattern": "/app/reports*"},
    {"type": "locale", "in": ["en", "he", "de"]},
)


def _text(rng: random.Random, english: str) -> str | dict[str, str]:
    """Half the texts are translated, half are plain strings in the default locale."""
    if rng.random() < 0.5:
        return english
    return {"en": english, "he": f"{english} (עברית)", "de": f"{english} (Deutsch)"}


def _step(rng: random.Random, number: int, target: str | None) -> dict[str, Any]:
    return {
        "target": target,
        "title": _text(rng, f"Step {number}"),
        "body": _text(rng, f"Here is what step {number} of this tour is about."),
        "buttons": {"next": _text(rng, "Next"), "done": _text(rng, "Done")},
    }


def _content(rng: random.Random, type_: str) -> dict[str, Any]:
    if type_ == "tour":
        steps = [_step(rng, n, f"#feature-{n}") for n in range(1, rng.randint(3, 6))]
        steps[0]["url"] = "/app/*"
        return {"steps": steps}
    if type_ == "announcement":
        return {"steps": [_step(rng, 1, None)], "display": rng.choice(("modal", "banner"))}
    if type_ == "hotspot":
        return {"steps": [_step(rng, 1, "#export-button")]}
    if type_ == "checklist":
        events = rng.sample(EVENT_NAMES[:6], 3)
        items: list[dict[str, Any]] = [
            {"title": _text(rng, f"Try {event}"), "completed_by": {"event": event}}
            for event in events
        ]
        items.append({"title": _text(rng, "Read the guide"), "completed_by": None})
        return {"items": items, "completion_message": _text(rng, "All done!")}
    if type_ == "resource_center":
        links = [
            {"title": _text(rng, f"Guide {n}"), "url": f"https://docs.example.com/guide/{n}"}
            for n in range(1, 5)
        ]
        return {"links": links}
    follow_up = {"default": _text(rng, "What is the main reason for your score?")}
    question = {"id": "why", "type": "text", "text": _text(rng, "Anything else?")}
    content: dict[str, Any] = {"follow_up": follow_up, "questions": [question]}
    if type_ == "csat":
        content["dimensions"] = ["product"]
    return content


def experience_bodies(seed: int) -> list[dict[str, Any]]:
    """The 50 live experiences, the same for a given seed."""
    rng = random.Random(seed)
    bodies = []
    for number, type_ in enumerate(TYPES, start=1):
        rules = rng.sample(RULES, rng.choice((0, 1, 1, 2, 2, 3)))
        trigger: dict[str, Any] = rng.choice(
            (
                {"type": "page_load"},
                {"type": "page_load", "url": "/app/*"},
                {"type": "event", "event": "Report Created"},
                {"type": "delay", "seconds": 5},
            )
        )
        bodies.append(
            {
                "name": f"{type_} {number}",
                "type": type_,
                "priority": rng.randrange(100),
                "audience": {"rules": rules, "sample_percent": rng.choice((100, 100, 50, 25))},
                "trigger": trigger,
                "theme": {"accent": "#0b5cff"} if rng.random() < 0.3 else {},
                **_content(rng, type_),
            }
        )
    return bodies


@dataclass(frozen=True)
class Created:
    """What the history generator needs to know of a created experience."""

    id: uuid.UUID
    kind: str
    type: str
    definition: dict[str, Any]


def create_experiences(engine: Engine, project_id: uuid.UUID, seed: int) -> list[Created]:
    live = []
    for body in experience_bodies(seed):
        kind: Kind = "survey" if body["type"] in SURVEY_TYPES else "flow"
        created = create_experience(engine, project_id, kind, body, now=datetime.now(UTC))
        columns = ("id", "type", "name", "status", "priority", "version")
        definition = {
            k: v for k, v in created.items() if k not in (*columns, "created_at", "updated_at")
        }
        live.append(Created(created["id"], kind, created["type"], definition))
    return live


# Population -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """One message a person's SDK sent, as ingestion would have received it."""

    type: str
    at: datetime
    event: str | None = None
    properties: dict[str, Any] | None = None
    traits: dict[str, Any] | None = None
    group_id: str | None = None
    page: str = "/app/dashboard"


@dataclass
class Rows:
    """Rows for a chunk of persons, by table."""

    by_table: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.by_table.setdefault(table, []).append(row)


@dataclass
class AccountLog:
    """What the group calls of all persons did to one account."""

    id: uuid.UUID
    traits: dict[str, Any]
    first: datetime
    last: datetime


class Population:
    """Generates each person's history and the rows ingestion would have written for it."""

    def __init__(self, project_id: uuid.UUID, experiences: Sequence[Created], seed: int) -> None:
        self.project_id = project_id
        self.experiences = experiences
        self.checklists = [e for e in experiences if e.type == "checklist"]
        self.by_id = {experience.id: experience for experience in experiences}
        self.now = datetime.now(UTC)
        self.rng = random.Random(seed)
        self.accounts: dict[str, AccountLog] = {}
        self.members: list[dict[str, Any]] = []

    def person(self, number: int, rows: Rows) -> None:
        rng = self.rng
        person_id = uuid.uuid4()
        user_id = user_id_of(number)
        anonymous_id = anonymous_id_of(number)
        start = self.now - timedelta(days=rng.choice((3, 10, 20, 45, 90, 200, 400)))
        start -= timedelta(seconds=rng.uniform(0, 86_400))
        messages = self._messages(rng, start, user_id is not None)
        received = [m.at + timedelta(milliseconds=rng.randrange(50, 3000)) for m in messages]
        first_seen = min(received)
        traits: dict[str, Any] = {}
        trait_times: dict[str, str] = {}
        states: dict[uuid.UUID, State] = {}
        counts: Counter[tuple[str, date]] = Counter()
        for message, received_at in zip(messages, received, strict=True):
            rows.add("events", self._event(message, received_at, user_id, anonymous_id, person_id))
            if message.type == "identify" and message.traits:
                traits.update(message.traits)
                trait_times.update(dict.fromkeys(message.traits, stamp(message.at)))
            elif message.type == "group" and message.group_id:
                self._joined(message, person_id, received_at)
            elif message.type == "track" and message.event:
                counts[(message.event, message.at.date())] += 1
                self._progress(message, person_id, states, rows)
        rows.add(
            "persons",
            {
                "id": person_id,
                "project_id": self.project_id,
                "user_id": user_id,
                "traits": traits,
                "trait_times": trait_times,
                "created_at": first_seen,
                "updated_at": max(received) if traits else first_seen,
            },
        )
        for distinct_id, kind in ((anonymous_id, "anonymous"), (user_id, "user")):
            if distinct_id is not None:
                rows.add(
                    "identities",
                    {
                        "project_id": self.project_id,
                        "distinct_id": distinct_id,
                        "kind": kind,
                        "person_id": person_id,
                        "created_at": first_seen,
                    },
                )
        for (name, day), n in counts.items():
            rows.add(
                "person_event_days",
                {
                    "project_id": self.project_id,
                    "person_id": person_id,
                    "event": name,
                    "day": day,
                    "count": n,
                },
            )
        for experience_id, state in states.items():
            rows.add("experience_states", self._state_row(experience_id, person_id, state))

    def _messages(self, rng: random.Random, start: datetime, identified: bool) -> list[Message]:
        span = (self.now - start).total_seconds() - 60
        messages = []
        if identified:
            traits = {
                "email": f"person{rng.randrange(10**6)}@example.com",
                "plan": rng.choice(PLANS),
                "role": rng.choice(ROLES),
                "seats": rng.randrange(1, 80),
                "signed_up_at": start.date().isoformat(),
            }
            if rng.random() < 0.1:
                traits["beta"] = True
            messages.append(Message("identify", start, traits=traits))
            for account in rng.sample(range(ACCOUNTS), 1 if rng.random() < 0.9 else 2):
                group = f"acct-{account}"
                at = start + timedelta(seconds=rng.uniform(1, 600))
                messages.append(Message("group", at, group_id=group, traits=self._account(group)))
        recent = max(0.0, span - HISTORY_DAYS * 86_400)
        for _ in range(min(60, int(rng.expovariate(1 / 8)) + 1)):
            at = start + timedelta(seconds=rng.uniform(recent, span))
            event = rng.choices(EVENT_NAMES, EVENT_WEIGHTS)[0]
            props = {"path": rng.choice(PATHS), "plan": rng.choice(PLANS)}
            messages.append(Message("track", at, event, props, page=props["path"]))
        if rng.random() < 0.5:
            for experience in rng.sample(self.experiences, rng.randint(1, 4)):
                at = start + timedelta(seconds=rng.uniform(60, span))
                messages.extend(self._story(rng, experience, at))
        messages.sort(key=lambda message: message.at)
        return messages

    def _account(self, group: str) -> dict[str, Any]:
        number = int(group.rsplit("-", 1)[1])
        picker = random.Random(number)
        return {
            "name": f"Company {number}",
            "size": picker.choice((3, 12, 50, 200, 1200)),
            "industry": picker.choice(INDUSTRIES),
            "plan": picker.choice(PLANS),
        }

    def _story(self, rng: random.Random, experience: Created, at: datetime) -> list[Message]:
        """The reserved events of one person's meeting with one experience."""
        key = "flow_id" if experience.kind == "flow" else "survey_id"
        base = {key: str(experience.id), "version": 1, "sessionId": f"s-{rng.randrange(10**9)}"}
        step = timedelta(seconds=20)
        if experience.kind == "survey":
            events: list[tuple[str, dict[str, Any]]] = [("Survey Shown", {})]
            ending = rng.random()
            if ending < 0.5:
                low, high = (0, 10) if experience.type == "nps" else (1, 5)
                high = 7 if experience.type == "ces" else high
                events.append(("Survey Responded", {"score": rng.randint(low, high)}))
            elif ending < 0.8:
                events.append(("Survey Dismissed", {}))
        else:
            events = [("Flow Started", {})]
            for item in (experience.definition.get("items") or [])[: rng.randint(0, 2)]:
                if item.get("completed_by") is None:
                    events.append(("Checklist Item Completed", {"item": item["id"]}))
            steps = experience.definition.get("steps") or []
            for entry in steps[: rng.randint(1, len(steps))] if steps else []:
                events.append(("Flow Step Viewed", {"step": entry["id"]}))
            ending = rng.random()
            if ending < 0.45 and experience.type != "resource_center":
                events.append(("Flow Completed", {}))
            elif ending < 0.75:
                events.append(("Flow Dismissed", {}))
        return [
            Message("track", at + step * n, event, {**base, **extra})
            for n, (event, extra) in enumerate(events)
        ]

    def _event(
        self,
        message: Message,
        received_at: datetime,
        user_id: str | None,
        anonymous_id: str,
        person_id: uuid.UUID,
    ) -> dict[str, Any]:
        return {
            "project_id": self.project_id,
            "message_id": uuid.uuid4().hex,
            "type": message.type,
            "event": message.event,
            "user_id": user_id,
            "anonymous_id": anonymous_id,
            "person_id": person_id,
            "group_id": message.group_id,
            "previous_id": None,
            "category": None,
            "timestamp": message.at,
            "original_timestamp": None,
            "sent_at": received_at - timedelta(milliseconds=20),
            "received_at": received_at,
            "properties": message.properties,
            "traits": message.traits,
            "context": {
                "library": {"name": "analytics.js", "version": "5.2.0"},
                "page": {"path": message.page, "url": f"https://app.example.com{message.page}"},
                "userAgent": USER_AGENT,
                "locale": "en-US",
            },
            "integrations": None,
        }

    def _joined(self, message: Message, person_id: uuid.UUID, received_at: datetime) -> None:
        group = message.group_id or ""
        log = self.accounts.get(group)
        if log is None:
            log = self.accounts[group] = AccountLog(
                uuid.uuid4(), message.traits or {}, received_at, message.at
            )
        log.first = min(log.first, received_at)
        log.last = max(log.last, message.at)
        self.members.append(
            {
                "project_id": self.project_id,
                "account_id": log.id,
                "person_id": person_id,
                "joined_at": received_at,
            }
        )

    def _progress(
        self, message: Message, person_id: uuid.UUID, states: dict[uuid.UUID, State], rows: Rows
    ) -> None:
        """What ingestion's projections do with one track, in timestamp order."""
        props = message.properties or {}
        event = message.event or ""
        if event in RESERVED_EVENTS:
            reference = props.get("flow_id") or props.get("survey_id")
            experience = self.by_id[uuid.UUID(reference)]
            self._apply(
                experience, event, props, message, person_id=person_id, states=states, rows=rows
            )
            return
        for checklist in self.checklists:
            for item in matching_items(checklist.definition, event, props):
                change = {"item": item}
                done = "Checklist Item Completed"
                self._apply(
                    checklist, done, change, message, person_id=person_id, states=states, rows=rows
                )

    def _apply(
        self,
        experience: Created,
        event: str,
        props: Mapping[str, Any],
        message: Message,
        *,
        person_id: uuid.UUID,
        states: dict[uuid.UUID, State],
        rows: Rows,
    ) -> None:
        state = states.setdefault(experience.id, State(version=1))
        if event in ("Flow Started", "Survey Shown"):
            rows.add(
                "impressions",
                {
                    "project_id": self.project_id,
                    "person_id": person_id,
                    "experience_id": experience.id,
                    "kind": experience.kind,
                    "session_id": props.get("sessionId"),
                    "message_id": uuid.uuid4().hex,
                    "shown_at": message.at,
                },
            )
        if event == "Survey Responded":
            rows.add("survey_responses", self._response(experience, props, message, person_id))
        apply_event(state, event, props, message.at, experience.definition)

    def _response(
        self, experience: Created, props: Mapping[str, Any], message: Message, person_id: uuid.UUID
    ) -> dict[str, Any]:
        scale = experience.definition.get("scale") or {}
        return {
            "project_id": self.project_id,
            "survey_id": experience.id,
            "version": 1,
            "person_id": person_id,
            "message_id": uuid.uuid4().hex,
            "survey_type": experience.type,
            "score": props["score"],
            "scale_min": scale.get("min", 0),
            "scale_max": scale.get("max", 10),
            "dimension": None,
            "text": None,
            "choices": None,
            "answers": None,
            "locale": None,
            "eligible": True,
            "responded_at": message.at,
        }

    def _state_row(
        self, experience_id: uuid.UUID, person_id: uuid.UUID, state: State
    ) -> dict[str, Any]:
        return {
            "project_id": self.project_id,
            "experience_id": experience_id,
            "person_id": person_id,
            "version": state.version,
            "status": state.status,
            "current_step": state.current_step,
            "completed_items": list(state.completed_items),
            "shown_count": state.shown_count,
            "dismiss_count": state.dismiss_count,
            "first_shown_at": state.first_shown_at,
            "last_shown_at": state.last_shown_at,
            "last_dismissed_at": state.last_dismissed_at,
            "last_responded_at": state.last_responded_at,
            "completed_at": state.completed_at,
            "updated_at": state.last_shown_at or self.now,
        }

    def account_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "id": log.id,
                "project_id": self.project_id,
                "group_id": group,
                "traits": log.traits,
                "trait_times": dict.fromkeys(log.traits, stamp(log.last)),
                "created_at": log.first,
                "updated_at": log.last,
            }
            for group, log in self.accounts.items()
        ]


TABLE_ORDER: tuple[tuple[str, Table], ...] = (
    ("persons", table_of(Person)),
    ("identities", table_of(Identity)),
    ("events", table_of(Event)),
    ("person_event_days", table_of(PersonEventDay)),
    ("experience_states", table_of(ExperienceState)),
    ("impressions", table_of(Impression)),
    ("survey_responses", table_of(SurveyResponse)),
)
"""Tables in foreign-key order: persons before what points at them."""


def _write(connection: Connection, rows: Rows) -> None:
    for name, table in TABLE_ORDER:
        for start in range(0, len(rows.by_table.get(name, [])), 10_000):
            connection.execute(insert(table), rows.by_table[name][start : start + 10_000])


def populate(engine: Engine, project_id: uuid.UUID, persons: int, seed: int) -> int:
    """Create the experiences and the persons' history; the number of events written."""
    experiences = create_experiences(engine, project_id, seed)
    population = Population(project_id, experiences, seed)
    events = 0
    for first in range(0, persons, CHUNK):
        rows = Rows()
        for number in range(first, min(persons, first + CHUNK)):
            population.person(number, rows)
        with write_transaction(engine) as connection:
            _write(connection, rows)
        events += len(rows.by_table.get("events", []))
        if (first + CHUNK) % (CHUNK * 4) == 0:
            print(f"  {first + CHUNK:,} persons written", flush=True)
    with write_transaction(engine) as connection:
        connection.execute(insert(table_of(Account)), population.account_rows())
        for start in range(0, len(population.members), 10_000):
            batch = population.members[start : start + 10_000]
            connection.execute(insert(table_of(AccountMember)), batch)
    if engine.dialect.name == "postgresql":
        # Statistics, as autovacuum would have gathered them for tables this size.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
    return events
