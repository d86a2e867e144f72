"""The webhook event catalogue: each type, its payload version, and the fields filters see.

Every payload is ``{"type", "version", "timestamp", "data"}``. ``version`` changes only
when a field is removed or changes meaning; fields are added without a new version.
``data`` carries the person (ids and the traits the endpoint chose), their account, and
the answer or progress: never a key or secret. The reference is ``docs/webhooks.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

SURVEY_RESPONDED = "survey.responded"
SURVEY_DETRACTOR = "survey.detractor"
FLOW_COMPLETED = "flow.completed"
FLOW_DISMISSED = "flow.dismissed"
CHECKLIST_COMPLETED = "checklist.completed"
PERSON_IDENTIFIED = "person.identified"
ACCOUNT_HEALTH_CHANGED = "account.health_changed"
EVENT_TRACKED = "event.tracked"


@dataclass(frozen=True)
class EventType:
    name: str
    version: int
    description: str


EVENT_TYPES: dict[str, EventType] = {
    event.name: event
    for event in (
        EventType(SURVEY_RESPONDED, 1, "A person answered an NPS, CSAT or CES survey."),
        EventType(
            SURVEY_DETRACTOR,
            1,
            "An answer in the survey's bad third: NPS 0-6, CSAT unsatisfied, CES high effort.",
        ),
        EventType(FLOW_COMPLETED, 1, "A person completed a tour, announcement or other flow."),
        EventType(FLOW_DISMISSED, 1, "A person dismissed a flow before completing it."),
        EventType(CHECKLIST_COMPLETED, 1, "A person completed every item of a checklist."),
        EventType(PERSON_IDENTIFIED, 1, "A person became known by a user id."),
        EventType(
            ACCOUNT_HEALTH_CHANGED, 1, "An account moved between green, yellow and red health."
        ),
        EventType(EVENT_TRACKED, 1, "A track event whose name the endpoint opted into."),
    )
}


def envelope(event_type: str, timestamp: datetime, data: Mapping[str, Any]) -> dict[str, Any]:
    """The payload as receivers get it."""
    return {
        "type": event_type,
        "version": EVENT_TYPES[event_type].version,
        "timestamp": timestamp.isoformat().replace("+00:00", "Z"),
        "data": dict(data),
    }


def sentiment(survey_type: str, score: int, low: int, high: int) -> str:
    """``detractor``, ``passive`` or ``promoter`` (NPS); the same thirds for CSAT and CES.

    CSAT's bottom third is unsatisfied (1-2 of 5, 0 of a yes/no scale); CES counts up with
    effort, so its top third is the high-effort, detractor end (5-7 of 7).
    """
    if survey_type == "nps":
        return "detractor" if score <= 6 else "passive" if score <= 8 else "promoter"
    third = (high - low) // 3
    bottom, top = score <= low + third, score >= high - third
    if survey_type == "ces":
        bottom, top = top, bottom
    return "detractor" if bottom else "promoter" if top else "passive"


def facts(payload: Mapping[str, Any]) -> dict[str, Any]:
    """What an endpoint filter sees: the payload's ``data``, its ``type``, and shortcuts
    (``survey_type``, ``score``, ``flow_type``, ``event``…) for the fields filters name most."""
    data: Mapping[str, Any] = payload["data"]
    found: dict[str, Any] = {**data, "type": payload["type"]}
    survey, response = data.get("survey"), data.get("response")
    if isinstance(survey, Mapping) and isinstance(response, Mapping):
        found |= {
            "survey_id": survey.get("id"),
            "survey_type": survey.get("type"),
            "score": response.get("score"),
            "sentiment": response.get("sentiment"),
            "text": response.get("text"),
            "locale": response.get("locale"),
        }
    flow = data.get("flow")
    if isinstance(flow, Mapping):
        found |= {"flow_id": flow.get("id"), "flow_type": flow.get("type")}
    return found
