"""``AdminClient``: the collector's admin API (``/api/v1``) with the project's secret key.

Flows and surveys (create, list, read, edit, archive), survey responses and flow progress,
events, persons and why they see what they see, and the project's settings::

    import waypost

    admin = waypost.AdminClient("sk_...", "https://waypost.example.com")
    survey = admin.create_survey({"name": "NPS", "type": "nps"})
    for answer in admin.responses(survey["id"], eligible=True):
        print(answer["score"])

Results are the collector's JSON as plain dicts; paginated lists are iterators that follow
``next_cursor`` while ``has_more``. Any answer other than 2xx raises ``APIError``; network
failures propagate as ``OSError``. Nothing is retried: a 429 carries ``retry_after``.
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, Literal

from waypost.messages import VERSION

Query = Mapping[str, str | int | bool | datetime | None]
Moment = datetime | str


class APIError(Exception):
    """The collector refused a request: ``{"error": {"code", "message", "fields"?}}``.

    ``retry_after`` is the ``Retry-After`` header in seconds (a 429), else ``None``.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, Any] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.retry_after = retry_after


class AdminClient:
    """Typed calls to ``{host}/api/v1`` with ``Authorization: Bearer {secret_key}``.

    Each call opens a connection of its own, so one client may be shared between threads.
    """

    def __init__(
        self, secret_key: str, host: str = "http://127.0.0.1:8000", *, timeout: float = 10.0
    ) -> None:
        url = urllib.parse.urlsplit(host)
        self._https = url.scheme == "https"
        self._netloc = url.netloc
        self._prefix = url.path.rstrip("/") + "/api/v1"
        self._timeout = timeout
        self._headers = {
            "Authorization": f"Bearer {secret_key}",
            "Accept": "application/json",
            "User-Agent": f"waypost-python/{VERSION}",
        }

    # Flows

    def create_flow(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return self._json("POST", "/flows", body=body)

    def get_flow(self, flow_id: str) -> dict[str, Any]:
        return self._json("GET", f"/flows/{_segment(flow_id)}")

    def list_flows(
        self, status: str | None = None, type: str | None = None
    ) -> list[dict[str, Any]]:
        return self._list("/flows", status, type)

    def update_flow(self, flow_id: str, patch: Mapping[str, Any]) -> dict[str, Any]:
        return self._json("PATCH", f"/flows/{_segment(flow_id)}", body=patch)

    def archive_flow(self, flow_id: str) -> dict[str, Any]:
        return self._json("DELETE", f"/flows/{_segment(flow_id)}")

    # Surveys

    def create_survey(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return self._json("POST", "/surveys", body=body)

    def get_survey(self, survey_id: str) -> dict[str, Any]:
        return self._json("GET", f"/surveys/{_segment(survey_id)}")

    def list_surveys(
        self, status: str | None = None, type: str | None = None
    ) -> list[dict[str, Any]]:
        return self._list("/surveys", status, type)

    def update_survey(self, survey_id: str, patch: Mapping[str, Any]) -> dict[str, Any]:
        return self._json("PATCH", f"/surveys/{_segment(survey_id)}", body=patch)

    def archive_survey(self, survey_id: str) -> dict[str, Any]:
        return self._json("DELETE", f"/surveys/{_segment(survey_id)}")

    # Answers and progress

    def responses(
        self,
        survey_id: str,
        *,
        since: Moment | None = None,
        until: Moment | None = None,
        eligible: bool | None = None,
        page_size: int = 100,
    ) -> Iterator[dict[str, Any]]:
        """Every answer to the survey, oldest first, fetched ``page_size`` at a time."""
        query = {"from": since, "to": until, "eligible": eligible, "limit": page_size}
        return self._pages(f"/surveys/{_segment(survey_id)}/responses", query)

    def export_responses(self, survey_id: str, format: Literal["csv", "ndjson"] = "csv") -> bytes:
        """All answers to the survey in one CSV or NDJSON document."""
        path = f"/surveys/{_segment(survey_id)}/responses"
        return self._request("GET", path, {"format": format})

    def flow_progress(self, flow_id: str, *, page_size: int = 100) -> dict[str, Any]:
        """The flow's ``summary`` (people per status) with the first page of people."""
        return self._json("GET", f"/flows/{_segment(flow_id)}/progress", {"limit": page_size})

    def flow_progress_people(
        self, flow_id: str, *, page_size: int = 100
    ) -> Iterator[dict[str, Any]]:
        """The progress of every person through the flow, across all pages."""
        return self._pages(f"/flows/{_segment(flow_id)}/progress", {"limit": page_size})

    # Events and persons

    def events(
        self,
        *,
        event: str | None = None,
        user_id: str | None = None,
        since: Moment | None = None,
        until: Moment | None = None,
        page_size: int = 100,
    ) -> Iterator[dict[str, Any]]:
        """The project's events, oldest first."""
        query = {"event": event, "userId": user_id, "from": since, "to": until, "limit": page_size}
        return self._pages("/events", query)

    def person(self, person_id: str) -> dict[str, Any]:
        """A person by user id, anonymous id or person id."""
        return self._json("GET", f"/persons/{_segment(person_id)}")

    def eligibility(
        self, person_id: str, *, url: str | None = None, locale: str | None = None
    ) -> dict[str, Any]:
        """Every live experience with whether the person would see it now, and why not."""
        path = f"/persons/{_segment(person_id)}/eligibility"
        return self._json("GET", path, {"url": url, "locale": locale})

    # The project

    def project(self) -> dict[str, Any]:
        return self._json("GET", "/project")

    def update_project_settings(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        return self._json("PATCH", "/project", body={"settings": dict(settings)})

    # Plumbing

    def _list(self, path: str, status: str | None, type_: str | None) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._json("GET", path, {"status": status, "type": type_})[
            "data"
        ]
        return found

    def _pages(self, path: str, query: Query) -> Iterator[dict[str, Any]]:
        params = dict(query)
        while True:
            page = self._json("GET", path, params)
            yield from page["data"]
            if not page["has_more"]:
                return
            params["cursor"] = page["next_cursor"]

    def _json(
        self,
        method: str,
        path: str,
        query: Query | None = None,
        *,
        body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        decoded: dict[str, Any] = json.loads(self._request(method, path, query, body=body))
        return decoded

    def _request(
        self,
        method: str,
        path: str,
        query: Query | None = None,
        *,
        body: Mapping[str, Any] | None = None,
    ) -> bytes:
        target = self._prefix + path + _query_string(query or {})
        headers = dict(self._headers)
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        connection = kind(self._netloc, timeout=self._timeout)
        try:
            connection.request(method, target, body=payload, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
        except http.client.HTTPException as error:
            raise ConnectionError(f"bad HTTP answer: {error!r}") from error
        finally:
            connection.close()
        if not 200 <= answer.status < 300:
            raise _api_error(answer.status, content, answer.getheader("Retry-After"))
        return content


def _segment(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def _query_string(query: Query) -> str:
    pairs = [(name, _text(value)) for name, value in query.items() if value is not None]
    return "?" + urllib.parse.urlencode(pairs) if pairs else ""


def _text(value: str | int | bool | datetime) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _api_error(status: int, content: bytes, retry_after: str | None) -> APIError:
    try:
        error = json.loads(content)["error"]
        code, message, fields = str(error["code"]), str(error["message"]), error.get("fields")
    except (ValueError, TypeError, KeyError):
        code, message, fields = "http_error", content.decode("utf-8", "replace")[:500], None
    return APIError(status, code, message, fields, _seconds(retry_after))


def _seconds(header: str | None) -> float | None:
    try:
        return float(header) if header is not None else None
    except ValueError:
        return None
