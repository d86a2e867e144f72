"""``GET /api/v1/flows/{id}/analytics`` and ``…/stuck`` (secret key); JSON or CSV."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from collector.analytics.flows.queries import FlowFilter
from collector.analytics.flows.schemas import (
    FlowAnalyticsQuerySchema,
    FlowAnalyticsSchema,
    StuckPageSchema,
    StuckQuerySchema,
)
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
from collector.kit.http.answers import Answer
from collector.kit.http.csv import CSV_MEDIA_TYPE, CSV_NOTE, csv_lines, csv_response, wants_csv
from collector.kit.http.openapi import Auth, Operation, route
from collector.kit.http.params import parse_query
from collector.kit.http.state import engine_of

_analytics_query = FlowAnalyticsQuerySchema()
_stuck_query = StuckQuerySchema()


_analytics = Answer(FlowAnalyticsSchema, media=("application/json", "text/csv"))
_stuck = Answer(StuckPageSchema, media=("application/json", "text/csv"))


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
    return _analytics.render(result)


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
    return _stuck.render(page.as_dict())


routes = [
    route(
        "/flows/{id}/analytics",
        analytics,
        name="flow_analytics",
        get=Operation(
            "A tour's starts, steps, completions and dismissals, or a checklist's items" + CSV_NOTE,
            Auth.SECRET_KEY,
            _analytics,
            query=FlowAnalyticsQuerySchema,
            errors=(404,),
        ),
    ),
    route(
        "/flows/{id}/stuck",
        stuck,
        name="flow_stuck",
        get=Operation(
            "Persons who started a checklist and made no progress for some days" + CSV_NOTE,
            Auth.SECRET_KEY,
            _stuck,
            query=StuckQuerySchema,
            errors=(404,),
        ),
    ),
]
