"""Tracking calls sent with the SDK to the live collector and stored before a test reads."""

from __future__ import annotations

from typing import Any

from waypost import Client

from collector.projects.service import CreatedProject
from tests.conftest import LiveServer

WAIT_SECONDS = 15.0
Call = tuple[str, str, dict[str, Any]]


def tracked(live_server: LiveServer, project: CreatedProject, *calls: Call) -> None:
    """Each ``(user id, event, properties)`` sent by the tracking SDK and stored."""
    client = Client(project.write_key, live_server.url, max_retries=1)
    for user_id, event, properties in calls:
        client.track(user_id, event, properties)
    assert client.shutdown(WAIT_SECONDS)


def answered(
    live_server: LiveServer, project: CreatedProject, survey_id: str, scores: list[int]
) -> None:
    """Each score as a ``Survey Responded`` of a user of its own."""
    calls = [
        (f"user-{n}", "Survey Responded", {"survey_id": survey_id, "score": score})
        for n, score in enumerate(scores)
    ]
    tracked(live_server, project, *calls)
