"""``GET /api/v1/audit`` (secret key): the project's audit log, oldest first, by pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from collector.audit.repository import entries_page
from collector.audit.results import AuditEntry
from collector.audit.schemas import AuditPageSchema
from collector.kit.auth.callers import caller_of
from collector.kit.db.paging import read_page
from collector.kit.http.answers import Answer
from collector.kit.http.openapi import Auth, Operation, route
from collector.kit.http.params import PageQuerySchema, parse_query
from collector.kit.http.state import engine_of

_page_query = PageQuerySchema()
_page = Answer(AuditPageSchema)


def shaped(row: Row[Any]) -> AuditEntry:
    return {
        "actor": row.actor,
        "action": row.action,
        "target": row.target,
        "details": row.details,
        "at": row.at,
    }


async def audit_log(request: Request) -> Response:
    engine = engine_of(request)
    project_id = caller_of(request).project_id
    params = parse_query(request, _page_query)
    page = await run_in_threadpool(
        read_page,
        engine,
        lambda after, limit: entries_page(project_id, after_id=after, limit=limit),
        shaped,
        cursor=params.get("cursor"),
        limit=params["limit"],
    )
    return _page.render(page.as_dict())


routes = [
    route(
        "/audit",
        audit_log,
        name="audit_log",
        get=Operation(
            "Who changed what, and who was erased, oldest first",
            Auth.SECRET_KEY,
            _page,
            query=PageQuerySchema,
        ),
    )
]
