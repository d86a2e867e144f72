"""Flow definitions: the doc's minimal bodies, their defaults, and each refusal by field."""

from __future__ import annotations

from typing import Any

import pytest

from collector.experiences.schemas import load_experience
from tests.collector.experiences.helpers import assert_refused_at
from tests.factories import checklist, tour

HOTSPOT_STEP = {"target": "#new", "title": "New!"}


def step(**fields: Any) -> dict[str, Any]:
    return {"title": "Hi", **fields}


def item(**fields: Any) -> dict[str, Any]:
    return {"title": "Create a report", **fields}


def announcement(**fields: Any) -> dict[str, Any]:
    return {"name": "News", "type": "announcement", "steps": [{"title": "New!"}], **fields}


def hotspot(**fields: Any) -> dict[str, Any]:
    return {"name": "Tip", "type": "hotspot", "steps": [HOTSPOT_STEP], **fields}


def resource_center(**fields: Any) -> dict[str, Any]:
    return {"name": "Help", "type": "resource_center", **fields}


REFUSALS = [
    pytest.param(tour(type="slideshow"), "type", "must be one of", id="unknown type"),
    pytest.param(tour(type="nps"), "type", "must be one of: tour", id="survey type"),
    pytest.param({"type": "tour", "steps": [step()]}, "name", "Missing", id="no name"),
    pytest.param(tour(name="   "), "name", "blank", id="blank name"),
    pytest.param(tour(name="x" * 201), "name", "200", id="long name"),
    pytest.param(tour(steps=None), "steps", "null", id="null steps"),
    pytest.param({"name": "x", "type": "tour"}, "steps", "Missing", id="tour without steps"),
    pytest.param(tour(steps=[]), "steps", "1 to 50 steps", id="empty steps"),
    pytest.param(tour(steps=[step()] * 51), "steps", "1 to 50 steps", id="51 steps"),
    pytest.param(
        tour(steps=[step(id="a"), step(id="a")]), "steps.1.id", "earlier", id="duplicate step id"
    ),
    pytest.param(tour(steps=[step(id="a b")]), "steps.0.id", "letters", id="bad step id"),
    pytest.param(tour(steps=[step(id="x" * 101)]), "steps.0.id", "100", id="long step id"),
    pytest.param(tour(steps=[{"target": "#a"}]), "steps.0.title", "title or a body", id="mute"),
    pytest.param(
        tour(steps=[step(target="")]), "steps.0.target", "between 1 and 1000", id="empty target"
    ),
    pytest.param(tour(steps=[step(placement="left")]), "steps.0.placement", "one of", id="left"),
    pytest.param(tour(steps=[step(url="app/*")]), "steps.0.url", "start with", id="bad url"),
    pytest.param(tour(steps=[step(url="/a b")]), "steps.0.url", "whitespace", id="space url"),
    pytest.param(
        tour(steps=[step(advance_on={"type": "click"})]),
        "steps.0.advance_on",
        "with a target",
        id="click without target",
    ),
    pytest.param(
        tour(steps=[step(advance_on={"type": "event"})]),
        "steps.0.advance_on.event",
        "Missing",
        id="advance on nameless event",
    ),
    pytest.param(
        tour(steps=[step(advance_on={"type": "hover"})]),
        "steps.0.advance_on.type",
        "click, event",
        id="advance on hover",
    ),
    pytest.param(
        tour(steps=[step(on_missing_target="wait")]),
        "steps.0.on_missing_target",
        "one of",
        id="wait for target",
    ),
    pytest.param(tour(steps=[step(body="x" * 5001)]), "steps.0.body", "5000", id="long body"),
    pytest.param(tour(steps=[step(titel="Hi")]), "steps.0.titel", "Unknown", id="typo in step"),
    pytest.param(
        tour(steps=[step(buttons={"skip": "Skip"})]),
        "steps.0.buttons.skip",
        "Unknown",
        id="unknown button",
    ),
    pytest.param(
        tour(steps=[step(title={"he": "שלום"})]),
        "steps.0.title",
        "default locale 'en'",
        id="title without default locale",
    ),
    pytest.param(
        tour(throttle={"reask_days": 3}), "throttle.reask_days", "Unknown", id="tour reask"
    ),
    pytest.param(hotspot(steps=[step()]), "steps.0.target", "needs a target", id="no target"),
    pytest.param(hotspot(steps=[HOTSPOT_STEP] * 2), "steps", "exactly one", id="2 hotspots"),
    pytest.param(announcement(steps=[step()] * 2), "steps", "exactly one", id="2 announcements"),
    pytest.param(announcement(steps=[]), "steps", "exactly one", id="no announcement"),
    pytest.param(
        announcement(steps=[step(target="#a")]), "steps.0.target", "no target", id="aimed"
    ),
    pytest.param(announcement(display="popup"), "display", "one of", id="popup"),
    pytest.param(checklist(items=[]), "items", "1 to 50 items", id="empty items"),
    pytest.param(checklist(items=[item()] * 51), "items", "1 to 50 items", id="51 items"),
    pytest.param({"name": "x", "type": "checklist"}, "items", "Missing", id="no items"),
    pytest.param(
        checklist(items=[item(id="a"), item(id="a")]), "items.1.id", "earlier", id="dup item"
    ),
    pytest.param(checklist(items=[{}]), "items.0.title", "Missing", id="untitled item"),
    pytest.param(
        checklist(items=[item(completed_by={})]),
        "items.0.completed_by.event",
        "Missing",
        id="completed by nothing",
    ),
    pytest.param(
        checklist(items=[item(completed_by={"event": "X", "where": {"type": "funnel"}})]),
        "items.0.completed_by.where",
        "properties.<name>",
        id="where on a top-level field",
    ),
    pytest.param(
        checklist(items=[item(completed_by={"event": "X", "where": {"properties.": 1}})]),
        "items.0.completed_by.where",
        "properties.<name>",
        id="where without a property name",
    ),
    pytest.param(
        checklist(items=[item(completed_by={"event": "X", "where": {"properties.a": [1]}})]),
        "items.0.completed_by.where",
        "string, number",
        id="where equal to a list",
    ),
    pytest.param(checklist(items=[item(manual="yes")]), "items.0.manual", "true", id="yes"),
    pytest.param(
        checklist(throttle={"show_once": True}), "throttle.show_once", "Unknown", id="show once"
    ),
    pytest.param(
        announcement(cta_url="javascript:alert(1)"), "cta_url", "http(s)", id="script cta"
    ),
    pytest.param(announcement(cta_url="//evil.example"), "cta_url", "http(s)", id="cta host"),
    pytest.param(announcement(cta_url="reports"), "cta_url", "http(s)", id="relative cta"),
    pytest.param(
        resource_center(links=[{"title": "FTP", "url": "ftp://files.example.com"}]),
        "links.0.url",
        "URL",
        id="ftp link",
    ),
    pytest.param(
        resource_center(links=[{"url": "https://help.example.com"}]),
        "links.0.title",
        "Missing",
        id="untitled link",
    ),
    pytest.param(
        resource_center(links=[{"title": "x", "url": "https://x.io"}] * 51),
        "links",
        "at most 50 links",
        id="51 links",
    ),
]


