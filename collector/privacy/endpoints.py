"""``DELETE /api/v1/persons/{id}`` (secret key): erase, ``?suppress=true`` to keep them out."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from collector.kit.auth.callers import Caller, caller_of
from collector.kit.db.engine import write_transaction
from collector.kit.http.answers import Answer
from collector.kit.http.openapi import Auth, Operation, route
from collector.kit.http.params import parse_query, text_param
from collector.kit.http.state import engine_of
from collector.kit.metrics import record_erasure
from collector.privacy.erasure import ErasureAnswer, erase_person
from collector.privacy.schemas import ErasureQuerySchema, ErasureSchema

_erased = Answer(ErasureSchema)
_erasure_query = ErasureQuerySchema()


def _erase(engine: Engine, caller: Caller, key: str, suppress: bool) -> ErasureAnswer:
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
    caller = caller_of(request)
    params = parse_query(request, _erasure_query)
    key = text_param(request.path_params["id"])
    return _erased.render(
        await run_in_threadpool(_erase, engine_of(request), caller, key, params["suppress"])
    )


routes = [
    route(
        "/persons/{id:path}",
        erase,
        name="erase_person",
        delete=Operation(
            "Erase a person and everything linked to them; suppress if asked",
            Auth.SECRET_KEY,
            _erased,
            query=ErasureQuerySchema,
            errors=(404,),
        ),
    ),
]
