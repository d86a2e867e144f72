"""``account.health_changed``: evaluations remember each account's colour and write one outbox
message per change, in the transaction that stores it.

``acme`` (plan pro) and ``globex`` (plan free) each have one member active every day of
November 2026: both are green on December 1st (score 100) and red, with nothing done for
thirty days, on February 1st 2027 (score 0).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, delete, func, select

from collector.analytics.accounts.health_changes import (
    evaluate_due,
    evaluate_project,
    evaluate_projects,
    health_evaluation,
    project_turn,
)
from collector.cli import main
from collector.kit.db.engine import build_engine, read_transaction, write_transaction
from collector.kit.db.models import AccountHealthState, Project, WebhookMessage, table_of
from collector.kit.errors import NotFound
from collector.kit.jobs import JobRunner
from collector.kit.settings import Settings
from collector.projects.service import CreatedProject, update_settings
from collector.webhooks.service import create_endpoint
from tests import factories
from tests.collector.analytics.accounts.busy_accounts import (
    GREEN_AT,
    NOWHERE,
    busy_accounts,
    endpoint,
    red_until_lately,
)

RED_AT = datetime(2027, 2, 1, tzinfo=UTC)
_messages = table_of(WebhookMessage)
_states = table_of(AccountHealthState)
_projects = table_of(Project)
WAIT_SECONDS = 10.0


def payloads(engine: Engine, project: CreatedProject) -> list[dict[str, Any]]:
    with read_transaction(engine) as connection:
        rows = connection.execute(
            select(_messages.c.payload)
            .where(_messages.c.project_id == project.id)
            .order_by(_messages.c.id)
        )
        return [row.payload for row in rows]


def colours(engine: Engine, project: CreatedProject) -> dict[str, str]:
    with read_transaction(engine) as connection:
        rows = connection.execute(
            select(_states.c.account_id, _states.c.colour).where(_states.c.project_id == project.id)
        )
        return {str(row.account_id): row.colour for row in rows}


@pytest.fixture
def project(engine: Engine) -> CreatedProject:
    created = factories.create_project(engine)
    busy_accounts(engine, created, date(2026, 11, 1))
    return created


@pytest.fixture
def other_project(engine: Engine) -> CreatedProject:
    created = factories.create_project(engine, name="Other Co")
    busy_accounts(engine, created, date(2026, 11, 1))
    return created


def test_a_first_evaluation_records_colours_without_a_message(
    engine: Engine, project: CreatedProject
) -> None:
    endpoint(engine, project)
    evaluation = evaluate_project(engine, project.id, GREEN_AT)
    assert (evaluation.accounts, evaluation.changes) == (2, ())
    assert sorted(colours(engine, project).values()) == ["green", "green"]
    assert payloads(engine, project) == []


def test_an_account_moving_from_green_to_red_sends_one_message(
    engine: Engine, project: CreatedProject
) -> None:
    endpoint(engine, project, filter="account.group_id = acme")
    evaluate_project(engine, project.id, GREEN_AT)
    evaluate_project(engine, project.id, RED_AT)
    [payload] = payloads(engine, project)
    account_id = payload["data"]["account"]["id"]
    assert payload == {
        "type": "account.health_changed",
        "version": 1,
        "timestamp": "2027-02-01T00:00:00Z",
        "data": {
            "health": {"previous": "green", "current": "red", "score": 0.0},
            "account": {
                "id": account_id,
                "group_id": "acme",
                "traits": {"name": "Acme", "plan": "pro"},
            },
        },
    }


def test_a_change_is_reported_once_however_often_it_is_evaluated(
    engine: Engine, project: CreatedProject
) -> None:
    endpoint(engine, project)
    evaluate_project(engine, project.id, GREEN_AT)
    changed = evaluate_project(engine, project.id, RED_AT)
    again = evaluate_project(engine, project.id, RED_AT + timedelta(hours=1))
    assert [(c.group_id, c.previous, c.current) for c in changed.changes] == [
        ("acme", "green", "red"),
        ("globex", "green", "red"),
    ]
    assert again.changes == ()
    assert len(payloads(engine, project)) == 2


def test_no_change_in_colour_sends_nothing(engine: Engine, project: CreatedProject) -> None:
    endpoint(engine, project)
    evaluate_project(engine, project.id, GREEN_AT)
    evaluate_project(engine, project.id, GREEN_AT + timedelta(hours=6))
    assert payloads(engine, project) == []
    assert sorted(colours(engine, project).values()) == ["green", "green"]


def test_the_endpoint_filter_chooses_which_changes_it_receives(
    engine: Engine, project: CreatedProject
) -> None:
    endpoint(engine, project, filter="account.traits.plan = free and health.current = red")
    endpoint(engine, project, filter="health.previous = red")
    evaluate_project(engine, project.id, GREEN_AT)
    evaluate_project(engine, project.id, RED_AT)
    assert [p["data"]["account"]["group_id"] for p in payloads(engine, project)] == ["globex"]


def test_only_subscribed_endpoints_receive_health_changes(
    engine: Engine, project: CreatedProject
) -> None:
    body = {"url": NOWHERE, "event_types": ["survey.responded"]}
    create_endpoint(engine, project.id, body, allow_private=True, now=GREEN_AT)
    evaluate_project(engine, project.id, GREEN_AT)
    evaluate_project(engine, project.id, RED_AT)
    assert payloads(engine, project) == []


def test_two_projects_never_mix(
    engine: Engine, project: CreatedProject, other_project: CreatedProject
) -> None:
    endpoint(engine, project)
    endpoint(engine, other_project)
    evaluate_project(engine, project.id, GREEN_AT)
    evaluate_project(engine, other_project.id, GREEN_AT)
    evaluate_project(engine, project.id, RED_AT)
    assert len(payloads(engine, project)) == 2
    assert payloads(engine, other_project) == []
    assert sorted(colours(engine, other_project).values()) == ["green", "green"]
    assert set(colours(engine, project)).isdisjoint(colours(engine, other_project))


def test_evaluating_every_project_evaluates_each_on_its_own(
    engine: Engine, project: CreatedProject, other_project: CreatedProject
) -> None:
    evaluated = {e.project_id: e.accounts for e in evaluate_projects(engine, GREEN_AT)}
    assert evaluated[project.id] == evaluated[other_project.id] == 2


def test_evaluating_an_unknown_project_is_refused(engine: Engine) -> None:
    with pytest.raises(NotFound):
        evaluate_projects(engine, GREEN_AT, [uuid.uuid4()])


def test_a_project_evaluated_within_the_interval_is_not_due(
    engine: Engine, project: CreatedProject
) -> None:
    evaluate_project(engine, project.id, GREEN_AT)
    soon = evaluate_project(engine, project.id, GREEN_AT + timedelta(minutes=5), interval=900)
    later = evaluate_project(engine, project.id, GREEN_AT + timedelta(minutes=15), interval=900)
    assert (soon.skipped, later.skipped) == (True, False)


def test_a_project_being_evaluated_elsewhere_is_skipped_where_the_database_can_lock_it(
    engine: Engine, project: CreatedProject
) -> None:
    # SQLite has one writer at a time and changes are compared inside the write: no lock.
    with project_turn(engine, project.id) as mine:
        elsewhere = evaluate_project(engine, project.id, GREEN_AT)
    assert mine
    assert elsewhere.skipped == (engine.dialect.name == "postgresql")
    assert not evaluate_project(engine, project.id, GREEN_AT).skipped


@pytest.fixture
def recently_busy(engine: Engine) -> CreatedProject:
    return red_until_lately(engine)


def test_the_cli_evaluates_a_project_and_prints_its_changes(
    recently_busy: CreatedProject, db_url: str
) -> None:
    result = CliRunner().invoke(
        main, ["health", "evaluate", "--project", str(recently_busy.id), "--database-url", db_url]
    )
    assert result.exit_code == 0, result.output
    [shown] = json.loads(result.output)["projects"]
    assert shown["project_id"] == str(recently_busy.id)
    assert [(c["group_id"], c["previous"], c["current"]) for c in shown["changes"]] == [
        ("acme", "red", "green"),
        ("globex", "red", "green"),
    ]


def test_the_cli_names_an_unknown_project(engine: Engine, db_url: str) -> None:
    missing = str(uuid.uuid4())
    result = CliRunner().invoke(
        main, ["health", "evaluate", "--project", missing, "--database-url", db_url]
    )
    assert result.exit_code == 1
    assert missing in result.output


def test_the_evaluation_interval_is_a_setting() -> None:
    assert (
        Settings.from_env({"WAYPOST_HEALTH_EVALUATION_SECONDS": "60"}).health_evaluation_seconds
        == 60
    )
    assert Settings().health_evaluation_seconds == 900


def test_an_interval_of_zero_turns_periodic_evaluation_off(engine: Engine) -> None:
    assert health_evaluation(engine, 0) is None


@pytest.fixture
def broken_project(engine: Engine) -> Iterator[CreatedProject]:
    """A project whose stored window (written past the API's checks) starts before the first
    representable date; removed afterwards, so it cannot fail the evaluations of other tests."""
    created = factories.create_project(engine, name="Broken")
    busy_accounts(engine, created, date(2026, 11, 1))
    with write_transaction(engine) as connection:
        update_settings(connection, created.id, {"health": {"window_days": 999_999_999}})
    yield created
    with write_transaction(engine) as connection:
        connection.execute(delete(_projects).where(_projects.c.id == created.id))


def test_a_project_that_fails_to_evaluate_does_not_hold_the_others_back(
    engine: Engine,
    broken_project: CreatedProject,
    project: CreatedProject,
    caplog: pytest.LogCaptureFixture,
) -> None:
    evaluate_due(engine, 900, threading.Event())
    assert colours(engine, broken_project) == {}
    assert sorted(colours(engine, project).values()) == ["green", "green"]
    assert f"health evaluation of project {broken_project.id} failed" in caplog.text


def test_a_stopping_round_evaluates_nothing_more(engine: Engine, project: CreatedProject) -> None:
    stopping = threading.Event()
    stopping.set()
    evaluate_due(engine, 900, stopping)
    assert colours(engine, project) == {}


def last_evaluated(engine: Engine, project: CreatedProject) -> datetime | None:
    with read_transaction(engine) as connection:
        found: datetime | None = connection.execute(
            select(func.max(_states.c.evaluated_at)).where(_states.c.project_id == project.id)
        ).scalar()
        return found


def wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting")
        time.sleep(0.02)


def test_periodic_evaluation_runs_again_after_each_interval(
    engine: Engine, project: CreatedProject
) -> None:
    evaluation = health_evaluation(engine, 0.05)
    assert evaluation is not None
    runner = JobRunner([evaluation]).start()
    try:
        wait_for(lambda: last_evaluated(engine, project) is not None)
        first = last_evaluated(engine, project)
        wait_for(lambda: last_evaluated(engine, project) != first)
    finally:
        runner.request_stop()
        runner.join(WAIT_SECONDS)
    assert not any(thread.is_alive() for thread in runner.threads)


def test_periodic_evaluation_outlives_an_unreachable_database(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    unreachable = build_engine(f"sqlite:///{tmp_path / 'missing' / 'waypost.db'}")
    evaluation = health_evaluation(unreachable, 0.05)
    assert evaluation is not None
    runner = JobRunner([evaluation]).start()
    try:
        wait_for(lambda: caplog.text.count("retrying at the next interval") >= 2)
    finally:
        runner.request_stop()
        runner.join(WAIT_SECONDS)
        unreachable.dispose()
