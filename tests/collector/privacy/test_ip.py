"""IP addresses: not stored unless the project asks, then truncated unless it asks for all."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from collector.privacy.ip import kept_ip, truncate_ip
from collector.projects.service import CreatedProject
from tests import factories


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.77", "203.0.113.0"),
        ("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::"),
        ("::ffff:198.51.100.9", "198.51.100.0"),
        (" 192.0.2.1 ", "192.0.2.0"),
    ],
)
def test_truncation_keeps_the_network_not_the_machine(address: str, network: str) -> None:
    assert truncate_ip(address) == network


def test_a_value_that_is_not_an_address_is_not_kept() -> None:
    assert truncate_ip("localhost") is None


def test_no_address_is_kept_by_default() -> None:
    assert kept_ip("none", "203.0.113.77", "198.51.100.9") is None


def test_the_request_address_stands_in_for_a_missing_one() -> None:
    assert kept_ip("full", None, "198.51.100.9") == "198.51.100.9"


def test_nothing_is_kept_when_there_is_no_address_at_all() -> None:
    assert kept_ip("truncated", "", None) is None


def stored_context(
    client: TestClient, project: CreatedProject, context: dict[str, Any]
) -> dict[str, Any]:
    factories.report(client, project, factories.track(context=context))
    [event] = factories.stored_events(client, project)
    stored: dict[str, Any] = event["context"]
    return stored


def test_ingestion_drops_the_sent_address_by_default(
    client: TestClient, project: CreatedProject
) -> None:
    assert stored_context(client, project, {"ip": "203.0.113.77", "locale": "fr"}) == {
        "locale": "fr"
    }


def test_a_project_keeping_truncated_addresses_stores_the_network(
    client: TestClient, project: CreatedProject
) -> None:
    factories.update_project(client, project, {"ip_addresses": "truncated"})
    assert stored_context(client, project, {"ip": "203.0.113.77"}) == {"ip": "203.0.113.0"}


def test_a_project_keeping_full_addresses_stores_the_request_address_when_none_is_sent(
    client: TestClient, project: CreatedProject
) -> None:
    factories.update_project(client, project, {"ip_addresses": "full"})
    # The test client connects from "testclient", which is not an address; a full
    # address is stored as the request gave it.
    assert stored_context(client, project, {}) == {"ip": "testclient"}


def test_an_unknown_ip_mode_is_refused_naming_the_field(
    client: TestClient, project: CreatedProject
) -> None:
    response = client.patch(
        "/api/v1/project",
        json={"settings": {"ip_addresses": "hashed"}},
        headers=factories.secret_auth(project),
    )
    assert response.status_code == 422
    assert "ip_addresses" in response.json()["error"]["fields"]["settings"]
