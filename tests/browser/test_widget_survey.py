"""NPS, CSAT and CES surveys in Chromium: answered by mouse and keyboard, follow-ups and
branches, dismissal and its throttling, every answer read back through the responses API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import expect

if TYPE_CHECKING:
    from tests.browser.widget_harness import WidgetHarness

pytest_plugins = ["tests.browser.widget_harness"]

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def shown(harness: WidgetHarness, body: dict[str, Any]) -> dict[str, Any]:
    survey = harness.define("survey", body)
    harness.open("/app")
    harness.mount(survey["id"])
    return survey


def answers(harness: WidgetHarness, survey: dict[str, Any]) -> list[dict[str, Any]]:
    harness.settle()
    return harness.responses(survey["id"])


NPS = {
    "name": "NPS",
    "type": "nps",
    "follow_up": {"promoter": "What do you love?", "detractor": "What should we fix?"},
}


def test_nps_answered_by_mouse_with_its_promoter_follow_up(harness: WidgetHarness) -> None:
    survey = shown(harness, NPS)
    dialog = harness.dialog()
    expect(dialog).to_have_accessible_name(
        "How likely are you to recommend us to a friend or colleague?"
    )
    dialog.get_by_role("radio", name="9").click()
    dialog.get_by_label("What do you love?").fill("The tours")
    dialog.get_by_role("button", name="Send").click()
    expect(dialog.get_by_role("status")).to_have_text("Thank you for your feedback!")
    [response] = answers(harness, survey)
    assert (response["score"], response["text"]) == (9, "The tours")


def test_nps_detractor_is_asked_the_detractor_question(harness: WidgetHarness) -> None:
    shown(harness, NPS)
    harness.dialog().get_by_role("radio", name="3").click()
    expect(harness.dialog().get_by_label("What should we fix?")).to_be_visible()


def test_nps_scale_fits_inside_its_corner_card(harness: WidgetHarness) -> None:
    shown(harness, NPS)
    card = harness.dialog().bounding_box()
    ten = harness.dialog().get_by_role("radio", name="10").bounding_box()
    assert card is not None and ten is not None
    assert ten["x"] + ten["width"] <= card["x"] + card["width"] - 8


def test_nps_answered_by_keyboard_along_the_radio_group(harness: WidgetHarness) -> None:
    survey = shown(harness, NPS)
    keyboard = harness.page.keyboard
    expect(harness.dialog().get_by_role("radio", name="0", exact=True)).to_be_focused()
    for key in ["ArrowRight", "ArrowRight", "End", "ArrowLeft"]:
        keyboard.press(key)
    expect(harness.dialog().get_by_role("radio", name="9")).to_have_attribute(
        "aria-checked", "true"
    )
    keyboard.press("Space")
    expect(harness.dialog().get_by_label("What do you love?")).to_be_focused()
    keyboard.type("Keyboard works")
    keyboard.press("Tab")
    keyboard.press("Enter")
    [response] = answers(harness, survey)
    assert (response["score"], response["text"]) == (9, "Keyboard works")


def test_csat_answers_both_dimensions_on_one_card(harness: WidgetHarness) -> None:
    survey = shown(harness, {"name": "CSAT", "type": "csat", "dimensions": ["product", "service"]})
    dialog = harness.dialog()
    send = dialog.get_by_role("button", name="Send")
    expect(send).to_be_disabled()
    dialog.get_by_role("radiogroup", name="The product").get_by_role("radio", name="4").click()
    dialog.get_by_role("radiogroup", name="Our service").get_by_role("radio", name="2").click()
    send.click()
    expect(dialog.get_by_role("status")).to_be_visible()
    found = {(r["dimension"], r["score"]) for r in answers(harness, survey)}
    assert found == {("product", 4), ("service", 2)}


def test_binary_csat_is_answered_with_satisfied(harness: WidgetHarness) -> None:
    survey = shown(harness, {"name": "CSAT", "type": "csat", "scale": {"binary": True}})
    harness.dialog().get_by_role("radio", name="Satisfied", exact=True).click()
    [response] = answers(harness, survey)
    assert response["score"] == 1


def test_ces_is_answered_on_its_seven_point_scale(harness: WidgetHarness) -> None:
    survey = shown(harness, {"name": "CES", "type": "ces"})
    dialog = harness.dialog()
    expect(dialog.get_by_text("Very easy")).to_be_visible()
    expect(dialog.get_by_role("radio")).to_have_count(7)
    dialog.get_by_role("radio", name="2").click()
    [response] = answers(harness, survey)
    assert response["score"] == 2


BRANCHING = {
    "name": "NPS with questions",
    "type": "nps",
    "questions": [
        {
            "id": "role",
            "type": "single_choice",
            "text": "Your role?",
            "choices": [{"id": "dev", "label": "Developer"}, {"id": "pm", "label": "Product"}],
            "next": {"pm": "roadmap", "default": "end"},
        },
        {"id": "roadmap", "type": "text", "text": "What should we build next?"},
    ],
}


def test_branch_asks_the_question_its_choice_leads_to(harness: WidgetHarness) -> None:
    survey = shown(harness, BRANCHING)
    dialog = harness.dialog()
    dialog.get_by_role("radio", name="8").click()
    dialog.get_by_role("radio", name="Product").click()
    dialog.get_by_role("button", name="Next").click()
    dialog.get_by_label("What should we build next?").fill("Funnels")
    dialog.get_by_role("button", name="Send").click()
    [response] = answers(harness, survey)
    assert response["answers"] == {"role": ["pm"], "roadmap": "Funnels"}


def test_branch_to_the_end_skips_the_other_questions(harness: WidgetHarness) -> None:
    survey = shown(harness, BRANCHING)
    dialog = harness.dialog()
    dialog.get_by_role("radio", name="8").click()
    dialog.get_by_role("radio", name="Developer").click()
    dialog.get_by_role("button", name="Send").click()
    expect(dialog.get_by_role("status")).to_be_visible()
    [response] = answers(harness, survey)
    assert response["answers"] == {"role": ["dev"]}


def test_closing_after_scoring_keeps_the_score(harness: WidgetHarness) -> None:
    survey = shown(harness, NPS)
    harness.dialog().get_by_role("radio", name="7").click()
    harness.dialog().get_by_role("button", name="Close").click()
    expect(harness.widget("nps")).to_have_count(0)
    [response] = answers(harness, survey)
    assert response["score"] == 7


def test_dismissed_survey_stays_away_after_reload(harness: WidgetHarness) -> None:
    survey = harness.define("survey", {**NPS, "throttle": {"max_dismissals": 1}})
    harness.open("/app")
    expect(harness.dialog().get_by_role("radio", name="0", exact=True)).to_be_focused()
    harness.page.keyboard.press("Escape")
    expect(harness.widget("nps")).to_have_count(0)
    harness.settle()
    assert len(harness.events("Survey Dismissed")) == 1
    harness.open("/app")
    harness.page.wait_for_timeout(300)
    expect(harness.widget("nps")).to_have_count(0)
    assert harness.responses(survey["id"]) == []


def test_survey_shows_as_a_corner_popover_by_default(harness: WidgetHarness) -> None:
    shown(harness, NPS)
    dialog = harness.dialog()
    expect(dialog).not_to_have_attribute("aria-modal", "true")
    box, viewport = dialog.bounding_box(), harness.page.viewport_size
    assert box is not None and viewport is not None
    assert box["x"] + box["width"] > viewport["width"] - 40
    assert box["y"] + box["height"] > viewport["height"] - 40


def test_centred_survey_is_a_modal_over_the_page(harness: WidgetHarness) -> None:
    shown(harness, {**NPS, "position": "center"})
    dialog = harness.dialog()
    expect(dialog).to_have_attribute("aria-modal", "true")
    box, viewport = dialog.bounding_box(), harness.page.viewport_size
    assert box is not None and viewport is not None
    assert abs(box["x"] + box["width"] / 2 - viewport["width"] / 2) < 2
    assert abs(box["y"] + box["height"] / 2 - viewport["height"] / 2) < 2


def test_csat_is_rated_with_stars_that_light_up_to_the_choice(harness: WidgetHarness) -> None:
    shown(harness, {"name": "CSAT", "type": "csat"})
    stars = harness.dialog().get_by_role("radio")
    expect(stars.first).to_have_text("★")
    expect(stars.first).to_be_focused()
    harness.page.keyboard.press("ArrowRight")
    harness.page.keyboard.press("ArrowRight")
    lit = harness.dialog().locator(".wp-lit")
    expect(lit).to_have_count(3)
    expect(harness.dialog().get_by_role("radio", name="3")).to_be_checked()
