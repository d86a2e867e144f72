"""Survey responses and flow progress as the responses service answers them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, TypedDict

from collector.kit.db.paging import PageAnswer


class SurveyResponse(TypedDict):
    id: int
    survey_id: uuid.UUID
    version: int
    person_id: uuid.UUID | None
    user_id: str | None
    message_id: str
    survey_type: str
    score: int | None
    scale_min: int
    scale_max: int
    dimension: str | None
    text: str | None
    choices: list[str] | None
    answers: dict[str, Any] | None
    locale: str | None
    eligible: bool
    responded_at: datetime


class Progress(TypedDict):
    id: int
    person_id: uuid.UUID
    user_id: str | None
    version: int
    status: str
    current_step: str | None
    completed_items: list[str]
    shown_count: int
    dismiss_count: int
    first_shown_at: datetime | None
    last_shown_at: datetime | None
    completed_at: datetime | None


class ProgressReport(PageAnswer[Progress]):
    summary: dict[str, int]
    """People per status."""
