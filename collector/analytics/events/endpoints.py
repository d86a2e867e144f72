"""``GET /api/v1/events``: the project's stored events (secret key)."""

from __future__ import annotations

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from collector.analytics.events.queries import EventFilter
from collector.analytics.events.schemas import EventPageSchema, EventQuerySchema
from collector.analytics.events.service import list_events, stream_events
from collector.kit.auth.callers import caller_of
from collector.kit.http.answers import Answer
from collector.kit.http.openapi import Auth, Operation, route
from collector.kit.http.params import parse_query
from collector.kit.http.state import engine_of

_query = EventQuerySchema()


_page = Answer(EventPageSchema, media=("application/json", "application/x-ndjson"))


async def events(request: Request) -> Response:
    engine = engine_of(request)
    project_id = caller_of(request).project_id
    params = parse_query(request, _query)
    where = EventFilter(
        project_id=project_id,
        event=params.get("event"),
        user_id=params.get("userId"),
        person_id=params.get("personId"),
        start=params.get("from_"),
        end=params.get("to"),
    )
    if params["format"] == "ndjson":
        return StreamingResponse(
            iterate_in_threadpool(stream_events(engine, where)),
            media_type="application/x-ndjson",
        )
    page = await run_in_threadpool(
        list_events, engine, where, cursor=params.get("cursor"), limit=params["limit"]
    )
    return _page.render(page.as_dict())


routes = [
    route(
        "/events",
        events,
        name="list_events",
        get=Operation(
            "The project's events, oldest first, a page at a time or as NDJSON",
            Auth.SECRET_KEY,
            _page,
            query=EventQuerySchema,
        ),
    )
]
