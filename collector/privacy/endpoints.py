"""``DELETE /api/v1/persons/{id}`` (erase, ``?suppress=true`` to keep them out) and
``GET /api/v1/persons/{id}/export`` (everything held about them), secret key."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import RAISE, Schema, fields
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from collector.audit.callers import Caller, secret_key_caller
from collector.auth.guards import project_for_secret_key
from collector.db.engine import write_transaction
from collector.http.params import parse_query, text_param
from collector.http.responses import JSONResponse
from collector.http.state import engine_of
from collector.ops.metrics import record_erasure
from collector.privacy.erasure import erase_person
from collector.privacy.export import export_person


class ErasureQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    suppress = fields.Boolean(
        load_default=False,
        truthy={"true"},
        falsy={"false"},
        metadata={"description": "also drop this person's future events (delete and suppress)"},
    )


_erasure_query = ErasureQuerySchema()


def _erase(engine: Engine, caller: Caller, key: str, suppress: bool) -> dict[str, Any]:
    with write_transaction(engine) as connection:
        erasure = erase_person(
            connection,
            caller.project_id,
            key,
            actor=caller.actor,
            suppress=suppress,
            now=datetime.now(UTC),
        )
    record_erasure()
    return erasure.as_dict()


async def erase(request: Request) -> Response:
    engine = engine_of(request)
    caller = await run_in_threadpool(secret_key_caller, engine, request)
    params = parse_query(request, _erasure_query)
    key = text_param(request.path_params["id"])
    return JSONResponse(await run_in_threadpool(_erase, engine, caller, key, params["suppress"]))


async def export(request: Request) -> Response:
    engine = engine_of(request)
    project_id = await run_in_threadpool(project_for_secret_key, engine, request)
    key = text_param(request.path_params["id"])
    found = await run_in_threadpool(export_person, engine, project_id, key, datetime.now(UTC))
    return JSONResponse(found)


routes = [
    Route("/persons/{id:path}/export", export, methods=["GET"], name="export_person"),
    Route("/persons/{id:path}", erase, methods=["DELETE"], name="erase_person"),
]
