"""Survey results and the editor of flows and surveys, in Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.dashboard_site import ON_SQLITE, DashboardSite, screenshot

pytestmark = ON_SQLITE

SCORES = [10, 10, 9, 8, 3]
"""3 promoters, 1 passive, 1 detractor: NPS 40."""


def seed_answers(site: DashboardSite) -> dict[str, Any]:
    survey = factories.create_survey(site.engine, site.project, name="Quarterly NPS")
    answers = [
        factories.reserved(
            "Survey Responded",
            survey,
            {"score": score, "text": f"answer {index}"},
            userId=f"user-{index}",
        )
        for index, score in enumerate(SCORES)
    ]
    factories.ingest_messages(site.engine, site.project, *answers)
    return survey


def test_a_surveys_scores_are_those_of_the_api(
    page: Page, dashboard_site: DashboardSite, artifacts_dir: Path
) -> None:
    survey = seed_answers(dashboard_site)
    api = httpx2.get(
        f"{dashboard_site.server.url}/api/v1/surveys/{survey['id']}/scores",
        headers=factories.secret_auth(dashboard_site.project),
    ).json()
    dashboard_site.sign_in(page, path=f"/surveys/{survey['id']}")
    headline = page.locator(".figure").filter(has_text="NPS").locator(".figure-value")
    expect(headline).to_contain_text(f"{api['nps']['score']:.0f} (95%")
    expect(page.locator(".figure").filter(has_text="Answers (n)")).to_contain_text("5")
    expect(page.get_by_text("low sample: fewer than 30 answers")).to_be_visible()
    answers = page.locator(".card").filter(has_text="Answers").last.locator("tbody tr")
    expect(answers).to_have_count(len(SCORES))
    screenshot(page, artifacts_dir, "survey-results")


def test_the_answers_table_filters_by_words(page: Page, dashboard_site: DashboardSite) -> None:
    survey = seed_answers(dashboard_site)
    dashboard_site.sign_in(page, path=f"/surveys/{survey['id']}")
    page.get_by_label("Filter").fill("answer 4")
    rows = page.locator(".card").filter(has_text="Answers").last.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("user-4")


def test_answers_export_as_csv(page: Page, dashboard_site: DashboardSite) -> None:
    survey = seed_answers(dashboard_site)
    dashboard_site.sign_in(page, path=f"/surveys/{survey['id']}")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export answers (CSV)").click()
    lines = Path(download.value.path()).read_text().strip().splitlines()
    assert len(lines) == 1 + len(SCORES)
    assert "score" in lines[0]


def test_a_survey_created_and_published_in_the_editor_goes_live(
    page: Page, dashboard_site: DashboardSite, artifacts_dir: Path
) -> None:
    dashboard_site.sign_in(page, path="/experiences")
    page.get_by_role("button", name="New survey").click()
    page.get_by_label("Name").fill("Onboarding NPS")
    page.get_by_label("Question", exact=True).fill("Would you recommend Acme?")
    screenshot(page, artifacts_dir, "editor")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_role("status")).to_have_text("Saved as version 1.")
    [survey] = httpx2.get(
        f"{dashboard_site.server.url}/api/v1/surveys",
        headers=factories.secret_auth(dashboard_site.project),
    ).json()["data"]
    assert (survey["name"], survey["status"]) == ("Onboarding NPS", "live")
    assert survey["question"] == "Would you recommend Acme?"
    delivered = httpx2.get(
        f"{dashboard_site.server.url}/v1/flows",
        params={"userId": "someone"},
        headers=factories.write_auth(dashboard_site.project),
    ).json()
    assert [entry["id"] for entry in delivered["surveys"]] == [survey["id"]]


def test_a_live_survey_is_paused_from_the_list(
    page: Page, dashboard_site: DashboardSite, artifacts_dir: Path
) -> None:
    factories.create_survey(dashboard_site.engine, dashboard_site.project, name="CSAT", type="csat")
    dashboard_site.sign_in(page, path="/experiences")
    page.get_by_role("button", name="Pause").click()
    expect(page.locator(".badge")).to_have_text("paused")
    screenshot(page, artifacts_dir, "flows-and-surveys")


def test_an_invalid_definition_is_refused_naming_the_field(
    page: Page, dashboard_site: DashboardSite
) -> None:
    dashboard_site.sign_in(page, path="/edit/flow/new")
    page.get_by_role("button", name="Remove step").click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("steps")


def test_translations_add_a_text_per_language(page: Page, dashboard_site: DashboardSite) -> None:
    dashboard_site.sign_in(page, path="/edit/survey/new")
    page.get_by_label("Translations").fill("he")
    page.get_by_label("Translations").press("Tab")
    page.get_by_label("Question (en)", exact=True).fill("How likely?")
    page.get_by_label("Question (he)", exact=True).fill("עד כמה סביר?")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Saved as version 1.")
    [survey] = httpx2.get(
        f"{dashboard_site.server.url}/api/v1/surveys",
        headers=factories.secret_auth(dashboard_site.project),
    ).json()["data"]
    assert survey["question"] == {"en": "How likely?", "he": "עד כמה סביר?"}


def test_the_preview_renders_the_real_survey_widget_and_records_nothing(
    page: Page, dashboard_site: DashboardSite, artifacts_dir: Path
) -> None:
    dashboard_site.sign_in(page, path="/edit/survey/new")
    page.get_by_label("Question", exact=True).fill("Would you recommend Acme?")
    page.get_by_role("button", name="Preview").click()
    widget = page.locator("waypost-widget")
    expect(widget.get_by_text("Would you recommend Acme?")).to_be_visible()
    screenshot(page, artifacts_dir, "editor-preview")
    events = httpx2.get(
        f"{dashboard_site.server.url}/api/v1/events",
        headers=factories.secret_auth(dashboard_site.project),
    ).json()["data"]
    assert events == []


def test_leaving_the_editor_removes_the_preview(page: Page, dashboard_site: DashboardSite) -> None:
    dashboard_site.sign_in(page, path="/edit/survey/new")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("waypost-widget")).to_have_count(1)
    page.get_by_role("link", name="Overview").click()
    expect(page.locator("waypost-widget")).to_have_count(0)
