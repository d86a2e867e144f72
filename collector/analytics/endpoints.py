"""``/api/v1/analytics/…`` (secret key): funnels, who is at a funnel step, time to value,
retention. Bodies are JSON; every answer is JSON, or CSV with ``format=csv`` or
``Accept: text/csv``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import orjson
from marshmallow import Schema, ValidationError
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from collector.analytics import funnels, params, retention, saved_funnel_endpoints, ttv
from collector.analytics.schemas import (
    FunnelPersonsSchema,
    FunnelSchema,
    RetentionSchema,
    TimeToValueSchema,
)
from collector.kit.auth.callers import caller_of
from collector.kit.errors import BadRequest, MalformedBody, ValidationFailed
from collector.kit.http.body import read_json
from collector.kit.http.csv import CSV_MEDIA_TYPE, csv_lines, csv_response, wants_csv
from collector.kit.http.params import text_param
from collector.kit.http.responses import JSONResponse
from collector.kit.http.state import engine_of

MAX_BODY_BYTES = 64 * 1024
JSON_QUERY_PARAMETERS = ("steps", "exclude")
"""Query parameters of ``GET …/funnel/persons`` that carry JSON (like the body's fields)."""

_funnel = FunnelSchema()
_persons = FunnelPersonsSchema()
_ttv = TimeToValueSchema()
_retention = RetentionSchema()


async def _body(request: Request, schema: Schema) -> dict[str, Any]:
    body = await read_json(request, MAX_BODY_BYTES)
    if not isinstance(body, dict):
        raise MalformedBody("body must be a JSON object")
    try:
        loaded: dict[str, Any] = schema.load(body)
    except ValidationError as error:
        raise ValidationFailed("invalid analysis", fields=error.messages_dict) from None
    return loaded


def _query_value(name: str, values: list[str]) -> Any:
    if name == "steps" and len(values) > 1:
        return values
    value = values[-1]
    if name in JSON_QUERY_PARAMETERS and value.lstrip().startswith(("[", "{")):
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            raise BadRequest("invalid query parameters", fields={name: ["is not JSON"]}) from None
    return value


def _query(request: Request, schema: Schema) -> dict[str, Any]:
    """The query string read as a body: ``steps`` repeated or as JSON, ``exclude`` JSON."""
    raw = {
        name: _query_value(
            name, [text_param(value) for value in request.query_params.getlist(name)]
        )
        for name in request.query_params
    }
    try:
        loaded: dict[str, Any] = schema.load(raw)
    except ValidationError as error:
        raise BadRequest("invalid query parameters", fields=error.messages_dict) from None
    return loaded


def _now() -> datetime:
    return datetime.now(UTC)


async def funnel(request: Request) -> Response:
    project_id = caller_of(request).project_id
    definition = params.funnel(await _body(request, _funnel), project_id, _now())
    answer = await run_in_threadpool(funnels.run_funnel, engine_of(request), definition)
    if wants_csv(request):
        return csv_response("funnel.csv", funnels.FUNNEL_COLUMNS, funnels.funnel_table(answer))
    return JSONResponse(answer)


async def funnel_persons(request: Request) -> Response:
    project_id = caller_of(request).project_id
    if request.method == "GET":
        loaded = _query(request, _persons)
    else:
        loaded = await _body(request, _persons)
    definition = params.funnel(loaded, project_id, _now())
    engine = engine_of(request)
    options = {"dropped": loaded["dropped"], "breakdown": loaded.get("breakdown_value")}
    if wants_csv(request) or loaded["format"] == "csv":
        rows = funnels.all_persons(engine, definition, loaded["step"], **options)
        lines = csv_lines(funnels.persons_columns(definition), rows)
        return StreamingResponse(
            iterate_in_threadpool(line.encode() for line in lines),
            media_type=CSV_MEDIA_TYPE,
            headers={"content-disposition": 'attachment; filename="funnel-persons.csv"'},
        )
    page = await run_in_threadpool(
        lambda: funnels.persons_page(
            engine,
            definition,
            loaded["step"],
            cursor=loaded.get("cursor"),
            limit=loaded["limit"],
            **options,
        )
    )
    return JSONResponse(page)


def _analysis(
    schema: Schema,
    run: Callable[[Any, dict[str, Any], uuid.UUID, datetime], dict[str, Any]],
    table: Callable[[dict[str, Any]], tuple[tuple[str, ...], list[dict[str, Any]]]],
    filename: str,
) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> Response:
        project_id = caller_of(request).project_id
        loaded = await _body(request, schema)
        answer = await run_in_threadpool(run, engine_of(request), loaded, project_id, _now())
        if wants_csv(request):
            columns, rows = table(answer)
            return csv_response(filename, columns, rows)
        return JSONResponse(answer)

    return endpoint


routes = [
    Route("/analytics/funnel", funnel, methods=["POST"], name="analytics_funnel"),
    Route(
        "/analytics/funnel/persons",
        funnel_persons,
        methods=["GET", "POST"],
        name="analytics_funnel_persons",
    ),
    Route(
        "/analytics/ttv",
        _analysis(_ttv, ttv.run, ttv.table, "ttv.csv"),
        methods=["POST"],
        name="analytics_ttv",
    ),
    Route(
        "/analytics/retention",
        _analysis(_retention, retention.run, retention.table, "retention.csv"),
        methods=["POST"],
        name="analytics_retention",
    ),
    *saved_funnel_endpoints.routes,
]
