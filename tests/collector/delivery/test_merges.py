"""A visitor who becomes a known user keeps what they did anonymously: when ``identify``
merges the two persons, event counters and dismissals add up and progress is not lost."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests.factories import (
    admin_get,
    decisions,
    define,
    message,
    nps,
    report,
    reserved,
    tour,
    tracked,
)

VISITOR: dict[str, Any] = {"anonymousId": "anon-1"}


def identify_visitor(client: TestClient, project: CreatedProject) -> None:
    """``user-1``, already known, logs in on the browser where ``anon-1`` was browsing."""
    body = report(client, project, message("identify", userId="user-1", anonymousId="anon-1"))
    assert body["accepted"] == 1


def decision(client: TestClient, project: CreatedProject, experience: dict[str, Any]) -> Any:
    return decisions(client, project, "user-1")[experience["id"]]


def progress_of(client: TestClient, project: CreatedProject, flow: dict[str, Any]) -> Any:
    return admin_get(client, project, f"/api/v1/flows/{flow['id']}/progress")


# --- event counters --------------------------------------------------------------------------


@pytest.fixture
def power_survey(client: TestClient, uncapped: CreatedProject) -> dict[str, Any]:
    """A survey for people who created at least three reports; the visitor made two, the
    user one."""
    rule = {"type": "event", "event": "Report Created", "op": "did", "min_count": 3}
    survey = define(client, uncapped, "survey", nps(audience={"rules": [rule]}))
    report(
        client,
        uncapped,
        tracked("Report Created", **VISITOR),
        tracked("Report Created", **VISITOR),
        tracked("Report Created"),
    )
    return survey


def test_neither_person_alone_meets_the_event_rule(
    client: TestClient, uncapped: CreatedProject, power_survey: dict[str, Any]
) -> None:
    for person in ("user-1", "anon-1"):
        reason = decisions(client, uncapped, person)[power_survey["id"]]["reason"]
        assert reason == "not_in_audience", person


def test_event_counters_add_up_when_persons_merge(
    client: TestClient, uncapped: CreatedProject, power_survey: dict[str, Any]
) -> None:
    identify_visitor(client, uncapped)
    assert decision(client, uncapped, power_survey)["eligible"] is True


def test_merged_counters_are_read_through_the_visitors_id_too(
    client: TestClient, uncapped: CreatedProject, power_survey: dict[str, Any]
) -> None:
    identify_visitor(client, uncapped)
    assert decisions(client, uncapped, "anon-1")[power_survey["id"]]["eligible"] is True


def test_counters_of_the_same_day_add_up_in_one_batch_with_the_merge(
    client: TestClient, uncapped: CreatedProject
) -> None:
    rule = {"type": "event", "event": "Report Created", "op": "did", "min_count": 3}
    survey = define(client, uncapped, "survey", nps(audience={"rules": [rule]}))
    report(client, uncapped, tracked("Report Created", **VISITOR), tracked("Report Created"))
    report(
        client,
        uncapped,
        message("identify", userId="user-1", anonymousId="anon-1"),
        tracked("Report Created", **VISITOR),
    )
    assert decision(client, uncapped, survey)["eligible"] is True


# --- dismissals ------------------------------------------------------------------------------


@pytest.fixture
def dismissed_twice(client: TestClient, uncapped: CreatedProject) -> dict[str, Any]:
    """A survey asked at most twice: dismissed once by the visitor, once by the user."""
    survey = define(client, uncapped, "survey", nps(throttle={"max_dismissals": 2}))
    report(
        client,
        uncapped,
        reserved("Survey Dismissed", survey, **VISITOR),
        reserved("Survey Dismissed", survey),
    )
    return survey


def test_one_dismissal_each_is_under_the_cap(
    client: TestClient, uncapped: CreatedProject, dismissed_twice: dict[str, Any]
) -> None:
    assert decision(client, uncapped, dismissed_twice)["eligible"] is True


def test_dismissals_add_up_to_the_cap_when_persons_merge(
    client: TestClient, uncapped: CreatedProject, dismissed_twice: dict[str, Any]
) -> None:
    identify_visitor(client, uncapped)
    assert decision(client, uncapped, dismissed_twice)["reason"] == "dismissed_too_often"


def test_visitors_dismissals_count_for_a_user_who_never_saw_it(
    client: TestClient, uncapped: CreatedProject
) -> None:
    survey = define(client, uncapped, "survey", nps(throttle={"max_dismissals": 2}))
    report(
        client,
        uncapped,
        tracked("Signed Up"),
        *(reserved("Survey Dismissed", survey, **VISITOR) for _ in range(2)),
    )
    identify_visitor(client, uncapped)
    assert decision(client, uncapped, survey)["reason"] == "dismissed_too_often"


# --- progress --------------------------------------------------------------------------------


@pytest.fixture
def welcome(client: TestClient, uncapped: CreatedProject) -> dict[str, Any]:
    return define(client, uncapped, "flow", tour())


def test_survivor_keeps_its_completed_status(
    client: TestClient, uncapped: CreatedProject, welcome: dict[str, Any]
) -> None:
    report(
        client,
        uncapped,
        reserved("Flow Started", welcome),
        reserved("Flow Completed", welcome),
        reserved("Flow Started", welcome, **VISITOR),
    )
    identify_visitor(client, uncapped)
    assert decision(client, uncapped, welcome)["reason"] == "completed"
    [person] = progress_of(client, uncapped, welcome)["data"]
    assert (person["user_id"], person["status"], person["shown_count"]) == (
        "user-1",
        "completed",
        2,
    )


def test_tour_completed_as_a_visitor_stays_completed(
    client: TestClient, uncapped: CreatedProject, welcome: dict[str, Any]
) -> None:
    report(
        client,
        uncapped,
        reserved("Flow Started", welcome),
        reserved("Flow Started", welcome, **VISITOR),
        reserved("Flow Completed", welcome, **VISITOR),
    )
    identify_visitor(client, uncapped)
    assert decision(client, uncapped, welcome)["reason"] == "completed"
    assert progress_of(client, uncapped, welcome)["summary"] == {"completed": 1}


def test_checklist_items_of_both_persons_are_kept(
    client: TestClient, uncapped: CreatedProject
) -> None:
    items = [
        {"id": "report", "title": "Create a report", "completed_by": {"event": "Report Created"}},
        {"id": "invite", "title": "Invite", "completed_by": {"event": "Invited Teammate"}},
        {"id": "share", "title": "Share", "completed_by": {"event": "Report Shared"}},
    ]
    flow = define(client, uncapped, "flow", {"name": "Start", "type": "checklist", "items": items})
    report(
        client,
        uncapped,
        tracked("Report Created"),
        tracked("Invited Teammate", **VISITOR),
    )
    identify_visitor(client, uncapped)
    [person] = progress_of(client, uncapped, flow)["data"]
    assert (person["status"], sorted(person["completed_items"])) == (
        "in_progress",
        ["invite", "report"],
    )


def test_answers_of_the_visitor_become_the_users(
    client: TestClient, uncapped: CreatedProject
) -> None:
    survey = define(client, uncapped, "survey", nps())
    report(client, uncapped, tracked("Signed Up"))
    report(client, uncapped, reserved("Survey Responded", survey, {"score": 6}, **VISITOR))
    identify_visitor(client, uncapped)
    page = admin_get(client, uncapped, f"/api/v1/surveys/{survey['id']}/responses")
    assert [(r["user_id"], r["score"]) for r in page["data"]] == [("user-1", 6)]
    assert decision(client, uncapped, survey)["reason"] == "reask_interval"


def test_items_done_by_both_persons_complete_the_checklist(
    client: TestClient, uncapped: CreatedProject
) -> None:
    items = [
        {"id": "report", "title": "Create a report", "completed_by": {"event": "Report Created"}},
        {"id": "invite", "title": "Invite", "completed_by": {"event": "Invited Teammate"}},
    ]
    flow = define(client, uncapped, "flow", {"name": "Start", "type": "checklist", "items": items})
    report(client, uncapped, tracked("Report Created"), tracked("Invited Teammate", **VISITOR))
    identify_visitor(client, uncapped)
    assert progress_of(client, uncapped, flow)["summary"] == {"completed": 1}
    assert decision(client, uncapped, flow)["reason"] == "completed"
