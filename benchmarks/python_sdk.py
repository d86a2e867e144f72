"""The Python SDK against ``segment-analytics-python`` and ``posthog``, in one run.

For each SDK, in a child process of its own (so that no two share a heap or a GIL):

- ``track()`` cost: the median of 100,000 individually timed calls, in µs, while the
  SDK's own thread delivers in the background, as in an application;
- delivered events/s: 50,000 ``track()`` calls then ``flush()``, until every event was
  accepted (counted at the receiving end afterwards), to the collector and to a sink;
- peak RSS per queued event: 100,000 events queued behind a server that accepts the
  connection and never answers, VmHWM less the RSS before the first call.

Waypost and Segment send to a collector on SQLite started for the run (``waypost serve``,
one worker, a project per SDK). posthog's wire format (``POST /batch/`` with ``api_key``
and ``distinct_id``) is not Segment's, so the collector cannot take it: for delivery, every
SDK also sends to a minimal sink under uvicorn that only parses and counts each batch
(``/batch/`` and ``/v1/batch``), which compares the SDKs themselves, and posthog's
``track()`` cost is measured while it sends to that sink.
Every SDK runs with its defaults, except queues large enough to hold the run and long
timeouts. Then the ratios to the targets: ``track()`` ≤ 0.5x the faster of the others,
delivery ≥ 2x the faster, RSS per queued event no more than the leaner.

Run by hand from the repository root::

    python -m benchmarks.python_sdk            # the figures above, medians of 3 rounds
    python -m benchmarks.python_sdk --quick    # 10,000 events per measurement, 1 round
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from benchmarks.ingest import free_port

REPOSITORY = Path(__file__).resolve().parent.parent
SDKS = ("waypost", "segment", "posthog")
QUEUE_SIZE = 1_000_000
TIMEOUT_SECONDS = 120.0
Track = Callable[[int], object]


@dataclass(frozen=True)
class Target:
    """Where one SDK sends: a base URL and the key it sends with."""

    url: str
    key: str
    secret: str = ""


# Each SDK, built the way its documentation shows ---------------------------------------


def waypost_client(target: Target) -> tuple[Track, Callable[[], object]]:
    import waypost

    client = waypost.Client(
        target.key, target.url, max_queue_size=QUEUE_SIZE, timeout=TIMEOUT_SECONDS
    )
    return (lambda n: client.track(f"user-{n % 1000}", "Report Created", {"n": n})), client.flush


def segment_client(target: Target) -> tuple[Track, Callable[[], object]]:
    from segment.analytics.client import Client

    client = Client(target.key, host=target.url, max_queue_size=QUEUE_SIZE, timeout=TIMEOUT_SECONDS)
    return (lambda n: client.track(f"user-{n % 1000}", "Report Created", {"n": n})), client.flush


def posthog_client(target: Target) -> tuple[Track, Callable[[], object]]:
    from posthog import Posthog

    client = Posthog(
        target.key, host=target.url, max_queue_size=QUEUE_SIZE, timeout=TIMEOUT_SECONDS
    )

    def track(n: int) -> object:
        return client.capture("Report Created", distinct_id=f"user-{n % 1000}", properties={"n": n})

    return track, client.flush


CLIENTS = {"waypost": waypost_client, "segment": segment_client, "posthog": posthog_client}


# What a child process measures -----------------------------------------------------------


def measure_track_cost(sdk: str, target: Target, calls: int) -> dict[str, float]:
    track, flush = CLIENTS[sdk](target)
    clock = time.perf_counter_ns
    timings = []
    for n in range(calls):
        started = clock()
        track(n)
        timings.append(clock() - started)
    flush()
    return {"track_us": statistics.median(timings) / 1000}


def measure_delivery(sdk: str, target: Target, calls: int) -> dict[str, float]:
    track, flush = CLIENTS[sdk](target)
    started = time.perf_counter()
    for n in range(calls):
        track(n)
    flush()
    return {"events_per_second": calls / (time.perf_counter() - started)}


def measure_memory(sdk: str, target: Target, calls: int) -> dict[str, float]:
    track, _ = CLIENTS[sdk](target)
    track(0)  # the first call starts the SDK's thread and connection
    before = _status_kb("VmRSS")
    for n in range(1, calls + 1):
        track(n)
    return {"bytes_per_event": (_status_kb("VmHWM") - before) * 1024 / calls}


def _status_kb(field: str) -> int:
    status = Path("/proc/self/status").read_text()
    [line] = [line for line in status.splitlines() if line.startswith(f"{field}:")]
    return int(line.split()[1])


MEASURES = {"track": measure_track_cost, "delivery": measure_delivery, "memory": measure_memory}


def child_main(arguments: list[str]) -> None:
    measure, sdk, url, key, calls = arguments
    result = MEASURES[measure](sdk, Target(url, key), int(calls))
    print(json.dumps(result), flush=True)
    os._exit(0)  # the memory run leaves a send blocked forever: do not wait for it


def in_child(measure: str, sdk: str, target: Target, calls: int) -> dict[str, float]:
    command = [sys.executable, "-m", "benchmarks.python_sdk", "--child", measure, sdk]
    finished = subprocess.run(
        [*command, target.url, target.key, str(calls)],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    result: dict[str, float] = json.loads(finished.stdout.strip().splitlines()[-1])
    return result


# The receiving ends ----------------------------------------------------------------------


def create_sink_app() -> Starlette:
    """posthog's ``/batch/`` and Segment's ``/v1/batch``: parse each (possibly gzip) body,
    count its events, store nothing."""
    received = {"events": 0}

    async def batch(request: Request) -> JSONResponse:
        body = await request.body()
        if request.headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        received["events"] += len(json.loads(body)["batch"])
        return JSONResponse({"status": 1})

    async def count(request: Request) -> JSONResponse:
        return JSONResponse(received)

    routes = [Route(path, batch, methods=["POST"]) for path in ("/batch/", "/v1/batch")]
    return Starlette(routes=[*routes, Route("/count", count)])


@dataclass(frozen=True)
class Server:
    url: str
    pid: int

    def cpu_seconds(self) -> float:
        """CPU time the server process has used so far (user and system)."""
        times = psutil.Process(self.pid).cpu_times()
        return float(times.user + times.system)


@contextmanager
def server(command: list[str], environment: dict[str, str], health: str) -> Iterator[Server]:
    port = free_port()
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=REPOSITORY,
        env={**os.environ, **environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url + health)
        yield Server(url, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _get(url)[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    parts = url.removeprefix("http://").split("/", 1)
    connection = http.client.HTTPConnection(parts[0], timeout=30)
    try:
        connection.request("GET", "/" + parts[1], headers=headers or {})
        answer = connection.getresponse()
        body = answer.read()
        return answer.status, json.loads(body) if answer.status == 200 else None
    finally:
        connection.close()


@contextmanager
def black_hole() -> Iterator[str]:
    """A port whose connections are accepted by the kernel and never answered."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1024)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def _cli(database_url: str, *arguments: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "collector", *arguments],
        cwd=REPOSITORY,
        env={**os.environ, "WAYPOST_DATABASE_URL": database_url},
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def new_project(database_url: str, collector: str) -> Target:
    created = json.loads(_cli(database_url, "project", "create", "--name", "Benchmark"))
    return Target(collector, created["write_key"], created["secret_key"])


