"""What the survey scores and open-text answers services answer.

A survey's figures carry the one score its type has (``nps``, ``csat`` or ``ces``), so
each of those keys is optional here; which one is there follows from ``type``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import NotRequired, TypedDict


class Scale(TypedDict):
    min: int
    max: int
    binary: bool


class NpsShares(TypedDict):
    promoters: float
    passives: float
    detractors: float


class NpsScore(TypedDict):
    score: float
    ci95: list[float]
    promoters: int
    passives: int
    detractors: int
    shares: NpsShares


class CsatScore(TypedDict):
    mean: float | None
    stdev: float | None
    satisfied_share: float
    scale: Scale


class CesScore(TypedDict):
    mean: float | None
    stdev: float | None
    high_effort_share: float
    scale: Scale


class Sample(TypedDict):
    n: int
    low_sample: bool


class Figures(Sample):
    nps: NotRequired[NpsScore | None]
    csat: NotRequired[CsatScore | None]
    ces: NotRequired[CesScore | None]
    dimensions: NotRequired[dict[str, Figures]]
    """CSAT asked about more than one dimension: the figures of each."""


class PeriodFigures(Figures):
    period: str
    start: datetime


class SegmentFigures(Figures):
    value: str | None


class ResponseRate(TypedDict):
    shown: int
    responded: int
    rate: float | None


class Excluded(TypedDict):
    ineligible: int
    other_scale: int


_Range = TypedDict("_Range", {"from": datetime | None, "to": datetime | None})


class Scores(_Range, Figures):
    survey_id: uuid.UUID
    type: str
    scale: Scale
    tz: str
    response_rate: ResponseRate
    excluded: Excluded
    trend: NotRequired[list[PeriodFigures]]
    """Only with an interval."""
    segments: NotRequired[list[SegmentFigures]]
    """Only with a segment."""


class TextAnswer(TypedDict):
    id: int
    person_id: uuid.UUID
    user_id: str | None
    dimension: str | None
    score: int
    text: str
    eligible: bool
    responded_at: datetime
