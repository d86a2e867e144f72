"""``AdminClient`` against a real ``waypost serve``: the admin API over real HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from waypost import AdminClient, APIError, Client

from collector.projects.service import CreatedProject
from tests import factories
from tests.conftest import LiveServer, free_port

WAIT_SECONDS = 15.0
MINIMAL_NPS = {"name": "NPS", "type": "nps"}
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def admin(live_server: LiveServer, project: CreatedProject) -> AdminClient:
    return AdminClient(project.secret_key, live_server.url, timeout=WAIT_SECONDS)


@pytest.fixture
def survey(admin: AdminClient) -> dict[str, object]:
    return admin.create_survey(MINIMAL_NPS)


def tracked(
    live_server: LiveServer, project: CreatedProject, *calls: tuple[str, str, dict[str, Any]]
) -> None:
    """Each ``(user id, event, properties)`` sent by the tracking SDK and stored."""
    client = Client(project.write_key, live_server.url, max_retries=1)
    for user_id, event, properties in calls:
        client.track(user_id, event, properties)
    assert client.flush(WAIT_SECONDS)


def answer(
    live_server: LiveServer, project: CreatedProject, survey_id: object, scores: list[int]
) -> None:
    """Each score as a ``Survey Responded`` of a user of its own."""
    properties = [{"survey_id": survey_id, "score": score} for score in scores]
    calls = [(f"user-{n}", "Survey Responded", p) for n, p in enumerate(properties)]
    tracked(live_server, project, *calls)


class RateLimitedHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"error": {"code": "rate_limited", "message": "slow down"}}'
        self.send_response(429)
        self.send_header("Retry-After", "7")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def rate_limited_url() -> Iterator[str]:
    """A server answering every request with 429 and ``Retry-After: 7``."""
    server = HTTPServer(("127.0.0.1", 0), RateLimitedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_minimal_survey_is_created_live(survey: dict[str, object]) -> None:
    assert (survey["name"], survey["type"], survey["status"]) == ("NPS", "nps", "live")


def test_a_created_survey_is_listed(admin: AdminClient, survey: dict[str, object]) -> None:
    assert [found["id"] for found in admin.list_surveys(type="nps")] == [survey["id"]]


def test_a_patch_changes_the_survey(admin: AdminClient, survey: dict[str, object]) -> None:
    admin.update_survey(str(survey["id"]), {"name": "Quarterly NPS"})
    assert admin.get_survey(str(survey["id"]))["name"] == "Quarterly NPS"


def test_an_archived_survey_is_listed_as_archived(
    admin: AdminClient, survey: dict[str, object]
) -> None:
    admin.archive_survey(str(survey["id"]))
    assert [found["id"] for found in admin.list_surveys(status="archived")] == [survey["id"]]


def test_responses_are_read_across_pages(
    admin: AdminClient,
    live_server: LiveServer,
    project: CreatedProject,
    survey: dict[str, object],
) -> None:
    answer(live_server, project, survey["id"], [9, 3, 10, 7, 0])
    answers = admin.responses(str(survey["id"]), page_size=2)
    assert [found["score"] for found in answers] == [9, 3, 10, 7, 0]


def test_an_unknown_survey_raises_not_found(admin: AdminClient) -> None:
    with pytest.raises(APIError) as raised:
        admin.get_survey(UNKNOWN_ID)
    assert (raised.value.status, raised.value.code) == (404, "not_found")


def test_an_invalid_survey_raises_validation_failed_with_fields(admin: AdminClient) -> None:
    with pytest.raises(APIError) as raised:
        admin.create_survey({"name": "", "type": "nps"})
    assert (raised.value.status, raised.value.code) == (422, "validation_failed")
    assert raised.value.fields is not None
    assert "name" in raised.value.fields


def test_a_write_key_is_forbidden(live_server: LiveServer, project: CreatedProject) -> None:
    with pytest.raises(APIError) as raised:
        AdminClient(project.write_key, live_server.url).list_surveys()
    assert (raised.value.status, raised.value.code) == (403, "forbidden")


def test_responses_are_filtered_by_eligibility(
    admin: AdminClient,
    live_server: LiveServer,
    project: CreatedProject,
    survey: dict[str, object],
) -> None:
    answer(live_server, project, survey["id"], [9, 3])
    assert list(admin.responses(str(survey["id"]), eligible=False)) == []


def test_responses_export_as_csv(
    admin: AdminClient,
    live_server: LiveServer,
    project: CreatedProject,
    survey: dict[str, object],
) -> None:
    answer(live_server, project, survey["id"], [9, 3])
    exported = admin.export_responses(str(survey["id"]), "csv").decode().splitlines()
    assert "score" in exported[0].split(",")
    assert len(exported) == 3


def test_flow_progress_counts_people_per_status(
    admin: AdminClient, live_server: LiveServer, project: CreatedProject
) -> None:
    flow = admin.create_flow(factories.tour())
    tracked(live_server, project, ("user-1", "Flow Started", {"flow_id": flow["id"]}))
    assert admin.flow_progress(flow["id"])["summary"] == {"in_progress": 1}


def test_flow_progress_people_are_read_across_pages(
    admin: AdminClient, live_server: LiveServer, project: CreatedProject
) -> None:
    flow = admin.create_flow(factories.tour())
    started = [(f"user-{n}", "Flow Started", {"flow_id": flow["id"]}) for n in range(3)]
    tracked(live_server, project, *started)
    people = admin.flow_progress_people(flow["id"], page_size=2)
    assert sorted(person["user_id"] for person in people) == ["user-0", "user-1", "user-2"]


def test_events_are_filtered_by_user_across_pages(
    admin: AdminClient, live_server: LiveServer, project: CreatedProject
) -> None:
    calls: list[tuple[str, str, dict[str, Any]]] = [
        (user, f"Event {n}", {}) for n in range(3) for user in ("user-a", "user-b")
    ]
    tracked(live_server, project, *calls)
    events = admin.events(user_id="user-a", page_size=2)
    assert [event["event"] for event in events] == ["Event 0", "Event 1", "Event 2"]


def test_a_person_is_found_by_user_id(
    admin: AdminClient, live_server: LiveServer, project: CreatedProject
) -> None:
    tracked(live_server, project, ("user-1", "Report Created", {}))
    assert admin.person("user-1")["userId"] == "user-1"


def test_eligibility_lists_the_live_survey(
    admin: AdminClient,
    live_server: LiveServer,
    project: CreatedProject,
    survey: dict[str, object],
) -> None:
    tracked(live_server, project, ("user-1", "Report Created", {}))
    report = admin.eligibility("user-1", url="https://app.example.com/", locale="en")
    assert [entry["id"] for entry in report["experiences"]] == [survey["id"]]


def test_project_settings_are_updated(admin: AdminClient) -> None:
    admin.update_project_settings({"require_identity_verification": True})
    assert admin.project()["settings"]["require_identity_verification"] is True


def test_a_rate_limited_answer_carries_retry_after(rate_limited_url: str) -> None:
    with pytest.raises(APIError) as raised:
        AdminClient("sk_test", rate_limited_url).project()
    assert (raised.value.status, raised.value.code, raised.value.retry_after) == (
        429,
        "rate_limited",
        7.0,
    )


def test_a_network_failure_raises_os_error() -> None:
    with pytest.raises(OSError):
        AdminClient("sk_test", f"http://127.0.0.1:{free_port()}", timeout=2.0).project()
