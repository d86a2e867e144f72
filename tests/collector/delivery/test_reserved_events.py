"""Reserved events over ``/v1/batch``: checked against the experience they name, refused by
index when wrong (and then not stored at all), counted once when retried, and read back
through the responses API and its exports."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests.factories import (
    admin_get,
    decisions,
    define,
    delivered_ids,
    nps,
    report,
    reserved,
    secret_auth,
    stored_message_ids,
    tour,
)


@pytest.fixture
def survey(client: TestClient, project: CreatedProject) -> dict[str, Any]:
    return define(client, project, "survey", nps())


def responses_of(
    client: TestClient, project: CreatedProject, survey: dict[str, Any], **params: str
) -> list[dict[str, Any]]:
    page = admin_get(client, project, f"/api/v1/surveys/{survey['id']}/responses", **params)
    data: list[dict[str, Any]] = page["data"]
    return data


def export(
    client: TestClient, project: CreatedProject, survey: dict[str, Any], export_format: str
) -> str:
    response = client.get(
        f"/api/v1/surveys/{survey['id']}/responses",
        params={"format": export_format},
        headers=secret_auth(project),
    )
    assert response.status_code == 200, response.text
    return response.text


def answer(
    survey: dict[str, Any], score: Any, properties: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    """``Survey Responded`` with ``score`` and more ``properties``, by ``user-1`` or ``fields``."""
    return reserved("Survey Responded", survey, {"score": score, **(properties or {})}, **fields)


# --- refused, and nothing of it stored -------------------------------------------------------


@pytest.mark.parametrize("survey_id", [str(uuid.uuid4()), "nps-1", 42, None])
def test_answer_to_an_unknown_survey_is_refused_naming_survey_id(
    client: TestClient, project: CreatedProject, survey_id: Any
) -> None:
    unknown = {"id": survey_id, "version": 1}
    refused = answer(unknown, 9)
    body = report(client, project, refused)
    assert body["accepted"] == 0
    assert [(r["index"], list(r["errors"])) for r in body["rejected"]] == [
        (0, ["properties.survey_id"])
    ]
    assert stored_message_ids(client, project) == []


def test_answer_to_another_projects_survey_is_refused(
    client: TestClient, project: CreatedProject, other_project: CreatedProject
) -> None:
    theirs = define(client, other_project, "survey", nps())
    body = report(client, project, answer(theirs, 9))
    assert list(body["rejected"][0]["errors"]) == ["properties.survey_id"]


def test_flow_id_on_a_survey_event_is_refused(client: TestClient, project: CreatedProject) -> None:
    flow = define(client, project, "flow", tour())
    wrong = reserved("Survey Shown", flow)
    body = report(client, project, wrong)
    assert list(body["rejected"][0]["errors"]) == ["properties.survey_id"]
    assert stored_message_ids(client, project) == []


def test_survey_id_on_a_flow_event_is_refused(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    body = report(client, project, reserved("Flow Started", survey))
    assert list(body["rejected"][0]["errors"]) == ["properties.flow_id"]


BAD_SCORES = ["9", 9.5, True, None, 11, -1]


def test_bad_scores_are_refused_by_index_naming_the_score(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    body = report(client, project, *(answer(survey, score) for score in BAD_SCORES))
    assert body["accepted"] == 0
    assert [(r["index"], list(r["errors"])) for r in body["rejected"]] == [
        (index, ["properties.score"]) for index in range(len(BAD_SCORES))
    ]


def test_bad_scores_are_not_stored(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    report(client, project, *(answer(survey, score) for score in BAD_SCORES))
    assert stored_message_ids(client, project) == []
    assert responses_of(client, project, survey) == []


def test_answer_without_a_score_is_refused(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    body = report(client, project, reserved("Survey Responded", survey))
    assert list(body["rejected"][0]["errors"]) == ["properties.score"]


def test_valid_answers_beside_refused_ones_are_stored(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    good = [answer(survey, 10, userId="user-a"), answer(survey, 0, userId="user-b")]
    batch = [good[0], answer(survey, 11), good[1], answer(survey, "9")]
    body = report(client, project, *batch)
    assert (body["accepted"], [r["index"] for r in body["rejected"]]) == (2, [1, 3])
    assert stored_message_ids(client, project) == [m["messageId"] for m in good]
    assert [r["score"] for r in responses_of(client, project, survey)] == [10, 0]


def test_text_longer_than_5000_characters_is_refused(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    body = report(client, project, answer(survey, 9, {"text": "x" * 5001}))
    assert list(body["rejected"][0]["errors"]) == ["properties.text"]


def test_whole_float_score_is_stored_as_an_integer(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    report(client, project, answer(survey, 7.0))
    [stored] = responses_of(client, project, survey)
    assert stored["score"] == 7
    assert isinstance(stored["score"], int)


def test_answer_naming_a_version_that_does_not_exist_is_refused(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    body = report(client, project, answer({**survey, "version": 2}, 9))
    assert list(body["rejected"][0]["errors"]) == ["properties.version"]


def test_failed_step_is_stored_with_its_reason_and_leaves_progress_alone(
    client: TestClient, project: CreatedProject
) -> None:
    flow = define(client, project, "flow", tour())
    failed = reserved("Flow Step Failed", flow, {"step": "step-1", "reason": "target_not_found"})
    body = report(client, project, failed)
    assert (body["accepted"], body["rejected"]) == (1, [])
    assert stored_message_ids(client, project) == [failed["messageId"]]
    progress = admin_get(client, project, f"/api/v1/flows/{flow['id']}/progress")
    assert [(p["status"], p["shown_count"]) for p in progress["data"]] == [("new", 0)]


def test_failed_step_without_a_reason_is_refused(
    client: TestClient, project: CreatedProject
) -> None:
    flow = define(client, project, "flow", tour())
    body = report(client, project, reserved("Flow Step Failed", flow, {"step": "step-1"}))
    assert list(body["rejected"][0]["errors"]) == ["properties.reason"]


# --- retries count once ----------------------------------------------------------------------


def test_retried_flow_started_counts_once(client: TestClient, project: CreatedProject) -> None:
    flow = define(client, project, "flow", tour())
    started = reserved("Flow Started", flow)
    report(client, project, started, started)
    report(client, project, started)
    progress = admin_get(client, project, f"/api/v1/flows/{flow['id']}/progress")
    assert [person["shown_count"] for person in progress["data"]] == [1]


def test_retried_survey_shown_is_stored_once(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    shown = reserved("Survey Shown", survey)
    assert report(client, project, shown, shown)["accepted"] == 2
    report(client, project, shown)
    assert stored_message_ids(client, project) == [shown["messageId"]]


def test_retried_survey_dismissal_counts_once_towards_the_dismissal_cap(
    client: TestClient, project: CreatedProject
) -> None:
    survey = define(client, project, "survey", nps(throttle={"max_dismissals": 2}))
    dismissed = reserved("Survey Dismissed", survey)
    report(client, project, dismissed, dismissed)
    report(client, project, dismissed)
    assert decisions(client, project, "user-1")[survey["id"]]["eligible"] is True


def test_retried_answer_is_one_response(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    answered = answer(survey, 8)
    report(client, project, answered)
    report(client, project, answered)
    assert len(responses_of(client, project, survey)) == 1


# --- answers that were not due ---------------------------------------------------------------


def set_status(
    client: TestClient, project: CreatedProject, survey: dict[str, Any], status: str
) -> None:
    response = client.patch(
        f"/api/v1/surveys/{survey['id']}", json={"status": status}, headers=secret_auth(project)
    )
    assert response.status_code == 200, response.text


@pytest.fixture
def paused_answer(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> dict[str, Any]:
    """An answer given after the survey was paused (a page open since before the pause)."""
    set_status(client, project, survey, "paused")
    late = answer(survey, 3)
    assert report(client, project, late)["accepted"] == 1
    return late


def test_answer_while_paused_is_stored_as_not_eligible(
    client: TestClient, project: CreatedProject, survey: dict[str, Any], paused_answer: Any
) -> None:
    [stored] = responses_of(client, project, survey)
    assert (stored["message_id"], stored["eligible"]) == (paused_answer["messageId"], False)


def test_not_eligible_answers_are_filtered_by_eligible(
    client: TestClient, project: CreatedProject, survey: dict[str, Any], paused_answer: Any
) -> None:
    set_status(client, project, survey, "live")
    report(client, project, answer(survey, 10, userId="user-2"))
    not_eligible = responses_of(client, project, survey, eligible="false")
    eligible = responses_of(client, project, survey, eligible="true")
    assert [r["score"] for r in not_eligible] == [3]
    assert [r["score"] for r in eligible] == [10]


def test_second_answer_within_the_reask_interval_is_not_eligible(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    report(client, project, answer(survey, 9))
    report(client, project, answer(survey, 2))
    assert [r["eligible"] for r in responses_of(client, project, survey)] == [True, False]


# --- exports ---------------------------------------------------------------------------------


def test_csv_export_defuses_a_formula(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    report(client, project, answer(survey, 9, {"text": '=HYPERLINK("http://evil.example","x")'}))
    [row] = csv.DictReader(io.StringIO(export(client, project, survey, "csv")))
    assert row["text"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["score"] == "9"


@pytest.mark.parametrize("start", ["+", "-", "@"])
def test_csv_export_defuses_other_formula_starts(
    client: TestClient, project: CreatedProject, survey: dict[str, Any], start: str
) -> None:
    report(client, project, answer(survey, 9, {"text": f"{start}1+1"}))
    [row] = csv.DictReader(io.StringIO(export(client, project, survey, "csv")))
    assert row["text"] == f"'{start}1+1"


def test_ndjson_export_has_every_response(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    """More than a page of the JSON list (100 by default)."""
    report(client, project, *(answer(survey, n % 11, userId=f"user-{n}") for n in range(120)))
    lines = export(client, project, survey, "ndjson").splitlines()
    assert [orjson.loads(line)["score"] for line in lines] == [n % 11 for n in range(120)]


def test_ndjson_export_keeps_the_text_as_given(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    report(client, project, answer(survey, 9, {"text": "=1+1"}))
    [line] = export(client, project, survey, "ndjson").splitlines()
    assert orjson.loads(line)["text"] == "=1+1"


def test_responses_of_another_projects_survey_are_not_found(
    client: TestClient, project: CreatedProject, other_project: CreatedProject
) -> None:
    theirs = define(client, other_project, "survey", nps())
    for export_format in ("json", "csv", "ndjson"):
        response = client.get(
            f"/api/v1/surveys/{theirs['id']}/responses",
            params={"format": export_format},
            headers=secret_auth(project),
        )
        assert response.status_code == 404, export_format


def test_progress_of_another_projects_flow_is_not_found(
    client: TestClient, project: CreatedProject, other_project: CreatedProject
) -> None:
    theirs = define(client, other_project, "flow", tour())
    response = client.get(f"/api/v1/flows/{theirs['id']}/progress", headers=secret_auth(project))
    assert response.status_code == 404


def test_unanswered_survey_stays_delivered_after_a_refused_answer(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    report(client, project, answer(survey, 11))
    assert delivered_ids(client, project, userId="user-1") == [survey["id"]]
