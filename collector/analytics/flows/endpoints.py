"""``GET /api/v1/flows/{id}/analytics`` and ``…/stuck`` (secret key); JSON or CSV."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from collector.analytics.flows.queries import FlowFilter
from collector.analytics.flows.schemas import FlowAnalyticsQuerySchema, StuckQuerySchema
from collector.analytics.flows.service import (
    STEP_COLUMNS,
    STUCK_COLUMNS,
    all_stuck_persons,
    analytics_rows,
    flow_analytics,
    require_checklist,
    stuck_persons,
)
from collector.experiences.service import parse_id
from collector.kit.auth.callers import caller_of
from collector.kit.http.csv import CSV_MEDIA_TYPE, csv_lines, csv_response, wants_csv
from collector.kit.http.params import parse_query
from collector.kit.http.responses import JSONResponse
from collector.kit.http.state import engine_of

_analytics_query = FlowAnalyticsQuerySchema()
_stuck_query = StuckQuerySchema()


def _filter(project_id: uuid.UUID, request: Request, params: dict[str, Any]) -> FlowFilter:
    return FlowFilter(
        project_id=project_id,
        flow_id=parse_id(request.path_params["id"], "flow"),
        start=params.get("from_"),
        end=params.get("to"),
    )


async def analytics(request: Request) -> Response:
    engine = engine_of(request)
    project_id = caller_of(request).project_id
    params = parse_query(request, _analytics_query)
    where = _filter(project_id, request, params)
    result = await run_in_threadpool(
        lambda: flow_analytics(engine, where, stuck_days=params["stuck_days"])
    )
    if wants_csv(request):
        filename = f"flow-{where.flow_id}.csv"
        return csv_response(filename, STEP_COLUMNS, analytics_rows(result))
    return JSONResponse(result)


async def stuck(request: Request) -> Response:
    engine = engine_of(request)
    project_id = caller_of(request).project_id
    params = parse_query(request, _stuck_query)
    where = _filter(project_id, request, params)
    await run_in_threadpool(require_checklist, engine, where)
    if wants_csv(request):
        lines = csv_lines(STUCK_COLUMNS, all_stuck_persons(engine, where, days=params["days"]))
        return StreamingResponse(
            iterate_in_threadpool(line.encode() for line in lines),
            media_type=CSV_MEDIA_TYPE,
            headers={"content-disposition": f'attachment; filename="stuck-{where.flow_id}.csv"'},
        )
    page = await run_in_threadpool(
        lambda: stuck_persons(
            engine, where, days=params["days"], cursor=params.get("cursor"), limit=params["limit"]
        )
    )
    return JSONResponse(page.as_dict())


routes = [
    Route("/flows/{id}/analytics", analytics, methods=["GET"], name="flow_analytics"),
    Route("/flows/{id}/stuck", stuck, methods=["GET"], name="flow_stuck"),
]
