"""``/metrics``: Prometheus text with ingestion, refusals, latency per route, pool use."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx2
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, delete, func, insert, select
from starlette.testclient import TestClient

from collector.kit import metrics
from collector.kit.db.engine import build_engine, read_transaction, write_transaction
from collector.kit.db.models import WebhookEndpoint, WebhookMessage, table_of
from collector.ops.backlog import observe_outbox
from collector.projects.service import CreatedProject
from tests import factories
from tests.conftest import LiveServer
from tests.conftest import _migrate as migrate


def sample(client: httpx2.Client | TestClient, name: str, **labels: str) -> float:
    """The value of one sample of ``/metrics`` (0 when absent)."""
    text = client.get("/metrics").text
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and all(found.labels.get(k) == v for k, v in labels.items()):
                return float(found.value)
    return 0.0


def test_metrics_are_prometheus_text(client: TestClient) -> None:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")


def test_stored_messages_are_counted(client: TestClient, project: CreatedProject) -> None:
    before = sample(client, "waypost_ingested_messages_total")
    factories.report(client, project, factories.track(), factories.track())
    assert sample(client, "waypost_ingested_messages_total") == before + 2


def test_retries_are_counted_as_duplicates(client: TestClient, project: CreatedProject) -> None:
    message = factories.track()
    factories.report(client, project, message)
    before = sample(client, "waypost_duplicate_messages_total")
    factories.report(client, project, message)
    assert sample(client, "waypost_duplicate_messages_total") == before + 1


def test_rejected_messages_are_counted_by_the_field_at_fault(
    client: TestClient, project: CreatedProject
) -> None:
    before = sample(client, "waypost_rejected_messages_total", reason="event")
    factories.report(client, project, factories.track(event=""))
    assert sample(client, "waypost_rejected_messages_total", reason="event") == before + 1


def test_latency_is_labelled_by_route_template_not_path(
    client: TestClient, project: CreatedProject
) -> None:
    user = f"user-{uuid.uuid4()}"
    client.get(f"/api/v1/persons/{user}", headers=factories.secret_auth(project))
    text = client.get("/metrics").text
    assert 'route="/api/v1/persons/{id}"' in text
    assert user not in text


def test_requests_are_counted_by_status(client: TestClient) -> None:
    before = sample(client, "waypost_http_requests_total", route="unmatched", status="404")
    client.get("/nowhere")
    after = sample(client, "waypost_http_requests_total", route="unmatched", status="404")
    assert after == before + 1


def test_pool_use_is_reported(client: TestClient) -> None:
    client.get("/ready")
    assert sample(client, "waypost_db_pool_size") >= 1


def test_delivery_outcomes_are_counted(client: TestClient) -> None:
    before = sample(client, "waypost_webhook_deliveries_total", outcome="succeeded")
    metrics.record_delivery("succeeded")
    assert sample(client, "waypost_webhook_deliveries_total", outcome="succeeded") == before + 1


def test_a_scrape_reports_the_outbox_as_it_is(client: TestClient, engine: Engine) -> None:
    depth = sample(client, "waypost_webhook_outbox_depth")
    with read_transaction(engine) as connection:
        pending = connection.execute(
            select(func.count()).where(table_of(WebhookMessage).c.status == "pending")
        ).scalar_one()
    assert depth == pending


@pytest.fixture
def old_pending_message(engine: Engine, project: CreatedProject) -> Iterator[datetime]:
    """A message waiting since 2001 (due in 2100, so no worker sends it); removed after."""
    written = datetime(2001, 1, 1, tzinfo=UTC)
    endpoint = uuid.uuid4()
    with write_transaction(engine) as connection:
        connection.execute(
            insert(table_of(WebhookEndpoint)).values(
                id=endpoint,
                project_id=project.id,
                url="https://crm.example.com/hooks",
                description="",
                event_types=[],
                tracked_events=[],
                traits={},
                enabled=True,
                secret="whsec_test",
                failed_in_row=0,
                created_at=written,
                updated_at=written,
            )
        )
        connection.execute(
            insert(table_of(WebhookMessage)).values(
                project_id=project.id,
                endpoint_id=endpoint,
                webhook_id=uuid.uuid4().hex,
                event_type="survey.responded",
                payload={},
                status="pending",
                tries=0,
                next_attempt_at=datetime(2100, 1, 1, tzinfo=UTC),
                created_at=written,
            )
        )
    yield written
    with write_transaction(engine) as connection:
        connection.execute(
            delete(table_of(WebhookEndpoint)).where(table_of(WebhookEndpoint).c.id == endpoint)
        )


def test_the_outbox_lag_is_the_age_of_the_oldest_pending_message(
    engine: Engine, old_pending_message: datetime
) -> None:
    now = datetime(2001, 1, 1, 1, tzinfo=UTC)
    depth, lag = observe_outbox(engine, now)
    assert depth >= 1
    assert lag == 3600


def test_several_workers_share_a_metrics_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(metrics.MULTIPROC_VARIABLE, raising=False)
    metrics.prepare_metrics_directory(workers=2)
    directory = Path(os.environ[metrics.MULTIPROC_VARIABLE])
    assert directory.is_dir()
    assert list(directory.iterdir()) == []


def test_one_worker_needs_no_metrics_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(metrics.MULTIPROC_VARIABLE, raising=False)
    metrics.prepare_metrics_directory(workers=1)
    assert metrics.MULTIPROC_VARIABLE not in os.environ


def test_old_samples_are_cleared_before_workers_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "counter_123.db").write_bytes(b"old")
    monkeypatch.setenv(metrics.MULTIPROC_VARIABLE, str(tmp_path))
    metrics.prepare_metrics_directory(workers=2)
    assert list(tmp_path.iterdir()) == []


def test_two_workers_report_one_total(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whichever worker answers ``/metrics``, it counts every worker's messages (on one
    backend: the samples never touch the database)."""
    db_url = f"sqlite:///{tmp_path / 'waypost.db'}"
    migrate(db_url)
    engine = build_engine(db_url)
    project = factories.create_project(engine)
    engine.dispose()
    monkeypatch.setenv(metrics.MULTIPROC_VARIABLE, str(tmp_path / "metrics"))
    (tmp_path / "metrics").mkdir()
    server = LiveServer(db_url, tmp_path / "server.log", workers=2)
    server.start()
    try:
        with httpx2.Client(base_url=server.url, timeout=30) as client:
            stored = 0
            for _ in range(20):
                body = {"batch": [factories.track()]}
                answer = client.post("/v1/batch", json=body, headers=factories.write_auth(project))
                stored += answer.json().get("accepted", 0)
            totals = {sample(client, "waypost_ingested_messages_total") for _ in range(6)}
    finally:
        server.stop()
    assert stored > 0
    assert totals == {float(stored)}


def test_metric_names_follow_prometheus_conventions(client: TestClient) -> None:
    names = {f.name for f in text_string_to_metric_families(client.get("/metrics").text)}
    ours = [name for name in names if name.startswith("waypost_")]
    assert ours
    assert all(re.fullmatch(r"waypost_[a-z_]+", name) for name in ours)
