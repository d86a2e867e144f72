"""``GET /v1/flows`` gives a resource center the person's recent announcements and checklists."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, update
from starlette.testclient import TestClient

from collector.kit.db.models import Experience
from collector.projects.service import CreatedProject
from tests.factories import (
    checklist,
    define,
    flows_for,
    report,
    reserved,
    tour,
    tracked,
    update_project,
)

HELP = {"name": "Help", "type": "resource_center", "links": []}


def announcement(
    title: str | dict[str, str] = "New: exports", cta_url: str | None = None, **step: Any
) -> dict[str, Any]:
    body = {"title": title, "body": "Download any report", **step}
    name = title if isinstance(title, str) else title["en"]
    link = {"cta_url": cta_url} if cta_url else {}
    return {"name": name, "type": "announcement", "steps": [body], **link}


def center(client: TestClient, project: CreatedProject, **params: str) -> dict[str, Any]:
    """The resource center delivered to ``user-1``."""
    delivered = flows_for(client, project, userId="user-1", **params)["flows"]
    [found] = [flow for flow in delivered if flow["type"] == "resource_center"]
    return found


def titles(found: dict[str, Any]) -> list[str]:
    return [entry["title"] for entry in found["announcements"]]


def published(engine: Engine, experience: dict[str, Any], days_ago: float) -> None:
    """Date the experience as live (or last changed) ``days_ago`` days ago."""
    moment = datetime.now(UTC) - timedelta(days=days_ago)
    statement = update(Experience).where(Experience.id == uuid.UUID(experience["id"]))
    with engine.begin() as connection:
        connection.execute(statement.values(updated_at=moment))


# --- announcements -----------------------------------------------------------------------------


def test_announcement_the_person_may_see_is_listed_with_its_texts(
    client: TestClient, project: CreatedProject
) -> None:
    news = define(
        client, project, "flow", announcement(cta_url="/exports", buttons={"done": "Try it"})
    )
    define(client, project, "flow", HELP)
    [listed] = center(client, project)["announcements"]
    assert listed["id"] == news["id"]
    assert (listed["title"], listed["body"]) == ("New: exports", "Download any report")
    assert listed["cta"] == {"label": "Try it", "url": "/exports"}
    assert (listed["seen"], listed["dismissed"]) == (False, False)


def test_announcement_texts_are_in_the_users_locale(
    client: TestClient, project: CreatedProject
) -> None:
    define(client, project, "flow", announcement({"en": "New", "he": "חדש"}))
    define(client, project, "flow", HELP)
    assert titles(center(client, project, locale="he-IL")) == ["חדש"]


def test_call_to_action_without_a_link_leads_nowhere(
    client: TestClient, project: CreatedProject
) -> None:
    define(client, project, "flow", announcement(url="/reports"))
    define(client, project, "flow", HELP)
    [listed] = center(client, project)["announcements"]
    assert listed["cta"] == {"label": None, "url": None}


def test_announcement_already_shown_stays_listed_as_seen(
    client: TestClient, project: CreatedProject
) -> None:
    news = define(client, project, "flow", announcement())
    define(client, project, "flow", HELP)
    report(client, project, reserved("Flow Started", news), reserved("Flow Completed", news))
    [listed] = center(client, project)["announcements"]
    assert (listed["seen"], listed["dismissed"]) == (True, False)


def test_dismissed_announcement_is_listed_as_dismissed(
    client: TestClient, project: CreatedProject
) -> None:
    news = define(client, project, "flow", announcement())
    define(client, project, "flow", HELP)
    report(client, project, reserved("Flow Started", news), reserved("Flow Dismissed", news))
    [listed] = center(client, project)["announcements"]
    assert (listed["seen"], listed["dismissed"]) == (True, True)


def test_announcement_outside_the_persons_audience_is_not_listed(
    client: TestClient, project: CreatedProject
) -> None:
    rule = {"type": "trait", "name": "plan", "op": "eq", "value": "pro"}
    define(client, project, "flow", {**announcement(), "audience": {"rules": [rule]}})
    define(client, project, "flow", HELP)
    assert center(client, project)["announcements"] == []


def test_announcement_the_session_cap_keeps_off_the_screen_is_still_listed(
    client: TestClient, project: CreatedProject
) -> None:
    define(client, project, "flow", tour(priority=9))
    define(client, project, "flow", announcement())
    define(client, project, "flow", HELP)
    delivered = flows_for(client, project, userId="user-1", sessionId="s-1")["flows"]
    assert [flow["type"] for flow in delivered] == ["tour", "resource_center"]
    assert titles(delivered[1]) == ["New: exports"]


def test_announcement_older_than_thirty_days_is_not_listed(
    client: TestClient, project: CreatedProject, engine: Engine
) -> None:
    published(engine, define(client, project, "flow", announcement("Old")), days_ago=31)
    published(engine, define(client, project, "flow", announcement("Recent")), days_ago=29)
    define(client, project, "flow", HELP)
    assert titles(center(client, project)) == ["Recent"]


def test_at_most_five_announcements_are_listed_most_recent_first(
    client: TestClient, project: CreatedProject, engine: Engine
) -> None:
    for age in (3, 1, 5, 2, 6, 4):
        published(engine, define(client, project, "flow", announcement(f"{age} days")), age)
    define(client, project, "flow", HELP)
    assert titles(center(client, project)) == [f"{age} days" for age in (1, 2, 3, 4, 5)]


def test_another_projects_announcements_never_appear(
    client: TestClient, project: CreatedProject, other_project: CreatedProject
) -> None:
    define(client, other_project, "flow", announcement("Theirs"))
    define(client, project, "flow", HELP)
    assert center(client, project)["announcements"] == []


# --- checklists --------------------------------------------------------------------------------

TWO_ITEMS = [
    {"id": "report", "title": "Create a report", "completed_by": {"event": "Report Created"}},
    {"id": "invite", "title": "Invite a colleague", "completed_by": {"event": "User Invited"}},
]


def test_checklist_is_listed_with_each_items_state_and_the_count_done(
    client: TestClient, project: CreatedProject
) -> None:
    listed = define(client, project, "flow", checklist(items=TWO_ITEMS))
    define(client, project, "flow", HELP)
    report(client, project, reserved("Flow Started", listed), tracked("Report Created"))
    [found] = center(client, project)["checklists"]
    assert (found["id"], found["title"], found["done"], found["total"]) == (
        listed["id"],
        "Get started",
        1,
        2,
    )
    assert [(item["id"], item["done"]) for item in found["items"]] == [
        ("report", True),
        ("invite", False),
    ]


def test_completed_checklist_stays_listed_all_done(
    client: TestClient, project: CreatedProject
) -> None:
    listed = define(client, project, "flow", checklist())
    define(client, project, "flow", HELP)
    report(client, project, reserved("Flow Started", listed), tracked("Report Created"))
    [found] = center(client, project)["checklists"]
    assert (found["done"], found["total"]) == (1, 1)


def test_checklist_outside_the_persons_audience_is_not_listed(
    client: TestClient, project: CreatedProject
) -> None:
    rule = {"type": "trait", "name": "plan", "op": "eq", "value": "pro"}
    define(client, project, "flow", checklist(audience={"rules": [rule]}))
    define(client, project, "flow", HELP)
    assert center(client, project)["checklists"] == []


def test_checklist_items_are_in_the_users_locale(
    client: TestClient, project: CreatedProject
) -> None:
    item = {"title": {"en": "Create a report", "he": "צרו דוח"}, "completed_by": None}
    define(client, project, "flow", checklist(items=[item]))
    define(client, project, "flow", HELP)
    [found] = center(client, project, locale="he")["checklists"]
    assert found["items"][0]["title"] == "צרו דוח"


def test_flows_other_than_the_resource_center_carry_no_lists(
    client: TestClient, project: CreatedProject
) -> None:
    update_project(client, project, {"throttle": {"max_per_session": None}})
    define(client, project, "flow", checklist())
    define(client, project, "flow", announcement())
    delivered = flows_for(client, project, userId="user-1")["flows"]
    assert all("announcements" not in flow and "checklists" not in flow for flow in delivered)
