"""NPS scores of the hand-worked dataset (see conftest), on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from collector.analytics.surveys.queries import AnswerFilter, Segment
from collector.analytics.surveys.service import ScoreQuery, survey_scores
from collector.kit.errors import NotFound
from tests.collector.analytics.surveys.conftest import NOVEMBER, SurveyData


def scores(
    engine: Engine,
    data: SurveyData,
    *,
    include_ineligible: bool = False,
    start: datetime | None = NOVEMBER[0],
    end: datetime | None = NOVEMBER[1],
    **options: Any,
) -> Mapping[str, Any]:
    survey_id = uuid.UUID(data.nps["id"])
    where = AnswerFilter(data.project.id, survey_id, start, end, include_ineligible)
    return survey_scores(engine, data.project.id, survey_id, ScoreQuery(where, **options))


def test_each_person_counts_once_with_their_latest_answer(
    engine: Engine, survey_data: SurveyData
) -> None:
    nps = scores(engine, survey_data)["nps"]
    assert (nps["promoters"], nps["passives"], nps["detractors"]) == (3, 2, 2)
    assert nps["score"] == pytest.approx(100 / 7)


def test_n_counts_persons_and_flags_a_low_sample(engine: Engine, survey_data: SurveyData) -> None:
    result = scores(engine, survey_data)
    assert (result["n"], result["low_sample"]) == (7, True)


def test_ineligible_answers_are_left_out_and_counted(
    engine: Engine, survey_data: SurveyData
) -> None:
    assert scores(engine, survey_data)["excluded"] == {"ineligible": 1, "other_scale": 0}


def test_ineligible_answers_count_when_asked_for(engine: Engine, survey_data: SurveyData) -> None:
    result = scores(engine, survey_data, include_ineligible=True)
    assert (result["n"], result["nps"]["detractors"], result["nps"]["score"]) == (8, 3, 0.0)


def test_answers_outside_the_range_do_not_count(engine: Engine, survey_data: SurveyData) -> None:
    everything = scores(engine, survey_data, start=None, end=None)
    assert (everything["n"], everything["nps"]["promoters"]) == (8, 4)


def test_response_rate_is_persons_who_answered_over_persons_shown(
    engine: Engine, survey_data: SurveyData
) -> None:
    rate = scores(engine, survey_data)["response_rate"]
    assert rate == {"shown": 9, "responded": 8, "rate": pytest.approx(8 / 9)}


def test_weekly_trend_counts_a_person_once_per_week(
    engine: Engine, survey_data: SurveyData
) -> None:
    trend = scores(engine, survey_data, interval="week")["trend"]
    assert [(t["period"], t["n"], t["nps"]["score"]) for t in trend] == [
        ("2026-10-26", 1, -100.0),
        ("2026-11-02", 6, 0.0),
        ("2026-11-09", 1, 100.0),
    ]


def test_trend_periods_begin_at_midnight_in_the_time_zone(
    engine: Engine, survey_data: SurveyData
) -> None:
    trend = scores(engine, survey_data, interval="month", zone=ZoneInfo("Asia/Tokyo"))["trend"]
    assert [(t["period"], t["start"]) for t in trend] == [
        ("2026-11-01", datetime(2026, 10, 31, 15, tzinfo=UTC))
    ]


def test_daily_trend_lists_days_without_answers(engine: Engine, survey_data: SurveyData) -> None:
    trend = scores(engine, survey_data, interval="day")["trend"]
    assert len(trend) == 14
    assert (trend[5]["period"], trend[5]["n"], trend[5]["nps"]) == ("2026-11-06", 0, None)


def test_trend_without_a_start_begins_at_the_first_answer(
    engine: Engine, survey_data: SurveyData
) -> None:
    trend = scores(engine, survey_data, start=None, interval="month")["trend"]
    assert [t["period"] for t in trend] == ["2026-10-01", "2026-11-01"]


def test_trend_of_a_range_without_answers_is_empty(engine: Engine, survey_data: SurveyData) -> None:
    result = scores(
        engine, survey_data, start=None, end=datetime(2026, 1, 1, tzinfo=UTC), interval="day"
    )
    assert (result["n"], result["nps"], result["trend"]) == (0, None, [])


def test_segments_by_a_person_trait(engine: Engine, survey_data: SurveyData) -> None:
    segments = scores(engine, survey_data, segment=Segment("person", "plan"))["segments"]
    assert [(s["value"], s["n"], s["nps"]["score"]) for s in segments] == [
        ("pro", 4, 50.0),
        ("free", 3, pytest.approx(-100 / 3)),
    ]


def test_segments_by_an_account_trait_include_persons_without_one(
    engine: Engine, survey_data: SurveyData
) -> None:
    segments = scores(engine, survey_data, segment=Segment("account", "industry"))["segments"]
    assert [(s["value"], s["n"], s["nps"]["score"]) for s in segments] == [
        (None, 4, -25.0),
        ("retail", 3, pytest.approx(200 / 3)),
    ]


def test_another_projects_answers_never_count(engine: Engine, survey_data: SurveyData) -> None:
    result = scores(engine, survey_data, start=None, end=None, include_ineligible=True)
    assert result["nps"]["detractors"] == 3


def test_another_projects_survey_is_not_found(engine: Engine, survey_data: SurveyData) -> None:
    survey_id = uuid.UUID(survey_data.other_nps["id"])
    where = AnswerFilter(survey_data.project.id, survey_id)
    with pytest.raises(NotFound):
        survey_scores(engine, survey_data.project.id, survey_id, ScoreQuery(where))
