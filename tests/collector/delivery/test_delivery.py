"""``GET /v1/flows``: what each person is offered, in their language, and what they never get."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests.factories import (
    admin_get,
    basic_auth,
    bearer_auth,
    by_user,
    checklist,
    decisions,
    define,
    delivered_ids,
    flows_for,
    message,
    nps,
    report,
    reserved,
    secret_auth,
    tour,
    tracked,
    update_project,
    write_auth,
)

WELCOME = {"en": "Welcome", "he": "ברוכים הבאים", "ar": "مرحبا", "zh": "欢迎"}
QUESTION = {"en": "Would you recommend us?", "he": "האם תמליצו עלינו?"}
BROWSER_ORIGIN = "https://app.example.com"
PAGE_RULES: list[dict[str, Any]] = [
    {"type": "url", "pattern": "/app/*"},
    {"type": "locale", "in": ["en", "he"]},
]


def audience(*rules: dict[str, Any], sample_percent: float = 100) -> dict[str, Any]:
    return {"rules": list(rules), "sample_percent": sample_percent}


def identify(traits: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return message("identify", traits=traits, **by_user(fields))


# --- texts in the user's locale --------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "title"),
    [
        ("en", "Welcome"),
        ("he", "ברוכים הבאים"),
        ("ar", "مرحبا"),
        ("zh", "欢迎"),
        ("he-IL", "ברוכים הבאים"),
        ("fr", "Welcome"),
    ],
    ids=["en", "he", "ar", "zh", "region-falls-back-to-language", "unknown-falls-back-to-default"],
)
def test_flow_texts_are_in_the_users_locale(
    client: TestClient, project: CreatedProject, locale: str, title: str
) -> None:
    define(client, project, "flow", tour(steps=[{"title": WELCOME, "body": "Hi"}]))
    [flow] = flows_for(client, project, userId="user-1", locale=locale)["flows"]
    assert flow["steps"][0]["title"] == title


def test_texts_without_a_locale_are_in_the_default_locale(
    client: TestClient, project: CreatedProject
) -> None:
    body = tour(default_locale="he", steps=[{"title": {"he": "שלום", "en": "Hello"}, "body": "x"}])
    define(client, project, "flow", body)
    [flow] = flows_for(client, project, userId="user-1")["flows"]
    assert flow["steps"][0]["title"] == "שלום"


def test_survey_question_is_in_the_users_locale(
    client: TestClient, project: CreatedProject
) -> None:
    define(client, project, "survey", nps(question=QUESTION))
    [survey] = flows_for(client, project, userId="user-1", locale="he-IL")["surveys"]
    assert survey["question"] == "האם תמליצו עלינו?"


# --- what is never delivered -----------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "paused"])
def test_experience_that_is_not_live_is_not_delivered(
    client: TestClient, project: CreatedProject, status: str
) -> None:
    define(client, project, "flow", tour(status=status))
    define(client, project, "survey", nps(status=status))
    assert delivered_ids(client, project, userId="user-1") == []


def test_paused_experience_is_no_longer_delivered(
    client: TestClient, project: CreatedProject
) -> None:
    survey = define(client, project, "survey", nps())
    response = client.patch(
        f"/api/v1/surveys/{survey['id']}", json={"status": "paused"}, headers=secret_auth(project)
    )
    assert response.status_code == 200, response.text
    assert delivered_ids(client, project, userId="user-1") == []


def test_archived_experience_is_not_delivered(client: TestClient, project: CreatedProject) -> None:
    flow = define(client, project, "flow", tour())
    response = client.delete(f"/api/v1/flows/{flow['id']}", headers=secret_auth(project))
    assert response.status_code == 200, response.text
    assert delivered_ids(client, project, userId="user-1") == []


def test_another_projects_experiences_never_appear(
    client: TestClient, project: CreatedProject, other_project: CreatedProject
) -> None:
    define(client, other_project, "flow", tour())
    define(client, other_project, "survey", nps())
    assert delivered_ids(client, project, userId="user-1") == []


# --- audience rules --------------------------------------------------------------------------


def test_trait_rule_delivers_to_users_with_the_trait(
    client: TestClient, project: CreatedProject
) -> None:
    rule = {"type": "trait", "name": "plan", "op": "in", "value": ["pro", "enterprise"]}
    flow = define(client, project, "flow", tour(audience=audience(rule)))
    report(client, project, identify({"plan": "pro"}), identify({"plan": "free"}, userId="user-2"))
    assert delivered_ids(client, project, userId="user-1") == [flow["id"]]
    assert delivered_ids(client, project, userId="user-2") == []


def test_failing_rule_is_named_in_the_eligibility_report(
    client: TestClient, project: CreatedProject
) -> None:
    rule = {"type": "trait", "name": "plan", "op": "eq", "value": "pro"}
    flow = define(client, project, "flow", tour(audience=audience(rule)))
    report(client, project, identify({"plan": "free"}))
    decision = decisions(client, project, "user-1")[flow["id"]]
    assert (decision["eligible"], decision["reason"], decision["rule"]) == (
        False,
        "not_in_audience",
        rule,
    )


def test_account_trait_rule_reads_the_traits_of_the_users_account(
    client: TestClient, project: CreatedProject
) -> None:
    rule = {"type": "account_trait", "name": "size", "op": "gte", "value": 50}
    flow = define(client, project, "flow", tour(audience=audience(rule)))
    report(
        client,
        project,
        message("group", groupId="big", traits={"size": 80}, **by_user({})),
        message("group", groupId="small", traits={"size": 5}, **by_user({"userId": "user-2"})),
    )
    assert delivered_ids(client, project, userId="user-1") == [flow["id"]]
    assert delivered_ids(client, project, userId="user-2") == []


@pytest.mark.parametrize(("times", "delivered"), [(2, False), (3, True)])
def test_event_rule_needs_the_event_done_at_least_min_count_times(
    client: TestClient, project: CreatedProject, times: int, delivered: bool
) -> None:
    rule = {"type": "event", "event": "Report Created", "op": "did", "min_count": 3}
    survey = define(client, project, "survey", nps(audience=audience(rule)))
    report(client, project, *(tracked("Report Created") for _ in range(times)))
    expected = [survey["id"]] if delivered else []
    assert delivered_ids(client, project, userId="user-1") == expected


def test_did_not_rule_excludes_users_who_did_the_event(
    client: TestClient, project: CreatedProject
) -> None:
    rule = {"type": "event", "event": "Invited Teammate", "op": "did_not"}
    flow = define(client, project, "flow", tour(audience=audience(rule)))
    report(client, project, tracked("Invited Teammate"), tracked("Report Created", userId="user-2"))
    assert delivered_ids(client, project, userId="user-1") == []
    assert delivered_ids(client, project, userId="user-2") == [flow["id"]]


@pytest.mark.parametrize(
    ("rule", "delivered"),
    [({"min_days": 7}, False), ({"max_days": 90}, True), ({"min_days": 0, "max_days": 0}, True)],
    ids=["too-new", "new-enough", "seen-today"],
)
def test_first_seen_rule_counts_days_since_the_user_was_first_seen(
    client: TestClient, project: CreatedProject, rule: dict[str, int], delivered: bool
) -> None:
    flow = define(client, project, "flow", tour(audience=audience({"type": "first_seen", **rule})))
    report(client, project, tracked("Signed Up"))
    assert delivered_ids(client, project, userId="user-1") == ([flow["id"]] if delivered else [])


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"url": "https://app.example.com/settings"}, "wrong_page"),
        ({"url": "/app/reports/7", "locale": "fr"}, "wrong_locale"),
        ({}, "wrong_page"),
    ],
    ids=["other-page", "other-locale", "page-unknown"],
)
def test_page_rules_name_what_is_wrong(
    client: TestClient, project: CreatedProject, params: dict[str, str], reason: str
) -> None:
    rules = PAGE_RULES
    flow = define(client, project, "flow", tour(audience=audience(*rules)))
    report(client, project, tracked("Signed Up"))
    assert delivered_ids(client, project, userId="user-1", **params) == []
    assert decisions(client, project, "user-1", **params)[flow["id"]]["reason"] == reason


def test_page_rules_deliver_on_the_right_page_and_locale(
    client: TestClient, project: CreatedProject
) -> None:
    rules = PAGE_RULES
    flow = define(client, project, "flow", tour(audience=audience(*rules)))
    params = {"url": "https://app.example.com/app/reports?id=7", "locale": "he-IL"}
    assert delivered_ids(client, project, userId="user-1", **params) == [flow["id"]]


def test_unknown_user_gets_experiences_without_rules_only(
    client: TestClient, uncapped: CreatedProject
) -> None:
    everyone = define(client, uncapped, "flow", tour(name="Everyone"))
    rules: list[dict[str, Any]] = [
        {"type": "trait", "name": "plan", "op": "eq", "value": "pro"},
        {"type": "event", "event": "Report Created", "op": "did"},
        {"type": "first_seen", "max_days": 90},
    ]
    for rule in rules:
        define(client, uncapped, "flow", tour(name=f"Only {rule['type']}", audience=audience(rule)))
    assert delivered_ids(client, uncapped, anonymousId="never-seen") == [everyone["id"]]


def test_sampling_is_stable_for_one_user(client: TestClient, project: CreatedProject) -> None:
    define(client, project, "survey", nps(audience=audience(sample_percent=50)))
    users = [f"user-{n}" for n in range(40)]
    first = {user: bool(delivered_ids(client, project, userId=user)) for user in users}
    again = {user: bool(delivered_ids(client, project, userId=user)) for user in users}
    assert first == again
    # A hash, not a constant: 40 users all on one side of 50 % is a one-in-10^11 chance.
    assert set(first.values()) == {True, False}


def test_sampled_out_user_is_told_so(client: TestClient, project: CreatedProject) -> None:
    survey = define(client, project, "survey", nps(audience=audience(sample_percent=0)))
    report(client, project, tracked("Signed Up"))
    assert decisions(client, project, "user-1")[survey["id"]]["reason"] == "sampled_out"


# --- caps and priority -----------------------------------------------------------------------


@pytest.fixture
def two_tours(client: TestClient, project: CreatedProject) -> tuple[dict[str, Any], ...]:
    """A low and a high priority tour, created in that order."""
    low = define(client, project, "flow", tour(name="Low", priority=1))
    high = define(client, project, "flow", tour(name="High", priority=5))
    return low, high


def test_one_experience_per_session_by_default_the_highest_priority(
    client: TestClient, project: CreatedProject, two_tours: tuple[dict[str, Any], ...]
) -> None:
    _, high = two_tours
    assert delivered_ids(client, project, userId="user-1", sessionId="s1") == [high["id"]]


def test_higher_session_cap_delivers_more_highest_priority_first(
    client: TestClient, project: CreatedProject, two_tours: tuple[dict[str, Any], ...]
) -> None:
    low, high = two_tours
    update_project(client, project, {"throttle": {"max_per_session": 2}})
    assert delivered_ids(client, project, userId="user-1") == [high["id"], low["id"]]


def test_experience_started_in_the_session_fills_the_session_cap(
    client: TestClient, project: CreatedProject, two_tours: tuple[dict[str, Any], ...]
) -> None:
    low, high = two_tours
    report(client, project, reserved("Flow Started", high, {"sessionId": "s1"}))
    report(client, project, reserved("Flow Completed", high))
    assert delivered_ids(client, project, userId="user-1", sessionId="s1") == []
    decision = decisions(client, project, "user-1", sessionId="s1")[low["id"]]
    assert (decision["eligible"], decision["reason"]) == (False, "throttled")


def test_experience_started_in_the_session_is_resumed_within_the_cap(
    client: TestClient, project: CreatedProject, two_tours: tuple[dict[str, Any], ...]
) -> None:
    _, high = two_tours
    report(client, project, reserved("Flow Started", high, context={"sessionId": "s1"}))
    assert delivered_ids(client, project, userId="user-1", sessionId="s1") == [high["id"]]


def test_next_session_may_start_another_experience(
    client: TestClient, project: CreatedProject, two_tours: tuple[dict[str, Any], ...]
) -> None:
    low, high = two_tours
    report(client, project, reserved("Flow Started", high, {"sessionId": "s1"}))
    report(client, project, reserved("Flow Completed", high))
    assert delivered_ids(client, project, userId="user-1", sessionId="s2") == [low["id"]]


def test_day_cap_throttles_until_a_day_after_the_last_start(
    client: TestClient, project: CreatedProject, two_tours: tuple[dict[str, Any], ...]
) -> None:
    low, high = two_tours
    update_project(client, project, {"throttle": {"max_per_day": 1}})
    started_at = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    report(client, project, reserved("Flow Started", high, timestamp=started_at.isoformat()))
    report(client, project, reserved("Flow Completed", high))
    assert delivered_ids(client, project, userId="user-1", sessionId="next") == []
    decision = decisions(client, project, "user-1", sessionId="next")[low["id"]]
    assert decision["reason"] == "throttled"
    assert datetime.fromisoformat(decision["until"]) == started_at + timedelta(days=1)


def test_day_cap_frees_a_day_after_the_last_start(
    client: TestClient, project: CreatedProject, two_tours: tuple[dict[str, Any], ...]
) -> None:
    low, high = two_tours
    update_project(client, project, {"throttle": {"max_per_day": 1}})
    yesterday = datetime.now(UTC) - timedelta(hours=25)
    report(client, project, reserved("Flow Started", high, timestamp=yesterday.isoformat()))
    report(client, project, reserved("Flow Completed", high))
    assert delivered_ids(client, project, userId="user-1", sessionId="next") == [low["id"]]


def test_surveys_are_ordered_by_priority(client: TestClient, uncapped: CreatedProject) -> None:
    low = define(client, uncapped, "survey", nps(name="Low", priority=-1))
    high = define(client, uncapped, "survey", nps(name="High", priority=3))
    csat = define(client, uncapped, "survey", {"name": "CSAT", "type": "csat", "priority": 1})
    expected = [high["id"], csat["id"], low["id"]]
    assert delivered_ids(client, uncapped, userId="user-1") == expected


# --- the payload -----------------------------------------------------------------------------


def test_audience_and_throttle_stay_on_the_server(
    client: TestClient, uncapped: CreatedProject
) -> None:
    rule = {"type": "trait", "name": "plan", "op": "neq", "value": "free"}
    define(client, uncapped, "flow", tour(audience=audience(rule), throttle={"show_once": False}))
    define(client, uncapped, "survey", nps(audience=audience(rule), throttle={"reask_days": 30}))
    body = flows_for(client, uncapped, userId="user-1")
    for delivered in [*body["flows"], *body["surveys"]]:
        assert "audience" not in delivered
        assert "throttle" not in delivered


def test_flow_payload_carries_what_the_sdk_shows(
    client: TestClient, project: CreatedProject
) -> None:
    theme = {"accent": "#0b5cff"}
    flow = define(client, project, "flow", checklist(theme=theme, priority=2))
    [delivered] = flows_for(client, project, userId="user-1")["flows"]
    assert {key: delivered[key] for key in ("id", "type", "name", "version", "priority")} == {
        "id": flow["id"],
        "type": "checklist",
        "name": "Get started",
        "version": 1,
        "priority": 2,
    }
    assert (delivered["trigger"], delivered["theme"]) == ({"type": "page_load"}, theme)
    assert [item["id"] for item in delivered["items"]] == ["item-1"]


def test_survey_payload_carries_its_scale_and_questions(
    client: TestClient, project: CreatedProject
) -> None:
    question = {"id": "why", "type": "text", "text": "Why?"}
    define(client, project, "survey", nps(questions=[question]))
    [delivered] = flows_for(client, project, userId="user-1")["surveys"]
    assert (delivered["scale"], delivered["questions"]) == ({"min": 0, "max": 10}, [question])
    assert "progress" not in delivered


@pytest.mark.parametrize("position", ["corner", "center"])
def test_survey_payload_carries_its_position(
    client: TestClient, project: CreatedProject, position: str
) -> None:
    define(client, project, "survey", nps(position=position))
    [delivered] = flows_for(client, project, userId="user-1")["surveys"]
    assert delivered["position"] == position


# --- who may ask -----------------------------------------------------------------------------


def test_anonymous_visitor_may_ask(client: TestClient, project: CreatedProject) -> None:
    flow = define(client, project, "flow", tour())
    assert delivered_ids(client, project, anonymousId="anon-1") == [flow["id"]]


def test_write_key_may_be_a_query_parameter(client: TestClient, project: CreatedProject) -> None:
    response = client.get("/v1/flows", params={"userId": "user-1", "writeKey": project.write_key})
    assert response.status_code == 200, response.text


def test_request_without_any_user_id_is_refused_naming_user_id(
    client: TestClient, project: CreatedProject
) -> None:
    response = client.get("/v1/flows", headers=write_auth(project))
    assert response.status_code == 400
    assert "userId" in response.json()["error"]["fields"]


def test_request_without_a_write_key_is_unauthorised(client: TestClient) -> None:
    response = client.get("/v1/flows", params={"userId": "user-1"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_key"


@pytest.mark.parametrize("auth", [basic_auth, bearer_auth], ids=["basic", "bearer"])
def test_secret_key_is_not_a_write_key(
    client: TestClient, project: CreatedProject, auth: Any
) -> None:
    """Like ingestion: the same 401 as an unknown key, so a leaked key is never served."""
    define(client, project, "flow", tour())
    response = client.get(
        "/v1/flows", params={"userId": "user-1"}, headers=auth(project.secret_key)
    )
    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "invalid_key", "message": "missing or invalid API key"}
    }


def test_browser_preflight_allows_the_identity_hash_header(client: TestClient) -> None:
    response = client.options(
        "/v1/flows",
        headers={
            "Origin": BROWSER_ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization, x-waypost-identity-hash",
        },
    )
    assert response.status_code == 200
    allowed = response.headers["access-control-allow-headers"].lower()
    assert "x-waypost-identity-hash" in allowed
    assert "GET" in response.headers["access-control-allow-methods"]


def test_delivery_answers_the_browser_origin(client: TestClient, project: CreatedProject) -> None:
    response = client.get(
        "/v1/flows",
        params={"userId": "user-1"},
        headers={"Origin": BROWSER_ORIGIN, **write_auth(project)},
    )
    assert response.headers["access-control-allow-origin"] in ("*", BROWSER_ORIGIN)


def test_sampling_follows_the_user_whichever_id_they_ask_with(
    client: TestClient, project: CreatedProject
) -> None:
    survey = define(client, project, "survey", nps(audience=audience(sample_percent=50)))
    users = [f"user-{n}" for n in range(40)]
    report(
        client, project, *(message("identify", userId=u, anonymousId=f"anon-{u}") for u in users)
    )
    by_user_id = {u: delivered_ids(client, project, userId=u) for u in users}
    by_anonymous_id = {u: delivered_ids(client, project, anonymousId=f"anon-{u}") for u in users}
    assert by_user_id == by_anonymous_id
    assert [survey["id"]] in by_user_id.values()


def test_eligibility_of_a_visitor_by_person_id_samples_like_delivery(
    client: TestClient, project: CreatedProject
) -> None:
    survey = define(client, project, "survey", nps(audience=audience(sample_percent=50)))
    visitors = [f"anon-{n}" for n in range(40)]
    report(client, project, *(message("page", anonymousId=v) for v in visitors))
    for visitor in visitors:
        person_id = admin_get(client, project, f"/api/v1/persons/{visitor}")["id"]
        explained = decisions(client, project, person_id)[survey["id"]]["eligible"]
        assert explained == bool(delivered_ids(client, project, anonymousId=visitor)), visitor


# --- ids as browsers may send them -----------------------------------------------------------


@pytest.fixture
def nul_user(client: TestClient, project: CreatedProject) -> dict[str, Any]:
    """A pro user whose id, as the browser sent it in JSON, holds a NUL character."""
    rule = {"type": "trait", "name": "plan", "op": "eq", "value": "pro"}
    flow = define(client, project, "flow", tour(audience=audience(rule)))
    report(client, project, identify({"plan": "pro"}, userId="a\x00b"))
    return flow


def test_id_with_a_nul_finds_the_user_stored_from_json(
    client: TestClient, project: CreatedProject, nul_user: dict[str, Any]
) -> None:
    assert delivered_ids(client, project, userId="a\x00b") == [nul_user["id"]]


def test_anonymous_id_with_a_nul_is_a_new_visitor(
    client: TestClient, project: CreatedProject
) -> None:
    flow = define(client, project, "flow", tour())
    assert delivered_ids(client, project, anonymousId="\x00") == [flow["id"]]


def test_eligibility_of_an_id_with_a_nul_is_found(
    client: TestClient, project: CreatedProject, nul_user: dict[str, Any]
) -> None:
    assert decisions(client, project, "a%00b")[nul_user["id"]]["eligible"] is True


def test_write_key_with_a_nul_is_unauthorised(client: TestClient, project: CreatedProject) -> None:
    params = {"userId": "user-1", "writeKey": project.write_key + "\x00"}
    assert client.get("/v1/flows", params=params).status_code == 401
    assert (
        client.get(
            "/v1/flows", params={"userId": "user-1"}, headers=basic_auth("wk_\x00")
        ).status_code
        == 401
    )


def test_eligibility_of_an_unknown_person_is_not_found(
    client: TestClient, project: CreatedProject, other_project: CreatedProject
) -> None:
    report(client, other_project, tracked("Signed Up"))
    for person in ("never-seen", "user-1"):
        response = client.get(f"/api/v1/persons/{person}/eligibility", headers=secret_auth(project))
        assert response.status_code == 404, person
