"""Delivering the outbox to a real receiver on loopback: signed, retried on the schedule,
given up, never redirected, bounded in time and size, and claimed once at a time."""

from __future__ import annotations

import dataclasses
import logging
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler

import pytest
from sqlalchemy import Engine
from standardwebhooks import Webhook
from starlette.testclient import TestClient

from collector.kit.webhook_settings import WebhookSettings
from collector.projects.service import CreatedProject
from collector.webhooks.attempts import Delivery, claim_due, deliver
from collector.webhooks.sender import KEPT_RESPONSE_CHARS, Sender
from tests.collector.webhooks.conftest import (
    Receiver,
    attempts_of,
    create_endpoint,
    deliver_until_idle,
    messages_of,
)
from tests.factories import create_survey, report, reserved, secret_auth


def answer_survey(
    client: TestClient, engine: Engine, project: CreatedProject, score: int = 3
) -> None:
    survey = create_survey(engine, project)
    report(client, project, reserved("Survey Responded", survey, {"score": score}))


def redirect(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(302)
    handler.send_header("location", "http://127.0.0.1:9/elsewhere")
    handler.send_header("content-length", "0")
    handler.end_headers()


def huge(handler: BaseHTTPRequestHandler) -> None:
    body = b"x" * 1_000_000
    handler.send_response(200)
    handler.send_header("content-length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def slow(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(3)
    handler.send_response(200)
    handler.end_headers()


def busy(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(429)
    handler.send_header("retry-after", "120")
    handler.send_header("content-length", "0")
    handler.end_headers()


def test_a_delivery_verifies_with_the_standard_webhooks_library(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    endpoint = create_endpoint(client, project, receiver.url)
    answer_survey(client, engine, project)
    deliver_until_idle(engine, delivery)
    [request] = receiver.wait_for(1)
    payload = Webhook(endpoint["secret"]).verify(request.body, request.headers)
    [sent] = messages_of(client, project)
    assert payload["type"] == "survey.responded"
    assert request.headers["webhook-id"] == sent["id"]
    assert request.headers["content-type"] == "application/json"
    assert request.path == "/hooks"
    assert sent["status"] == "delivered"


def test_each_attempt_is_logged_with_status_duration_and_answer(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    create_endpoint(client, project, receiver.url)
    answer_survey(client, engine, project)
    deliver_until_idle(engine, delivery)
    [sent] = messages_of(client, project)
    [attempt] = attempts_of(client, project, sent["id"])
    assert (attempt["status_code"], attempt["response_body"], attempt["error"]) == (200, "ok", None)
    assert attempt["succeeded"] is True
    assert attempt["duration_ms"] >= 0


def test_a_receiver_failing_three_times_gets_the_message_once_more_after_recovering(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    receiver.answers = [500, 503, 502, 200]
    create_endpoint(client, project, receiver.url)
    answer_survey(client, engine, project)
    deliver_until_idle(engine, delivery)
    [sent] = messages_of(client, project)
    attempts = attempts_of(client, project, sent["id"])
    assert [a["status_code"] for a in attempts] == [500, 503, 502, 200]
    assert [a["succeeded"] for a in attempts].count(True) == 1
    assert {r.headers["webhook-id"] for r in receiver.received} == {sent["id"]}
    assert (sent["status"], sent["tries"]) == ("delivered", 4)


def test_after_the_last_try_the_message_is_failed(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    receiver.answers = [500]
    create_endpoint(client, project, receiver.url)
    answer_survey(client, engine, project)
    deliver_until_idle(engine, delivery)
    [sent] = messages_of(client, project)
    assert (sent["status"], sent["tries"], sent["next_attempt_at"]) == ("failed", 4, None)
    assert len(receiver.received) == 4


def test_an_endpoint_failing_a_run_of_messages_is_disabled_and_logged(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
    *,
    caplog: pytest.LogCaptureFixture,
) -> None:
    receiver.answers = [500]
    endpoint = create_endpoint(client, project, receiver.url)
    survey = create_survey(engine, project)
    with caplog.at_level(logging.WARNING, logger="waypost.webhooks"):
        for score in (1, 2):
            report(client, project, reserved("Survey Responded", survey, {"score": score}))
            deliver_until_idle(engine, delivery)
    shown = client.get(f"/api/v1/webhooks/endpoints/{endpoint['id']}", headers=secret_auth(project))
    assert shown.json()["enabled"] is False
    assert shown.json()["disabled_reason"] == "2 messages in a row failed"
    [record] = [r for r in caplog.records if "webhook.endpoint_disabled" in r.getMessage()]
    assert endpoint["id"] in record.getMessage()
    assert endpoint["secret"] not in caplog.text


def test_a_delivered_message_ends_the_run_of_failures(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    receiver.answers = [500, 500, 500, 500, 200]
    endpoint = create_endpoint(client, project, receiver.url)
    survey = create_survey(engine, project)
    for score in (1, 2):
        report(client, project, reserved("Survey Responded", survey, {"score": score}))
        deliver_until_idle(engine, delivery)
    answer_survey(client, engine, project)
    receiver.answers = [500]
    deliver_until_idle(engine, delivery)
    shown = client.get(f"/api/v1/webhooks/endpoints/{endpoint['id']}", headers=secret_auth(project))
    assert shown.json()["enabled"] is True


def test_retry_after_postpones_the_next_try(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    receiver.answers = [busy]
    create_endpoint(client, project, receiver.url)
    answer_survey(client, engine, project)
    before = datetime.now(UTC)
    deliver_until_idle(engine, delivery)
    [sent] = messages_of(client, project)
    due = datetime.fromisoformat(sent["next_attempt_at"])
    assert sent["status"] == "pending"
    assert due >= before + timedelta(seconds=119)
    assert len(receiver.received) == 1


def test_redirects_are_not_followed(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    receiver.answers = [redirect, 200]
    create_endpoint(client, project, receiver.url)
    answer_survey(client, engine, project)
    deliver_until_idle(engine, delivery)
    [sent] = messages_of(client, project)
    codes = [a["status_code"] for a in attempts_of(client, project, sent["id"])]
    assert codes == [302, 200]
    assert all(r.path == "/hooks" for r in receiver.received)


def test_a_huge_answer_is_read_only_up_to_the_cap(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    receiver.answers = [huge]
    create_endpoint(client, project, receiver.url)
    answer_survey(client, engine, project)
    deliver_until_idle(engine, delivery)
    [sent] = messages_of(client, project)
    [attempt] = attempts_of(client, project, sent["id"])
    assert attempt["succeeded"] is True
    assert len(attempt["response_body"]) == KEPT_RESPONSE_CHARS


def test_a_receiver_slower_than_the_timeout_is_a_failed_try(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    receiver.answers = [slow, 200]
    create_endpoint(client, project, receiver.url)
    answer_survey(client, engine, project)
    fast = dataclasses.replace(delivery, sender=dataclasses.replace(delivery.sender, timeout=0.5))
    deliver_until_idle(engine, fast)
    [sent] = messages_of(client, project)
    attempts = attempts_of(client, project, sent["id"])
    assert (attempts[0]["status_code"], attempts[0]["error"]) == (None, "timed out")
    assert sent["status"] == "delivered"


def test_a_refused_connection_is_a_failed_try_naming_the_reason(
    client: TestClient, engine: Engine, project: CreatedProject, delivery: Delivery
) -> None:
    create_endpoint(client, project, "http://127.0.0.1:9/hooks")
    answer_survey(client, engine, project)
    deliver_until_idle(engine, delivery)
    [sent] = messages_of(client, project)
    [first, *_] = attempts_of(client, project, sent["id"])
    assert "ConnectionRefusedError" in first["error"]


def test_an_address_refused_at_send_time_is_never_contacted(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    create_endpoint(client, project, receiver.url)
    answer_survey(client, engine, project)
    strict = dataclasses.replace(delivery, sender=Sender(timeout=1.0, allow_private=False))
    deliver_until_idle(engine, strict)
    [sent] = messages_of(client, project)
    [first, *_] = attempts_of(client, project, sent["id"])
    assert first["error"] == "refused target: 127.0.0.1 resolves to 127.0.0.1 is a loopback address"
    assert receiver.received == []


def test_during_a_rotation_receivers_with_either_secret_verify(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    endpoint = create_endpoint(client, project, receiver.url)
    rotated = client.post(
        f"/api/v1/webhooks/endpoints/{endpoint['id']}/rotate-secret", headers=secret_auth(project)
    ).json()
    answer_survey(client, engine, project)
    deliver_until_idle(engine, delivery)
    [request] = receiver.wait_for(1)
    Webhook(endpoint["secret"]).verify(request.body, request.headers)
    Webhook(rotated["secret"]).verify(request.body, request.headers)


def test_after_the_grace_period_only_the_new_secret_signs(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    endpoint = create_endpoint(client, project, receiver.url)
    rotated = client.post(
        f"/api/v1/webhooks/endpoints/{endpoint['id']}/rotate-secret",
        json={"grace_seconds": 0},
        headers=secret_auth(project),
    ).json()
    answer_survey(client, engine, project)
    deliver_until_idle(engine, delivery)
    [request] = receiver.wait_for(1)
    assert len(request.headers["webhook-signature"].split(" ")) == 1
    Webhook(rotated["secret"]).verify(request.body, request.headers)


def test_a_claimed_message_is_not_claimed_again_while_its_lease_holds(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    create_endpoint(client, project, receiver.url)
    answer_survey(client, engine, project)
    first = claim_due(engine, delivery, 1000)
    mine = [row for row in first.rows if row.project_id == project.id]
    again = claim_due(engine, delivery, 1000)
    assert len(mine) == 1
    assert all(row.project_id != project.id for row in again.rows)


def test_a_dead_workers_message_is_claimed_again_after_its_lease(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    create_endpoint(client, project, receiver.url)
    answer_survey(client, engine, project)
    short = dataclasses.replace(
        delivery, settings=WebhookSettings(lease_seconds=0.2, timeout_seconds=0.1)
    )
    [dead] = [r for r in claim_due(engine, short, 1000).rows if r.project_id == project.id]
    time.sleep(0.3)
    claimed = claim_due(engine, delivery, 1000)
    [alive] = [r for r in claimed.rows if r.project_id == project.id]
    deliver(engine, delivery, alive, claimed.token)
    assert alive.webhook_id == dead.webhook_id
    [sent] = messages_of(client, project)
    assert sent["status"] == "delivered"


def test_a_worker_that_lost_its_lease_records_its_try_but_not_the_messages_state(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    receiver.answers = [200, 500]
    create_endpoint(client, project, receiver.url)
    answer_survey(client, engine, project)
    short = dataclasses.replace(
        delivery, settings=WebhookSettings(lease_seconds=0.2, timeout_seconds=0.1)
    )
    late = claim_due(engine, short, 1000)
    [late_row] = [r for r in late.rows if r.project_id == project.id]
    time.sleep(0.3)
    current = claim_due(engine, delivery, 1000)
    [row] = [r for r in current.rows if r.project_id == project.id]
    deliver(engine, delivery, late_row, late.token)
    [sent] = messages_of(client, project)
    assert sent["status"] == "pending"
    assert len(attempts_of(client, project, sent["id"])) == 1
    deliver(engine, delivery, row, current.token)
    assert messages_of(client, project)[0]["tries"] == 1
