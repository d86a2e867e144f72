"""CSAT (per dimension, binary) and CES scores, worked out by hand, on both backends."""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from collector.analytics.surveys.queries import AnswerFilter
from collector.analytics.surveys.service import ScoreQuery, score_rows, survey_scores
from collector.experiences import service as experiences
from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.analytics.surveys.conftest import answer

NOW = datetime(2026, 11, 20, tzinfo=UTC)


def define(engine: Engine, project: CreatedProject, **body: Any) -> dict[str, Any]:
    return factories.create_survey(engine, project, throttle={"reask_days": 0}, **body)


def scores_of(engine: Engine, project: CreatedProject, survey: dict[str, Any]) -> Mapping[str, Any]:
    survey_id = uuid.UUID(survey["id"])
    where = AnswerFilter(project.id, survey_id)
    return survey_scores(engine, project.id, survey_id, ScoreQuery(where))


@pytest.fixture(scope="module")
def project(engine: Engine) -> CreatedProject:
    return factories.create_project(engine)


@pytest.fixture(scope="module")
def csat(engine: Engine, project: CreatedProject) -> dict[str, Any]:
    """u1 product 5, service 4; u2 product 3, service 1; u3 product 5 then 2."""
    survey = define(engine, project, type="csat", dimensions=["product", "service"])
    answers = [
        ("u1", 5, "product", "2026-11-02T09:00:00Z"),
        ("u1", 4, "service", "2026-11-02T09:00:01Z"),
        ("u2", 3, "product", "2026-11-03T09:00:00Z"),
        ("u2", 1, "service", "2026-11-03T09:00:01Z"),
        ("u3", 5, "product", "2026-11-04T09:00:00Z"),
        ("u3", 2, "product", "2026-11-05T09:00:00Z"),
    ]
    factories.ingest_messages(
        engine,
        project,
        *(answer(survey, user, score, at, dimension=dim) for user, score, dim, at in answers),
    )
    return survey


def test_csat_counts_each_persons_latest_answer_per_dimension(
    engine: Engine, project: CreatedProject, csat: dict[str, Any]
) -> None:
    result = scores_of(engine, project, csat)
    assert result["n"] == 5
    assert result["csat"]["mean"] == 3.0
    assert result["csat"]["satisfied_share"] == pytest.approx(0.4)
    assert result["csat"]["stdev"] == pytest.approx(math.sqrt(2.5))


def test_csat_per_dimension(engine: Engine, project: CreatedProject, csat: dict[str, Any]) -> None:
    dimensions = scores_of(engine, project, csat)["dimensions"]
    product, service = dimensions["product"], dimensions["service"]
    assert (product["n"], product["csat"]["mean"]) == (3, pytest.approx(10 / 3))
    assert product["csat"]["satisfied_share"] == pytest.approx(1 / 3)
    assert (service["n"], service["csat"]["mean"], service["csat"]["satisfied_share"]) == (
        2,
        2.5,
        0.5,
    )


def test_binary_csat_satisfied_share_is_the_share_of_ones(
    engine: Engine, project: CreatedProject
) -> None:
    survey = define(engine, project, type="csat", scale={"binary": True})
    factories.ingest_messages(
        engine,
        project,
        *(answer(survey, f"b{i}", s, "2026-11-02T09:00:00Z") for i, s in enumerate([1, 1, 0])),
    )
    result = scores_of(engine, project, survey)["csat"]
    assert (result["satisfied_share"], result["scale"]["binary"]) == (pytest.approx(2 / 3), True)


def test_ces_reports_its_scale_and_the_high_effort_share(
    engine: Engine, project: CreatedProject
) -> None:
    survey = define(engine, project, type="ces")
    factories.ingest_messages(
        engine,
        project,
        *(answer(survey, f"c{s}", s, "2026-11-02T09:00:00Z") for s in [1, 4, 5, 7]),
    )
    result = scores_of(engine, project, survey)["ces"]
    assert (result["mean"], result["high_effort_share"]) == (4.25, 0.5)
    assert result["scale"] == {"min": 1, "max": 7, "binary": False}


def test_answers_on_a_former_scale_are_counted_apart(
    engine: Engine, project: CreatedProject
) -> None:
    survey = define(engine, project, type="ces")
    factories.ingest_messages(engine, project, answer(survey, "s1", 7, "2026-11-02T09:00:00Z"))
    survey_id = uuid.UUID(survey["id"])
    changed = experiences.update_experience(
        engine, project.id, "survey", survey_id, {"scale": {"min": 1, "max": 10}}, now=NOW
    )
    factories.ingest_messages(
        engine,
        project,
        answer({**survey, "version": changed["version"]}, "s2", 9, "2026-11-03T09:00:00Z"),
    )
    result = scores_of(engine, project, survey)
    assert (result["n"], result["ces"]["mean"], result["excluded"]["other_scale"]) == (1, 9.0, 1)


def test_csv_rows_of_csat_carry_each_dimension(
    engine: Engine, project: CreatedProject, csat: dict[str, Any]
) -> None:
    rows = list(score_rows(scores_of(engine, project, csat)))
    assert [(r["dimension"], r["n"], r["satisfied_share"]) for r in rows] == [
        (None, 5, pytest.approx(0.4)),
        ("product", 3, pytest.approx(1 / 3)),
        ("service", 2, 0.5),
    ]
