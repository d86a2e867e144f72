"""``/api/v1/analytics/…`` (secret key): funnels, who is at a funnel step, time to value,
retention. Bodies are JSON; every answer is JSON, or CSV with ``format=csv`` or
``Accept: text/csv``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import orjson
from marshmallow import Schema, ValidationError
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from collector.analytics import funnels, params, retention, saved_funnel_endpoints, ttv
from collector.analytics.schemas import (
    FunnelAnswerSchema,
    FunnelPersonsPageSchema,
    FunnelPersonsSchema,
    FunnelSchema,
    RetentionAnswerSchema,
    RetentionSchema,
    TimeToValueAnswerSchema,
    TimeToValueSchema,
)
from collector.kit.auth.callers import caller_of
from collector.kit.errors import BadRequest
from collector.kit.http.answers import Answer
from collector.kit.http.body import JsonBody
from collector.kit.http.csv import CSV_MEDIA_TYPE, CSV_NOTE, csv_lines, csv_response, wants_csv
from collector.kit.http.openapi import Auth, Operation, route
from collector.kit.http.params import text_param
from collector.kit.http.state import engine_of

MAX_BODY_BYTES = 64 * 1024
JSON_QUERY_PARAMETERS = ("steps", "exclude")
"""Query parameters of ``GET …/funnel/persons`` that carry JSON (like the body's fields)."""

_funnel = JsonBody(FunnelSchema, limit=MAX_BODY_BYTES, invalid="invalid analysis")
_persons = JsonBody(FunnelPersonsSchema, limit=MAX_BODY_BYTES, invalid="invalid analysis")
_persons_query = FunnelPersonsSchema()
_ttv = JsonBody(TimeToValueSchema, limit=MAX_BODY_BYTES, invalid="invalid analysis")
_retention = JsonBody(RetentionSchema, limit=MAX_BODY_BYTES, invalid="invalid analysis")
_WITH_CSV = ("application/json", "text/csv")
_funnel_answer = Answer(FunnelAnswerSchema, media=_WITH_CSV)
_persons_page = Answer(FunnelPersonsPageSchema, media=_WITH_CSV)
_ttv_answer = Answer(TimeToValueAnswerSchema, media=_WITH_CSV)
_retention_answer = Answer(RetentionAnswerSchema, media=_WITH_CSV)


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
    definition = params.funnel(await _funnel.load(request), project_id, _now())
    answer = await run_in_threadpool(funnels.run_funnel, engine_of(request), definition)
    if wants_csv(request):
        return csv_response("funnel.csv", funnels.FUNNEL_COLUMNS, funnels.funnel_table(answer))
    return _funnel_answer.render(answer)


async def funnel_persons(request: Request) -> Response:
    project_id = caller_of(request).project_id
    if request.method == "GET":
        loaded = _query(request, _persons_query)
    else:
        loaded = await _persons.load(request)
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
    return _persons_page.render(page)


Figures = TypeVar("Figures")


def _analysis(
    body: JsonBody,
    answered: Answer,
    run: Callable[[Any, dict[str, Any], uuid.UUID, datetime], Figures],
    table: Callable[[Figures], tuple[tuple[str, ...], list[dict[str, Any]]]],
    filename: str,
) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> Response:
        project_id = caller_of(request).project_id
        loaded = await body.load(request)
        answer = await run_in_threadpool(run, engine_of(request), loaded, project_id, _now())
        if wants_csv(request):
            columns, rows = table(answer)
            return csv_response(filename, columns, rows)
        return answered.render(answer)

    return endpoint


_PERSONS_SUMMARY = "Who reached a funnel step (and, with dropped, went no further)"
routes = [
    route(
        "/analytics/funnel",
        funnel,
        name="analytics_funnel",
        post=Operation(
            "Persons and times per funnel step, per breakdown value" + CSV_NOTE,
            Auth.SECRET_KEY,
            _funnel_answer,
            body=_funnel,
        ),
    ),
    route(
        "/analytics/funnel/persons",
        funnel_persons,
        name="analytics_funnel_persons",
        get=Operation(
            _PERSONS_SUMMARY + "; steps and exclude as JSON" + CSV_NOTE,
            Auth.SECRET_KEY,
            _persons_page,
            query=FunnelPersonsSchema,
        ),
        post=Operation(_PERSONS_SUMMARY + CSV_NOTE, Auth.SECRET_KEY, _persons_page, body=_persons),
    ),
    route(
        "/analytics/ttv",
        _analysis(_ttv, _ttv_answer, ttv.run, ttv.table, "ttv.csv"),
        name="analytics_ttv",
        post=Operation(
            "Time from start to first value: median, p90, shares, histogram, cohorts" + CSV_NOTE,
            Auth.SECRET_KEY,
            _ttv_answer,
            body=_ttv,
        ),
    ),
    route(
        "/analytics/retention",
        _analysis(_retention, _retention_answer, retention.run, retention.table, "retention.csv"),
        name="analytics_retention",
        post=Operation(
            "Cohorts by start period, returning per period since" + CSV_NOTE,
            Auth.SECRET_KEY,
            _retention_answer,
            body=_retention,
        ),
    ),
    *saved_funnel_endpoints.routes,
]
