"""``AdminClient``: the collector's admin API (``/api/v1``) with the project's secret key.

Flows and surveys (create, list, read, edit, archive), survey responses and flow progress,
events, persons and why they see what they see, the project's settings, the analyses
(funnels, time to value, retention, survey scores, account health) and webhook
endpoints::

    import waypost

    with waypost.AdminClient("sk_...", "https://waypost.example.com") as admin:
        survey = admin.create_survey({"name": "NPS", "type": "nps"})
        for answer in admin.responses(survey.id, eligible=True):
            print(answer.score, answer.responded_at)

What it reads comes back as the frozen dataclasses of ``waypost.models`` and
``waypost.analytics``; paginated lists
are ``Pages`` iterators that fetch page after page as you read. Requests share one
keep-alive connection (``close()`` it, or use the client as a context manager). Any answer
other than 2xx raises ``APIError``; network failures propagate as ``OSError``. Only a read
that met a dropped connection is retried (once); a 429 carries ``retry_after``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Literal, Self

from waypost.analytics import (
    AccountHealth,
    Funnel,
    Retention,
    SurveyScores,
    TimeToValue,
    WebhookEndpoint,
)
from waypost.api import Api, Moment, Query, segment
from waypost.models import (
    Eligibility,
    Event,
    Flow,
    FlowProgress,
    Person,
    ProgressSummary,
    Project,
    Survey,
    SurveyResponse,
)
from waypost.paging import Pages


class AdminClient:
    """Calls to ``{host}/api/v1`` with ``Authorization: Bearer {secret_key}``.

    One client may be shared between threads: its requests take turns on one connection.
    """

    def __init__(
        self, secret_key: str, host: str = "http://127.0.0.1:8000", *, timeout: float = 10.0
    ) -> None:
        self._api = Api(secret_key, host, timeout=timeout)

    def close(self) -> None:
        """Close the connection; a later call opens a new one."""
        self._api.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # Flows

    def create_flow(self, body: Mapping[str, Any]) -> Flow:
        return Flow.from_json(self._api.request_json("POST", "/flows", body=body))

    def get_flow(self, flow_id: str) -> Flow:
        return Flow.from_json(self._api.request_json("GET", f"/flows/{segment(flow_id)}"))

    def list_flows(self, status: str | None = None, type: str | None = None) -> list[Flow]:
        """Draft, live and paused flows, oldest first; archived ones with ``status``."""
        return self._api.listed("/flows", Flow.from_json, status, type)

    def update_flow(self, flow_id: str, patch: Mapping[str, Any]) -> Flow:
        """Replace the fields in ``patch`` (``None`` resets one to its default)."""
        return Flow.from_json(
            self._api.request_json("PATCH", f"/flows/{segment(flow_id)}", body=patch)
        )

    def archive_flow(self, flow_id: str) -> Flow:
        return Flow.from_json(self._api.request_json("DELETE", f"/flows/{segment(flow_id)}"))

    # Surveys

    def create_survey(self, body: Mapping[str, Any]) -> Survey:
        return Survey.from_json(self._api.request_json("POST", "/surveys", body=body))

    def get_survey(self, survey_id: str) -> Survey:
        return Survey.from_json(self._api.request_json("GET", f"/surveys/{segment(survey_id)}"))

    def list_surveys(self, status: str | None = None, type: str | None = None) -> list[Survey]:
        """Draft, live and paused surveys, oldest first; archived ones with ``status``."""
        return self._api.listed("/surveys", Survey.from_json, status, type)

    def update_survey(self, survey_id: str, patch: Mapping[str, Any]) -> Survey:
        """Replace the fields in ``patch``; a content change makes a new version."""
        path = f"/surveys/{segment(survey_id)}"
        return Survey.from_json(self._api.request_json("PATCH", path, body=patch))

    def archive_survey(self, survey_id: str) -> Survey:
        return Survey.from_json(self._api.request_json("DELETE", f"/surveys/{segment(survey_id)}"))

    # Answers and progress

    def responses(
        self,
        survey_id: str,
        *,
        since: Moment | None = None,
        until: Moment | None = None,
        eligible: bool | None = None,
        page_size: int = 100,
        cursor: str | None = None,
    ) -> Pages[SurveyResponse]:
        """Every answer to the survey, oldest first, fetched ``page_size`` at a time."""
        query = {"from": since, "to": until, "eligible": eligible, "limit": page_size}
        path = f"/surveys/{segment(survey_id)}/responses"
        return self._api.pages(path, query, SurveyResponse.from_json, cursor)

    def export_responses(self, survey_id: str, format: Literal["csv", "ndjson"] = "csv") -> bytes:
        """All answers to the survey in one CSV or NDJSON document."""
        path = f"/surveys/{segment(survey_id)}/responses"
        return self._api.request("GET", path, {"format": format}).body

    def flow_progress(self, flow_id: str) -> ProgressSummary:
        """How many people are at each status of the flow."""
        path = f"/flows/{segment(flow_id)}/progress"
        return ProgressSummary.from_json(self._api.request_json("GET", path, {"limit": 1}))

    def flow_progress_people(
        self, flow_id: str, *, page_size: int = 100, cursor: str | None = None
    ) -> Pages[FlowProgress]:
        """The progress of every person through the flow, across all pages."""
        path = f"/flows/{segment(flow_id)}/progress"
        return self._api.pages(path, {"limit": page_size}, FlowProgress.from_json, cursor)

    # Events and persons

    def events(
        self,
        *,
        event: str | None = None,
        user_id: str | None = None,
        since: Moment | None = None,
        until: Moment | None = None,
        page_size: int = 100,
        cursor: str | None = None,
    ) -> Pages[Event]:
        """The project's events, oldest first; ``user_id`` includes what the person did
        before signing up. Keep ``.cursor`` to read only newer events next time."""
        query = {"event": event, "userId": user_id, "from": since, "to": until, "limit": page_size}
        return self._api.pages("/events", query, Event.from_json, cursor)

    def person(self, person_id: str) -> Person:
        """A person by user id, anonymous id or person id."""
        return Person.from_json(self._api.request_json("GET", f"/persons/{segment(person_id)}"))

    def eligibility(
        self, person_id: str, *, url: str | None = None, locale: str | None = None
    ) -> Eligibility:
        """Every live experience with whether the person would see it now, and why not."""
        path = f"/persons/{segment(person_id)}/eligibility"
        return Eligibility.from_json(
            self._api.request_json("GET", path, {"url": url, "locale": locale})
        )

    # The project

    def project(self) -> Project:
        return Project.from_json(self._api.request_json("GET", "/project"))

    def update_project_settings(self, settings: Mapping[str, Any]) -> Project:
        body = {"settings": dict(settings)}
        return Project.from_json(self._api.request_json("PATCH", "/project", body=body))

    # Analytics

    def funnel(
        self,
        steps: Sequence[str | Mapping[str, Any]],
        *,
        since: Moment | None = None,
        until: Moment | None = None,
        tz: str | None = None,
        window: str | None = None,
        order: str | None = None,
        exclude: Sequence[Mapping[str, Any]] | None = None,
        breakdown: str | None = None,
    ) -> Funnel:
        """Who went through ``steps`` (event names, or ``{"event", "where"}``) in order,
        each step within ``window`` (``"14d"``) of the first; see docs/analytics.md."""
        body = {"steps": list(steps), "window": window, "order": order, "breakdown": breakdown}
        body |= {"exclude": None if exclude is None else list(exclude)}
        return Funnel.from_json(self._api.analysis("/analytics/funnel", body, since, until, tz))

    def time_to_value(
        self,
        value: str | Mapping[str, Any],
        *,
        start: str | Mapping[str, Any] | None = None,
        since: Moment | None = None,
        until: Moment | None = None,
        tz: str | None = None,
        breakdown: str | None = None,
    ) -> TimeToValue:
        """How long persons take from ``start`` (default: their first event) to ``value``."""
        body = {"value": value, "start": start, "breakdown": breakdown}
        return TimeToValue.from_json(self._api.analysis("/analytics/ttv", body, since, until, tz))

    def retention(
        self,
        *,
        start: str | Mapping[str, Any] | None = None,
        returning: str | Mapping[str, Any] | None = None,
        interval: str | None = None,
        periods: int | None = None,
        since: Moment | None = None,
        until: Moment | None = None,
        tz: str | None = None,
    ) -> Retention:
        """Cohorts by the period of ``start``, and who came back (``returning``) after."""
        body = {"start": start, "returning": returning, "interval": interval, "periods": periods}
        return Retention.from_json(
            self._api.analysis("/analytics/retention", body, since, until, tz)
        )

    def survey_scores(
        self,
        survey_id: str,
        *,
        since: Moment | None = None,
        until: Moment | None = None,
        tz: str | None = None,
        interval: str | None = None,
        segment_by: str | None = None,
        include_ineligible: bool | None = None,
    ) -> SurveyScores:
        """The survey's NPS, CSAT or CES over the range, with its trend and segments."""
        query: Query = {"from": since, "to": until, "tz": tz, "interval": interval}
        query = {**query, "segment_by": segment_by, "include_ineligible": include_ineligible}
        path = f"/surveys/{segment(survey_id)}/scores"
        return SurveyScores.from_json(self._api.request_json("GET", path, query))

    def account_health(
        self,
        *,
        since: Moment | None = None,
        until: Moment | None = None,
        status: str | None = None,
        page_size: int = 100,
        cursor: str | None = None,
    ) -> Pages[AccountHealth]:
        """Every account's health, least healthy first."""
        query = {"from": since, "to": until, "status": status, "limit": page_size}
        return self._api.pages("/accounts/health", query, AccountHealth.from_json, cursor)

    # Webhooks

    def create_webhook_endpoint(self, body: Mapping[str, Any]) -> WebhookEndpoint:
        """A new endpoint; the answer's ``secret`` is shown this once."""
        return WebhookEndpoint.from_json(
            self._api.request_json("POST", "/webhooks/endpoints", body=body)
        )

    def list_webhook_endpoints(self) -> list[WebhookEndpoint]:
        found = self._api.request_json("GET", "/webhooks/endpoints")
        return [WebhookEndpoint.from_json(item) for item in found["data"]]

    def get_webhook_endpoint(self, endpoint_id: str) -> WebhookEndpoint:
        path = f"/webhooks/endpoints/{segment(endpoint_id)}"
        return WebhookEndpoint.from_json(self._api.request_json("GET", path))

    def update_webhook_endpoint(
        self, endpoint_id: str, patch: Mapping[str, Any]
    ) -> WebhookEndpoint:
        path = f"/webhooks/endpoints/{segment(endpoint_id)}"
        return WebhookEndpoint.from_json(self._api.request_json("PATCH", path, body=patch))

    def delete_webhook_endpoint(self, endpoint_id: str) -> None:
        """Remove the endpoint and its delivery log."""
        self._api.request("DELETE", f"/webhooks/endpoints/{segment(endpoint_id)}")

    def rotate_webhook_secret(self, endpoint_id: str, *, grace_seconds: int | None = None) -> str:
        """A new signing secret; the old one keeps signing too for ``grace_seconds``."""
        path = f"/webhooks/endpoints/{segment(endpoint_id)}/rotate-secret"
        body = {} if grace_seconds is None else {"grace_seconds": grace_seconds}
        secret: str = self._api.request_json("POST", path, body=body)["secret"]
        return secret
