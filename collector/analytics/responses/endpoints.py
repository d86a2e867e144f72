"""``GET /api/v1/surveys/{id}/responses`` and ``GET /api/v1/flows/{id}/progress`` (secret key)."""

from __future__ import annotations

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from collector.analytics.responses.queries import ResponseFilter
from collector.analytics.responses.schemas import ResponseQuerySchema
from collector.analytics.responses.service import (
    export_responses,
    flow_progress,
    list_responses,
    require_experience,
)
from collector.experiences.service import parse_id
from collector.kit.auth.callers import caller_of
from collector.kit.http.params import PageQuerySchema, parse_query
from collector.kit.http.responses import JSONResponse
from collector.kit.http.state import engine_of

_responses_query = ResponseQuerySchema()
_page_query = PageQuerySchema()
EXPORT_MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson"}


async def responses(request: Request) -> Response:
    engine = engine_of(request)
    project_id = caller_of(request).project_id
    survey_id = parse_id(request.path_params["id"], "survey")
    params = parse_query(request, _responses_query)
    await run_in_threadpool(require_experience, engine, project_id, "survey", survey_id)
    where = ResponseFilter(
        project_id=project_id,
        survey_id=survey_id,
        start=params.get("from_"),
        end=params.get("to"),
        version=params.get("version"),
        eligible=params.get("eligible"),
    )
    export_format = params["format"]
    if export_format in EXPORT_MEDIA_TYPES:
        filename = f"responses-{survey_id}.{export_format}"
        return StreamingResponse(
            iterate_in_threadpool(export_responses(engine, where, export_format)),
            media_type=EXPORT_MEDIA_TYPES[export_format],
            headers={"content-disposition": f'attachment; filename="{filename}"'},
        )
    page = await run_in_threadpool(
        list_responses, engine, where, cursor=params.get("cursor"), limit=params["limit"]
    )
    return JSONResponse(page.as_dict())


async def progress(request: Request) -> Response:
    engine = engine_of(request)
    project_id = caller_of(request).project_id
    flow_id = parse_id(request.path_params["id"], "flow")
    params = parse_query(request, _page_query)
    await run_in_threadpool(require_experience, engine, project_id, "flow", flow_id)
    report = await run_in_threadpool(
        flow_progress,
        engine,
        project_id,
        flow_id,
        cursor=params.get("cursor"),
        limit=params["limit"],
    )
    return JSONResponse(report)


routes = [
    Route("/surveys/{id}/responses", responses, methods=["GET"], name="survey_responses"),
    Route("/flows/{id}/progress", progress, methods=["GET"], name="flow_progress"),
]
