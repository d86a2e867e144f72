"""Write keys scoped to allowed origins: browser calls from other sites are refused."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from collector.kit.http.origins import origin_allowed
from collector.projects.service import CreatedProject
from tests import factories

APP = "https://app.example.com"


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("https://app.example.com", True),
        ("HTTPS://APP.EXAMPLE.COM", True),
        ("https://eu.example.com", True),
        ("https://example.com", False),
        ("http://eu.example.com", False),
        ("https://evil.com", False),
        ("https://app.example.com.evil.com", False),
    ],
)
def test_origins_match_exactly_or_by_subdomain_wildcard(origin: str, allowed: bool) -> None:
    assert origin_allowed(origin, [APP, "https://*.example.com"]) is allowed


def test_an_empty_list_allows_every_origin() -> None:
    assert origin_allowed("https://anywhere.test", [])


def restrict(client: TestClient, project: CreatedProject) -> None:
    factories.update_project(client, project, {"allowed_origins": [APP]})


def from_origin(client: TestClient, project: CreatedProject, origin: str) -> int:
    response = client.post(
        "/v1/batch",
        json={"batch": [factories.track()]},
        headers={**factories.write_auth(project), "Origin": origin},
    )
    return response.status_code


def test_a_browser_call_from_an_allowed_origin_is_stored(
    client: TestClient, project: CreatedProject
) -> None:
    restrict(client, project)
    assert from_origin(client, project, APP) == 200


def test_a_browser_call_from_another_origin_is_refused(
    client: TestClient, project: CreatedProject
) -> None:
    restrict(client, project)
    assert from_origin(client, project, "https://evil.test") == 403
    assert factories.stored_events(client, project) == []


def test_the_refusal_names_the_origin(client: TestClient, project: CreatedProject) -> None:
    restrict(client, project)
    response = client.get(
        "/v1/flows",
        params={"userId": "user-1"},
        headers={**factories.write_auth(project), "Origin": "https://evil.test"},
    )
    assert response.status_code == 403
    assert "https://evil.test" in response.json()["error"]["message"]


def test_a_server_call_without_origin_is_not_concerned(
    client: TestClient, project: CreatedProject
) -> None:
    restrict(client, project)
    assert factories.send_batch(client, project, factories.track()).status_code == 200


def test_a_beacon_with_the_key_in_its_body_is_checked_too(
    client: TestClient, project: CreatedProject
) -> None:
    restrict(client, project)
    response = client.post(
        "/v1/batch",
        content=f'{{"writeKey": "{project.write_key}", "batch": []}}',
        headers={"content-type": "text/plain", "Origin": "https://evil.test"},
    )
    assert response.status_code == 403


def test_a_pattern_that_is_not_an_origin_is_refused_naming_the_field(
    client: TestClient, project: CreatedProject
) -> None:
    response = client.patch(
        "/api/v1/project",
        json={"settings": {"allowed_origins": ["app.example.com/path"]}},
        headers=factories.secret_auth(project),
    )
    assert response.status_code == 422
    assert "allowed_origins" in response.json()["error"]["fields"]["settings"]