def delivered(target: Target) -> int:
    """Events the receiving end holds for the target: the collector's project, or the sink."""
    if not target.secret:
        return int(_get(target.url + "/count")[1]["events"])
    auth = {"Authorization": f"Bearer {target.secret}"}
    stored, cursor = 0, ""
    while True:
        _, page = _get(f"{target.url}/api/v1/events?limit=1000{cursor}", auth)
        stored += len(page["data"])
        if not page["has_more"]:
            return stored
        cursor = f"&cursor={page['next_cursor']}"


# The run ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    track_calls: int
    delivery_calls: int
    memory_calls: int
    rounds: int


def run(sizes: Sizes) -> dict[str, dict[str, float]]:
    """Each figure's median over ``rounds`` rounds, the SDKs taking turns in each round so
    that a slow moment of a shared machine does not fall on one SDK alone."""
    rounds: dict[str, list[dict[str, float]]] = {sdk: [] for sdk in SDKS}
    with tempfile.TemporaryDirectory(prefix="waypost-sdk-bench-") as directory:
        database_url = f"sqlite:///{directory}/waypost.db"
        _cli(database_url, "migrate")
        collector_command = [sys.executable, "-m", "collector", "serve"]
        sink_command = [sys.executable, "-m", "uvicorn", "benchmarks.python_sdk:create_sink_app"]
        quiet = {"WAYPOST_DATABASE_URL": database_url, "WAYPOST_LOG_LEVEL": "warning"}
        with (
            server(collector_command, quiet, "/health") as collector,
            server([*sink_command, "--factory", "--log-level", "warning"], {}, "/count") as sink,
        ):
            for _ in range(sizes.rounds):
                for sdk in SDKS:
                    figures = measure_sdk(sdk, sizes, database_url, collector, sink.url)
                    rounds[sdk].append(figures)
    return {sdk: _medians(figures) for sdk, figures in rounds.items()}


