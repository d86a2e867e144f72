from __future__ import annotations

from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests import factories


def test_a_tracked_event_can_be_read_back(client: TestClient, project: CreatedProject) -> None:
    sent = factories.track(userId="user-1")
    response = client.post(
        "/v1/batch", json={"batch": [sent]}, headers=factories.write_auth(project)
    )
    assert response.json() == {"success": True, "accepted": 1, "rejected": []}
    events = client.get("/api/v1/events", headers=factories.secret_auth(project)).json()["data"]
    assert [event["messageId"] for event in events] == [sent["messageId"]]
