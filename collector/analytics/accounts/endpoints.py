"""``GET /api/v1/accounts/health``, ``…/at-risk`` and ``…/churn`` (secret key; JSON or CSV),
and ``GET /api/v1/accounts/{id}``: one account's page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from collector.analytics.accounts.churn import CHURN_COLUMNS, account_churn
from collector.analytics.accounts.detail import Weeks, account_detail, parse_account_id
from collector.analytics.accounts.health import (
    HEALTH_COLUMNS,
    accounts_health,
    health_rows,
    page_of,
)
from collector.analytics.accounts.schemas import (
    AccountDetailSchema,
    AccountQuerySchema,
    AtRiskQuerySchema,
    ChurnQuerySchema,
    ChurnSchema,
    HealthPageSchema,
    HealthQuerySchema,
)
from collector.kit.auth.callers import caller_of
from collector.kit.http.answers import Answer
from collector.kit.http.csv import CSV_NOTE, csv_response, wants_csv
from collector.kit.http.openapi import Auth, Operation, route
from collector.kit.http.params import parse_query, text_param
from collector.kit.http.state import engine_of

_health_query = HealthQuerySchema()
_at_risk_query = AtRiskQuerySchema()
_churn_query = ChurnQuerySchema()
_account_query = AccountQuerySchema()


_health_page = Answer(HealthPageSchema, media=("application/json", "text/csv"))
_churn = Answer(ChurnSchema, media=("application/json", "text/csv"))
_account = Answer(AccountDetailSchema)


async def _health_list(request: Request, params: dict[str, Any], status: str | None) -> Response:
    engine = engine_of(request)
    project_id = caller_of(request).project_id
    entries, settings = await run_in_threadpool(
        accounts_health, engine, project_id, params.get("from_"), params.get("to")
    )
    if status is not None:
        entries = [entry for entry in entries if entry["status"] == status]
    if wants_csv(request):
        return csv_response("account-health.csv", HEALTH_COLUMNS, health_rows(entries))
    page = page_of(entries, cursor=params.get("cursor"), limit=params["limit"])
    return _health_page.render({**page.as_dict(), "settings": settings})


async def health(request: Request) -> Response:
    params = parse_query(request, _health_query)
    return await _health_list(request, params, params.get("status"))


async def at_risk(request: Request) -> Response:
    return await _health_list(request, parse_query(request, _at_risk_query), "red")


async def churn(request: Request) -> Response:
    engine = engine_of(request)
    project_id = caller_of(request).project_id
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
    return _churn.render(result)


async def account(request: Request) -> Response:
    engine = engine_of(request)
    project_id = caller_of(request).project_id
    params = parse_query(request, _account_query)
    account_id = parse_account_id(text_param(request.path_params["id"]))
    weeks = Weeks(params.get("to") or datetime.now(UTC), params["tz"], params["weeks"])
    found = await run_in_threadpool(
        lambda: account_detail(
            engine,
            project_id,
            account_id,
            weeks,
            cursor=params.get("cursor"),
            limit=params["limit"],
        )
    )
    return _account.render(found)


routes = [
    route(
        "/accounts/health",
        health,
        name="accounts_health",
        get=Operation(
            "Every account's 0-100 health with its components, least healthy first" + CSV_NOTE,
            Auth.SECRET_KEY,
            _health_page,
            query=HealthQuerySchema,
        ),
    ),
    route(
        "/accounts/at-risk",
        at_risk,
        name="accounts_at_risk",
        get=Operation(
            "The accounts whose health is red, least healthy first" + CSV_NOTE,
            Auth.SECRET_KEY,
            _health_page,
            query=AtRiskQuerySchema,
        ),
    ),
    route(
        "/accounts/churn",
        churn,
        name="accounts_churn",
        get=Operation(
            "Churn rate over the range (and per period) from the status trait" + CSV_NOTE,
            Auth.SECRET_KEY,
            _churn,
            query=ChurnQuerySchema,
        ),
    ),
    # After the fixed paths above, which a path parameter would otherwise swallow.
    route(
        "/accounts/{id}",
        account,
        name="get_account",
        get=Operation(
            "One account: traits, health, users, weekly activity and colour history",
            Auth.SECRET_KEY,
            _account,
            query=AccountQuerySchema,
            errors=(404,),
        ),
    ),
]