def _medians(rounds: list[dict[str, float]]) -> dict[str, float]:
    return {name: statistics.median(round_[name] for round_ in rounds) for name in rounds[0]}


def measure_sdk(
    sdk: str, sizes: Sizes, database_url: str, collector: Server, sink: str
) -> dict[str, float]:
    def to_collector() -> Target:
        return new_project(database_url, collector.url)

    to_sink = Target(sink, "wk_bench")
    figures = in_child(
        "track", sdk, to_sink if sdk == "posthog" else to_collector(), sizes.track_calls
    )
    figures |= _delivery(sdk, to_sink, sizes.delivery_calls, "sink")
    if sdk != "posthog":
        cpu_before = collector.cpu_seconds()
        figures |= _delivery(sdk, to_collector(), sizes.delivery_calls, "collector")
        used = collector.cpu_seconds() - cpu_before
        figures["collector_cpu_us"] = used * 1_000_000 / sizes.delivery_calls
    with black_hole() as nowhere:
        figures |= in_child("memory", sdk, Target(nowhere, "wk_bench"), sizes.memory_calls)
    return figures


def _delivery(sdk: str, target: Target, calls: int, where: str) -> dict[str, float]:
    before = delivered(target)
    rate = in_child("delivery", sdk, target, calls)["events_per_second"]
    return {f"{where}_per_second": rate, f"{where}_delivered": delivered(target) - before}


def report(results: dict[str, dict[str, float]], sizes: Sizes) -> None:
    _table(results)
    _ratios(results)
    delivered = [
        value
        for figures in results.values()
        for name, value in figures.items()
        if name.endswith("_delivered")
    ]
    complete = all(count == sizes.delivery_calls for count in delivered)
    print("every event delivered" if complete else "SOME EVENTS WERE NOT DELIVERED")


def _table(results: dict[str, dict[str, float]]) -> None:
    columns = ("track() µs", "to sink /s", "to collector /s", "collector µs/ev", "B/queued")
    print(f"{'sdk':<9}" + "".join(f"{name:>17}" for name in columns))
    for sdk, figures in results.items():
        cells = [
            f"{figures['track_us']:.2f}",
            f"{figures['sink_per_second']:,.0f}",
            _optional(figures, "collector_per_second", "{:,.0f}"),
            _optional(figures, "collector_cpu_us", "{:.1f}"),
            f"{figures['bytes_per_event']:,.0f}",
        ]
        print(f"{sdk:<9}" + "".join(f"{cell:>17}" for cell in cells))
    print("events/s to a sink that only counts, and to the collector (SQLite, one worker),")
    print("with the collector's CPU time per delivered event; posthog's wire format is not")
    print("Segment's, so it has the sink figures only")


def _optional(figures: dict[str, float], name: str, form: str) -> str:
    return form.format(figures[name]) if name in figures else "n/a"


def _ratios(results: dict[str, dict[str, float]]) -> None:
    ours, segment = results["waypost"], results["segment"]
    others = [segment, results["posthog"]]
    fastest = min(other["track_us"] for other in others)
    quickest = max(other["sink_per_second"] for other in others)
    leanest = min(other["bytes_per_event"] for other in others)
    _ratio("track() vs the faster other", ours["track_us"] / fastest, "≤", 0.5)
    _ratio("events/s to the sink vs the faster other", ours["sink_per_second"] / quickest, "≥", 2.0)
    to_collector = ours["collector_per_second"] / segment["collector_per_second"]
    _ratio("events/s to the collector vs segment", to_collector, "≥", 2.0)
    cpu = ours["collector_cpu_us"] / segment["collector_cpu_us"]
    print(f"collector CPU per event vs segment's: {cpu:.2f}x")
    _ratio("bytes per queued event vs the leaner", ours["bytes_per_event"] / leanest, "≤", 1.0)


def _ratio(name: str, ratio: float, sense: str, target: float) -> None:
    met = ratio <= target if sense == "≤" else ratio >= target
    print(f"{name}: {ratio:.2f}x (target {sense} {target}x) {'met' if met else 'NOT MET'}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 events, one round")
    quick = parser.parse_args().quick
    sizes = Sizes(10_000, 10_000, 10_000, 1) if quick else Sizes(100_000, 50_000, 100_000, 3)
    report(run(sizes), sizes)


if __name__ == "__main__":
    main()
