"""Versions: a change of content, audience, trigger, throttle or theme is a new version;
a change of name, status or priority is not; every version can be read back."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests.collector.experiences.helpers import created, delete, get, ok, patch
from tests.factories import nps, tour


def edit(
    client: TestClient, project: CreatedProject, survey: dict[str, Any], body: dict[str, Any]
) -> dict[str, Any]:
    return ok(patch(client, project, f"/api/v1/surveys/{survey['id']}", body))


def version(
    client: TestClient, project: CreatedProject, survey: dict[str, Any], number: int
) -> dict[str, Any]:
    return ok(get(client, project, f"/api/v1/surveys/{survey['id']}/versions/{number}"))


@pytest.fixture
def survey(client: TestClient, project: CreatedProject) -> dict[str, Any]:
    return created(client, project, "survey", nps(question="Recommend us?"))


def test_new_experience_is_version_1(survey: dict[str, Any]) -> None:
    assert survey["version"] == 1


def test_version_1_can_be_read(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    first = version(client, project, survey, 1)
    assert (first["id"], first["version"], first["question"]) == (survey["id"], 1, "Recommend us?")


def test_version_carries_the_definition_and_when_it_was_made(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    first = version(client, project, survey, 1)
    unversioned = ("status", "priority", "updated_at")
    assert first == {key: value for key, value in survey.items() if key not in unversioned}


@pytest.mark.parametrize(
    "change",
    [
        {"question": "Would you recommend us?"},
        {"audience": {"rules": [{"type": "locale", "in": ["he"]}]}},
        {"trigger": {"type": "delay", "seconds": 30}},
        {"throttle": {"reask_days": 30}},
        {"theme": {"accent": "#0b5cff"}},
        {"default_locale": "he", "question": "?"},
    ],
    ids=["content", "audience", "trigger", "throttle", "theme", "default locale"],
)
def test_change_of_definition_is_a_new_version(
    client: TestClient, project: CreatedProject, survey: dict[str, Any], change: dict[str, Any]
) -> None:
    assert edit(client, project, survey, change)["version"] == 2


@pytest.mark.parametrize(
    "change",
    [{"name": "Renamed"}, {"status": "paused"}, {"priority": 10}],
    ids=["name", "status", "priority"],
)
def test_change_of_name_status_or_priority_keeps_the_version(
    client: TestClient, project: CreatedProject, survey: dict[str, Any], change: dict[str, Any]
) -> None:
    assert edit(client, project, survey, change)["version"] == 1


def test_unversioned_change_makes_no_version_row(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    edit(client, project, survey, {"name": "Renamed"})
    path = f"/api/v1/surveys/{survey['id']}/versions/2"
    assert get(client, project, path).status_code == 404


def test_resending_the_same_content_keeps_the_version(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    assert edit(client, project, survey, {"question": "Recommend us?"})["version"] == 1


def test_sending_a_default_explicitly_keeps_the_version(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    assert edit(client, project, survey, {"scale": {"min": 0, "max": 10}})["version"] == 1


def test_old_version_keeps_its_content(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    edit(client, project, survey, {"question": "Would you recommend us?"})
    assert version(client, project, survey, 1)["question"] == "Recommend us?"


def test_new_version_can_be_read(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    edit(client, project, survey, {"question": "Would you recommend us?"})
    assert version(client, project, survey, 2)["question"] == "Would you recommend us?"


def test_each_change_counts_one_more_version(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    for seconds in (10, 20, 30):
        latest = edit(client, project, survey, {"trigger": {"type": "delay", "seconds": seconds}})
    assert latest["version"] == 4


def test_version_shows_the_current_name(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    edit(client, project, survey, {"name": "Renamed"})
    assert version(client, project, survey, 1)["name"] == "Renamed"


def test_archiving_keeps_the_version(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    archived = ok(delete(client, project, f"/api/v1/surveys/{survey['id']}"))
    assert archived["version"] == 1


@pytest.mark.parametrize("number", [0, 2, 2**31, 10**30])
def test_version_that_was_never_made_is_not_found(
    client: TestClient, project: CreatedProject, survey: dict[str, Any], number: int
) -> None:
    path = f"/api/v1/surveys/{survey['id']}/versions/{number}"
    assert get(client, project, path).status_code == 404


def test_version_of_an_unknown_experience_is_not_found(
    client: TestClient, project: CreatedProject
) -> None:
    path = f"/api/v1/surveys/{uuid.uuid4()}/versions/1"
    assert get(client, project, path).status_code == 404


def test_version_of_a_survey_is_not_found_among_flows(
    client: TestClient, project: CreatedProject, survey: dict[str, Any]
) -> None:
    assert get(client, project, f"/api/v1/flows/{survey['id']}/versions/1").status_code == 404


def test_flow_steps_of_an_old_version_keep_their_ids(
    client: TestClient, project: CreatedProject
) -> None:
    flow = created(client, project, "flow", tour())
    steps = [*flow["steps"], {"title": "Second"}]
    ok(patch(client, project, f"/api/v1/flows/{flow['id']}", {"steps": steps}))
    second = ok(get(client, project, f"/api/v1/flows/{flow['id']}/versions/2"))
    assert [step["id"] for step in second["steps"]] == ["step-1", "step-2"]
