from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from collector.sdkfiles.files import (
    LONG_CACHE,
    ROOT,
    SHORT_CACHE,
    Directories,
    locate,
    sdk_version,
)
from tests.collector.sdkfiles.conftest import CORE


def test_the_script_is_served_as_javascript(files_client: TestClient) -> None:
    response = files_client.get("/sdk/waypost.js")
    assert response.status_code == 200
    assert response.content == CORE
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"


def test_the_latest_script_is_cached_briefly(files_client: TestClient) -> None:
    assert files_client.get("/sdk/waypost.mjs").headers["cache-control"] == SHORT_CACHE


def test_files_may_be_loaded_from_any_origin(files_client: TestClient) -> None:
    assert files_client.get("/sdk/waypost.mjs").headers["access-control-allow-origin"] == "*"


def test_source_maps_are_served_as_json(files_client: TestClient) -> None:
    response = files_client.get("/sdk/waypost.js.map")
    assert response.headers["content-type"] == "application/json"


def test_the_versioned_script_is_cached_for_a_year(files_client: TestClient) -> None:
    response = files_client.get("/sdk/waypost-1.2.3.js")
    assert response.status_code == 200
    assert response.content == CORE
    assert response.headers["cache-control"] == LONG_CACHE == "public, max-age=31536000, immutable"


def test_the_versioned_module_is_the_module(files_client: TestClient) -> None:
    assert files_client.get("/sdk/waypost-1.2.3.mjs").status_code == 200


def test_another_version_is_not_found(files_client: TestClient) -> None:
    response = files_client.get("/sdk/waypost-0.0.1.js")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "no browser SDK file is named 'waypost-0.0.1.js'"


def test_an_unknown_name_is_not_found(files_client: TestClient) -> None:
    assert files_client.get("/sdk/analytics.js").json()["error"]["code"] == "not_found"


def test_a_file_not_built_says_how_to_build_it(
    files_client: TestClient, built: Directories
) -> None:
    (built.sdk / "waypost.mjs").unlink()
    response = files_client.get("/sdk/waypost.mjs")
    assert response.status_code == 404
    assert "is not built" in response.json()["error"]["message"]


def test_widget_modules_are_served(files_client: TestClient) -> None:
    response = files_client.get("/sdk/widgets/survey.js")
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"


def test_the_widget_stylesheet_is_css(files_client: TestClient) -> None:
    response = files_client.get("/sdk/widgets/widgets.css")
    assert response.headers["content-type"] == "text/css; charset=utf-8"


def test_widgets_not_built_say_so(files_client: TestClient, built: Directories) -> None:
    (built.widgets / "survey.js").unlink()
    response = files_client.get("/sdk/widgets/survey.js")
    assert response.status_code == 404
    assert response.json()["error"]["message"].startswith("widgets/survey.js is not built")


@pytest.mark.parametrize(
    "path", ["../dist/secret.js", "..%2F..%2Fpackage.json", ".hidden.js", "a//b.js", "survey.py"]
)
def test_nothing_outside_the_widgets_directory_is_served(
    files_client: TestClient, path: str
) -> None:
    assert files_client.get(f"/sdk/widgets/{path}").status_code == 404


def test_a_version_is_unknown_without_a_readable_package_json(built: Directories) -> None:
    built.package_json.write_text("{")
    assert sdk_version(built) is None


def test_a_version_that_is_not_text_is_unknown(built: Directories) -> None:
    built.package_json.write_text('{"version": 3}')
    assert sdk_version(built) is None


def test_the_collector_serves_the_sdk_routes(client: TestClient) -> None:
    response = client.get("/sdk/nothing-here.js")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_default_directories_are_those_of_the_checkout() -> None:
    assert locate().sdk == ROOT / "sdk" / "js" / "dist"


def test_developer_tools_find_the_source_map_in_a_header(files_client: TestClient) -> None:
    assert files_client.get("/sdk/waypost.js").headers["sourcemap"] == "waypost.js.map"
    assert files_client.get("/sdk/waypost-1.2.3.js").headers["sourcemap"] == "waypost-1.2.3.js.map"


def test_a_file_without_a_map_names_none(files_client: TestClient) -> None:
    assert "sourcemap" not in files_client.get("/sdk/waypost.mjs").headers
