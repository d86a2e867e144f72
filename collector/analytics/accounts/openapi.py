"""The account health, at-risk and churn routes in ``/openapi.json``."""

from __future__ import annotations

from apispec import APISpec

from collector.analytics.accounts import schemas
from collector.analytics.surveys.openapi import analysis_operation


def _account_path(spec: APISpec) -> None:
    error = {"content": {"application/json": {"schema": "Error"}}}
    path_id = {"in": "path", "name": "id", "required": True, "schema": {"type": "string"}}
    operation = {
        "summary": "One account: traits, health, users, weekly activity and colour history",
        "security": [{"secretKey": []}],
        "parameters": [path_id, {"in": "query", "schema": schemas.AccountQuerySchema}],
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": "Account"}}},
            **{str(status): {"description": "refused", **error} for status in (400, 401, 403)},
            "404": {"description": "no such account in this project", **error},
        },
    }
    spec.path(path="/api/v1/accounts/{id}", operations={"get": operation})


def add_account_paths(spec: APISpec) -> None:
    spec.components.schema("Account", schema=schemas.AccountDetailSchema)
    spec.components.schema("AccountHealthPage", schema=schemas.HealthPageSchema)
    spec.components.schema("Churn", schema=schemas.ChurnSchema)
    for path, summary, answer, query in (
        (
            "/api/v1/accounts/health",
            "Every account's 0-100 health with its components, least healthy first",
            "AccountHealthPage",
            schemas.HealthQuerySchema,
        ),
        (
            "/api/v1/accounts/at-risk",
            "The accounts whose health is red, least healthy first",
            "AccountHealthPage",
            schemas.AtRiskQuerySchema,
        ),
        (
            "/api/v1/accounts/churn",
            "Churn rate over the range (and per period) from the status trait",
            "Churn",
            schemas.ChurnQuerySchema,
        ),
    ):
        spec.path(path=path, operations=analysis_operation(summary, answer, query))
    _account_path(spec)
