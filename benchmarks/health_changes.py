"""Account health evaluation for ``account.health_changed`` against reading health alone.

A fresh database (a temporary SQLite file; with ``--postgres`` a PostgreSQL schema of its
own too) is migrated and given a project with one subscribed webhook endpoint and 5,000
accounts (1,000 with ``--quick``), each with two members active on 20 days of a 30-day
window, written in bulk through SQLAlchemy Core (the rows ingestion would have written).

Timed, medians of several runs, in the same process on the same database:

- the baseline: :func:`collector.analytics.accounts.health.accounts_health`, scoring every account
  (what ``GET /api/v1/accounts/health`` computes);
- a steady evaluation: scoring, comparing with the stored colours and storing them, with
  no account changing colour (the usual case);
- a flipping evaluation: every account changes colour (evaluated alternately inside and
  long after its activity), so each run also writes one outbox message per account.

Printed: each median and its ratio to the baseline. Run from the repository root::

    python -m benchmarks.health_changes --quick
    python -m benchmarks.health_changes --postgres
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert

from benchmarks.survey_scores import median_seconds, postgres_schema
from collector.analytics.accounts.health import accounts_health
from collector.analytics.accounts.health_changes import evaluate_project
from collector.kit.db.engine import build_engine, write_transaction
from collector.kit.db.migrate import upgrade
from collector.kit.db.models import Account, AccountMember, Person, PersonEventDay, table_of
from collector.projects.service import create_project
from collector.webhooks.service import create_endpoint

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ACTIVE_AT = datetime(2026, 12, 1, tzinfo=UTC)
IDLE_AT = ACTIVE_AT + timedelta(days=90)
FIRST_DAY = date(2026, 11, 1)
CHUNK = 5000


def _account_rows(project: uuid.UUID, count: int) -> dict[type[Any], list[dict[str, Any]]]:
    rows: dict[type[Any], list[dict[str, Any]]] = {
        Account: [],
        Person: [],
        AccountMember: [],
        PersonEventDay: [],
    }
    stamps = {"created_at": ACTIVE_AT, "updated_at": ACTIVE_AT}
    for number in range(count):
        account = uuid.uuid4()
        rows[Account].append(
            {"id": account, "project_id": project, "group_id": f"account-{number}"}
            | {"traits": {"name": f"Account {number}"}, "trait_times": {}, **stamps}
        )
        for member in range(2):
            person = uuid.uuid4()
            rows[Person].append(
                {"id": person, "project_id": project, "user_id": f"u{number}-{member}"}
                | {"traits": {}, "trait_times": {}, **stamps}
            )
            rows[AccountMember].append(
                {"project_id": project, "account_id": account, "person_id": person}
                | {"joined_at": ACTIVE_AT}
            )
            rows[PersonEventDay].extend(
                {"project_id": project, "person_id": person, "event": "Report Created"}
                | {"day": FIRST_DAY + timedelta(days=day), "count": 1}
                for day in range(0, 30, 3 - member)
            )
    return rows


def populate(engine: Engine, accounts: int) -> uuid.UUID:
    with write_transaction(engine) as connection:
        project = create_project(connection, "Benchmark", now=ACTIVE_AT).id
    body = {"url": "http://127.0.0.1:9/hooks", "event_types": ["account.health_changed"]}
    create_endpoint(engine, project, body, allow_private=True, now=ACTIVE_AT)
    for model, rows in _account_rows(project, accounts).items():
        for index in range(0, len(rows), CHUNK):
            with write_transaction(engine) as connection:
                connection.execute(insert(table_of(model)), rows[index : index + CHUNK])
    return project


def measure(url: str, accounts: int, repeats: int) -> dict[str, float]:
    engine = build_engine(url)
    upgrade(engine)
    project = populate(engine, accounts)
    moments = itertools.cycle((IDLE_AT, ACTIVE_AT))
    evaluate_project(engine, project, ACTIVE_AT)
    figures = {
        "baseline": median_seconds(
            lambda: accounts_health(engine, project, None, ACTIVE_AT), repeats
        ),
        "steady": median_seconds(lambda: evaluate_project(engine, project, ACTIVE_AT), repeats),
        "flipping": median_seconds(
            lambda: evaluate_project(engine, project, next(moments)), repeats
        ),
    }
    flipped = evaluate_project(engine, project, next(moments))
    if len(flipped.changes) != accounts:
        raise SystemExit(f"expected {accounts} changes, found {len(flipped.changes)}")
    engine.dispose()
    return figures


def report(name: str, accounts: int, figures: dict[str, float]) -> None:
    base = figures["baseline"]
    print(f"{name}: health of {accounts:,} accounts (medians)")
    for label in ("baseline", "steady", "flipping"):
        seconds = figures[label]
        print(f"  {label:<9} {seconds * 1000:8.1f} ms   {seconds / base:5.2f}x baseline")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 accounts, fewer runs")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL too")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    options = parser.parse_args()
    accounts, repeats = (1_000, 5) if options.quick else (5_000, 9)
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'bench.db'}"
        report("SQLite", accounts, measure(url, accounts, repeats))
    if options.postgres:
        with postgres_schema(options.postgres_url) as url:
            report("PostgreSQL", accounts, measure(url, accounts, repeats))


if __name__ == "__main__":
    main()
