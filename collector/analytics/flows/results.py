"""What the tour and checklist analytics answer: one shape per flow type."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal, NotRequired, TypedDict


class StepCount(TypedDict):
    id: str | None
    persons: int
    share: NotRequired[float | None]
    """Of the persons who started; not given where persons dismissed a tour."""


_Analysed = TypedDict(
    "_Analysed",
    {"flow_id": uuid.UUID, "from": datetime | None, "to": datetime | None},
)


class _Figures(_Analysed):
    started: int
    completed: int
    completion_rate: float | None


class TourFigures(_Figures):
    type: Literal["tour"]
    steps: list[StepCount]
    dismissed: int
    dismissed_at: list[StepCount]
    median_seconds_to_complete: float | None


class ChecklistFigures(_Figures):
    type: Literal["checklist"]
    stuck_days: int
    items: list[StepCount]
    stuck: int
    median_seconds_first_to_last_item: float | None


class StuckPerson(TypedDict):
    person_id: uuid.UUID
    user_id: str | None
    status: str
    completed_items: list[str]
    first_shown_at: datetime | None
    last_progress_at: datetime
