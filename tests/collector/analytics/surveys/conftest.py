"""A survey dataset worked out by hand, stored through ingestion on each backend.

NPS survey (re-asking allowed at once, so re-answers are eligible), in November 2026:

| user | plan | account (industry) | answers | counted |
|---|---|---|---|---|
| u1 | pro | acme (retail) | 10 "Love it" | promoter |
| u2 | pro | acme (retail) | 9 | promoter |
| u3 | pro | globex (retail) | 8 | passive |
| u4 | pro | | 7 | passive |
| u5 | free | | 6 | detractor |
| u6 | free | | 0 "<img src=x onerror=alert(1)>" | detractor |
| u7 | free | | 3 "meh" on Nov 1, then 10 "better now" on Nov 10 | promoter (latest) |
| u8 | | | 9 in October | outside the range |
| u9 | | | 1 while the survey was paused | ineligible |

Shown in November: u1-u7, u10 and u11. Another project answers the same way with 0s.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from collector.experiences import service as experiences
from collector.projects.service import CreatedProject
from tests import factories

NOVEMBER = (datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 15, tzinfo=UTC))
ANSWERS: list[tuple[str, int, str, str | None]] = [
    ("u1", 10, "2026-11-02T09:00:00Z", "Love it"),
    ("u2", 9, "2026-11-03T09:00:00Z", None),
    ("u3", 8, "2026-11-03T10:00:00Z", None),
    ("u4", 7, "2026-11-04T09:00:00Z", None),
    ("u5", 6, "2026-11-04T10:00:00Z", None),
    ("u6", 0, "2026-11-05T09:00:00Z", "<img src=x onerror=alert(1)>"),
    # Listed latest first: the batch is applied in timestamp order all the same.
    ("u7", 10, "2026-11-10T09:00:00Z", "better now"),
    ("u7", 3, "2026-11-01T09:00:00Z", "meh"),
    ("u8", 9, "2026-10-15T09:00:00Z", None),
]
SHOWN = ["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u10", "u11"]


@dataclass(frozen=True)
class SurveyData:
    project: CreatedProject
    other: CreatedProject
    nps: dict[str, Any]
    other_nps: dict[str, Any]


def answer(survey: dict[str, Any], user: str, score: int, at: str, **props: Any) -> Any:
    return factories.reserved(
        "Survey Responded", survey, {"score": score, **props}, userId=user, timestamp=at
    )


def shown(survey: dict[str, Any], user: str, at: str = "2026-11-01T08:00:00Z") -> Any:
    return factories.reserved("Survey Shown", survey, userId=user, timestamp=at)


def identify(user: str, **traits: Any) -> Any:
    return factories.message("identify", userId=user, anonymousId=None, traits=traits)


def group(user: str, group_id: str, **traits: Any) -> Any:
    return factories.message(
        "group", userId=user, anonymousId=None, groupId=group_id, traits=traits
    )


def _people() -> list[Any]:
    plans = {"u1": "pro", "u2": "pro", "u3": "pro", "u4": "pro"}
    plans |= {"u5": "free", "u6": "free", "u7": "free"}
    return [
        *(identify(user, plan=plan) for user, plan in plans.items()),
        group("u1", "acme", industry="retail"),
        group("u2", "acme", industry="retail"),
        group("u3", "globex", industry="retail"),
    ]


def _answers(survey: dict[str, Any]) -> list[Any]:
    return [
        answer(survey, user, score, at, **({"text": text} if text else {}))
        for user, score, at, text in ANSWERS
    ]


def _answer_while_paused(engine: Engine, project: CreatedProject, survey: dict[str, Any]) -> None:
    now = datetime.now(UTC)
    survey_id = uuid.UUID(survey["id"])
    experiences.update_experience(
        engine, project.id, "survey", survey_id, {"status": "paused"}, now=now
    )
    factories.ingest_messages(engine, project, answer(survey, "u9", 1, "2026-11-06T09:00:00Z"))
    experiences.update_experience(
        engine, project.id, "survey", survey_id, {"status": "live"}, now=now
    )


def _nps_survey(engine: Engine, project: CreatedProject) -> dict[str, Any]:
    return factories.create_survey(engine, project, throttle={"reask_days": 0})


@pytest.fixture(scope="module")
def survey_data(engine: Engine) -> SurveyData:
    project = factories.create_project(engine)
    other = factories.create_project(engine, name="Other Co")
    nps = _nps_survey(engine, project)
    other_nps = _nps_survey(engine, other)
    factories.ingest_messages(
        engine, project, *_people(), *_answers(nps), *(shown(nps, user) for user in SHOWN)
    )
    _answer_while_paused(engine, project, nps)
    factories.ingest_messages(
        engine, other, *_people(), *(answer(other_nps, u, 0, at) for u, _, at, _ in ANSWERS)
    )
    return SurveyData(project=project, other=other, nps=nps, other_nps=other_nps)
