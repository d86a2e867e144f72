"""A small CRM-style webhook receiver for Waypost.

It verifies each delivery with the ``standardwebhooks`` library, ignores a ``webhook-id`` it
has already processed (Waypost delivers at least once), and turns ``survey.responded`` into a
note on the contact, kept in a local SQLite file. Run it with::

    WAYPOST_WEBHOOK_SECRET=whsec_… python examples/crm_receiver/receiver.py --port 9000
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

MAX_BODY_BYTES = 1024 * 1024
SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
    webhook_id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS contact_notes (
    id INTEGER PRIMARY KEY,
    contact TEXT NOT NULL,
    note TEXT NOT NULL,
    score INTEGER,
    sentiment TEXT,
    created_at TEXT NOT NULL
);
"""


class Crm:
    """The receiver's store: processed deliveries and the notes they made."""

    def __init__(self, path: str) -> None:
        self.connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.connection.executescript(SCHEMA)
        self.lock = threading.Lock()

    def accept(self, webhook_id: str, payload: dict[str, Any]) -> bool:
        """Process a verified delivery once; False when this webhook-id was seen before."""
        now = datetime.now(UTC).isoformat()
        with self.lock:
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                fresh = self.connection.execute(
                    "INSERT OR IGNORE INTO deliveries VALUES (?, ?, ?)",
                    (webhook_id, payload.get("type", ""), now),
                ).rowcount
                if fresh and payload.get("type") == "survey.responded":
                    self.connection.execute(
                        "INSERT INTO contact_notes (contact, note, score, sentiment, created_at)"
                        " VALUES (?, ?, ?, ?, ?)",
                        (*note_for(payload["data"]), now),
                    )
                self.connection.execute("COMMIT")
            except BaseException:
                self.connection.execute("ROLLBACK")
                raise
        return bool(fresh)


def note_for(data: dict[str, Any]) -> tuple[str, str, int | None, str | None]:
    """A contact note for an answer: who (email, else user id), what, the score."""
    person = data.get("person") or {}
    contact = (person.get("traits") or {}).get("email") or person.get("user_id") or "anonymous"
    survey, response = data["survey"], data["response"]
    scale = response["scale"]
    note = (
        f'{survey["type"].upper()} "{survey.get("name") or survey["id"]}": '
        f"{response['score']} of {scale['min']}-{scale['max']} ({response['sentiment']})"
    )
    if response.get("text"):
        note += f" — “{response['text']}”"
    return contact, note, response["score"], response["sentiment"]


def handler_for(webhook: Webhook, crm: Crm) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            if length > MAX_BODY_BYTES:
                self.answer(413, {"error": "body too large"})
                return
            body = self.rfile.read(length)
            headers = {key.lower(): value for key, value in self.headers.items()}
            try:
                payload = webhook.verify(body, headers)
            except WebhookVerificationError as exc:
                self.answer(401, {"error": f"signature not verified: {exc}"})
                return
            fresh = crm.accept(headers["webhook-id"], payload)
            self.answer(200, {"processed": fresh})

        def answer(self, status: int, body: dict[str, Any]) -> None:
            encoded = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(encoded)))
            self.end_headers()
            self.wfile.write(encoded)

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--database", default="crm.db", help="SQLite file of contact notes")
    args = parser.parse_args(argv)
    secret = os.environ.get("WAYPOST_WEBHOOK_SECRET")
    if not secret:
        sys.exit("set WAYPOST_WEBHOOK_SECRET to the endpoint's whsec_… secret")
    server = ThreadingHTTPServer(
        (args.host, args.port), handler_for(Webhook(secret), Crm(args.database))
    )
    print(f"listening on http://{args.host}:{server.server_address[1]}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
