"""``GET /api/v1/surveys/{id}/scores`` and ``../texts`` (secret key); JSON or CSV."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from collector.analytics.surveys.queries import AnswerFilter
from collector.analytics.surveys.schemas import (
    ScoresQuerySchema,
    ScoresSchema,
    TextAnswerPageSchema,
    TextsQuerySchema,
)
from collector.analytics.surveys.service import (
    TEXT_COLUMNS,
    ScoreQuery,
    all_text_answers,
    require_survey,
    score_columns,
    score_rows,
    survey_scores,
    text_answers,
)
from collector.experiences.service import parse_id
from collector.kit.auth.callers import caller_of
from collector.kit.http.answers import Answer
from collector.kit.http.csv import CSV_MEDIA_TYPE, CSV_NOTE, csv_lines, csv_response, wants_csv
from collector.kit.http.openapi import Auth, Operation, route
from collector.kit.http.params import parse_query
from collector.kit.http.state import engine_of

_scores_query = ScoresQuerySchema()
_texts_query = TextsQuerySchema()


_scores = Answer(ScoresSchema, media=("application/json", "text/csv"))
_texts = Answer(TextAnswerPageSchema, media=("application/json", "text/csv"))


def _answer_filter(project_id: uuid.UUID, survey_id: uuid.UUID, params: Any) -> AnswerFilter:
    return AnswerFilter(
        project_id=project_id,
        survey_id=survey_id,
        start=params.get("from_"),
        end=params.get("to"),
        include_ineligible=params["include_ineligible"],
    )


async def scores(request: Request) -> Response:
    engine = engine_of(request)
    project_id = caller_of(request).project_id
    survey_id = parse_id(request.path_params["id"], "survey")
    params = parse_query(request, _scores_query)
    query = ScoreQuery(
        where=_answer_filter(project_id, survey_id, params),
        zone=params["tz"],
        interval=params.get("interval"),
        segment=params.get("segment_by"),
    )
    result = await run_in_threadpool(survey_scores, engine, project_id, survey_id, query)
    if wants_csv(request):
        columns = score_columns(result["type"])
        return csv_response(f"scores-{survey_id}.csv", columns, score_rows(result))
    return _scores.render(result)


async def texts(request: Request) -> Response:
    engine = engine_of(request)
    project_id = caller_of(request).project_id
    survey_id = parse_id(request.path_params["id"], "survey")
    params = parse_query(request, _texts_query)
    where = _answer_filter(project_id, survey_id, params)
    await run_in_threadpool(require_survey, engine, project_id, survey_id)
    if wants_csv(request):
        lines = csv_lines(TEXT_COLUMNS, all_text_answers(engine, where))
        return StreamingResponse(
            iterate_in_threadpool(line.encode() for line in lines),
            media_type=CSV_MEDIA_TYPE,
            headers={"content-disposition": f'attachment; filename="texts-{survey_id}.csv"'},
        )
    page = await run_in_threadpool(
        text_answers, engine, where, cursor=params.get("cursor"), limit=params["limit"]
    )
    return _texts.render(page.as_dict())


routes = [
    route(
        "/surveys/{id}/scores",
        scores,
        name="survey_scores",
        get=Operation(
            "NPS, CSAT or CES with n and a 95% interval, response rate, trend and segments"
            + CSV_NOTE,
            Auth.SECRET_KEY,
            _scores,
            query=ScoresQuerySchema,
            errors=(404,),
        ),
    ),
    route(
        "/surveys/{id}/texts",
        texts,
        name="survey_texts",
        get=Operation(
            "The open-text answers counted in the score, each with its score" + CSV_NOTE,
            Auth.SECRET_KEY,
            _texts,
            query=TextsQuerySchema,
            errors=(404,),
        ),
    ),
]
