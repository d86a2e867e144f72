"""``GET /api/v1/surveys/{id}/responses`` and ``GET /api/v1/flows/{id}/progress`` (secret key)."""

from __future__ import annotations

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from collector.analytics.responses.queries import ResponseFilter
from collector.analytics.responses.schemas import (
    ProgressReportSchema,
    ResponsePageSchema,
    ResponseQuerySchema,
)
from collector.analytics.responses.service import (
    export_responses,
    flow_progress,
    list_responses,
    require_experience,
)
from collector.experiences.service import parse_id
from collector.kit.auth.callers import caller_of
from collector.kit.http.answers import Answer
from collector.kit.http.openapi import Auth, Operation, route
from collector.kit.http.params import PageQuerySchema, parse_query
from collector.kit.http.state import engine_of

_responses_query = ResponseQuerySchema()
_page_query = PageQuerySchema()
EXPORT_MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson"}


_responses = Answer(
    ResponsePageSchema, media=("application/json", "text/csv", "application/x-ndjson")
)
_progress = Answer(ProgressReportSchema)


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
    return _responses.render(page.as_dict())


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
    return _progress.render(report)


routes = [
    route(
        "/surveys/{id}/responses",
        responses,
        name="survey_responses",
        get=Operation(
            "A survey's typed answers, a page at a time, or all as CSV or NDJSON",
            Auth.SECRET_KEY,
            _responses,
            query=ResponseQuerySchema,
            errors=(404,),
        ),
    ),
    route(
        "/flows/{id}/progress",
        progress,
        name="flow_progress",
        get=Operation(
            "How many people are at each status of a flow, and a page of them",
            Auth.SECRET_KEY,
            _progress,
            query=PageQuerySchema,
            errors=(404,),
        ),
    ),
]
