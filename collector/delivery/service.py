"""What each person should see now (``GET /v1/flows``), and why not (the eligibility report).

Both answers come from the same loading and the same pure decision
(:func:`collector.targeting.eligibility.decide`), so support can trust the explanation.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine

from collector.auth.identity import is_valid_identity_hash
from collector.db.engine import read_transaction
from collector.delivery import repository
from collector.errors import Forbidden, NotFound
from collector.experiences.localization import localize
from collector.persons.service import resolve_person_id
from collector.targeting.eligibility import decide
from collector.targeting.facts import Candidate, Decision, PageFacts, ProjectThrottle

SERVER_ONLY = ("audience", "throttle")
"""Definition parts the browser never receives: who is targeted is the customer's business."""


@dataclass(frozen=True)
class DeliveryQuery:
    user_id: str | None
    anonymous_id: str | None
    identity_hash: str | None = None
    url: str | None = None
    locale: str | None = None
    session_id: str | None = None

    @property
    def page(self) -> PageFacts:
        return PageFacts(url=self.url, locale=self.locale, session_id=self.session_id)


@dataclass(frozen=True)
class _Asker:
    """Who is asking, from where: a person (None when never seen) and their page."""

    person: Any
    sampling_key: str
    page: PageFacts


@dataclass(frozen=True)
class _Decided:
    rows: dict[uuid.UUID, Any]
    states: dict[uuid.UUID, Any]
    decisions: list[tuple[Candidate, Decision]]


def deliver(
    engine: Engine, project_id: uuid.UUID, query: DeliveryQuery, now: datetime
) -> dict[str, Any]:
    """The live flows and surveys this person is eligible for now, in their locale."""
    with read_transaction(engine) as connection:
        settings, secret = repository.project_settings(connection, project_id)
        person = _verified_person(connection, project_id, query, settings, secret)
        asked_with = query.user_id or query.anonymous_id or ""
        asker = _Asker(person, _sampling_key(person, asked_with), query.page)
        decided = _decide(connection, project_id, settings, asker, now)
    shown = [
        (candidate, decision) for candidate, decision in decided.decisions if decision.eligible
    ]
    return {
        kind + "s": [
            _delivered(decided, candidate, query.locale)
            for candidate, _ in shown
            if candidate.kind == kind
        ]
        for kind in ("flow", "survey")
    }


def explain(
    engine: Engine, project_id: uuid.UUID, person_key: str, page: PageFacts, now: datetime
) -> dict[str, Any]:
    """Every live experience with the decision for this person and its reason."""
    with read_transaction(engine) as connection:
        settings, _ = repository.project_settings(connection, project_id)
        person_id = resolve_person_id(connection, project_id, person_key)
        person = None if person_id is None else repository.person_by_id(connection, person_id)
        if person is None:
            raise NotFound(f"no person with id {person_key!r} in this project")
        # Sampled by the id delivery samples by, not by a person id support may paste here.
        known_as = person.user_id or repository.anonymous_id(connection, person.id) or person_key
        asker = _Asker(person, known_as, page)
        decided = _decide(connection, project_id, settings, asker, now)
    return {
        "person_id": person.id,
        "experiences": [_explained(decided.rows[c.id], d) for c, d in decided.decisions],
    }


def _sampling_key(person: Any, asked_with: str) -> str:
    """What keeps sampling stable for one person: their user id once they have one, else
    the (anonymous) id they are known by. Whichever id an identified user asks with, and
    whether the SDK or the eligibility report asks, the same people are sampled."""
    user_id: str | None = None if person is None else person.user_id
    return user_id or asked_with


def _verified_person(
    connection: Connection,
    project_id: uuid.UUID,
    query: DeliveryQuery,
    settings: dict[str, Any],
    secret: str,
) -> Any:
    """The person asking; when the project requires it, proven by the identity hash."""
    person = repository.find_person(
        connection, project_id, query.user_id or query.anonymous_id or ""
    )
    if not settings.get("require_identity_verification"):
        return person
    if query.user_id is not None:
        if not is_valid_identity_hash(secret, query.user_id, query.identity_hash):
            raise Forbidden(
                "this project requires identity verification",
                fields={"identityHash": ["missing or not valid for this userId"]},
            )
    elif person is not None and person.user_id is not None:
        raise Forbidden(
            "this visitor is identified; send userId with its identityHash",
            fields={"userId": ["required for identified visitors"]},
        )
    return person


def _decide(
    connection: Connection,
    project_id: uuid.UUID,
    settings: dict[str, Any],
    asker: _Asker,
    now: datetime,
) -> _Decided:
    rows = {row.id: row for row in repository.live_experiences(connection, project_id)}
    person_id = None if asker.person is None else asker.person.id
    states = repository.histories(connection, person_id)
    candidates = repository.candidates(list(rows.values()), states)
    events = _events_in_rules(candidates)
    facts = repository.person_facts(connection, asker.person, asker.sampling_key, events)
    throttle = ProjectThrottle.from_settings(settings)
    window = timedelta(days=max(1, throttle.survey_gap_days or 0))
    impressions = repository.impressions_since(connection, project_id, person_id, now - window)
    decisions = decide(
        candidates, facts, asker.page, impressions, throttle, project_id=project_id, now=now
    )
    return _Decided(rows, states, decisions)


def _events_in_rules(candidates: Iterable[Candidate]) -> set[str]:
    """The events whose counters the audience rules read."""
    names = set()
    for candidate in candidates:
        audience = candidate.definition.get("audience") or {}
        for rule in audience.get("rules") or ():
            if (
                isinstance(rule, dict)
                and rule.get("type") == "event"
                and isinstance(rule.get("event"), str)
            ):
                names.add(rule["event"])
    return names


def _delivered(decided: _Decided, candidate: Candidate, locale: str | None) -> dict[str, Any]:
    row = decided.rows[candidate.id]
    content = localize(row.definition, row.kind, locale)
    for key in SERVER_ONLY:
        content.pop(key, None)
    delivered = {
        "id": row.id,
        "type": row.type,
        "name": row.name,
        "version": row.version,
        "priority": row.priority,
        **content,
    }
    if row.kind == "flow":
        delivered["progress"] = _progress(decided.states.get(row.id))
    return delivered


def _progress(state: Any) -> dict[str, Any] | None:
    if state is None:
        return None
    return {
        "status": state.status,
        "step": state.current_step,
        "completed_items": state.completed_items,
    }


def _explained(row: Any, decision: Decision) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "type": row.type,
        "name": row.name,
        "eligible": decision.eligible,
        "reason": decision.reason,
        "rule": decision.rule,
        "until": decision.until,
    }
