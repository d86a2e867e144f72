"""Funnels and time to value over a million events, against hand-written SQL and DuckDB.

A fresh database (a temporary SQLite file; with ``--postgres`` a PostgreSQL schema of its
own too) is migrated and given a project. The seeded reference generator
(``tests/collector/analytics/reference_data.py``) writes 50,000 persons' messages (5,000
with ``--quick``), about 20 events each: sign-ups, the product funnel with repeats, equal
timestamps and conversions at the window's edge, anonymous users identified later,
retried messageIds. They are stored through the ingestion service itself (identity
resolution, deduplication, projections), 500 messages a batch, like ``POST /v1/batch``.

Timed, medians of several runs, in the same process on the same database:

- the API: ``POST /api/v1/analytics/funnel``, four ordered steps over four weeks, a
  14-day window (Starlette's test client: key check, parsing, statements, JSON);
- the ceiling: the same figures (persons, mean and median time from the previous step,
  from each person's attributed attempt) as one hand-written SQL statement on the same
  database, in the same tuned transaction the API reads in;
- the columnar reference: the same hand-written funnel in DuckDB (ASOF joins) over the
  same rows, exported from SQLite once;
- ``POST /api/v1/analytics/ttv`` from the first track event to ``Report Shared``.

Peak memory: the Python heap's peak (tracemalloc) during the funnel API call, over the
first week of the range and over all four weeks. The statements aggregate in the
database, so the peak does not grow with the events analysed.

Run from the repository root::

    python -m benchmarks.analytics --quick
    python -m benchmarks.analytics --postgres
"""

from __future__ import annotations

import argparse
import csv
import secrets
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import psycopg
from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from collector.analytics.reading import analysis_transaction
from collector.app import create_app
from collector.ingest.service import ingest
from collector.kit.db.engine import build_engine, read_transaction, write_transaction
from collector.kit.db.migrate import upgrade
from collector.kit.db.models import Event, table_of
from collector.kit.messages import BatchDefaults
from collector.kit.settings import Settings
from collector.projects.service import CreatedProject, create_project
from tests.collector.analytics.reference_data import (
    FUNNEL,
    START,
    ReferenceSpec,
    reference_messages,
)

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BATCH = 500
DAYS = 28
WINDOW_SECONDS = 14 * 86400
NOISE_PER_PERSON = 16
END = START + timedelta(days=DAYS)
FUNNEL_BODY = {
    "steps": list(FUNNEL),
    "window": "14d",
    "from": START.isoformat(),
    "to": END.isoformat(),
}
TTV_BODY = {"value": FUNNEL[3], "from": START.isoformat(), "to": END.isoformat()}


def _step_sql(number: int) -> str:
    previous = f"a{number - 1}"
    return f"""a{number} AS MATERIALIZED (
  SELECT {previous}.*, (
    SELECT e.timestamp FROM events e
    WHERE e.project_id = :project AND e.event = :s{number} AND e.person_id = {previous}.person_id
      AND e.type = 'track'
      AND e.timestamp >= {previous}.t{number - 1} AND e.timestamp <= {previous}.deadline
    ORDER BY e.timestamp LIMIT 1) AS t{number}
  FROM {previous})"""


DIALECT_SQL = {
    "sqlite": {
        "deadline": "strftime('%Y-%m-%d %H:%M:%S', timestamp, '+1209600 seconds') "
        "|| substr(timestamp, 20)",
        "epoch": "(CAST(strftime('%s', {0}) AS INTEGER) * 1000000 "
        "+ CAST(substr({0}, 21, 6) AS INTEGER))",
        "median": "sum(CASE WHEN pos - 1 = (n - 1) / 2 THEN 1 - ((n - 1) % 2) / 2.0 "
        "WHEN pos - 2 = (n - 1) / 2 THEN ((n - 1) % 2) / 2.0 END * gap)",
        "ranks": ", row_number() OVER (PARTITION BY step ORDER BY gap) AS pos, "
        "count(*) OVER (PARTITION BY step) AS n",
    },
    "postgresql": {
        "deadline": "timestamp + interval '14 days'",
        "epoch": "CAST(date_part('epoch', {0}) * 1000000 AS BIGINT)",
        "median": "percentile_cont(0.5) WITHIN GROUP (ORDER BY gap)",
        "ranks": "",
    },
}


