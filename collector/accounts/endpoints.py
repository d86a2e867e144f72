"""``GET /api/v1/accounts/health``, ``…/at-risk`` and ``…/churn`` (secret key); JSON or CSV."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from collector.accounts.churn import CHURN_COLUMNS, account_churn
from collector.accounts.health import HEALTH_COLUMNS, accounts_health, health_rows, page_of
from collector.accounts.schemas import AtRiskQuerySchema, ChurnQuerySchema, HealthQuerySchema
from collector.auth.guards import project_for_secret_key
from collector.http.csv import csv_response, wants_csv
from collector.http.params import parse_query
from collector.http.responses import JSONResponse
from collector.http.state import engine_of

_health_query = HealthQuerySchema()
_at_risk_query = AtRiskQuerySchema()
_churn_query = ChurnQuerySchema()


async def _health_list(request: Request, params: dict[str, Any], status: str | None) -> Response:
    engine = engine_of(request)
    project_id = await run_in_threadpool(project_for_secret_key, engine, request)
    entries, settings = await run_in_threadpool(
        accounts_health, engine, project_id, params.get("from_"), params.get("to")
    )
    if status is not None:
        entries = [entry for entry in entries if entry["status"] == status]
    if wants_csv(request):
        return csv_response("account-health.csv", HEALTH_COLUMNS, health_rows(entries))
    page = page_of(entries, cursor=params.get("cursor"), limit=params["limit"])
    return JSONResponse({**page.as_dict(), "settings": settings})


async def health(request: Request) -> Response:
    params = parse_query(request, _health_query)
    return await _health_list(request, params, params.get("status"))


async def at_risk(request: Request) -> Response:
    return await _health_list(request, parse_query(request, _at_risk_query), "red")


async def churn(request: Request) -> Response:
    engine = engine_of(request)
    project_id = await run_in_threadpool(project_for_secret_key, engine, request)
    params = parse_query(request, _churn_query)
    result = await run_in_threadpool(
        lambda: account_churn(
            engine,
            project_id,
            start=params.get("from_"),
            end=params.get("to"),
            zone=params["tz"],
            interval=params.get("interval"),
        )
    )
    if wants_csv(request):
        return csv_response("churned-accounts.csv", CHURN_COLUMNS, result["churned_accounts"])
    return JSONResponse(result)


routes = [
    Route("/accounts/health", health, methods=["GET"], name="accounts_health"),
    Route("/accounts/at-risk", at_risk, methods=["GET"], name="accounts_at_risk"),
    Route("/accounts/churn", churn, methods=["GET"], name="accounts_churn"),
]
