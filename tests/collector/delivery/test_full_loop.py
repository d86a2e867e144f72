"""The whole loop over HTTP: define an experience, deliver it, report what the user did
with it through ``/v1/batch``, read the answers and progress back, and see delivery and
the eligibility report change accordingly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests.factories import (
    admin_get,
    checklist,
    decisions,
    define,
    delivered_ids,
    flows_for,
    nps,
    report,
    reserved,
    tour,
    tracked,
)

REASK_DAYS = 90


def progress_of(client: TestClient, project: CreatedProject, flow: dict[str, Any]) -> Any:
    return admin_get(client, project, f"/api/v1/flows/{flow['id']}/progress")


# --- a survey --------------------------------------------------------------------------------


@pytest.fixture
def survey(client: TestClient, project: CreatedProject) -> dict[str, Any]:
    return define(client, project, "survey", nps())


@pytest.fixture
def answered_at(client: TestClient, project: CreatedProject, survey: dict[str, Any]) -> datetime:
    """``user-1`` was offered the survey and answered 9 a minute ago."""
    assert delivered_ids(client, project, userId="user-1") == [survey["id"]]
    moment = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    answer = reserved(
        "Survey Responded", survey, {"score": 9, "text": "Great"}, timestamp=moment.isoformat()
    )
    assert report(client, project, answer) == {"success": True, "accepted": 1, "rejected": []}
    return moment


def test_live_survey_is_delivered_to_a_new_user(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    [delivered] = flows_for(client, project, userId="user-1")["surveys"]
    assert (delivered["id"], delivered["type"], delivered["version"]) == (
        survey["id"],
        "nps",
        1,
    )


def test_answer_reported_through_the_batch_is_listed_in_responses(
    client: TestClient, project: CreatedProject, survey: dict[str, Any], answered_at: datetime
) -> None:
    page = admin_get(client, project, f"/api/v1/surveys/{survey['id']}/responses")
    [response] = page["data"]
    assert {key: response[key] for key in ("user_id", "score", "text", "version", "eligible")} == {
        "user_id": "user-1",
        "score": 9,
        "text": "Great",
        "version": 1,
        "eligible": True,
    }
    assert datetime.fromisoformat(response["responded_at"]) == answered_at


def test_answered_survey_is_not_delivered_again(
    client: TestClient, project: CreatedProject, survey: dict[str, Any], answered_at: datetime
) -> None:
    assert flows_for(client, project, userId="user-1")["surveys"] == []


def test_answered_survey_is_still_delivered_to_other_users(
    client: TestClient, project: CreatedProject, survey: dict[str, Any], answered_at: datetime
) -> None:
    assert delivered_ids(client, project, userId="user-2") == [survey["id"]]


def test_eligibility_names_the_reask_interval_and_its_end(
    client: TestClient, project: CreatedProject, survey: dict[str, Any], answered_at: datetime
) -> None:
    decision = decisions(client, project, "user-1")[survey["id"]]
    assert (decision["eligible"], decision["reason"]) == (False, "reask_interval")
    assert datetime.fromisoformat(decision["until"]) == answered_at + timedelta(days=REASK_DAYS)


# --- a tour ----------------------------------------------------------------------------------


@pytest.fixture
def welcome(client: TestClient, project: CreatedProject) -> dict[str, Any]:
    return define(client, project, "flow", tour())


@pytest.fixture
def started(client: TestClient, project: CreatedProject, welcome: dict[str, Any]) -> None:
    """``user-1`` was offered the tour and started it."""
    assert delivered_ids(client, project, userId="user-1") == [welcome["id"]]
    assert report(client, project, reserved("Flow Started", welcome))["accepted"] == 1


def test_started_tour_is_in_progress(
    client: TestClient, project: CreatedProject, welcome: dict[str, Any], started: None
) -> None:
    progress = progress_of(client, project, welcome)
    [person] = progress["data"]
    assert progress["summary"] == {"in_progress": 1}
    assert (person["user_id"], person["status"], person["shown_count"]) == (
        "user-1",
        "in_progress",
        1,
    )


def test_started_tour_is_delivered_again_with_its_progress(
    client: TestClient, project: CreatedProject, welcome: dict[str, Any], started: None
) -> None:
    [delivered] = flows_for(client, project, userId="user-1")["flows"]
    assert delivered["progress"] == {"status": "in_progress", "step": None, "completed_items": []}


def test_viewed_step_is_the_progress_step(
    client: TestClient, project: CreatedProject, welcome: dict[str, Any], started: None
) -> None:
    report(client, project, reserved("Flow Step Viewed", welcome, {"step": "step-1"}))
    [delivered] = flows_for(client, project, userId="user-1")["flows"]
    assert delivered["progress"]["step"] == "step-1"


def test_completed_tour_is_not_delivered_again(
    client: TestClient, project: CreatedProject, welcome: dict[str, Any], started: None
) -> None:
    report(client, project, reserved("Flow Completed", welcome))
    assert flows_for(client, project, userId="user-1")["flows"] == []


def test_completed_tour_shows_in_progress_and_eligibility(
    client: TestClient, project: CreatedProject, welcome: dict[str, Any], started: None
) -> None:
    report(client, project, reserved("Flow Completed", welcome))
    decision = decisions(client, project, "user-1")[welcome["id"]]
    assert (decision["eligible"], decision["reason"]) == (False, "completed")
    assert progress_of(client, project, welcome)["summary"] == {"completed": 1}


def test_new_tour_is_new_to_the_user_who_has_no_progress(
    client: TestClient, project: CreatedProject, welcome: dict[str, Any]
) -> None:
    [delivered] = flows_for(client, project, userId="user-1")["flows"]
    assert delivered["progress"] is None


# --- a checklist -----------------------------------------------------------------------------

FUNNEL = {"properties.type": "funnel"}
ITEMS = [
    {
        "id": "funnel",
        "title": "Build a funnel",
        "completed_by": {"event": "Report Created", "where": FUNNEL},
    },
    {"id": "invite", "title": "Invite a teammate", "completed_by": {"event": "Invited Teammate"}},
]


@pytest.fixture
def getting_started(client: TestClient, project: CreatedProject) -> dict[str, Any]:
    return define(client, project, "flow", checklist(items=ITEMS))


def test_event_matching_the_where_filter_ticks_the_item(
    client: TestClient, project: CreatedProject, getting_started: dict[str, Any]
) -> None:
    report(client, project, tracked("Report Created", {"type": "funnel"}))
    [person] = progress_of(client, project, getting_started)["data"]
    assert (person["status"], person["completed_items"]) == ("in_progress", ["funnel"])


def test_event_failing_the_where_filter_ticks_nothing(
    client: TestClient, project: CreatedProject, getting_started: dict[str, Any]
) -> None:
    report(client, project, tracked("Report Created", {"type": "table"}))
    assert progress_of(client, project, getting_started)["data"] == []


def test_ticked_item_is_in_the_delivered_progress(
    client: TestClient, project: CreatedProject, getting_started: dict[str, Any]
) -> None:
    report(client, project, tracked("Report Created", {"type": "funnel"}))
    [delivered] = flows_for(client, project, userId="user-1")["flows"]
    assert delivered["progress"]["completed_items"] == ["funnel"]


def test_all_items_done_complete_the_checklist(
    client: TestClient, project: CreatedProject, getting_started: dict[str, Any]
) -> None:
    report(
        client,
        project,
        tracked("Report Created", {"type": "funnel"}),
        tracked("Invited Teammate"),
    )
    [person] = progress_of(client, project, getting_started)["data"]
    assert (person["status"], sorted(person["completed_items"])) == (
        "completed",
        ["funnel", "invite"],
    )


def test_completed_checklist_is_not_delivered_again(
    client: TestClient, project: CreatedProject, getting_started: dict[str, Any]
) -> None:
    report(
        client,
        project,
        tracked("Report Created", {"type": "funnel"}),
        tracked("Invited Teammate"),
    )
    assert flows_for(client, project, userId="user-1")["flows"] == []
    assert decisions(client, project, "user-1")[getting_started["id"]]["reason"] == "completed"


def test_item_ticked_by_hand_and_one_done_by_an_event_complete_the_checklist(
    client: TestClient, project: CreatedProject
) -> None:
    items = [ITEMS[0], {"id": "tour", "title": "Take the tour", "completed_by": None}]
    flow = define(client, project, "flow", checklist(items=items))
    report(
        client,
        project,
        tracked("Report Created", {"type": "funnel"}),
        reserved("Checklist Item Completed", flow, {"item": "tour"}),
    )
    [person] = progress_of(client, project, flow)["data"]
    assert person["status"] == "completed"