@pytest.mark.parametrize(("body", "path", "words"), REFUSALS)
def test_flow_refusal_names_the_field(body: dict[str, Any], path: str, words: str) -> None:
    assert_refused_at("flow", body, path, words)


def test_minimal_tour_is_accepted_with_its_defaults() -> None:
    loaded = load_experience("flow", tour())
    assert loaded["steps"] == [
        {
            "id": "step-1",
            "target": None,
            "title": "Hi",
            "body": "Welcome aboard",
            "placement": "auto",
            "on_missing_target": "skip",
        }
    ]
    assert loaded["throttle"] == {"max_dismissals": 3, "show_once": True}


def test_minimal_checklist_is_accepted_with_its_defaults() -> None:
    loaded = load_experience("flow", checklist())
    assert loaded["items"] == [
        {
            "id": "item-1",
            "title": "Create a report",
            "completed_by": {"event": "Report Created"},
            "manual": False,
        }
    ]
    assert loaded["throttle"] == {"max_dismissals": 3}


def test_step_ids_are_generated_in_order() -> None:
    loaded = load_experience("flow", tour(steps=[step(), step(), step()]))
    assert [s["id"] for s in loaded["steps"]] == ["step-1", "step-2", "step-3"]


def test_generated_step_id_skips_ids_the_author_chose() -> None:
    loaded = load_experience("flow", tour(steps=[step(), step(id="step-1")]))
    assert [s["id"] for s in loaded["steps"]] == ["step-2", "step-1"]


