"""``GET /v1/flows`` (write key, called by the browser SDK) and
``GET /api/v1/persons/{id}/eligibility`` (secret key, for support teams)."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from collector.delivery import threads
from collector.delivery.live import live_experiences_of
from collector.delivery.results import Delivery
from collector.delivery.schemas import (
    DeliveryQuerySchema,
    DeliverySchema,
    EligibilityReportSchema,
    PageSchema,
    quick_delivery_query,
)
from collector.delivery.service import DeliveryQuery, deliver, explain
from collector.kit.auth.callers import caller_of
from collector.kit.http.answers import Answer
from collector.kit.http.openapi import Auth, Operation, route
from collector.kit.http.params import parse_query, text_param
from collector.kit.http.responses import JSONResponse
from collector.kit.http.state import app_state
from collector.targeting.facts import PageFacts

_delivery_query = DeliveryQuerySchema()
_page_query = PageSchema()
IDENTITY_HASH_HEADER = "x-waypost-identity-hash"
_delivered = Answer(DeliverySchema)
"""Documents the answer only: every page view of every customer asks for it, so it goes
out as the service built it rather than through :meth:`Answer.render`."""
_report = Answer(EligibilityReportSchema)


async def flows(request: Request) -> Response:
    params = _delivery_params(request)
    query = DeliveryQuery(
        user_id=params.get("userId"),
        anonymous_id=params.get("anonymousId"),
        identity_hash=params.get("identityHash") or request.headers.get(IDENTITY_HASH_HEADER),
        url=params.get("url"),
        locale=params.get("locale"),
        session_id=params.get("sessionId"),
    )
    caller = caller_of(request)
    state = app_state(request)
    engine, key_owners = state["engine"], state["key_owners"]
    experiences = live_experiences_of(request)

    def answer() -> Delivery:
        return deliver(engine, experiences, key_owners, caller, query, now=datetime.now(UTC))

    # The fast path: the answer goes out as built, not through _delivered.render.
    return JSONResponse(await threads.run_for(engine, answer))


def _delivery_params(request: Request) -> dict[str, str]:
    """The query, read directly when it is an ordinary one, else by the schema."""
    params = {name: text_param(value) for name, value in request.query_params.items()}
    return quick_delivery_query(params) or parse_query(request, _delivery_query)


async def eligibility(request: Request) -> Response:
    project_id = caller_of(request).project_id
    params = parse_query(request, _page_query)
    page = PageFacts(
        url=params.get("url"), locale=params.get("locale"), session_id=params.get("sessionId")
    )
    person_key = text_param(request.path_params["id"])
    engine, experiences = app_state(request)["engine"], live_experiences_of(request)
    report = await run_in_threadpool(
        lambda: explain(engine, experiences, project_id, person_key, page, now=datetime.now(UTC))
    )
    return _report.render(report)


sdk_routes = [
    route(
        "/flows",
        flows,
        name="deliver_flows",
        get=Operation(
            "The live flows and surveys this person is eligible for now",
            Auth.WRITE_KEY,
            _delivered,
            query=DeliveryQuerySchema,
        ),
    )
]
admin_routes = [
    route(
        "/persons/{id:path}/eligibility",
        eligibility,
        name="eligibility",
        get=Operation(
            "Every live experience with the decision for this person, and why",
            Auth.SECRET_KEY,
            _report,
            query=PageSchema,
            errors=(404,),
        ),
    )
]
