"""``GET /api/v1/events``: filters, cursor pagination, NDJSON, Segment field names, tenancy."""

from __future__ import annotations

import base64
from typing import Any

import orjson
import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.kit.db.paging import EXPORT_CHUNK
from collector.projects.service import CreatedProject
from tests import factories
from tests.factories import message, send_batch, track

EVENTS = "/api/v1/events"


def get_events(client: TestClient, project: CreatedProject, **params: str | int) -> dict[str, Any]:
    response = client.get(EVENTS, params=params, headers=factories.secret_auth(project))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def message_ids(client: TestClient, project: CreatedProject, **params: str | int) -> list[str]:
    return [event["messageId"] for event in get_events(client, project, **params)["data"]]


def sent_ids(*messages: dict[str, Any]) -> list[str]:
    return [sent["messageId"] for sent in messages]


def all_pages(client: TestClient, project: CreatedProject, limit: int) -> list[list[str]]:
    pages: list[list[str]] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        page = get_events(client, project, **params)
        pages.append([event["messageId"] for event in page["data"]])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return pages


def cursor_for(value: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(value)).decode().rstrip("=")


def refusal(client: TestClient, project: CreatedProject, **params: str) -> dict[str, Any]:
    response = client.get(EVENTS, params=params, headers=factories.secret_auth(project))
    assert response.status_code == 400, response.text
    error: dict[str, Any] = response.json()["error"]
    return error


# Filters


def test_events_are_listed_oldest_first(client: TestClient, project: CreatedProject) -> None:
    sent = [track(), track(), track()]
    send_batch(client, project, *sent)
    assert message_ids(client, project) == sent_ids(*sent)


def test_event_filter_keeps_that_event_name(client: TestClient, project: CreatedProject) -> None:
    wanted = track("Report Created")
    send_batch(client, project, track("Signed In"), wanted, message("page"))
    assert message_ids(client, project, event="Report Created") == sent_ids(wanted)


def test_user_filter_includes_history_from_before_sign_up(
    client: TestClient, project: CreatedProject
) -> None:
    before = track(anonymousId="anon-1")
    linking = message("identify", userId="user-1", anonymousId="anon-1")
    after = track(userId="user-1", anonymousId=None)
    send_batch(client, project, before, track(anonymousId="anon-2"))
    send_batch(client, project, linking, after)
    assert message_ids(client, project, userId="user-1") == sent_ids(before, linking, after)


def test_unknown_user_has_no_events(client: TestClient, project: CreatedProject) -> None:
    send_batch(client, project, track(userId="user-1"))
    assert message_ids(client, project, userId="nobody") == []


def test_person_filter_keeps_that_persons_events(
    client: TestClient, project: CreatedProject
) -> None:
    theirs = track(userId="user-1")
    send_batch(client, project, theirs, track(userId="user-2", anonymousId="anon-2"))
    person_id = get_events(client, project, userId="user-1")["data"][0]["personId"]
    assert message_ids(client, project, personId=person_id) == sent_ids(theirs)


def test_time_filters_include_from_and_exclude_to(
    client: TestClient, project: CreatedProject
) -> None:
    at_nine, at_ten, at_eleven = (
        track(timestamp=f"2026-11-25T{hour}:00:00Z") for hour in ("09", "10", "11")
    )
    send_batch(client, project, at_nine, at_ten, at_eleven)
    window = {"from": "2026-11-25T10:00:00Z", "to": "2026-11-25T11:00:00Z"}
    assert message_ids(client, project, **window) == sent_ids(at_ten)


def test_filters_combine(client: TestClient, project: CreatedProject) -> None:
    wanted = track("Signed In", userId="user-1", timestamp="2026-11-25T10:00:00Z")
    send_batch(
        client,
        project,
        wanted,
        track("Signed In", userId="user-1", timestamp="2026-11-25T08:00:00Z"),
        track("Report Created", userId="user-1", timestamp="2026-11-25T10:00:00Z"),
    )
    found = message_ids(
        client, project, event="Signed In", userId="user-1", **{"from": "2026-11-25T09:00:00Z"}
    )
    assert found == sent_ids(wanted)


# Pagination


