"""An application's use of the SDK, type-checked with ``mypy --strict`` like every test:
if a public name, signature or return type changes, this stops type-checking.

``assert_type`` pins what each call returns to the type checker and does nothing at run
time; ``test_typed_consumer.py`` also runs these functions, so they stay true.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, assert_type

import waypost
from waypost import (
    AdminClient,
    APIError,
    Client,
    DeliveryError,
    HttpTransport,
    MockTransport,
    Request,
    Response,
    Transport,
    __version__,
    alias,
    configure,
    flush,
    group,
    identify,
    identity_hash,
    page,
    screen,
    shutdown,
    track,
)
from waypost.analytics import Funnel
from waypost.models import FlowProgress, Survey, SurveyResponse
from waypost.paging import Pages


def collecting_transport(sent: list[dict[str, Any]]) -> Transport:
    """A transport for the application's own tests, typed as the protocol."""

    def handler(request: Request) -> Response:
        sent.extend(request.messages())
        return Response(200, {"content-type": "application/json"})

    transport: Transport = MockTransport(handler)
    return transport


def on_error(error: Exception, batch: list[dict[str, Any]]) -> None:
    """An ``on_error`` hook as an application writes one."""
    if isinstance(error, DeliveryError):
        assert_type(error.status, int | None)


def track_a_signup(client: Client, user_id: str) -> str:
    """Server-side calls in Segment's order; the identity hash for the browser SDK."""
    message = client.identify(user_id, {"plan": "pro"}, timestamp=datetime.now(UTC))
    assert_type(message, dict[str, Any] | None)
    client.track(user_id, "Signed Up", {"source": "ads"}, anonymous_id="anon-1")
    client.group(user_id, "account-1", {"seats": 5})
    client.page(user_id, "Docs", "Start", {"path": "/docs"})
    client.screen(user_id, "Settings")
    client.alias("anon-1", user_id, message_id="alias-1")
    assert_type(client.flush(5.0), bool)
    return identity_hash(user_id, "ik_secret")


def track_with_the_module(transport: Transport) -> bool:
    """The module-level API, configured explicitly."""
    configured = configure("wk_test", transport=transport, on_error=on_error)
    assert_type(configured, Client)
    identify("user-1", {"plan": "pro"})
    track("user-1", "Report Created")
    group("user-1", "account-1")
    page("user-1", "Docs", "Start")
    screen("user-1", "Settings")
    alias("anon-1", "user-1")
    assert_type(flush(), bool)
    return shutdown()


def real_transport(host: str) -> Transport:
    return HttpTransport(host, gzip=True, timeout=5.0)


def nps_scores(admin: AdminClient, survey_id: str) -> list[int]:
    """Typed admin reads: a survey, its answers page by page, with a resumable cursor."""
    survey = admin.get_survey(survey_id)
    assert_type(survey, Survey)
    assert_type(survey.version, int)
    answers = admin.responses(survey.id, since=datetime(2026, 1, 1, tzinfo=UTC))
    assert_type(answers, Pages[SurveyResponse])
    scores = [answer.score for answer in answers if answer.score is not None]
    assert_type(answers.cursor, str | None)
    return scores


def flow_people(admin: AdminClient, flow_id: str) -> Iterator[FlowProgress]:
    return admin.flow_progress_people(flow_id, page_size=50)


def activation(admin: AdminClient) -> float:
    """The share of sign-ups who created a report, from a typed funnel."""
    funnel = admin.funnel(["Signed Up", "Report Created"], window="7d")
    assert_type(funnel, Funnel)
    return funnel.steps[-1].conversion_from_first


def refusal(error: APIError) -> tuple[int, str, float | None]:
    return error.status, error.code, error.retry_after


def library_version() -> str:
    return f"{waypost.__name__} {__version__}"
