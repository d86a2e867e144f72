"""One project's flood against another project's ingestion, on PostgreSQL with 2 workers.

A victim project posts 100-event batches over one connection, first alone, then while a
flooding project posts as fast as six connections allow under a rate limit of
``--flood-limit`` requests per second (its excess is answered 429). Printed: the
victim's events/s and p50/p99 latency in both phases and their ratio (flooded / alone),
against the stated bound: the victim keeps at least half its throughput and its p99 stays
within three times its p99 alone.

Run from the repository root::

    python -m benchmarks.isolation            # 10 s per phase
    python -m benchmarks.isolation --quick    # 3 s per phase
"""

from __future__ import annotations

import argparse
import http.client
import json
import threading
from dataclasses import dataclass

from benchmarks.ingest import (
    DEFAULT_POSTGRES_URL,
    Options,
    _cli,
    _percentile,
    fresh_database,
    running_server,
)
from benchmarks.load import LoadResult, Plan, drive_load

FLOOD_CONNECTIONS = 6
BOUND_THROUGHPUT = 0.5
BOUND_P99 = 3.0


@dataclass(frozen=True)
class Phase:
    events_per_second: float
    p50_ms: float
    p99_ms: float

    @classmethod
    def of(cls, load: LoadResult) -> Phase:
        return cls(
            events_per_second=load.events / load.seconds,
            p50_ms=_percentile(load.latencies, 0.5) * 1000,
            p99_ms=_percentile(load.latencies, 0.99) * 1000,
        )

    def describe(self, name: str) -> str:
        return (
            f"  victim {name:<8} {self.events_per_second:>8,.0f} events/s"
            f"   p50 {self.p50_ms:6.1f} ms   p99 {self.p99_ms:6.1f} ms"
        )


def limit_project(port: int, secret_key: str, per_second: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    body = json.dumps({"settings": {"rate_limits": {"write_key": per_second}}})
    headers = {"Authorization": f"Bearer {secret_key}", "Content-Type": "application/json"}
    connection.request("PATCH", "/api/v1/project", body, headers)
    if connection.getresponse().status != 200:
        raise RuntimeError("could not set the flooding project's rate limit")
    connection.close()


def flooded(
    port: int, victim_key: str, flood_key: str, plan: Plan
) -> tuple[LoadResult, LoadResult]:
    """The victim's load and the flood's, run at the same time."""
    flood_plan = Plan(connections=FLOOD_CONNECTIONS, warmup=plan.warmup, duration=plan.duration)
    results: list[LoadResult] = []
    thread = threading.Thread(
        target=lambda: results.append(drive_load(port, flood_key, flood_plan))
    )
    thread.start()
    victim = drive_load(port, victim_key, plan)
    thread.join()
    return victim, results[0]


def run(plan: Plan, postgres_url: str, flood_limit: int) -> None:
    options = Options(load=plan, workers=(2,), backends=("postgresql",), postgres_url=postgres_url)
    print(f"postgresql, 2 workers, {plan.duration:g} s per phase; flood limited to {flood_limit}/s")
    with fresh_database("postgresql", options) as database:
        flood = json.loads(_cli(database.collector_url, "project", "create", "--name", "Flood"))
        with running_server("collector", 2, database) as server:
            limit_project(server.port, flood["secret_key"], flood_limit)
            alone = Phase.of(drive_load(server.port, database.write_key, plan))
            victim, flooding = flooded(server.port, database.write_key, flood["write_key"], plan)
    under_flood = Phase.of(victim)
    print(alone.describe("alone"))
    print(under_flood.describe("flooded"))
    print(
        f"  flood    {flooding.events / flooding.seconds:>8,.0f} events/s accepted, "
        f"{flooding.errors:,} requests refused"
    )
    throughput = under_flood.events_per_second / max(alone.events_per_second, 1.0)
    p99 = under_flood.p99_ms / max(alone.p99_ms, 0.001)
    print(
        f"  ratio    throughput {throughput:.2f}x alone (bound >= {BOUND_THROUGHPUT}x: "
        f"{'met' if throughput >= BOUND_THROUGHPUT else 'MISSED'})"
    )
    print(
        f"  ratio    p99 {p99:.2f}x alone (bound <= {BOUND_P99}x: "
        f"{'met' if p99 <= BOUND_P99 else 'MISSED'})"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per phase")
    parser.add_argument("--flood-limit", type=int, default=2, help="flood's requests/s")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--quick", action="store_true", help="3 s per phase")
    arguments = parser.parse_args(argv)
    duration = 3.0 if arguments.quick else arguments.duration
    plan = Plan(connections=1, warmup=1.0, duration=duration)
    run(plan, arguments.postgres_url, arguments.flood_limit)


if __name__ == "__main__":
    main()
