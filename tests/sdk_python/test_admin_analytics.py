"""``AdminClient`` analyses and webhook endpoints against a real ``waypost serve``, typed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from waypost import AdminClient, APIError, Client

from collector.projects.service import CreatedProject
from tests.conftest import LiveServer
from tests.sdk_python.live import WAIT_SECONDS, answered, tracked

CRM = {"url": "https://crm.example.com/waypost", "event_types": ["survey.responded"]}


@pytest.fixture
def journeys(live_server: LiveServer, project: CreatedProject) -> None:
    """Two persons sign up; one of them creates a report."""
    tracked(
        live_server,
        project,
        ("user-1", "Signed Up", {}),
        ("user-2", "Signed Up", {}),
        ("user-1", "Report Created", {}),
    )


@pytest.mark.usefixtures("journeys")
def test_a_funnel_counts_who_reached_each_step(admin: AdminClient) -> None:
    funnel = admin.funnel(["Signed Up", "Report Created"], since=datetime.now(UTC) - timedelta(1))
    assert [(step.event, step.persons, step.dropped) for step in funnel.steps] == [
        ("Signed Up", 2, 1),
        ("Report Created", 1, 0),
    ]
    assert funnel.steps[1].conversion_from_first == 0.5


@pytest.mark.usefixtures("journeys")
def test_time_to_value_counts_who_reached_the_value(admin: AdminClient) -> None:
    reached = admin.time_to_value("Report Created", start="Signed Up")
    assert (reached.persons_started, reached.persons_reached_value) == (2, 1)


@pytest.mark.usefixtures("journeys")
def test_retention_makes_a_cohort_of_todays_sign_ups(admin: AdminClient) -> None:
    today = datetime.now(UTC).date()
    retention = admin.retention(start="Signed Up", interval="day", periods=2)
    [cohort] = [found for found in retention.cohorts if found.cohort == today]
    assert (retention.interval, cohort.persons, cohort.returned[0]) == ("day", 2, 2)
    assert isinstance(cohort.cohort, date)


def test_an_invalid_analysis_names_the_field(admin: AdminClient) -> None:
    with pytest.raises(APIError) as raised:
        admin.funnel(["Signed Up"], window="forever")
    assert raised.value.fields is not None and "window" in raised.value.fields


def test_survey_scores_read_the_nps(
    admin: AdminClient, live_server: LiveServer, project: CreatedProject
) -> None:
    survey = admin.create_survey({"name": "NPS", "type": "nps"})
    answered(live_server, project, survey.id, [9, 3, 10])
    scores = admin.survey_scores(survey.id)
    assert (scores.type, scores.n, scores.low_sample) == ("nps", 3, True)
    assert (scores.figures["promoters"], scores.figures["detractors"]) == (2, 1)


def test_account_health_lists_each_account(
    admin: AdminClient, live_server: LiveServer, project: CreatedProject
) -> None:
    client = Client(project.write_key, live_server.url)
    client.group("user-1", "acme", {"name": "Acme"})
    client.track("user-1", "Report Created")
    assert client.shutdown(WAIT_SECONDS)
    [health] = admin.account_health()
    assert (health.group_id, health.name, health.status) == ("acme", "Acme", health.status)
    assert health.status in ("green", "yellow", "red")
    assert "frequency" in health.components


def test_a_webhook_endpoint_shows_its_secret_once(admin: AdminClient) -> None:
    created = admin.create_webhook_endpoint(CRM)
    assert created.secret is not None and created.secret.startswith("whsec_")
    assert admin.get_webhook_endpoint(created.id).secret is None


def test_a_webhook_endpoint_is_listed_updated_and_deleted(admin: AdminClient) -> None:
    created = admin.create_webhook_endpoint(CRM)
    assert [found.url for found in admin.list_webhook_endpoints()] == [CRM["url"]]
    assert admin.update_webhook_endpoint(created.id, {"enabled": False}).enabled is False
    admin.delete_webhook_endpoint(created.id)
    assert admin.list_webhook_endpoints() == []


def test_a_rotated_webhook_secret_is_new(admin: AdminClient) -> None:
    created = admin.create_webhook_endpoint(CRM)
    rotated = admin.rotate_webhook_secret(created.id, grace_seconds=0)
    assert rotated.startswith("whsec_") and rotated != created.secret


def test_a_private_webhook_target_is_refused_naming_the_url(admin: AdminClient) -> None:
    with pytest.raises(APIError) as raised:
        admin.create_webhook_endpoint({**CRM, "url": "https://127.0.0.1/hook"})
    assert raised.value.fields is not None and "url" in raised.value.fields
