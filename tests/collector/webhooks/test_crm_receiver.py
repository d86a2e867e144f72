"""The example CRM receiver, run as its README says, fed by real deliveries: it verifies,
de-duplicates by ``webhook-id`` and notes each answer on the contact."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from collector.webhooks.attempts import Delivery
from tests.collector.webhooks.conftest import create_endpoint, deliver_until_idle, messages_of
from tests.conftest import ROOT, free_port
from tests.factories import create_survey, message, report, reserved, secret_auth

RECEIVER = ROOT / "examples" / "crm_receiver" / "receiver.py"


class Crm:
    def __init__(self, port: int, database: Path) -> None:
        self.url = f"http://127.0.0.1:{port}/waypost"
        self.port = port
        self.database = database
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, secret: str) -> None:
        command = [
            sys.executable,
            str(RECEIVER),
            "--port",
            str(self.port),
            "--database",
            str(self.database),
        ]
        self.process = subprocess.Popen(
            command, env={**os.environ, "WAYPOST_WEBHOOK_SECRET": secret}, stdout=subprocess.PIPE
        )
        assert self.process.stdout is not None
        assert b"listening" in self.process.stdout.readline()

    def notes(self) -> list[tuple[str, str, int]]:
        with sqlite3.connect(self.database) as connection:
            return connection.execute("SELECT contact, note, score FROM contact_notes").fetchall()


@pytest.fixture
def crm(tmp_path: Path) -> Iterator[Crm]:
    found = Crm(free_port(), tmp_path / "crm.db")
    yield found
    if found.process is not None:
        found.process.terminate()
        found.process.communicate(timeout=10)


def test_an_answer_becomes_one_note_on_the_contact_even_when_replayed(
    client: TestClient, engine: Engine, project: CreatedProject, crm: Crm, delivery: Delivery
) -> None:
    endpoint = create_endpoint(client, project, crm.url)
    crm.start(endpoint["secret"])
    survey = create_survey(engine, project)
    report(
        client,
        project,
        message("identify", userId="user-1", anonymousId=None, traits={"email": "ada@example.com"}),
    )
    report(client, project, reserved("Survey Responded", survey, {"score": 4, "text": "Too slow"}))
    deliver_until_idle(engine, delivery)
    [sent] = messages_of(client, project)
    client.post(f"/api/v1/webhooks/messages/{sent['id']}/replay", headers=secret_auth(project))
    deliver_until_idle(engine, delivery)
    assert messages_of(client, project)[0]["status"] == "delivered"
    assert crm.notes() == [("ada@example.com", 'NPS "NPS": 4 of 0-10 (detractor) — “Too slow”', 4)]


def test_a_forged_delivery_is_refused(crm: Crm) -> None:
    crm.start("whsec_" + "A" * 43 + "=")
    response = httpx2.post(
        crm.url,
        content=b"{}",
        headers={"webhook-id": "msg_1", "webhook-timestamp": "1", "webhook-signature": "v1,AAAA"},
    )
    assert response.status_code == 401
    assert crm.notes() == []
