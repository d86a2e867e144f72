"""What each person should see now (``GET /v1/flows``), and why not (the eligibility report).

Both answers come from the same loading (:mod:`collector.delivery.loading`), the same
kept live experiences (:mod:`collector.delivery.live`) and the same pure decision
(:func:`collector.targeting.eligibility.decide`), so support can trust the explanation.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine.interfaces import DBAPICursor

from collector.delivery import loading, repository, resource_center
from collector.delivery.live import Live, LiveCache
from collector.delivery.loading import Loaded, State
from collector.delivery.results import Delivery, EligibilityReport, Explained, FlowProgress
from collector.identity.repository import resolve_person_id
from collector.kit.auth.cache import KeyOwners
from collector.kit.auth.callers import INVALID_KEY_MESSAGE, Caller
from collector.kit.auth.identity import is_valid_identity_hash
from collector.kit.db.backends import Backend, backend_of
from collector.kit.db.engine import read_transaction
from collector.kit.errors import Forbidden, InvalidKey, NotFound
from collector.targeting.candidates import Candidate
from collector.targeting.eligibility import decide
from collector.targeting.facts import Decision, PageFacts, PersonFacts
from collector.targeting.throttling import LAUNCHER_TYPE

RETRIES = 2
"""Times a request reads again when the experiences were edited while it read them."""


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


def deliver(
    engine: Engine,
    experiences: LiveCache,
    key_owners: KeyOwners,
    caller: Caller,
    query: DeliveryQuery,
    *,
    now: datetime,
) -> Delivery:
    """The live flows and surveys this person is eligible for now, in their locale.

    ``caller`` called with a write key, whose owner may have been remembered: the statement
    that reads the person checks that the key still works, and ``InvalidKey`` (with the
    key forgotten) when it no longer does.
    """
    project_id = caller.project_id
    lookup = caller.key_lookup or ""
    asked_with = query.user_id or query.anonymous_id or ""
    backend = backend_of(engine)

    def read(cursor: DBAPICursor, live: Live) -> Loaded | None:
        return loading.by_write_key(
            cursor,
            backend,
            project_id=project_id,
            lookup=lookup,
            distinct_id=asked_with,
            events=live.events,
            since=now - live.impressions_window,
            now=now,
        )

    # Each statement ``_read`` runs is complete in itself, so none needs a transaction.
    with backend.raw_cursor(engine) as cursor:
        live, loaded = _read(cursor, backend, experiences, project_id, read)
    if loaded is None:
        key_owners.forget_key(lookup)
        raise InvalidKey(INVALID_KEY_MESSAGE)
    _verify_identity(loaded, query)
    sampling_key = _sampling_key(loaded, asked_with)
    decisions = _decide(live, loaded, sampling_key, query.page, project_id=project_id, now=now)
    eligible = [candidate for candidate, decision in decisions if decision.eligible]
    answer = Delivery(
        flows=[_delivered(live, loaded, c, query.locale) for c in eligible if c.kind == "flow"],
        surveys=[_delivered(live, loaded, c, query.locale) for c in eligible if c.kind == "survey"],
    )
    centers = [flow for flow in answer["flows"] if flow["type"] == LAUNCHER_TYPE]
    if centers:
        listed = resource_center.listings(live, loaded, decisions, query.locale, now)
        for center in centers:
            center.update(listed)
    return answer


def explain(
    engine: Engine,
    experiences: LiveCache,
    project_id: uuid.UUID,
    person_key: str,
    page: PageFacts,
    *,
    now: datetime,
) -> EligibilityReport:
    """Every live experience with the decision for this person and its reason."""
    not_found = NotFound(f"no person with id {person_key!r} in this project")
    backend = backend_of(engine)
    with read_transaction(engine) as connection:
        person_id = resolve_person_id(connection, project_id, person_key)
        if person_id is None:
            raise not_found

        def read(cursor: DBAPICursor, live: Live) -> Loaded | None:
            return loading.by_person_id(
                cursor,
                backend,
                project_id=project_id,
                person_id=person_id,
                events=live.events,
                since=now - live.impressions_window,
            )

        cursor = connection.connection.cursor()
        try:
            live, loaded = _read(cursor, backend, experiences, project_id, read)
        finally:
            cursor.close()
        if loaded is None or loaded.person is None:
            raise not_found
        person = loaded.person
        # Sampled by the id delivery samples by, not by a person id support may paste here.
        known_as = person.user_id or repository.anonymous_id(connection, person.id) or person_key
    decisions = _decide(live, loaded, known_as, page, project_id=project_id, now=now)
    return {
        "person_id": person.id,
        "experiences": [_explained(live, candidate, decision) for candidate, decision in decisions],
    }


def _read(
    cursor: DBAPICursor,
    backend: Backend,
    experiences: LiveCache,
    project_id: uuid.UUID,
    read: Callable[[DBAPICursor, Live], Loaded | None],
) -> tuple[Live, Loaded | None]:
    """The project's live experiences, and what ``read`` loads with them.

    The kept experiences are used when the stamp and settings read with the person show
    that they are current; otherwise they are read again, and so is the person, whose
    counters and impressions depend on the experiences' rules and the settings.
    """
    live = experiences.get(project_id) or experiences.read(cursor, backend, project_id)
    loaded = read(cursor, live)
    for _ in range(RETRIES):
        if loaded is None or (loaded.stamp == live.stamp and loaded.settings == live.settings):
            break
        live = experiences.read(cursor, backend, project_id)
        loaded = read(cursor, live)
    return live, loaded


def _verify_identity(loaded: Loaded, query: DeliveryQuery) -> None:
    """When the project requires it, the person asking must be proven by the identity hash."""
    if not loaded.settings.require_identity_verification:
        return
    if query.user_id is not None:
        if not is_valid_identity_hash(loaded.identity_secret, query.user_id, query.identity_hash):
            raise Forbidden(
                "this project requires identity verification",
                fields={"identityHash": ["missing or not valid for this userId"]},
            )
    elif loaded.person is not None and loaded.person.user_id is not None:
        raise Forbidden(
            "this visitor is identified; send userId with its identityHash",
            fields={"userId": ["required for identified visitors"]},
        )


def _sampling_key(loaded: Loaded, asked_with: str) -> str:
    """What keeps sampling stable for one person: their user id once they have one, else
    the (anonymous) id they are known by. Whichever id an identified user asks with, and
    whether the SDK or the eligibility report asks, the same people are sampled."""
    user_id = None if loaded.person is None else loaded.person.user_id
    return user_id or asked_with


def _decide(
    live: Live,
    loaded: Loaded,
    sampling_key: str,
    page: PageFacts,
    *,
    project_id: uuid.UUID,
    now: datetime,
) -> list[tuple[Candidate, Decision]]:
    person = loaded.person
    facts = (
        PersonFacts({}, [], None, {}, sampling_key)
        if person is None
        else PersonFacts(
            traits=person.traits,
            account_traits=loaded.account_traits,
            first_seen_at=person.created_at,
            event_days=loaded.event_days,
            sampling_key=sampling_key,
        )
    )
    candidates = list(live.candidates)
    for experience_id, state in loaded.states.items():
        position = live.positions.get(experience_id)
        if position is not None:
            candidates[position] = _with_history(candidates[position], state)
    return decide(
        candidates, facts, page, loaded.impressions, live.throttle, project_id=project_id, now=now
    )


def _with_history(candidate: Candidate, state: State) -> Candidate:
    return Candidate(
        id=candidate.id,
        kind=candidate.kind,
        type=candidate.type,
        priority=candidate.priority,
        definition=candidate.definition,
        history=state.history,
        audience=candidate.audience,
    )


def _delivered(
    live: Live, loaded: Loaded, candidate: Candidate, locale: str | None
) -> dict[str, Any]:
    delivered = dict(live.content(candidate.id, locale))
    if candidate.kind == "flow":
        delivered["progress"] = _progress(loaded.states.get(candidate.id))
    return delivered


def _progress(state: State | None) -> FlowProgress | None:
    if state is None:
        return None
    return {
        "status": state.history.status,
        "step": state.current_step,
        "completed_items": state.completed_items,
    }


def _explained(live: Live, candidate: Candidate, decision: Decision) -> Explained:
    experience = live.experiences[candidate.id]
    return {
        "id": experience.id,
        "kind": experience.kind,
        "type": experience.type,
        "name": experience.name,
        "eligible": decision.eligible,
        "reason": decision.reason,
        "rule": decision.rule,
        "until": decision.until,
    }
