"""Experiences as reserved-event checks see them, shared by the tests of those checks."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from collector.progress.reserved import ExperienceRef

FLOW_ID = uuid.UUID("6f1c2a52-8d0e-4b7e-9a55-0c1e7d3f9b11")
SURVEY_ID = uuid.UUID("0b0f4a9e-2b3c-4d5e-8f60-718293a4b5c6")

TOUR: Mapping[str, Any] = {
    "steps": [{"id": "step-1", "title": "Hi"}, {"id": "welcome", "title": "Welcome"}],
}
CHECKLIST: Mapping[str, Any] = {
    "items": [
        {"id": "item-1", "completed_by": {"event": "Report Created"}},
        {"id": "invite", "completed_by": None},
    ],
}
NPS: Mapping[str, Any] = {
    "questions": [
        {"id": "why", "type": "text", "text": "Why?"},
        {
            "id": "role",
            "type": "single_choice",
            "text": "Your role?",
            "choices": [{"id": "dev", "label": "Developer"}, {"id": "pm", "label": "PM"}],
        },
        {
            "id": "uses",
            "type": "multiple_choice",
            "text": "What do you use?",
            "choices": [{"id": "tours", "label": "Tours"}, {"id": "surveys", "label": "Surveys"}],
        },
    ],
}
CSAT_WITH_DIMENSIONS: Mapping[str, Any] = {"dimensions": ["product", "service"]}


def flow(definitions: Mapping[int, Mapping[str, Any]], *, type_: str = "tour") -> ExperienceRef:
    version = max(definitions)
    return ExperienceRef(FLOW_ID, "flow", type_, "live", version, definitions)


def survey(
    type_: str = "nps", definition: Mapping[str, Any] | None = None, *, version: int = 1
) -> ExperienceRef:
    return ExperienceRef(SURVEY_ID, "survey", type_, "live", version, {version: definition or {}})


def answer(**props: Any) -> dict[str, Any]:
    """Properties of a valid NPS ``Survey Responded``, with ``props`` on top."""
    return {"survey_id": str(SURVEY_ID), "version": 1, "score": 8} | props