def test_pages_cover_every_event_once_in_order(client: TestClient, project: CreatedProject) -> None:
    sent = [track() for _ in range(7)]
    send_batch(client, project, *sent)
    pages = all_pages(client, project, limit=3)
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [message_id for page in pages for message_id in page] == sent_ids(*sent)


def test_exactly_full_last_page_says_there_is_no_more(
    client: TestClient, project: CreatedProject
) -> None:
    send_batch(client, project, *(track() for _ in range(4)))
    assert [len(page) for page in all_pages(client, project, limit=2)] == [2, 2]


def test_last_page_cursor_resumes_with_events_stored_later(
    client: TestClient, project: CreatedProject
) -> None:
    send_batch(client, project, track(), track())
    last_page = get_events(client, project, limit=5)
    later = track()
    send_batch(client, project, later)
    resumed = get_events(client, project, limit=5, cursor=last_page["next_cursor"])
    assert [event["messageId"] for event in resumed["data"]] == sent_ids(later)


def test_empty_page_keeps_the_cursor_it_was_given(
    client: TestClient, project: CreatedProject
) -> None:
    send_batch(client, project, track())
    cursor = get_events(client, project)["next_cursor"]
    assert get_events(client, project, cursor=cursor)["next_cursor"] == cursor


def test_events_stored_after_a_page_appear_on_the_next(
    client: TestClient, project: CreatedProject
) -> None:
    first = [track(), track(), track()]
    send_batch(client, project, *first)
    page = get_events(client, project, limit=2)
    later = track()
    send_batch(client, project, later)
    next_page = get_events(client, project, limit=2, cursor=page["next_cursor"])
    assert [event["messageId"] for event in next_page["data"]] == sent_ids(first[2], later)


def test_cursor_pages_keep_the_filters(client: TestClient, project: CreatedProject) -> None:
    wanted = [track("Signed In") for _ in range(3)]
    send_batch(client, project, wanted[0], track(), wanted[1], track(), wanted[2])
    first = get_events(client, project, event="Signed In", limit=2)
    second = get_events(client, project, event="Signed In", limit=2, cursor=first["next_cursor"])
    found = [event["messageId"] for event in first["data"] + second["data"]]
    assert found == sent_ids(*wanted)


def test_default_page_has_a_hundred_events(client: TestClient, project: CreatedProject) -> None:
    send_batch(client, project, *(track() for _ in range(101)))
    page = get_events(client, project)
    assert len(page["data"]) == 100
    assert page["has_more"] is True


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor!",
        "é",
        cursor_for({"before": 3}),
        cursor_for({"after": -1}),
        cursor_for({"after": "3"}),
        cursor_for({"after": True}),
        cursor_for({"after": 2**63}),
        cursor_for([3]),
    ],
)
def test_invalid_cursor_is_refused_naming_the_cursor(
    client: TestClient, project: CreatedProject, cursor: str
) -> None:
    assert "cursor" in refusal(client, project, cursor=cursor)["fields"]


@pytest.mark.parametrize("limit", ["0", "1001", "ten"])
def test_limit_out_of_range_is_refused_naming_the_limit(
    client: TestClient, project: CreatedProject, limit: str
) -> None:
    assert "limit" in refusal(client, project, limit=limit)["fields"]


def test_unknown_query_parameter_is_refused_naming_it(
    client: TestClient, project: CreatedProject
) -> None:
    assert "user_id" in refusal(client, project, user_id="user-1")["fields"]


@pytest.mark.parametrize(
    ("name", "value"),
    [("from", "yesterday"), ("personId", "not-a-uuid"), ("format", "csv"), ("event", "")],
)
def test_malformed_filter_is_refused_naming_it(
    client: TestClient, project: CreatedProject, name: str, value: str
) -> None:
    assert name in refusal(client, project, **{name: value})["fields"]


# NDJSON


def ndjson(client: TestClient, project: CreatedProject, **params: str) -> list[dict[str, Any]]:
    response = client.get(
        EVENTS, params={"format": "ndjson", **params}, headers=factories.secret_auth(project)
    )
    assert response.headers["content-type"] == "application/x-ndjson"
    return [orjson.loads(line) for line in response.text.splitlines()]


