"""``/api/v1/flows`` and ``/api/v1/surveys`` over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.experiences.helpers import (
    collection,
    created,
    delete,
    get,
    ok,
    patch,
    post,
)
from tests.factories import checklist, nps, secret_auth, tour


def test_minimal_survey_is_created(client: TestClient, project: CreatedProject) -> None:
    survey = created(client, project, "survey", nps())
    assert (survey["type"], survey["name"], survey["version"], survey["status"]) == (
        "nps",
        "NPS",
        1,
        "live",
    )


def test_created_survey_carries_its_defaults(client: TestClient, project: CreatedProject) -> None:
    survey = created(client, project, "survey", nps())
    assert survey["question"] == "How likely are you to recommend us to a friend or colleague?"
    assert survey["scale"] == {"min": 0, "max": 10}


def test_minimal_tour_is_created_with_step_ids(client: TestClient, project: CreatedProject) -> None:
    flow = created(client, project, "flow", tour())
    assert [step["id"] for step in flow["steps"]] == ["step-1"]


def test_minimal_checklist_is_created_with_item_ids(
    client: TestClient, project: CreatedProject
) -> None:
    flow = created(client, project, "flow", checklist())
    assert [item["id"] for item in flow["items"]] == ["item-1"]


def test_created_resource_has_id_and_times(client: TestClient, project: CreatedProject) -> None:
    flow = created(client, project, "flow", tour())
    assert uuid.UUID(flow["id"])
    assert flow["created_at"].endswith("Z")
    assert flow["updated_at"] == flow["created_at"]


def test_created_resource_reads_back_the_same(client: TestClient, project: CreatedProject) -> None:
    flow = created(client, project, "flow", tour())
    assert ok(get(client, project, f"/api/v1/flows/{flow['id']}")) == flow


def test_localised_texts_are_stored_as_given(client: TestClient, project: CreatedProject) -> None:
    title = {"en": "Welcome", "he": "ברוכים הבאים", "ar": "مرحبا", "zh": "欢迎"}
    flow = created(client, project, "flow", tour(steps=[{"title": title}]))
    stored = ok(get(client, project, f"/api/v1/flows/{flow['id']}"))
    assert stored["steps"][0]["title"] == title


def test_invalid_body_is_refused_with_field_messages(
    client: TestClient, project: CreatedProject
) -> None:
    response = post(client, project, "flow", tour(type="hotspot", steps=[{"title": "x"}]))
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "validation_failed",
        "message": "invalid flow",
        "fields": {"steps": {"0": {"target": ["a hotspot needs a target"]}}},
    }


def test_survey_type_is_refused_by_the_flows_route(
    client: TestClient, project: CreatedProject
) -> None:
    response = post(client, project, "flow", nps())
    assert response.status_code == 422
    assert "type" in response.json()["error"]["fields"]


def test_body_that_is_not_an_object_is_refused(client: TestClient, project: CreatedProject) -> None:
    response = post(client, project, "survey", [nps()])
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_body"


def test_body_that_is_not_json_is_refused(client: TestClient, project: CreatedProject) -> None:
    response = client.post(
        "/api/v1/surveys",
        content=b"{name",
        headers={**secret_auth(project), "content-type": "application/json"},
    )
    assert response.status_code == 400


def test_body_over_a_megabyte_is_refused(client: TestClient, project: CreatedProject) -> None:
    response = post(client, project, "flow", tour(description="x" * 1024 * 1024))
    assert response.status_code == 413


def test_refused_body_stores_nothing(client: TestClient, project: CreatedProject) -> None:
    post(client, project, "survey", nps(scale={"min": 1, "max": 5}))
    assert ok(get(client, project, "/api/v1/surveys"))["data"] == []


def test_unknown_id_is_not_found(client: TestClient, project: CreatedProject) -> None:
    response = get(client, project, f"/api/v1/flows/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_id_that_is_not_a_uuid_is_not_found(client: TestClient, project: CreatedProject) -> None:
    assert get(client, project, "/api/v1/surveys/latest").status_code == 404


def test_survey_is_not_found_among_flows(client: TestClient, project: CreatedProject) -> None:
    survey = created(client, project, "survey", nps())
    assert get(client, project, f"/api/v1/flows/{survey['id']}").status_code == 404


def names(client: TestClient, project: CreatedProject, path: str) -> list[str]:
    return [item["name"] for item in ok(get(client, project, path))["data"]]


def test_list_shows_the_kind_s_experiences_oldest_first(
    engine: Engine, client: TestClient, project: CreatedProject
) -> None:
    factories.create_flow(engine, project, name="First")
    factories.create_survey(engine, project, name="Survey")
    factories.create_flow(engine, project, name="Second")
    assert names(client, project, "/api/v1/flows") == ["First", "Second"]


def test_list_filters_by_type(engine: Engine, client: TestClient, project: CreatedProject) -> None:
    factories.create_flow(engine, project, name="Tour")
    factories.create_experience(engine, project, "flow", checklist(name="List"))
    assert names(client, project, "/api/v1/flows?type=checklist") == ["List"]


def test_list_filters_by_status(
    engine: Engine, client: TestClient, project: CreatedProject
) -> None:
    factories.create_survey(engine, project, name="Live")
    factories.create_survey(engine, project, name="Draft", status="draft")
    assert names(client, project, "/api/v1/surveys?status=draft") == ["Draft"]


def test_list_refuses_a_type_of_the_other_kind(client: TestClient, project: CreatedProject) -> None:
    response = get(client, project, "/api/v1/flows?type=nps")
    assert response.status_code == 400
    assert "type" in response.json()["error"]["fields"]


def test_list_refuses_an_unknown_status(client: TestClient, project: CreatedProject) -> None:
    assert get(client, project, "/api/v1/surveys?status=gone").status_code == 400


def test_list_leaves_archived_out(
    engine: Engine, client: TestClient, project: CreatedProject
) -> None:
    kept = factories.create_survey(engine, project, name="Kept")
    gone = factories.create_survey(engine, project, name="Gone")
    delete(client, project, f"/api/v1/surveys/{gone['id']}")
    assert names(client, project, "/api/v1/surveys") == [kept["name"]]


def test_list_shows_archived_when_asked(
    engine: Engine, client: TestClient, project: CreatedProject
) -> None:
    gone = factories.create_survey(engine, project, name="Gone")
    delete(client, project, f"/api/v1/surveys/{gone['id']}")
    assert names(client, project, "/api/v1/surveys?status=archived") == ["Gone"]


def edit(
    client: TestClient, project: CreatedProject, flow: dict[str, Any], body: Any
) -> dict[str, Any]:
    return ok(patch(client, project, f"/api/v1/flows/{flow['id']}", body))


def test_patch_changes_only_the_fields_sent(client: TestClient, project: CreatedProject) -> None:
    flow = created(client, project, "flow", tour(priority=5))
    edited = edit(client, project, flow, {"name": "Hello"})
    assert {**flow, "name": "Hello", "updated_at": edited["updated_at"]} == edited


def test_patch_moves_updated_at(client: TestClient, project: CreatedProject) -> None:
    flow = created(client, project, "flow", tour())
    assert edit(client, project, flow, {"status": "paused"})["updated_at"] > flow["updated_at"]


def test_patch_is_validated_as_a_whole(client: TestClient, project: CreatedProject) -> None:
    flow = created(
        client, project, "flow", tour(type="hotspot", steps=[{"target": "#a", "title": "New"}])
    )
    response = patch(client, project, f"/api/v1/flows/{flow['id']}", {"steps": [{"title": "x"}]})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "steps": {"0": {"target": ["a hotspot needs a target"]}}
    }


def test_refused_patch_changes_nothing(client: TestClient, project: CreatedProject) -> None:
    flow = created(client, project, "flow", tour())
    patch(client, project, f"/api/v1/flows/{flow['id']}", {"name": "New", "status": "gone"})
    assert ok(get(client, project, f"/api/v1/flows/{flow['id']}")) == flow


def test_patch_cannot_change_the_type(client: TestClient, project: CreatedProject) -> None:
    flow = created(client, project, "flow", tour())
    response = patch(client, project, f"/api/v1/flows/{flow['id']}", {"type": "announcement"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["type"] == [
        "cannot be changed; create a new flow of that type"
    ]


def test_patch_may_repeat_the_type(client: TestClient, project: CreatedProject) -> None:
    flow = created(client, project, "flow", tour())
    assert edit(client, project, flow, {"type": "tour", "name": "Same"})["name"] == "Same"


def test_patch_refuses_read_only_fields(client: TestClient, project: CreatedProject) -> None:
    flow = created(client, project, "flow", tour())
    response = patch(client, project, f"/api/v1/flows/{flow['id']}", {"version": 7})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"version": ["is read-only"]}


def test_patch_with_null_restores_the_default(client: TestClient, project: CreatedProject) -> None:
    flow = created(client, project, "flow", tour(trigger={"type": "manual"}))
    assert edit(client, project, flow, {"trigger": None})["trigger"] == {"type": "page_load"}


def test_patch_replaces_an_object_whole(client: TestClient, project: CreatedProject) -> None:
    flow = created(client, project, "flow", tour(throttle={"max_dismissals": 5}))
    edited = edit(client, project, flow, {"throttle": {"show_once": False}})
    assert edited["throttle"] == {"max_dismissals": 3, "show_once": False}


def test_patch_body_that_is_not_an_object_is_refused(
    client: TestClient, project: CreatedProject
) -> None:
    flow = created(client, project, "flow", tour())
    assert patch(client, project, f"/api/v1/flows/{flow['id']}", ["x"]).status_code == 400


def test_patch_of_an_unknown_id_is_not_found(client: TestClient, project: CreatedProject) -> None:
    response = patch(client, project, f"/api/v1/surveys/{uuid.uuid4()}", {"name": "x"})
    assert response.status_code == 404


def test_delete_archives(client: TestClient, project: CreatedProject) -> None:
    survey = created(client, project, "survey", nps())
    assert ok(delete(client, project, f"/api/v1/surveys/{survey['id']}"))["status"] == "archived"


def test_archived_experience_can_still_be_read(client: TestClient, project: CreatedProject) -> None:
    survey = created(client, project, "survey", nps())
    delete(client, project, f"/api/v1/surveys/{survey['id']}")
    found = ok(get(client, project, f"/api/v1/surveys/{survey['id']}"))
    assert (found["status"], found["question"]) == ("archived", survey["question"])


def test_delete_twice_answers_the_archived_experience(
    client: TestClient, project: CreatedProject
) -> None:
    survey = created(client, project, "survey", nps())
    first = ok(delete(client, project, f"/api/v1/surveys/{survey['id']}"))
    assert ok(delete(client, project, f"/api/v1/surveys/{survey['id']}")) == first


def test_archived_experience_can_be_brought_back(
    client: TestClient, project: CreatedProject
) -> None:
    survey = created(client, project, "survey", nps())
    delete(client, project, f"/api/v1/surveys/{survey['id']}")
    path = f"/api/v1/surveys/{survey['id']}"
    assert ok(patch(client, project, path, {"status": "live"}))["status"] == "live"


def test_delete_of_an_unknown_id_is_not_found(client: TestClient, project: CreatedProject) -> None:
    assert delete(client, project, f"/api/v1/flows/{uuid.uuid4()}").status_code == 404


def test_request_without_a_key_is_refused(client: TestClient) -> None:
    response = client.get(collection("flow"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_key"


def test_write_key_is_refused_on_the_admin_api(client: TestClient, project: CreatedProject) -> None:
    response = client.post(
        collection("survey"), json=nps(), headers=factories.bearer_auth(project.write_key)
    )
    assert response.status_code == 403


def test_unauthenticated_body_is_not_validated(client: TestClient) -> None:
    assert client.post(collection("survey"), json={"type": "poll"}).status_code == 401
