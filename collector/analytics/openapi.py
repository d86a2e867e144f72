"""The analytics routes in ``/openapi.json``."""

from __future__ import annotations

from typing import Any

from apispec import APISpec

from collector.analytics import schemas
from collector.analytics.saved_funnel_openapi import add_saved_funnel_paths

CSV_NOTE = "; CSV with format=csv or Accept: text/csv"


def _answers(answer: str) -> dict[str, Any]:
    error = {"content": {"application/json": {"schema": "Error"}}}
    return {
        "200": {
            "description": "ok",
            "content": {
                "application/json": {"schema": answer},
                "text/csv": {"schema": {"type": "string"}},
            },
        },
        **{
            str(status): {"description": "refused", **error}
            for status in (400, 401, 403, 413, 415, 422)
        },
    }


def _post(summary: str, body: str, answer: str) -> dict[str, Any]:
    return {
        "summary": summary + CSV_NOTE,
        "security": [{"secretKey": []}],
        "requestBody": {"content": {"application/json": {"schema": body}}},
        "responses": _answers(answer),
    }


def add_paths(spec: APISpec) -> None:
    for name, schema in {
        "FunnelQuery": schemas.FunnelSchema,
        "FunnelPersonsQuery": schemas.FunnelPersonsSchema,
        "TimeToValueQuery": schemas.TimeToValueSchema,
        "RetentionQuery": schemas.RetentionSchema,
        "FunnelAnswer": schemas.FunnelAnswerSchema,
        "FunnelPersonsPage": schemas.FunnelPersonsPageSchema,
        "TimeToValueAnswer": schemas.TimeToValueAnswerSchema,
        "RetentionAnswer": schemas.RetentionAnswerSchema,
    }.items():
        spec.components.schema(name, schema=schema)
    persons_summary = "Who reached a funnel step (and, with dropped, went no further)"
    spec.path(
        path="/api/v1/analytics/funnel",
        operations={
            "post": _post(
                "Persons and times per funnel step, per breakdown value",
                "FunnelQuery",
                "FunnelAnswer",
            )
        },
    )
    spec.path(
        path="/api/v1/analytics/funnel/persons",
        operations={
            "get": {
                "summary": persons_summary + "; steps and exclude as JSON" + CSV_NOTE,
                "security": [{"secretKey": []}],
                "parameters": [{"in": "query", "schema": schemas.FunnelPersonsSchema}],
                "responses": _answers("FunnelPersonsPage"),
            },
            "post": _post(persons_summary, "FunnelPersonsQuery", "FunnelPersonsPage"),
        },
    )
    spec.path(
        path="/api/v1/analytics/ttv",
        operations={
            "post": _post(
                "Time from start to first value: median, p90, shares, histogram, cohorts",
                "TimeToValueQuery",
                "TimeToValueAnswer",
            )
        },
    )
    spec.path(
        path="/api/v1/analytics/retention",
        operations={
            "post": _post(
                "Cohorts by start period, returning per period since",
                "RetentionQuery",
                "RetentionAnswer",
            )
        },
    )
    add_saved_funnel_paths(spec)