def test_ndjson_streams_every_event_past_one_chunk(
    engine: Engine, client: TestClient, project: CreatedProject
) -> None:
    sent = [track() for _ in range(EXPORT_CHUNK + 1)]
    factories.ingest_messages(engine, project, *sent)
    assert [event["messageId"] for event in ndjson(client, project)] == sent_ids(*sent)


def test_ndjson_applies_the_filters(client: TestClient, project: CreatedProject) -> None:
    wanted = track("Signed In")
    send_batch(client, project, track(), wanted)
    assert [event["messageId"] for event in ndjson(client, project, event="Signed In")] == [
        wanted["messageId"]
    ]


def test_ndjson_lines_match_the_json_page(client: TestClient, project: CreatedProject) -> None:
    send_batch(client, project, track(), message("identify"), message("page"))
    assert ndjson(client, project) == get_events(client, project)["data"]


def test_ndjson_of_no_events_is_empty(client: TestClient, project: CreatedProject) -> None:
    assert ndjson(client, project) == []


# Shape


def test_track_event_is_exported_with_segment_field_names(
    client: TestClient, project: CreatedProject
) -> None:
    sent = track(
        userId="user-1",
        properties={"type": "funnel"},
        timestamp="2026-11-25T10:00:00Z",
        integrations={"All": True},
    )
    send_batch(client, project, sent)
    [event] = get_events(client, project)["data"]
    assert set(event) == {
        "messageId",
        "type",
        "event",
        "userId",
        "anonymousId",
        "personId",
        "properties",
        "context",
        "integrations",
        "timestamp",
        "originalTimestamp",
        "receivedAt",
    }
    assert (event["type"], event["event"], event["userId"]) == ("track", "Report Created", "user-1")
    assert event["originalTimestamp"] == "2026-11-25T10:00:00Z"


def test_page_event_is_exported_with_its_name(client: TestClient, project: CreatedProject) -> None:
    send_batch(client, project, message("page", name="Pricing", category="Docs"))
    [event] = get_events(client, project)["data"]
    assert (event["name"], event["category"]) == ("Pricing", "Docs")
    assert "event" not in event


def test_identify_is_exported_with_its_traits(client: TestClient, project: CreatedProject) -> None:
    send_batch(client, project, message("identify", traits={"email": "ada@example.com"}))
    [event] = get_events(client, project)["data"]
    assert event["traits"] == {"email": "ada@example.com"}


def test_group_and_alias_are_exported_with_their_ids(
    client: TestClient, project: CreatedProject
) -> None:
    send_batch(client, project, message("group"), message("alias"))
    group, alias = get_events(client, project)["data"]
    assert group["groupId"] == "acme"
    assert alias["previousId"] == "anon-1"


def test_batch_context_is_exported_with_each_event(
    client: TestClient, project: CreatedProject
) -> None:
    body = {"batch": [track(context=None)], "context": {"locale": "en-GB"}}
    client.post("/v1/batch", json=body, headers=factories.write_auth(project))
    assert get_events(client, project)["data"][0]["context"] == {"locale": "en-GB"}


# Tenancy


def test_project_never_sees_another_projects_events(
    client: TestClient, project: CreatedProject, other_project: CreatedProject
) -> None:
    send_batch(client, other_project, track(userId="user-1"))
    assert message_ids(client, project) == []


def test_user_filter_never_reaches_another_projects_user(
    client: TestClient, project: CreatedProject, other_project: CreatedProject
) -> None:
    send_batch(client, other_project, track(userId="user-1"))
    assert message_ids(client, project, userId="user-1") == []


def test_person_filter_never_reaches_another_projects_person(
    client: TestClient, project: CreatedProject, other_project: CreatedProject
) -> None:
    send_batch(client, other_project, track(userId="user-1"))
    person_id = get_events(client, other_project)["data"][0]["personId"]
    assert message_ids(client, project, personId=person_id) == []


def test_ndjson_never_streams_another_projects_events(
    client: TestClient, project: CreatedProject, other_project: CreatedProject
) -> None:
    send_batch(client, other_project, track())
    assert ndjson(client, project) == []


def test_another_projects_cursor_reveals_nothing(
    client: TestClient, project: CreatedProject, other_project: CreatedProject
) -> None:
    send_batch(client, other_project, track(), track())
    cursor = get_events(client, other_project, limit=1)["next_cursor"]
    assert message_ids(client, project, cursor=cursor or "") == []