def test_item_ids_are_generated_in_order() -> None:
    loaded = load_experience("flow", checklist(items=[item(), item(id="invite"), item()]))
    assert [i["id"] for i in loaded["items"]] == ["item-1", "invite", "item-3"]


def test_full_tour_step_is_kept() -> None:
    full = {
        "id": "reports",
        "target": "#reports",
        "title": {"en": "Reports", "he": "דוחות"},
        "body": "Your reports live here",
        "placement": "end",
        "buttons": {"next": "Next", "back": {"en": "Back", "ar": "رجوع"}, "done": "Done"},
        "url": "/app/reports*",
        "advance_on": {"type": "event", "event": "Report Created"},
        "on_missing_target": "pause",
    }
    assert load_experience("flow", tour(steps=[full]))["steps"] == [full]


def test_click_advances_a_step_with_a_target() -> None:
    loaded = load_experience("flow", tour(steps=[step(target="#a", advance_on={"type": "click"})]))
    assert loaded["steps"][0]["advance_on"] == {"type": "click"}


def test_announcement_is_a_modal_by_default() -> None:
    assert load_experience("flow", announcement())["display"] == "modal"


def test_announcement_may_be_a_banner() -> None:
    assert load_experience("flow", announcement(display="banner"))["display"] == "banner"


@pytest.mark.parametrize("link", ["/reports/new", "https://example.com/whats-new"])
def test_announcement_call_to_action_may_lead_to_a_page(link: str) -> None:
    assert load_experience("flow", announcement(cta_url=link))["cta_url"] == link


def test_hotspot_with_a_target_is_accepted() -> None:
    assert load_experience("flow", hotspot())["steps"][0]["target"] == "#new"


def test_checklist_item_may_be_ticked_by_hand() -> None:
    loaded = load_experience("flow", checklist(items=[item(completed_by=None)]))
    assert loaded["items"][0]["completed_by"] is None


def test_checklist_item_completion_may_require_property_values() -> None:
    completed_by = {"event": "Report Created", "where": {"properties.type": "funnel"}}
    loaded = load_experience("flow", checklist(items=[item(completed_by=completed_by)]))
    assert loaded["items"][0]["completed_by"] == completed_by


def test_checklist_may_have_a_completion_message() -> None:
    loaded = load_experience("flow", checklist(completion_message={"en": "Done!", "zh": "完成"}))
    assert loaded["completion_message"] == {"en": "Done!", "zh": "完成"}


def test_resource_center_needs_no_links() -> None:
    assert load_experience("flow", resource_center())["links"] == []


def test_resource_center_keeps_its_links() -> None:
    link = {"title": "Docs", "url": "http://wiki/onboarding", "description": "Read first"}
    assert load_experience("flow", resource_center(links=[link]))["links"] == [link]


def test_untrusted_text_is_stored_as_given() -> None:
    markup = '<img src=x onerror="alert(1)">'
    assert load_experience("flow", tour(steps=[step(body=markup)]))["steps"][0]["body"] == markup


@pytest.mark.parametrize(
    "body",
    [
        tour(),
        checklist(),
        announcement(),
        hotspot(),
        resource_center(links=[{"title": "x", "url": "https://x.io"}]),
    ],
    ids=["tour", "checklist", "announcement", "hotspot", "resource_center"],
)
def test_loaded_flow_loads_again_unchanged(body: dict[str, Any]) -> None:
    loaded = load_experience("flow", body)
    assert load_experience("flow", loaded) == loaded
