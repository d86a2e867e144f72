"""Which person each id of a batch belongs to: a pure plan, applied by the service.

Rules, as Segment and PostHog users expect them:

- an id seen for the first time gets a new person, unless the same message links it to
  a known one;
- a message carrying both ``userId`` and ``anonymousId`` (identify, or any call made after
  identify) links them: the anonymous history joins the user;
- two persons that each already carry a *different* user id are never merged implicitly
  (a shared browser without ``reset()`` must not fuse two customers); the event then goes
  to the person of its ``userId``;
- ``alias`` is explicit and always merges ``previousId`` into ``userId``'s person.

Links are transitive: every id that ever pointed to a merged person points to the survivor.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol


class IdentifiedMessage(Protocol):
    @property
    def type(self) -> str: ...
    @property
    def user_id(self) -> str | None: ...
    @property
    def anonymous_id(self) -> str | None: ...
    @property
    def previous_id(self) -> str | None: ...


@dataclass(frozen=True)
class KnownIdentity:
    person_id: uuid.UUID
    person_user_id: str | None


@dataclass
class IdentityPlan:
    """What to write so that every id of the batch resolves to a person."""

    owner: dict[str, uuid.UUID] = field(default_factory=dict)
    user_of: dict[uuid.UUID, str | None] = field(default_factory=dict)
    new_persons: list[uuid.UUID] = field(default_factory=list)
    new_identities: list[tuple[str, str, uuid.UUID]] = field(default_factory=list)
    """``(distinct_id, kind, person_id)`` for ids never seen before."""
    merges: list[tuple[uuid.UUID, uuid.UUID]] = field(default_factory=list)
    """``(loser, survivor)`` in the order they happened."""
    newly_identified: dict[uuid.UUID, str] = field(default_factory=dict)
    """Existing anonymous persons that now carry a user id."""

    @property
    def changes_anything(self) -> bool:
        return bool(self.new_persons or self.new_identities or self.merges)

    def person_for(self, message: IdentifiedMessage) -> uuid.UUID | None:
        distinct_id = message.user_id or message.anonymous_id
        return self.owner.get(distinct_id) if distinct_id else None


class _Planner:
    def __init__(self, known: dict[str, KnownIdentity], new_id: Callable[[], uuid.UUID]):
        self.plan = IdentityPlan()
        self._new_id = new_id
        self._new: set[uuid.UUID] = set()
        for distinct_id, identity in known.items():
            self.plan.owner[distinct_id] = identity.person_id
            self.plan.user_of[identity.person_id] = identity.person_user_id

    def see(self, distinct_id: str, kind: str) -> uuid.UUID:
        person = self.plan.owner.get(distinct_id)
        if person is None:
            person = self._new_person(distinct_id if kind == "user" else None)
            self._attach(distinct_id, kind, person)
        return person

    def link(self, user_id: str, other_id: str, other_kind: str, *, explicit: bool) -> None:
        """Join ``other_id`` (anonymous or previous id) with ``user_id``."""
        if user_id == other_id:
            self.see(user_id, "user")
            return
        user_person = self.plan.owner.get(user_id)
        other_person = self.plan.owner.get(other_id)
        if user_person is None and other_person is None:
            person = self._new_person(user_id)
            self._attach(user_id, "user", person)
            self._attach(other_id, other_kind, person)
        elif user_person is None:
            assert other_person is not None
            self._link_new_user(user_id, other_person, explicit=explicit)
        elif other_person is None:
            self._attach(other_id, other_kind, user_person)
        elif user_person != other_person and (explicit or self._may_merge(other_person)):
            self._merge(loser=other_person, survivor=user_person)

    def _link_new_user(self, user_id: str, other_person: uuid.UUID, *, explicit: bool) -> None:
        current_user = self.plan.user_of.get(other_person)
        if current_user is None:
            self._identify(other_person, user_id)
            self._attach(user_id, "user", other_person)
        elif explicit:
            self._attach(user_id, "user", other_person)
        else:
            self.see(user_id, "user")

    def _may_merge(self, other_person: uuid.UUID) -> bool:
        return self.plan.user_of.get(other_person) is None

    def _new_person(self, user_id: str | None) -> uuid.UUID:
        person = self._new_id()
        self._new.add(person)
        self.plan.new_persons.append(person)
        self.plan.user_of[person] = user_id
        return person

    def _attach(self, distinct_id: str, kind: str, person: uuid.UUID) -> None:
        self.plan.owner[distinct_id] = person
        self.plan.new_identities.append((distinct_id, kind, person))

    def _identify(self, person: uuid.UUID, user_id: str) -> None:
        self.plan.user_of[person] = user_id
        if person not in self._new:
            self.plan.newly_identified[person] = user_id

    def _merge(self, *, loser: uuid.UUID, survivor: uuid.UUID) -> None:
        plan = self.plan
        for distinct_id, person in plan.owner.items():
            if person == loser:
                plan.owner[distinct_id] = survivor
        plan.new_identities = [
            (distinct_id, kind, survivor if person == loser else person)
            for distinct_id, kind, person in plan.new_identities
        ]
        # An earlier merge into ``loser`` must now end in ``survivor``: a new loser is
        # never inserted, so a merge left pointing at it would break a foreign key.
        plan.merges = [
            (earlier, survivor if into == loser else into) for earlier, into in plan.merges
        ]
        if plan.user_of.get(survivor) is None and plan.user_of.get(loser) is not None:
            self._identify(survivor, plan.user_of[loser])  # type: ignore[arg-type]
        plan.newly_identified.pop(loser, None)
        if loser in self._new:
            plan.new_persons.remove(loser)
            self._new.discard(loser)
        else:
            plan.merges.append((loser, survivor))
        plan.user_of.pop(loser, None)


def plan_identities(
    messages: Iterable[IdentifiedMessage],
    known: dict[str, KnownIdentity],
    new_id: Callable[[], uuid.UUID] = uuid.uuid4,
) -> IdentityPlan:
    """The persons, identities and merges that resolve every id of ``messages``."""
    planner = _Planner(known, new_id)
    for message in messages:
        user_id, anonymous_id = message.user_id, message.anonymous_id
        if message.type == "alias" and user_id and message.previous_id:
            planner.link(user_id, message.previous_id, "anonymous", explicit=True)
        elif user_id and anonymous_id:
            planner.link(user_id, anonymous_id, "anonymous", explicit=False)
        elif user_id:
            planner.see(user_id, "user")
        elif anonymous_id:
            planner.see(anonymous_id, "anonymous")
    return planner.plan


def distinct_ids(messages: Iterable[IdentifiedMessage]) -> set[str]:
    """Every id a batch mentions, to load what is already known of them."""
    ids: set[str] = set()
    for message in messages:
        for value in (message.user_id, message.anonymous_id, message.previous_id):
            if value:
                ids.add(value)
    return ids
