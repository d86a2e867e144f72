"""What ``AdminClient`` reads, as frozen dataclasses: attribute access that a type checker
follows, instead of dict keys that fail at run time.

Each class's ``from_json`` builds it from the collector's JSON (also from a line of an
NDJSON export), taking the fields it knows and ignoring any a newer collector adds, so an
SDK keeps working against a collector upgraded after it. Times are timezone-aware
``datetime`` values; ids are strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any, Self

__all__ = [
    "Account",
    "Eligibility",
    "Event",
    "Experience",
    "ExperienceEligibility",
    "Flow",
    "FlowProgress",
    "Identity",
    "Person",
    "ProgressSummary",
    "Project",
    "Survey",
    "SurveyResponse",
]

Json = Mapping[str, Any]
EXPERIENCE_FIELDS = ("id", "type", "name", "status", "priority", "version")
EXPERIENCE_TIMES = ("created_at", "updated_at")


def _copied(data: Json, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: data[name] for name in names}


def _optional(data: Json, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: data.get(name) for name in names}


def _times(data: Json, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: datetime.fromisoformat(data[name]) for name in names}


def _optional_times(data: Json, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: optional_time(data.get(name)) for name in names}


def optional_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def frozen_mapping(value: Json | None) -> Mapping[str, Any]:
    """A read-only view, so that a frozen object is not changed through its mappings."""
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True, slots=True)
class Experience:
    """A flow or a survey: the fields every experience has, and the rest as ``definition``
    (``steps``, ``questions``, ``audience``, ``trigger``, ``throttle``, ``theme``, …)."""

    id: str
    type: str
    name: str
    status: str
    priority: int
    version: int
    created_at: datetime
    updated_at: datetime
    definition: Mapping[str, Any]

    @classmethod
    def from_json(cls, data: Json) -> Self:
        known = EXPERIENCE_FIELDS + EXPERIENCE_TIMES
        definition = {key: value for key, value in data.items() if key not in known}
        return cls(
            **_copied(data, EXPERIENCE_FIELDS),
            **_times(data, EXPERIENCE_TIMES),
            definition=frozen_mapping(definition),
        )


@dataclass(frozen=True, slots=True)
class Flow(Experience):
    """A tour, checklist, announcement, hotspot or resource center."""


@dataclass(frozen=True, slots=True)
class Survey(Experience):
    """An NPS, CSAT, CES or custom survey."""


@dataclass(frozen=True, slots=True)
class SurveyResponse:
    """One answer to a survey, against the survey version it was given for."""

    id: int
    survey_id: str
    version: int
    person_id: str | None
    user_id: str | None
    message_id: str
    survey_type: str
    score: int | None
    scale_min: int
    scale_max: int
    dimension: str | None
    text: str | None
    choices: tuple[str, ...] | None
    answers: Mapping[str, Any] | None
    locale: str | None
    eligible: bool
    responded_at: datetime

    @classmethod
    def from_json(cls, data: Json) -> Self:
        choices, answers = data.get("choices"), data.get("answers")
        return cls(
            **_copied(data, ("id", "survey_id", "version", "message_id", "survey_type")),
            **_copied(data, ("scale_min", "scale_max", "eligible")),
            **_optional(data, ("person_id", "user_id", "score", "dimension", "text", "locale")),
            choices=None if choices is None else tuple(choices),
            answers=None if answers is None else frozen_mapping(answers),
            **_times(data, ("responded_at",)),
        )


@dataclass(frozen=True, slots=True)
class FlowProgress:
    """Where one person is in a flow."""

    id: int
    person_id: str
    user_id: str | None
    version: int
    status: str
    current_step: str | None
    completed_items: tuple[str, ...]
    shown_count: int
    dismiss_count: int
    first_shown_at: datetime | None
    last_shown_at: datetime | None
    completed_at: datetime | None

    @classmethod
    def from_json(cls, data: Json) -> Self:
        return cls(
            **_copied(data, ("id", "person_id", "version", "status")),
            **_copied(data, ("shown_count", "dismiss_count")),
            **_optional(data, ("user_id", "current_step")),
            completed_items=tuple(data.get("completed_items") or ()),
            **_optional_times(data, ("first_shown_at", "last_shown_at", "completed_at")),
        )


@dataclass(frozen=True, slots=True)
class ProgressSummary:
    """How many people are at each status of a flow (``in_progress``, ``completed``, …)."""

    counts: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @classmethod
    def from_json(cls, data: Json) -> Self:
        return cls(frozen_mapping(data["summary"]))


@dataclass(frozen=True, slots=True)
class Event:
    """A stored message with Segment's meaning; ``event`` is the track event, or the
    page or screen name; fields a call type does not have are ``None`` or empty."""

    message_id: str
    type: str
    user_id: str | None
    anonymous_id: str | None
    person_id: str | None
    event: str | None
    properties: Mapping[str, Any]
    traits: Mapping[str, Any]
    context: Mapping[str, Any]
    group_id: str | None
    previous_id: str | None
    category: str | None
    timestamp: datetime
    received_at: datetime

    @classmethod
    def from_json(cls, data: Json) -> Self:
        return cls(
            message_id=data["messageId"],
            type=data["type"],
            user_id=data.get("userId"),
            anonymous_id=data.get("anonymousId"),
            person_id=data.get("personId"),
            event=data.get("event", data.get("name")),
            properties=frozen_mapping(data.get("properties")),
            traits=frozen_mapping(data.get("traits")),
            context=frozen_mapping(data.get("context")),
            group_id=data.get("groupId"),
            previous_id=data.get("previousId"),
            category=data.get("category"),
            timestamp=datetime.fromisoformat(data["timestamp"]),
            received_at=datetime.fromisoformat(data["receivedAt"]),
        )


@dataclass(frozen=True, slots=True)
class Identity:
    """An id a person is known by: ``kind`` is ``user`` or ``anonymous``."""

    id: str
    kind: str


@dataclass(frozen=True, slots=True)
class Account:
    """An account (a Segment group) a person belongs to."""

    group_id: str
    traits: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Person:
    """Everything known of one person: traits, each linked id, their accounts."""

    id: str
    user_id: str | None
    traits: Mapping[str, Any]
    identities: tuple[Identity, ...]
    accounts: tuple[Account, ...]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_json(cls, data: Json) -> Self:
        return cls(
            data["id"],
            data.get("userId"),
            frozen_mapping(data.get("traits")),
            tuple(Identity(found["id"], found["kind"]) for found in data["identities"]),
            tuple(Account(a["groupId"], frozen_mapping(a.get("traits"))) for a in data["accounts"]),
            datetime.fromisoformat(data["createdAt"]),
            datetime.fromisoformat(data["updatedAt"]),
        )


@dataclass(frozen=True, slots=True)
class ExperienceEligibility:
    """Whether a person would see one live experience now; if not, ``reason`` says why,
    ``rule`` which audience rule failed, ``until`` when a throttle lifts."""

    id: str
    kind: str
    type: str
    name: str
    eligible: bool
    reason: str | None
    rule: Any
    until: datetime | None

    @classmethod
    def from_json(cls, data: Json) -> Self:
        return cls(
            **_copied(data, ("id", "kind", "type", "name", "eligible")),
            **_optional(data, ("reason", "rule")),
            **_optional_times(data, ("until",)),
        )


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Every live experience and whether one person would see it now."""

    person_id: str | None
    experiences: tuple[ExperienceEligibility, ...]

    @classmethod
    def from_json(cls, data: Json) -> Self:
        found = tuple(ExperienceEligibility.from_json(item) for item in data["experiences"])
        return cls(data.get("person_id"), found)


@dataclass(frozen=True, slots=True)
class Project:
    """The project of the secret key; ``identity_secret`` signs user ids (server-side only)."""

    id: str
    name: str
    created_at: datetime
    settings: Mapping[str, Any]
    identity_secret: str

    @classmethod
    def from_json(cls, data: Json) -> Self:
        return cls(
            data["id"],
            data["name"],
            datetime.fromisoformat(data["created_at"]),
            frozen_mapping(data.get("settings")),
            data["identity_secret"],
        )
