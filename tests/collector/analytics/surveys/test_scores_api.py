"""``GET /api/v1/surveys/{id}/scores`` and ``…/texts`` over HTTP: keys, refusals, CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests import factories
from tests.collector.analytics.surveys.conftest import SurveyData

NOVEMBER = {"from": "2026-11-01", "to": "2026-11-15"}


def get(client: TestClient, data: SurveyData, route: str, **params: str) -> Any:
    path = f"/api/v1/surveys/{data.nps['id']}/{route}"
    return client.get(path, params=params, headers=factories.secret_auth(data.project))


def test_scores_answer_the_documented_keys(client: TestClient, survey_data: SurveyData) -> None:
    response = get(client, survey_data, "scores", **NOVEMBER)
    assert response.status_code == 200
    body = response.json()
    assert {"n", "low_sample", "nps", "response_rate", "excluded"} <= set(body)
    assert {"score", "ci95", "promoters", "passives", "detractors"} <= set(body["nps"])


def test_times_without_offset_are_read_in_tz(client: TestClient, survey_data: SurveyData) -> None:
    body = get(client, survey_data, "scores", tz="America/New_York", **NOVEMBER).json()
    assert (body["from"], body["tz"]) == ("2026-11-01T04:00:00Z", "America/New_York")


def test_scores_need_a_key(client: TestClient, survey_data: SurveyData) -> None:
    response = client.get(f"/api/v1/surveys/{survey_data.nps['id']}/scores")
    assert response.status_code == 401


def test_scores_refuse_the_write_key(client: TestClient, survey_data: SurveyData) -> None:
    response = client.get(
        f"/api/v1/surveys/{survey_data.nps['id']}/scores",
        headers=factories.bearer_auth(survey_data.project.write_key),
    )
    assert response.status_code == 403


def test_another_projects_key_finds_no_survey(client: TestClient, survey_data: SurveyData) -> None:
    for route in ("scores", "texts"):
        response = client.get(
            f"/api/v1/surveys/{survey_data.nps['id']}/{route}",
            headers=factories.secret_auth(survey_data.other),
        )
        assert response.status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"interval": "hour"}, "interval"),
        ({"segment_by": "account."}, "segment_by"),
        ({"segment_by": 'plan"'}, "segment_by"),
        ({"tz": "Mars/Olympus"}, "tz"),
        ({"from": "yesterday"}, "from"),
        ({"from": "2026-11-02", "to": "2026-11-01"}, "to"),
        ({"include_ineligible": "maybe"}, "include_ineligible"),
        ({"colour": "blue"}, "colour"),
    ],
    ids=["interval", "segment", "quote", "tz", "from", "order", "ineligible", "unknown"],
)
def test_bad_parameters_are_refused_by_name(
    client: TestClient, survey_data: SurveyData, params: dict[str, str], field: str
) -> None:
    response = get(client, survey_data, "scores", **params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_scores_export_as_csv_with_a_row_per_period(
    client: TestClient, survey_data: SurveyData
) -> None:
    response = get(client, survey_data, "scores", interval="week", format="csv", **NOVEMBER)
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["group"], r["key"], r["n"], float(r["score"])) for r in rows] == [
        ("overall", "", "7", pytest.approx(100 / 7)),
        ("period", "2026-10-26", "1", -100.0),
        ("period", "2026-11-02", "6", 0.0),
        ("period", "2026-11-09", "1", 100.0),
    ]


def test_texts_list_counted_answers_with_their_scores(
    client: TestClient, survey_data: SurveyData
) -> None:
    body = get(client, survey_data, "texts", **NOVEMBER).json()
    assert [(a["score"], a["text"]) for a in body["data"]] == [
        (10, "Love it"),
        (0, "<img src=x onerror=alert(1)>"),
        (10, "better now"),
    ]


def test_texts_come_a_page_at_a_time(client: TestClient, survey_data: SurveyData) -> None:
    first = get(client, survey_data, "texts", limit="2", **NOVEMBER).json()
    rest = get(client, survey_data, "texts", cursor=first["next_cursor"], **NOVEMBER).json()
    assert (len(first["data"]), first["has_more"]) == (2, True)
    assert [a["text"] for a in rest["data"]] == ["better now"]


def test_texts_export_as_csv_with_formulas_defused(
    client: TestClient, survey_data: SurveyData
) -> None:
    response = client.get(
        f"/api/v1/surveys/{survey_data.nps['id']}/texts",
        params=NOVEMBER,
        headers={**factories.secret_auth(survey_data.project), "Accept": "text/csv"},
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["score"], r["text"]) for r in rows] == [
        ("10", "Love it"),
        ("0", "<img src=x onerror=alert(1)>"),
        ("10", "better now"),
    ]


def test_segments_by_an_account_trait_over_http(
    client: TestClient, survey_data: SurveyData
) -> None:
    body = get(client, survey_data, "scores", segment_by="account.industry", **NOVEMBER).json()
    assert [(s["value"], s["n"]) for s in body["segments"]] == [(None, 4), ("retail", 3)]


def test_scores_export_a_row_per_segment(client: TestClient, survey_data: SurveyData) -> None:
    response = get(client, survey_data, "scores", segment_by="plan", format="csv", **NOVEMBER)
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["group"], r["key"], r["n"]) for r in rows] == [
        ("overall", "", "7"),
        ("segment", "pro", "4"),
        ("segment", "free", "3"),
    ]
