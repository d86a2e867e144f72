"""The web app's page and assets as the collector serves them."""

from __future__ import annotations

from starlette.testclient import TestClient

from collector.dashboard.endpoints import DIST


def test_the_page_is_served_with_a_strict_content_security_policy(client: TestClient) -> None:
    response = client.get("/dashboard")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_every_page_of_the_app_is_the_same_document(client: TestClient) -> None:
    index = client.get("/dashboard").text
    assert client.get("/dashboard/surveys/some-id").text == index


def test_the_built_script_is_served(client: TestClient) -> None:
    response = client.get("/dashboard/assets/app.js")
    assert response.status_code == 200
    assert response.content == (DIST / "assets" / "app.js").read_bytes()


def test_an_unknown_asset_is_a_json_404(client: TestClient) -> None:
    response = client.get("/dashboard/assets/nothing.js")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_an_unknown_dashboard_api_path_is_a_json_404_not_the_page(client: TestClient) -> None:
    response = client.get("/dashboard/api/nothing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_dashboard_routes_are_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths["/dashboard/api/session"]) == {"get", "post", "delete"}
    assert "get" in paths["/dashboard/{page}"]
