"""``GET /metrics``: Prometheus text format, every worker's samples added up."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from collector.kit.http.answers import Answer
from collector.kit.http.openapi import Auth, Operation, route
from collector.kit.http.state import engine_of
from collector.kit.metrics import render
from collector.ops.backlog import observe_outbox


async def metrics(request: Request) -> Response:
    await run_in_threadpool(observe_outbox, engine_of(request))
    body, content_type = render()
    return Response(body, media_type=content_type)


routes = [
    route(
        "/metrics",
        metrics,
        name="metrics",
        get=Operation(
            "Prometheus metrics of every worker",
            Auth.NONE,
            Answer(description="Prometheus text format", media=("text/plain",)),
        ),
    )
]
