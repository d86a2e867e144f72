"""Request ids: echoed on every answer, taken from the client when well formed, and
carried by the JSON log lines written while answering."""

from __future__ import annotations

import logging

import orjson
import pytest
from starlette.testclient import TestClient

from collector.kit.http.requests import accepted_request_id
from collector.kit.logs import JsonFormatter, log_config, request_id
from collector.projects.service import CreatedProject
from tests import factories


def test_every_answer_carries_a_request_id(client: TestClient) -> None:
    assert len(client.get("/health").headers["x-request-id"]) == 32


def test_a_well_formed_client_id_is_echoed(client: TestClient) -> None:
    response = client.get("/health", headers={"X-Request-Id": "edge-7f3a.42"})
    assert response.headers["x-request-id"] == "edge-7f3a.42"


@pytest.mark.parametrize("sent", ["", "a b", "x" * 129, "<script>", "id\u00e9"])
def test_a_malformed_client_id_is_replaced(sent: str) -> None:
    assert accepted_request_id(sent) != sent


def test_refusals_carry_the_request_id_too(client: TestClient) -> None:
    response = client.get("/api/v1/project", headers={"X-Request-Id": "req-1"})
    assert (response.status_code, response.headers["x-request-id"]) == (401, "req-1")


def test_the_access_log_names_the_route_not_the_user(
    client: TestClient, project: CreatedProject, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="waypost.access"):
        client.get("/api/v1/persons/ada@example.com", headers=factories.secret_auth(project))
    [line] = [r for r in caplog.records if r.name == "waypost.access"]
    assert line.getMessage() == "GET /api/v1/persons/{id} 404"
    assert "ada@example.com" not in str(line.__dict__)


def test_log_lines_are_json_with_the_request_id() -> None:
    record = logging.LogRecord("waypost", logging.INFO, __file__, 1, "stored %d", (3,), None)
    token = request_id.set("req-9")
    try:
        line = orjson.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert (line["message"], line["request_id"], line["level"]) == ("stored 3", "req-9", "info")


def test_extra_fields_are_kept_and_exceptions_written_out() -> None:
    try:
        raise ValueError("boom")
    except ValueError as error:
        record = logging.LogRecord(
            "waypost", logging.ERROR, __file__, 1, "failed", (), (ValueError, error, None)
        )
    record.status = 500
    line = orjson.loads(JsonFormatter().format(record))
    assert line["status"] == 500
    assert "ValueError: boom" in line["exception"]


def test_uvicorn_is_configured_to_write_json() -> None:
    config = log_config("trace")
    assert config["root"]["level"] == "DEBUG"
    assert config["formatters"]["json"]["()"] is JsonFormatter
