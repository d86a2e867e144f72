"""Tour and checklist analytics of the hand-worked flows (see conftest), on both backends."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from collector.analytics.flows.queries import FlowFilter
from collector.analytics.flows.service import flow_analytics, require_checklist, stuck_persons
from collector.kit.errors import BadRequest, NotFound
from tests import factories
from tests.collector.analytics.flows.conftest import FlowData, tracked

NOV_1, NOV_15 = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 15, tzinfo=UTC)


def analyse(
    engine: Engine, data: FlowData, flow: dict[str, Any], end: datetime = NOV_15
) -> Mapping[str, Any]:
    """A tour's or a checklist's figures: each test knows which it asked for."""
    where = FlowFilter(data.project.id, uuid.UUID(flow["id"]), NOV_1, end)
    return flow_analytics(engine, where, stuck_days=7)


def test_tour_counts_persons_who_started_in_the_range(engine: Engine, flow_data: FlowData) -> None:
    result = analyse(engine, flow_data, flow_data.tour)
    assert (result["started"], result["completed"], result["dismissed"]) == (5, 3, 2)
    assert result["completion_rate"] == pytest.approx(0.6)


def test_tour_persons_reaching_each_step_in_order(engine: Engine, flow_data: FlowData) -> None:
    steps = analyse(engine, flow_data, flow_data.tour)["steps"]
    assert [(s["id"], s["persons"], s["share"]) for s in steps] == [
        ("welcome", 5, 1.0),
        ("reports", 4, 0.8),
        ("invite", 3, pytest.approx(0.6)),
    ]


def test_tour_dismissals_name_the_step(engine: Engine, flow_data: FlowData) -> None:
    dismissed_at = analyse(engine, flow_data, flow_data.tour)["dismissed_at"]
    assert dismissed_at == [{"id": None, "persons": 1}, {"id": "reports", "persons": 1}]


def test_tour_median_time_to_complete(engine: Engine, flow_data: FlowData) -> None:
    assert analyse(engine, flow_data, flow_data.tour)["median_seconds_to_complete"] == (
        pytest.approx(1200, abs=0.01)
    )


def test_tour_median_of_an_even_count_is_the_mean_of_the_middle_two(
    engine: Engine, flow_data: FlowData
) -> None:
    result = analyse(engine, flow_data, flow_data.tour, end=datetime(2026, 11, 4, tzinfo=UTC))
    assert (result["completed"], result["median_seconds_to_complete"]) == (
        2,
        pytest.approx(1200, abs=0.01),
    )


def test_tour_without_starts_has_no_median(engine: Engine, flow_data: FlowData) -> None:
    result = analyse(engine, flow_data, flow_data.tour, end=datetime(2026, 11, 2, tzinfo=UTC))
    assert (result["started"], result["median_seconds_to_complete"], result["steps"][0]) == (
        0,
        None,
        {"id": "welcome", "persons": 0, "share": None},
    )


def test_checklist_completion_per_item_and_whole(engine: Engine, flow_data: FlowData) -> None:
    result = analyse(engine, flow_data, flow_data.checklist)
    assert [(i["id"], i["persons"]) for i in result["items"]] == [
        ("report", 2),
        ("invite", 1),
        ("profile", 1),
    ]
    assert (result["started"], result["completed"]) == (3, 1)


def test_checklist_median_time_from_first_item_to_last(engine: Engine, flow_data: FlowData) -> None:
    # c1: the funnel report at 10:00 on Nov 2 (the table report does not count) to Nov 3 09:00.
    result = analyse(engine, flow_data, flow_data.checklist)
    assert result["median_seconds_first_to_last_item"] == pytest.approx(23 * 3600, abs=0.01)


def test_checklist_counts_persons_stuck(engine: Engine, flow_data: FlowData) -> None:
    assert analyse(engine, flow_data, flow_data.checklist)["stuck"] == 1


def test_stuck_persons_are_listed(engine: Engine, flow_data: FlowData) -> None:
    where = FlowFilter(flow_data.project.id, uuid.UUID(flow_data.checklist["id"]), NOV_1, NOV_15)
    page = stuck_persons(engine, where, days=7, cursor=None, limit=10)
    assert [(p["user_id"], p["completed_items"]) for p in page.data] == [("c2", ["report"])]


def test_only_checklists_have_stuck_persons(engine: Engine, flow_data: FlowData) -> None:
    with pytest.raises(BadRequest):
        require_checklist(engine, FlowFilter(flow_data.project.id, uuid.UUID(flow_data.tour["id"])))


def test_announcements_have_no_analytics(engine: Engine, flow_data: FlowData) -> None:
    announcement = factories.create_flow(
        engine,
        flow_data.project,
        type="announcement",
        display="modal",
        steps=[{"title": "New", "body": "Reports"}],
    )
    with pytest.raises(BadRequest):
        analyse(engine, flow_data, announcement)


def test_another_projects_flow_is_not_found(engine: Engine, flow_data: FlowData) -> None:
    where = FlowFilter(flow_data.other.id, uuid.UUID(flow_data.tour["id"]))
    with pytest.raises(NotFound):
        flow_analytics(engine, where, stuck_days=7)


def test_checklist_items_match_number_and_boolean_properties(
    engine: Engine, flow_data: FlowData
) -> None:
    items = [
        {
            "id": "big",
            "title": "Big",
            "completed_by": {"event": "Seats Added", "where": {"properties.count": 5}},
        },
        {
            "id": "paid",
            "title": "Paid",
            "completed_by": {"event": "Plan Chosen", "where": {"properties.paid": True}},
        },
    ]
    checklist = factories.create_experience(
        engine, flow_data.project, "flow", factories.checklist(items=items)
    )
    factories.ingest_messages(
        engine,
        flow_data.project,
        factories.reserved(
            "Flow Started", checklist, userId="n1", timestamp="2026-11-02T09:00:00Z"
        ),
        tracked("n1", "Seats Added", "2026-11-02T09:10:00Z", count=4),
        tracked("n1", "Seats Added", "2026-11-02T09:20:00Z", count=5),
        tracked("n1", "Plan Chosen", "2026-11-02T09:30:00Z", paid=True),
        received_at=datetime.now(UTC),
    )
    result = analyse(engine, flow_data, checklist)
    assert (result["completed"], result["median_seconds_first_to_last_item"]) == (
        1,
        pytest.approx(600, abs=0.01),
    )
