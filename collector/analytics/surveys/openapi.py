"""The analysis routes of surveys, flows and accounts in ``/openapi.json``."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from marshmallow import Schema

from collector.analytics.surveys import schemas

CSV_NOTE = "; CSV with format=csv or Accept: text/csv"


def analysis_operation(
    summary: str, answer: str, query: type[Schema], *, with_id: bool = False
) -> dict[str, Any]:
    """A secret-key ``GET`` answering ``answer`` (a component) as JSON, or CSV."""
    parameters: list[dict[str, Any]] = [{"in": "query", "schema": query}]
    if with_id:
        path_id = {"in": "path", "name": "id", "required": True, "schema": {"type": "string"}}
        parameters.insert(0, path_id)
    error = {"content": {"application/json": {"schema": "Error"}}}
    refusals = {str(status): {"description": "refused", **error} for status in (400, 401, 403)}
    if with_id:
        refusals["404"] = {"description": "refused", **error}
    return {
        "get": {
            "summary": summary + CSV_NOTE,
            "security": [{"secretKey": []}],
            "parameters": parameters,
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {
                        "application/json": {"schema": answer},
                        "text/csv": {"schema": {"type": "string"}},
                    },
                },
                **refusals,
            },
        }
    }


def add_survey_paths(spec: APISpec) -> None:
    spec.components.schema("SurveyScores", schema=schemas.ScoresSchema)
    spec.components.schema("TextAnswerPage", schema=schemas.TextAnswerPageSchema)
    spec.path(
        path="/api/v1/surveys/{id}/scores",
        operations=analysis_operation(
            "NPS, CSAT or CES with n and a 95% interval, response rate, trend and segments",
            "SurveyScores",
            schemas.ScoresQuerySchema,
            with_id=True,
        ),
    )
    spec.path(
        path="/api/v1/surveys/{id}/texts",
        operations=analysis_operation(
            "The open-text answers counted in the score, each with its score",
            "TextAnswerPage",
            schemas.TextsQuerySchema,
            with_id=True,
        ),
    )
