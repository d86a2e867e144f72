"""``GET /api/v1/accounts/{id}``: one account's traits, health, users, weekly activity and
colour history, against data worked out by hand.

``acme`` has three members. Activity (track, page, screen) in November 2026, at 09:00 UTC
unless said otherwise; weeks are ISO weeks, Mondays Nov 2, 9, 16 and 23:

| user | traits | activity |
|---|---|---|
| u1 | Ada, ada@example.com | Report Created Nov 3 (twice) and Nov 10; a page Nov 24 |
| u2 | Bob | Invite Sent Nov 4; Export Run Nov 15 20:00 (Nov 16 in Auckland); two Nov 24 |
| u3 | | nothing |

``globex`` has u4, active Nov 3, who must count for nobody in ``acme``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.analytics.accounts.health_changes import evaluate_project
from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.analytics.accounts.busy_accounts import GREEN_AT, busy_accounts
from tests.collector.analytics.accounts.conftest import group, tracked_on

TO = "2026-11-26T00:00:00Z"
RED_AT = datetime(2027, 2, 1, tzinfo=UTC)
NOWHERE = "00000000-0000-4000-8000-00000000dead"


@dataclass(frozen=True)
class Detailed:
    project: CreatedProject
    other: CreatedProject


def identified(user: str, **traits: Any) -> Any:
    return factories.message("identify", userId=user, anonymousId=None, traits=traits)


def _messages() -> list[Any]:
    page = factories.message(
        "page", userId="u1", anonymousId=None, timestamp="2026-11-24T09:00:00Z"
    )
    late = factories.tracked("Export Run", userId="u2", timestamp="2026-11-15T20:00:00Z")
    return [
        group("u1", "acme", name="Acme", plan="pro"),
        group("u2", "acme"),
        group("u3", "acme"),
        group("u4", "globex", name="Globex"),
        identified("u1", name="Ada", email="ada@example.com"),
        identified("u2", name="Bob"),
        tracked_on("u1", "Report Created", date(2026, 11, 3)),
        tracked_on("u1", "Report Created", date(2026, 11, 3), hour=10),
        tracked_on("u1", "Report Created", date(2026, 11, 10)),
        page,
        tracked_on("u2", "Invite Sent", date(2026, 11, 4)),
        late,
        tracked_on("u2", "Invite Sent", date(2026, 11, 24)),
        tracked_on("u2", "Invite Sent", date(2026, 11, 24), hour=10),
        tracked_on("u4", "Report Created", date(2026, 11, 3)),
    ]


def account_id(client: TestClient, project: CreatedProject, group_id: str) -> str:
    listed = factories.admin_get(client, project, "/api/v1/accounts/health")["data"]
    [found] = [entry["account_id"] for entry in listed if entry["group_id"] == group_id]
    return str(found)


@pytest.fixture(scope="module")
def detailed(engine: Engine) -> Iterator[Detailed]:
    project = factories.create_project(engine)
    other = factories.create_project(engine, name="Other Co")
    factories.ingest_messages(engine, project, *_messages())
    factories.ingest_messages(
        engine, other, group("u1", "acme"), tracked_on("u1", "X", date(2026, 11, 3))
    )
    yield Detailed(project, other)


@pytest.fixture
def acme(client: TestClient, detailed: Detailed) -> str:
    return account_id(client, detailed.project, "acme")


def page_of(
    client: TestClient, project: CreatedProject, account: str, **params: str
) -> dict[str, Any]:
    return factories.admin_get(client, project, f"/api/v1/accounts/{account}", **params)


def test_the_page_shows_the_accounts_traits(
    client: TestClient, detailed: Detailed, acme: str
) -> None:
    body = page_of(client, detailed.project, acme, to=TO)
    assert (body["id"], body["group_id"], body["name"]) == (acme, "acme", "Acme")
    assert body["traits"] == {"name": "Acme", "plan": "pro"}


def test_the_health_is_the_one_the_accounts_list_shows(
    client: TestClient, detailed: Detailed, acme: str
) -> None:
    listed = factories.admin_get(client, detailed.project, "/api/v1/accounts/health", to=TO)
    [entry] = [e for e in listed["data"] if e["group_id"] == "acme"]
    health = page_of(client, detailed.project, acme, to=TO)["health"]
    assert (health["score"], health["status"]) == (entry["score"], entry["status"])
    assert health["components"] == entry["components"]
    assert health["components"]["breadth"]["members"] == 3


def test_weekly_activity_counts_each_weeks_active_members_and_events(
    client: TestClient, detailed: Detailed, acme: str
) -> None:
    activity = page_of(client, detailed.project, acme, to=TO, weeks="4")["activity"]
    assert [(w["week"], w["active_users"], w["events"]) for w in activity["weeks"]] == [
        ("2026-11-02", 2, 3),
        ("2026-11-09", 2, 2),
        ("2026-11-16", 0, 0),
        ("2026-11-23", 2, 3),
    ]
    assert (activity["from"], activity["to"], activity["tz"]) == ("2026-11-02T00:00:00Z", TO, "UTC")


def test_weeks_begin_on_monday_in_the_readers_time_zone(
    client: TestClient, detailed: Detailed, acme: str
) -> None:
    activity = page_of(
        client, detailed.project, acme, to="2026-11-26T00:00:00", tz="Pacific/Auckland", weeks="4"
    )["activity"]
    assert [(w["week"], w["active_users"], w["events"]) for w in activity["weeks"]] == [
        ("2026-11-02", 2, 3),
        ("2026-11-09", 1, 1),
        ("2026-11-16", 1, 1),
        ("2026-11-23", 2, 3),
    ]
    assert activity["from"] == "2026-11-01T11:00:00Z"


def test_weeks_before_any_activity_count_zero(
    client: TestClient, detailed: Detailed, acme: str
) -> None:
    weeks = page_of(client, detailed.project, acme, to=TO, weeks="12")["activity"]["weeks"]
    assert len(weeks) == 12
    assert weeks[0]["week"] == "2026-09-07"
    assert sum(w["events"] for w in weeks[:8]) == 0


def test_users_are_the_members_with_their_traits_last_activity_and_events(
    client: TestClient, detailed: Detailed, acme: str
) -> None:
    users = page_of(client, detailed.project, acme, to=TO, weeks="4")["users"]
    shown = sorted(
        (u["user_id"], u["name"], u["email"], u["last_seen"], u["events"]) for u in users["data"]
    )
    assert shown == [
        ("u1", "Ada", "ada@example.com", "2026-11-24T09:00:00Z", 4),
        ("u2", "Bob", None, "2026-11-24T10:00:00Z", 4),
        ("u3", None, None, None, 0),
    ]
    assert users["has_more"] is False


def test_users_events_count_only_the_weeks_shown(
    client: TestClient, detailed: Detailed, acme: str
) -> None:
    users = page_of(client, detailed.project, acme, to=TO, weeks="1")["users"]["data"]
    assert {u["user_id"]: u["events"] for u in users} == {"u1": 1, "u2": 2, "u3": 0}


def test_users_come_a_page_at_a_time(client: TestClient, detailed: Detailed, acme: str) -> None:
    first = page_of(client, detailed.project, acme, to=TO, limit="2")["users"]
    rest = page_of(client, detailed.project, acme, to=TO, cursor=first["next_cursor"])["users"]
    assert (len(first["data"]), first["has_more"]) == (2, True)
    assert (len(rest["data"]), rest["has_more"]) == (1, False)
    assert sorted(u["user_id"] for u in first["data"] + rest["data"]) == ["u1", "u2", "u3"]


def test_an_account_never_evaluated_has_no_colour_history(
    client: TestClient, detailed: Detailed, acme: str
) -> None:
    history = page_of(client, detailed.project, acme, to=TO)["health_history"]
    assert history == {"data": [], "has_more": False}


def test_the_colour_history_lists_each_change_newest_first(
    client: TestClient, engine: Engine
) -> None:
    project = factories.create_project(engine)
    busy_accounts(engine, project, date(2026, 11, 1))
    for moment in (GREEN_AT, GREEN_AT.replace(hour=6), RED_AT):
        evaluate_project(engine, project.id, moment)
    history = page_of(client, project, account_id(client, project, "acme"))["health_history"]
    assert history["data"] == [
        {"at": "2027-02-01T00:00:00Z", "status": "red", "previous": "green", "score": 0.0},
        {"at": "2026-12-01T00:00:00Z", "status": "green", "previous": None, "score": 100.0},
    ]


def test_another_projects_account_is_not_found_like_an_unknown_one(
    client: TestClient, detailed: Detailed, acme: str
) -> None:
    theirs = client.get(f"/api/v1/accounts/{acme}", headers=factories.secret_auth(detailed.other))
    nowhere = client.get(
        f"/api/v1/accounts/{NOWHERE}", headers=factories.secret_auth(detailed.other)
    )
    assert theirs.status_code == nowhere.status_code == 404
    assert theirs.json()["error"]["code"] == nowhere.json()["error"]["code"] == "not_found"


def test_an_id_that_is_not_an_account_id_is_not_found(
    client: TestClient, detailed: Detailed
) -> None:
    response = client.get("/api/v1/accounts/acme", headers=factories.secret_auth(detailed.project))
    assert response.status_code == 404


def test_the_page_needs_the_secret_key(client: TestClient, detailed: Detailed, acme: str) -> None:
    response = client.get(
        f"/api/v1/accounts/{acme}", headers=factories.write_auth(detailed.project)
    )
    assert response.status_code in (401, 403)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"weeks": "0"}, "weeks"),
        ({"weeks": "105"}, "weeks"),
        ({"to": "0001-01-01T00:00:00Z"}, "to"),
        ({"tz": "Mars/Olympus"}, "tz"),
        ({"from": TO}, "from"),
        ({"limit": "0"}, "limit"),
        ({"cursor": "nonsense"}, "cursor"),
    ],
)
def test_bad_parameters_are_refused_naming_the_field(
    client: TestClient, detailed: Detailed, acme: str, params: dict[str, str], field: str
) -> None:
    response = client.get(
        f"/api/v1/accounts/{acme}", params=params, headers=factories.secret_auth(detailed.project)
    )
    assert response.status_code == 400, response.text
    assert field in response.json()["error"]["fields"]
