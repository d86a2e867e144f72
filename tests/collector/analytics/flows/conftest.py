"""A tour and a checklist worked out by hand, stored through ingestion on each backend.

Tour (steps welcome, reports, invite), started in November by t1, t2, t3, t4, t6:

| person | started | viewed | then |
|---|---|---|---|
| t1 | Nov 2 09:00 | all three | completed 09:10 (600 s) |
| t2 | Nov 2 10:00 | welcome, reports | dismissed at reports |
| t3 | Nov 3 09:00 | all three | completed 09:30 (1800 s) |
| t4 | Nov 4 09:00 | welcome | dismissed, no step named |
| t5 | Oct 20 (outside the range) | all three | completed |
| t6 | Nov 5 09:00 | all three | completed 09:20 (1200 s) |

Checklist (report: Report Created with type funnel; invite: Invite Sent; profile: ticked):

| person | shown | progress | received |
|---|---|---|---|
| c1 | Nov 2 09:00 | report 10:00 (a table report at 09:30 does not match), invite | now |
|    |             | 12:00, profile Nov 3 09:00 | |
| c2 | Nov 2 09:00 | report | ten days ago: stuck |
| c3 | Nov 2 09:00 | nothing | now: not stuck yet |
| c4 | Oct 20 (outside the range) | report | now |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from collector.projects.service import CreatedProject
from tests import factories

TOUR_STEPS = [
    {"id": "welcome", "title": "Hi", "body": "Welcome"},
    {"id": "reports", "title": "Reports", "body": "Make one"},
    {"id": "invite", "title": "Invite", "body": "Bring a friend"},
]
CHECKLIST_ITEMS = [
    {
        "id": "report",
        "title": "Create a funnel report",
        "completed_by": {"event": "Report Created", "where": {"properties.type": "funnel"}},
    },
    {"id": "invite", "title": "Invite", "completed_by": {"event": "Invite Sent"}},
    {"id": "profile", "title": "Fill in your profile", "completed_by": None},
]


@dataclass(frozen=True)
class FlowData:
    project: CreatedProject
    other: CreatedProject
    tour: dict[str, Any]
    checklist: dict[str, Any]


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> str:
    return factories.iso(datetime(2026, month, day, hour, minute, tzinfo=UTC))


def flow_event(flow: dict[str, Any], event: str, user: str, when: str, **props: Any) -> Any:
    return factories.reserved(event, flow, props, userId=user, timestamp=when)


def _tour_journey(tour: dict[str, Any], user: str, start: str, then: list[Any]) -> list[Any]:
    return [flow_event(tour, "Flow Started", user, start), *then]


def _viewed(tour: dict[str, Any], user: str, when: str, *steps: str) -> list[Any]:
    return [flow_event(tour, "Flow Step Viewed", user, when, step=step) for step in steps]


def _tour_events(tour: dict[str, Any]) -> list[Any]:
    every = ("welcome", "reports", "invite")
    return [
        flow_event(tour, "Flow Started", "t1", at(2, 9)),
        *_viewed(tour, "t1", at(2, 9, 1), *every),
        flow_event(tour, "Flow Completed", "t1", at(2, 9, 10)),
        flow_event(tour, "Flow Started", "t2", at(2, 10)),
        *_viewed(tour, "t2", at(2, 10, 1), "welcome", "reports"),
        flow_event(tour, "Flow Dismissed", "t2", at(2, 10, 5), step="reports"),
        flow_event(tour, "Flow Started", "t3", at(3, 9)),
        *_viewed(tour, "t3", at(3, 9, 1), *every),
        flow_event(tour, "Flow Completed", "t3", at(3, 9, 30)),
        flow_event(tour, "Flow Started", "t4", at(4, 9)),
        *_viewed(tour, "t4", at(4, 9, 1), "welcome"),
        flow_event(tour, "Flow Dismissed", "t4", at(4, 9, 5)),
        flow_event(tour, "Flow Started", "t5", at(20, 9, month=10)),
        *_viewed(tour, "t5", at(20, 9, 1, month=10), *every),
        flow_event(tour, "Flow Completed", "t5", at(20, 9, 2, month=10)),
        flow_event(tour, "Flow Started", "t6", at(5, 9)),
        *_viewed(tour, "t6", at(5, 9, 1), *every),
        flow_event(tour, "Flow Completed", "t6", at(5, 9, 20)),
    ]


def tracked(user: str, event: str, when: str, **props: Any) -> Any:
    return factories.tracked(event, props, userId=user, timestamp=when)


def _checklist(engine: Engine, project: CreatedProject, checklist: dict[str, Any]) -> None:
    now = datetime.now(UTC)
    factories.ingest_messages(
        engine,
        project,
        flow_event(checklist, "Flow Started", "c1", at(2, 9)),
        tracked("c1", "Report Created", at(2, 9, 30), type="table"),
        tracked("c1", "Report Created", at(2, 10), type="funnel"),
        tracked("c1", "Invite Sent", at(2, 12)),
        flow_event(checklist, "Checklist Item Completed", "c1", at(3, 9), item="profile"),
        flow_event(checklist, "Flow Started", "c3", at(2, 9)),
        flow_event(checklist, "Flow Started", "c4", at(20, 9, month=10)),
        tracked("c4", "Report Created", at(20, 10, month=10), type="funnel"),
        received_at=now,
    )
    factories.ingest_messages(
        engine,
        project,
        flow_event(checklist, "Flow Started", "c2", at(2, 9)),
        tracked("c2", "Report Created", at(2, 10), type="funnel"),
        received_at=now - timedelta(days=10),
    )


@pytest.fixture(scope="module")
def flow_data(engine: Engine) -> FlowData:
    project = factories.create_project(engine)
    other = factories.create_project(engine, name="Other Co")
    tour = factories.create_flow(engine, project, steps=TOUR_STEPS)
    checklist = factories.create_experience(
        engine, project, "flow", factories.checklist(items=CHECKLIST_ITEMS)
    )
    factories.ingest_messages(engine, project, *_tour_events(tour))
    _checklist(engine, project, checklist)
    other_tour = factories.create_flow(engine, other, steps=TOUR_STEPS)
    factories.ingest_messages(engine, other, *_tour_events(other_tour))
    return FlowData(project=project, other=other, tour=tour, checklist=checklist)
