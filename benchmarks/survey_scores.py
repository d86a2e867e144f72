"""Survey scores: ``GET /api/v1/surveys/{id}/scores`` against hand-written SQL.

A fresh database (a temporary SQLite file; with ``--postgres`` a PostgreSQL schema of its
own too) is migrated and given a project with a live NPS survey. 100,000 answers (20,000
with ``--quick``) from 70,000 persons are written in bulk through SQLAlchemy Core, the
rows ingestion would have written: a person for each responder, about one in three
answering twice, one answer in fifty flagged ineligible, each responder shown the survey.

Timed, medians of several runs, in the same process on the same database:

- the API: ``GET /api/v1/surveys/{id}/scores`` over HTTP (Starlette's test client: the
  endpoint, key check, parsing, service and JSON), with the response rate;
- the service alone (:func:`collector.analytics.surveys.service.survey_scores`);
- the baseline: hand-written SQL computing the same figures (each person's latest
  eligible answer counted per group; persons shown and persons who answered), the
  ceiling of what the database can do.

Printed: each median and its ratio to the baseline. Run from the repository root::

    python -m benchmarks.survey_scores --quick
    python -m benchmarks.survey_scores --postgres
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine, insert, text
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from collector.analytics.surveys.queries import AnswerFilter
from collector.analytics.surveys.service import ScoreQuery, survey_scores
from collector.app import create_app
from collector.experiences.service import create_experience
from collector.kit.db.engine import build_engine, write_transaction
from collector.kit.db.migrate import upgrade
from collector.kit.db.models import Impression, Person, SurveyResponse, table_of
from collector.kit.settings import Settings
from collector.projects.service import CreatedProject, create_project

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
START = datetime(2026, 1, 1, tzinfo=UTC)
END = START + timedelta(days=300)
CHUNK = 5000
BASELINE_SQL = """
SELECT sum(CASE WHEN score >= 9 THEN 1 ELSE 0 END) AS promoters,
       sum(CASE WHEN score <= 6 THEN 1 ELSE 0 END) AS detractors,
       count(*) AS answers
FROM (SELECT score, row_number() OVER (
        PARTITION BY person_id ORDER BY responded_at DESC, id DESC) AS latest
      FROM survey_responses
      WHERE project_id = :project AND survey_id = :survey AND eligible
        AND responded_at >= :start AND responded_at < :end) AS answers
WHERE latest = 1
"""
REACH_SQL = """
SELECT (SELECT count(DISTINCT person_id) FROM impressions
        WHERE project_id = :project AND experience_id = :survey
          AND shown_at >= :start AND shown_at < :end) AS shown,
       count(DISTINCT person_id) AS responded
FROM survey_responses
WHERE project_id = :project AND survey_id = :survey
  AND responded_at >= :start AND responded_at < :end
"""


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for index in range(0, len(rows), CHUNK):
        yield rows[index : index + CHUNK]


def _rows(project: uuid.UUID, survey: uuid.UUID, answers: int) -> dict[str, list[Any]]:
    rng = random.Random(7)
    persons = [uuid.uuid4() for _ in range(int(answers * 0.7))]
    tables: dict[str, list[Any]] = {"persons": [], "responses": [], "impressions": []}
    for person in persons:
        tables["persons"].append(
            {"id": person, "project_id": project, "user_id": str(person), "traits": {}}
            | {"trait_times": {}, "created_at": START, "updated_at": START}
        )
    for number in range(answers):
        person = persons[number % len(persons)]
        at = START + timedelta(seconds=rng.randrange(int((END - START).total_seconds())))
        tables["responses"].append(
            {"project_id": project, "survey_id": survey, "version": 1, "person_id": person}
            | {"message_id": f"m{number}", "survey_type": "nps", "score": rng.randint(0, 10)}
            | {"scale_min": 0, "scale_max": 10, "eligible": rng.random() > 0.02}
            | {"responded_at": at}
        )
        tables["impressions"].append(
            {"project_id": project, "person_id": person, "experience_id": survey}
            | {"kind": "survey", "message_id": f"s{number}", "shown_at": at}
        )
    return tables


def populate(engine: Engine, answers: int) -> tuple[CreatedProject, uuid.UUID]:
    with write_transaction(engine) as connection:
        project = create_project(connection, "Benchmark", now=datetime.now(UTC))
    survey = create_experience(
        engine, project.id, "survey", {"name": "NPS", "type": "nps"}, now=datetime.now(UTC)
    )
    survey_id = uuid.UUID(str(survey["id"]))
    tables = _rows(project.id, survey_id, answers)
    for model, name in (
        (Person, "persons"),
        (SurveyResponse, "responses"),
        (Impression, "impressions"),
    ):
        for chunk in _chunks(tables[name]):
            with write_transaction(engine) as connection:
                connection.execute(insert(table_of(model)), chunk)
    return project, survey_id


def median_seconds(run: Callable[[], Any], repeats: int) -> float:
    run()
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def measure(url: str, answers: int, repeats: int) -> dict[str, float]:
    engine = build_engine(url)
    upgrade(engine)
    project, survey = populate(engine, answers)
    where = AnswerFilter(project.id, survey, START, END)
    params = {"project": project.id, "survey": survey, "start": START, "end": END}
    baseline_sql = text(BASELINE_SQL)

    def baseline() -> Any:
        with engine.connect() as connection:
            connection.execute(text(REACH_SQL), _bound(engine, params)).one()
            return connection.execute(baseline_sql, _bound(engine, params)).one()

    def service() -> Any:
        return survey_scores(engine, project.id, survey, ScoreQuery(where))

    with TestClient(create_app(Settings(database_url=url))) as client:
        path = f"/api/v1/surveys/{survey}/scores"
        query = {"from": START.isoformat(), "to": END.isoformat()}
        headers = {"Authorization": f"Bearer {project.secret_key}"}

        def api() -> Any:
            response = client.get(path, params=query, headers=headers)
            response.raise_for_status()
            return response

        assert service()["nps"]["promoters"] == baseline().promoters
        figures = {
            "baseline": median_seconds(baseline, repeats),
            "service": median_seconds(service, repeats),
            "api": median_seconds(api, repeats),
        }
    engine.dispose()
    return figures


def _bound(engine: Engine, params: dict[str, Any]) -> dict[str, Any]:
    """SQLite keeps UUIDs as 32 hex digits and times as text; PostgreSQL takes them as is."""
    if engine.dialect.name != "sqlite":
        return params
    return {
        "project": params["project"].hex,
        "survey": params["survey"].hex,
        "start": params["start"].strftime("%Y-%m-%d %H:%M:%S.%f"),
        "end": params["end"].strftime("%Y-%m-%d %H:%M:%S.%f"),
    }


@contextmanager
def postgres_schema(base_url: str) -> Iterator[str]:
    schema = f"waypost_bench_{secrets.token_hex(4)}"
    dsn = make_url(base_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def report(name: str, answers: int, figures: dict[str, float]) -> None:
    base = figures["baseline"]
    print(f"{name}: NPS over {answers:,} answers (medians)")
    for label in ("baseline", "service", "api"):
        seconds = figures[label]
        print(f"  {label:<9} {seconds * 1000:8.1f} ms   {seconds / base:5.2f}x baseline")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 answers, fewer runs")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL too")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    options = parser.parse_args()
    answers, repeats = (20_000, 5) if options.quick else (100_000, 11)
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'bench.db'}"
        report("SQLite", answers, measure(url, answers, repeats))
    if options.postgres:
        with postgres_schema(options.postgres_url) as url:
            report("PostgreSQL", answers, measure(url, answers, repeats))


if __name__ == "__main__":
    main()