def hand_sql(dialect: str) -> str:
    """The ordered funnel's figures, as directly as SQL allows, written for ``dialect``:
    per step the persons, the mean and the median microseconds from the previous step,
    times taken from each person's attributed attempt."""
    sql = DIALECT_SQL[dialect]
    steps = ",\n".join(_step_sql(number) for number in (2, 3, 4))
    epochs = ", ".join(sql["epoch"].format(f"t{n}") + f" AS e{n}" for n in (1, 2, 3, 4))
    gaps = "\n  UNION ALL ".join(
        f"SELECT {n} AS step, e{n} - e{n - 1} AS gap FROM best WHERE e{n} IS NOT NULL"
        for n in (2, 3, 4)
    )
    return f"""WITH a1 AS MATERIALIZED (
  SELECT DISTINCT person_id, timestamp AS t1, {sql["deadline"]} AS deadline
  FROM events
  WHERE project_id = :project AND type = 'track' AND event = :s1
    AND person_id IS NOT NULL AND timestamp >= :start AND timestamp < :end),
{steps},
best AS MATERIALIZED (
  SELECT {epochs} FROM (
    SELECT *, row_number() OVER (
      PARTITION BY person_id
      ORDER BY (CASE WHEN t4 IS NOT NULL THEN 4 WHEN t3 IS NOT NULL THEN 3
                     WHEN t2 IS NOT NULL THEN 2 ELSE 1 END) DESC,
               coalesce(t4, t3, t2, t1), t1 DESC) AS attempt
    FROM a4) AS attempts
  WHERE attempt = 1),
gaps AS (
  SELECT 1 AS step, CAST(NULL AS BIGINT) AS gap FROM best
  UNION ALL {gaps}),
ranked AS (SELECT step, gap{sql["ranks"]} FROM gaps)
SELECT step, count(*) AS persons, avg(gap) AS mean_us, {sql["median"]} AS median_us
FROM ranked GROUP BY step ORDER BY step"""


DUCKDB_SQL = """
WITH s1 AS (SELECT DISTINCT person_id, ts AS t1 FROM ev
            WHERE event = $s1 AND ts >= $start AND ts < $end),
e2 AS (SELECT person_id, ts FROM ev WHERE event = $s2),
e3 AS (SELECT person_id, ts FROM ev WHERE event = $s3),
e4 AS (SELECT person_id, ts FROM ev WHERE event = $s4),
a2 AS (SELECT s1.person_id, t1,
              CASE WHEN e2.ts <= t1 + INTERVAL 14 DAY THEN e2.ts END AS t2
       FROM s1 ASOF LEFT JOIN e2 ON s1.person_id = e2.person_id AND e2.ts >= s1.t1),
a3 AS (SELECT a2.*, CASE WHEN e3.ts <= t1 + INTERVAL 14 DAY THEN e3.ts END AS t3
       FROM a2 ASOF LEFT JOIN e3 ON a2.person_id = e3.person_id AND e3.ts >= a2.t2),
a4 AS (SELECT a3.*, CASE WHEN e4.ts <= t1 + INTERVAL 14 DAY THEN e4.ts END AS t4
       FROM a3 ASOF LEFT JOIN e4 ON a3.person_id = e4.person_id AND e4.ts >= a3.t3),
best AS (SELECT * FROM a4 QUALIFY row_number() OVER (
           PARTITION BY person_id
           ORDER BY (CASE WHEN t4 IS NOT NULL THEN 4 WHEN t3 IS NOT NULL THEN 3
                          WHEN t2 IS NOT NULL THEN 2 ELSE 1 END) DESC,
                    coalesce(t4, t3, t2, t1), t1 DESC) = 1),
gaps AS (SELECT 1 AS step, NULL::BIGINT AS gap FROM best
         UNION ALL SELECT 2, epoch_us(t2) - epoch_us(t1) FROM best WHERE t2 IS NOT NULL
         UNION ALL SELECT 3, epoch_us(t3) - epoch_us(t2) FROM best WHERE t3 IS NOT NULL
         UNION ALL SELECT 4, epoch_us(t4) - epoch_us(t3) FROM best WHERE t4 IS NOT NULL)
SELECT step, count(*), avg(gap), median(gap) FROM gaps GROUP BY step ORDER BY step
"""


