"""``AdminClient`` reads of events, persons, eligibility and the project, typed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from waypost import AdminClient
from waypost.models import Identity

from collector.projects.service import CreatedProject
from tests.conftest import LiveServer
from tests.sdk_python.live import tracked


def test_events_are_filtered_by_user_across_pages(
    admin: AdminClient, live_server: LiveServer, project: CreatedProject
) -> None:
    calls: list[tuple[str, str, dict[str, Any]]] = [
        (user, f"Event {n}", {"n": n}) for n in range(3) for user in ("user-a", "user-b")
    ]
    tracked(live_server, project, *calls)
    events = list(admin.events(user_id="user-a", page_size=2))
    assert [(event.event, event.properties["n"]) for event in events] == [
        ("Event 0", 0),
        ("Event 1", 1),
        ("Event 2", 2),
    ]


def test_events_carry_the_resolved_person_and_times(
    admin: AdminClient, live_server: LiveServer, project: CreatedProject
) -> None:
    tracked(live_server, project, ("user-1", "Report Created", {}))
    [event] = admin.events()
    assert event.person_id == admin.person("user-1").id
    assert event.received_at >= event.timestamp


def test_events_resume_with_only_what_arrived_since(
    admin: AdminClient, live_server: LiveServer, project: CreatedProject
) -> None:
    tracked(live_server, project, ("user-1", "First", {}))
    seen = admin.events()
    assert [event.event for event in seen] == ["First"]
    tracked(live_server, project, ("user-1", "Second", {}))
    assert [event.event for event in admin.events(cursor=seen.cursor)] == ["Second"]


def test_events_are_read_from_a_moment_on(
    admin: AdminClient, live_server: LiveServer, project: CreatedProject
) -> None:
    tracked(live_server, project, ("user-1", "Report Created", {}))
    assert list(admin.events(since=datetime.now(UTC) + timedelta(hours=1))) == []
    assert len(list(admin.events(since=datetime.now(UTC) - timedelta(hours=1)))) == 1


def test_a_person_is_found_by_user_id_with_every_identity(
    admin: AdminClient, live_server: LiveServer, project: CreatedProject
) -> None:
    tracked(live_server, project, ("user-1", "Report Created", {}))
    person = admin.person("user-1")
    assert person.user_id == "user-1"
    assert person.identities == (Identity("user-1", "user"),)


def test_eligibility_lists_the_live_survey(
    admin: AdminClient, live_server: LiveServer, project: CreatedProject
) -> None:
    survey = admin.create_survey({"name": "NPS", "type": "nps"})
    tracked(live_server, project, ("user-1", "Report Created", {}))
    report = admin.eligibility("user-1", url="https://app.example.com/", locale="en")
    assert [(entry.id, entry.kind) for entry in report.experiences] == [(survey.id, "survey")]


def test_project_settings_are_updated(admin: AdminClient, project: CreatedProject) -> None:
    updated = admin.update_project_settings({"require_identity_verification": True})
    assert updated.settings["require_identity_verification"] is True
    assert admin.project().identity_secret == project.identity_secret
