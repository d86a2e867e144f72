"""``AdminClient`` flows, surveys, answers and progress against a real ``waypost serve``."""

from __future__ import annotations

from datetime import datetime

import pytest
from waypost import AdminClient, APIError
from waypost.models import Flow, Survey

from collector.projects.service import CreatedProject
from tests import factories
from tests.conftest import LiveServer
from tests.sdk_python.live import answered, tracked

MINIMAL_NPS = {"name": "NPS", "type": "nps"}
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def survey(admin: AdminClient) -> Survey:
    return admin.create_survey(MINIMAL_NPS)


@pytest.fixture
def flow(admin: AdminClient) -> Flow:
    return admin.create_flow(factories.tour())


def test_a_created_survey_is_typed(survey: Survey) -> None:
    assert isinstance(survey, Survey)
    assert (survey.name, survey.type, survey.status, survey.version) == ("NPS", "nps", "live", 1)
    assert isinstance(survey.created_at, datetime) and survey.created_at.tzinfo is not None


def test_a_surveys_definition_holds_its_type_specific_fields(survey: Survey) -> None:
    assert survey.definition["scale"] == {"min": 0, "max": 10}


def test_a_typed_survey_cannot_be_changed(survey: Survey) -> None:
    with pytest.raises(AttributeError):
        survey.name = "Changed"  # type: ignore[misc]


def test_a_created_flow_keeps_its_steps(flow: Flow) -> None:
    assert isinstance(flow, Flow)
    assert [step["id"] for step in flow.definition["steps"]] == ["step-1"]


def test_a_created_survey_is_listed(admin: AdminClient, survey: Survey) -> None:
    assert [found.id for found in admin.list_surveys(type="nps")] == [survey.id]


def test_a_created_flow_is_read_back_equal(admin: AdminClient, flow: Flow) -> None:
    assert admin.get_flow(flow.id) == flow


def test_a_patch_changes_the_survey(admin: AdminClient, survey: Survey) -> None:
    updated = admin.update_survey(survey.id, {"name": "Quarterly NPS"})
    assert (updated.name, admin.get_survey(survey.id).name) == ("Quarterly NPS", "Quarterly NPS")


def test_a_patch_changes_the_flow(admin: AdminClient, flow: Flow) -> None:
    assert admin.update_flow(flow.id, {"name": "Tour"}).name == "Tour"


def test_an_archived_survey_is_no_longer_listed(admin: AdminClient, survey: Survey) -> None:
    assert admin.archive_survey(survey.id).status == "archived"
    assert admin.list_surveys() == []


def test_an_archived_flow_is_listed_as_archived(admin: AdminClient, flow: Flow) -> None:
    assert admin.archive_flow(flow.id).status == "archived"
    assert [found.id for found in admin.list_flows(status="archived")] == [flow.id]


def test_an_unknown_survey_raises_not_found(admin: AdminClient) -> None:
    with pytest.raises(APIError) as raised:
        admin.get_survey(UNKNOWN_ID)
    assert (raised.value.status, raised.value.code) == (404, "not_found")


def test_an_invalid_survey_raises_validation_failed_naming_the_field(admin: AdminClient) -> None:
    with pytest.raises(APIError) as raised:
        admin.create_survey({"name": "", "type": "nps"})
    assert (raised.value.status, raised.value.code) == (422, "validation_failed")
    assert raised.value.fields is not None and "name" in raised.value.fields


def test_responses_are_read_across_pages_as_typed_answers(
    admin: AdminClient, live_server: LiveServer, project: CreatedProject, survey: Survey
) -> None:
    answered(live_server, project, survey.id, [9, 3, 10, 7, 0])
    answers = list(admin.responses(survey.id, page_size=2))
    assert [found.score for found in answers] == [9, 3, 10, 7, 0]
    assert {(found.survey_type, found.scale_max, found.eligible) for found in answers} == {
        ("nps", 10, True)
    }


def test_responses_resume_from_a_kept_cursor(
    admin: AdminClient, live_server: LiveServer, project: CreatedProject, survey: Survey
) -> None:
    answered(live_server, project, survey.id, [9, 3])
    first = admin.responses(survey.id)
    assert [found.score for found in first] == [9, 3]
    answered(live_server, project, survey.id, [5])
    later = admin.responses(survey.id, cursor=first.cursor)
    assert [found.score for found in later] == [5]


def test_responses_are_filtered_by_eligibility(
    admin: AdminClient, live_server: LiveServer, project: CreatedProject, survey: Survey
) -> None:
    answered(live_server, project, survey.id, [9, 3])
    assert list(admin.responses(survey.id, eligible=False)) == []


def test_responses_export_as_csv(
    admin: AdminClient, live_server: LiveServer, project: CreatedProject, survey: Survey
) -> None:
    answered(live_server, project, survey.id, [9, 3])
    exported = admin.export_responses(survey.id, "csv").decode().splitlines()
    assert "score" in exported[0].split(",")
    assert len(exported) == 3


def test_flow_progress_counts_people_per_status(
    admin: AdminClient, live_server: LiveServer, project: CreatedProject, flow: Flow
) -> None:
    started = [(f"user-{n}", "Flow Started", {"flow_id": flow.id}) for n in range(2)]
    tracked(live_server, project, *started)
    summary = admin.flow_progress(flow.id)
    assert (dict(summary.counts), summary.total) == ({"in_progress": 2}, 2)


def test_flow_progress_people_are_read_across_pages(
    admin: AdminClient, live_server: LiveServer, project: CreatedProject, flow: Flow
) -> None:
    started = [(f"user-{n}", "Flow Started", {"flow_id": flow.id}) for n in range(3)]
    tracked(live_server, project, *started)
    people = list(admin.flow_progress_people(flow.id, page_size=2))
    assert sorted(person.user_id or "" for person in people) == ["user-0", "user-1", "user-2"]
    assert {(person.status, person.shown_count) for person in people} == {("in_progress", 1)}