@contextmanager
def database(backend: str, directory: Path, postgres_url: str) -> Iterator[Engine]:
    """A migrated, empty database: a SQLite file, or a PostgreSQL schema of its own."""
    if backend == "sqlite":
        url = f"sqlite:///{directory / 'analytics.db'}"
        engine = build_engine(url)
        upgrade(engine)
        yield engine
        engine.dispose()
        return
    schema = f"bench_analytics_{secrets.token_hex(4)}"
    dsn = make_url(postgres_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    scoped = make_url(postgres_url).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = build_engine(scoped.render_as_string(hide_password=False))
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def load(engine: Engine, project: CreatedProject, persons: int) -> int:
    """Store the reference messages through the ingestion service; the events stored."""
    spec = ReferenceSpec(seed=11, persons=persons, noise_per_person=NOISE_PER_PERSON, days=DAYS)
    batch: list[dict[str, Any]] = []
    received = END + timedelta(days=30)
    for message in reference_messages(spec):
        batch.append(message)
        if len(batch) == BATCH:
            ingest(engine, project.id, batch, defaults=BatchDefaults(), received_at=received)
            batch = []
    if batch:
        ingest(engine, project.id, batch, defaults=BatchDefaults(), received_at=received)
    events = table_of(Event)
    with read_transaction(engine) as connection:
        stored: int = connection.execute(
            select(func.count()).where(events.c.project_id == project.id)
        ).scalar_one()
    return stored


def refresh_statistics(engine: Engine) -> None:
    """What a production database's autovacuum and ``ANALYZE`` keep up to date."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE events")
    else:
        with write_transaction(engine) as connection:
            connection.exec_driver_sql("ANALYZE")


def median_seconds(runs: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """The median wall time of each run, and (``<name>_cpu``) the median CPU time of this
    process, taking turns so that a busy moment of the machine slows all of them alike.
    On SQLite the database works in this process, so its CPU time is what the run costs
    however busy the machine is."""
    timings: dict[str, list[float]] = {name: [] for name in runs}
    timings |= {f"{name}_cpu": [] for name in runs}
    for run in runs.values():
        run()
    for _ in range(repeat):
        for name, run in runs.items():
            began, began_cpu = time.perf_counter(), time.process_time()
            run()
            timings[name].append(time.perf_counter() - began)
            timings[f"{name}_cpu"].append(time.process_time() - began_cpu)
    return {name: statistics.median(values) for name, values in timings.items()}


def peak_bytes(run: Callable[[], Any]) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def hand_parameters(engine: Engine, project: CreatedProject) -> dict[str, Any]:
    steps = {f"s{number}": event for number, event in enumerate(FUNNEL, start=1)}
    if engine.dialect.name == "sqlite":
        bounds = {"start": str(START)[:19] + ".000000", "end": str(END)[:19] + ".000000"}
        return {"project": project.id.hex, **bounds, **steps}
    return {"project": project.id, "start": START, "end": END, **steps}


def export_csv(engine: Engine, project: CreatedProject, path: Path) -> None:
    events = table_of(Event)
    statement = select(events.c.person_id, events.c.event, events.c.timestamp).where(
        events.c.project_id == project.id, events.c.type == "track"
    )
    with read_transaction(engine) as connection, path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(("person_id", "event", "ts"))
        for row in connection.execution_options(yield_per=10_000).execute(statement):
            writer.writerow((row.person_id, row.event, row.timestamp.replace(tzinfo=None)))


def duckdb_funnel(path: Path, repeat: int) -> tuple[float, list[tuple[Any, ...]]]:
    connection = duckdb.connect()
    connection.execute(f"CREATE TABLE ev AS SELECT * FROM read_csv('{path}', header = true)")
    parameters = {
        **{f"s{number}": event for number, event in enumerate(FUNNEL, start=1)},
        "start": START.replace(tzinfo=None),
        "end": END.replace(tzinfo=None),
    }

    def run() -> list[tuple[Any, ...]]:
        return connection.execute(DUCKDB_SQL, parameters).fetchall()

    return median_seconds({"duckdb": run}, repeat)["duckdb"], run()


def _figures(rows: list[tuple[Any, ...]]) -> list[tuple[int, float | None]]:
    """``(persons, median seconds)`` per step from ``step, persons, mean, median`` rows."""
    return [(row[1], None if row[3] is None else round(row[3] / 1e6, 3)) for row in rows]


def measure(engine: Engine, settings: Settings, persons: int, repeat: int) -> dict[str, Any]:
    with write_transaction(engine) as connection:
        project = create_project(connection, "Benchmark", now=datetime.now(UTC))
    began = time.perf_counter()
    stored = load(engine, project, persons)
    loaded_in = time.perf_counter() - began
    refresh_statistics(engine)
    headers = {"authorization": f"Bearer {project.secret_key}"}
    statement = text(hand_sql(engine.dialect.name))
    parameters = hand_parameters(engine, project)

    def hand() -> list[tuple[Any, ...]]:
        with analysis_transaction(engine) as connection:
            return [tuple(row) for row in connection.execute(statement, parameters)]

    figures: dict[str, Any] = {"events": stored, "load_seconds": loaded_in, "project": project}
    with TestClient(create_app(settings)) as client:

        def api(body: dict[str, Any], path: str = "funnel") -> Any:
            response = client.post(f"/api/v1/analytics/{path}", json=body, headers=headers)
            response.raise_for_status()
            return response.json()

        steps = api(FUNNEL_BODY)["steps"]
        figures["api_figures"] = [(s["persons"], s["median_seconds_from_previous"]) for s in steps]
        figures["hand_figures"] = _figures(hand())
        figures |= median_seconds(
            {
                "api": lambda: api(FUNNEL_BODY),
                "hand": hand,
                "ttv": lambda: api(TTV_BODY, "ttv"),
            },
            repeat,
        )
        week = {**FUNNEL_BODY, "to": (START + timedelta(days=7)).isoformat()}
        figures["peak_week"] = peak_bytes(lambda: api(week))
        figures["peak_month"] = peak_bytes(lambda: api(FUNNEL_BODY))
    return figures


def report(backend: str, figures: dict[str, Any]) -> None:
    api, hand, ttv = figures["api"], figures["hand"], figures["ttv"]
    week, month = figures["peak_week"] / 2**20, figures["peak_month"] / 2**20
    print(f"\n{backend}: {figures['events']:,} events stored in {figures['load_seconds']:.0f} s")
    print(f"  API figures (persons, median s) {figures['api_figures']}")
    print(f"  hand-written SQL's              {figures['hand_figures']}")
    print(f"  4-step funnel API    {api * 1000:8.1f} ms  {api / hand:.2f}x the baseline")
    print(f"  hand-written SQL     {hand * 1000:8.1f} ms  baseline (target: API within 1.5x)")
    print(f"  time-to-value API    {ttv * 1000:8.1f} ms  {ttv / hand:.2f}x the funnel baseline")
    print(f"  peak Python heap     {week:.2f} MiB over one week, {month:.2f} MiB over four")
    if backend == "sqlite":
        api_cpu, hand_cpu = figures["api_cpu"], figures["hand_cpu"]
        print(f"  CPU time: API {api_cpu * 1000:.1f} ms, hand-written SQL {hand_cpu * 1000:.1f} ms")
        print(f"    ({api_cpu / hand_cpu:.2f}x), time to value {figures['ttv_cpu'] * 1000:.1f} ms")


def compare_duckdb(engine: Engine, figures: dict[str, Any], directory: Path, repeat: int) -> None:
    path = directory / "events.csv"
    export_csv(engine, figures["project"], path)
    seconds, duck = duckdb_funnel(path, repeat)
    print(f"  DuckDB, same rows    {seconds * 1000:8.1f} ms  {figures['api'] / seconds:.2f}x")
    print(f"    faster than the API; figures {_figures(duck)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 persons, 3 runs each")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL too")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    arguments = parser.parse_args()
    persons, repeat = (5_000, 3) if arguments.quick else (50_000, 5)
    backends = ["sqlite", *(["postgresql"] if arguments.postgres else [])]
    with tempfile.TemporaryDirectory(prefix="waypost-analytics-") as directory:
        for backend in backends:
            with database(backend, Path(directory), arguments.postgres_url) as engine:
                settings = Settings(database_url=engine.url.render_as_string(hide_password=False))
                figures = measure(engine, settings, persons, repeat)
                report(backend, figures)
                if backend == "sqlite":
                    compare_duckdb(engine, figures, Path(directory), repeat)


if __name__ == "__main__":
    main()
