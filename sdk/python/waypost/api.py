"""The plumbing of ``AdminClient``: JSON requests to ``/api/v1`` over one kept-alive
connection, errors turned into ``APIError``, pages read as iterators."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from waypost.connection import Connection, Response, retry_after
from waypost.errors import APIError
from waypost.messages import VERSION
from waypost.paging import Pages

Query = Mapping[str, str | int | bool | datetime | None]
Moment = datetime | str
T = TypeVar("T")
RETRIED_METHODS = ("GET", "HEAD")
"""A read whose connection dropped is safe to send again; a write might have been applied."""


class Api:
    """Requests with ``Authorization: Bearer {secret_key}``; thread-safe, one connection."""

    def __init__(self, secret_key: str, host: str, *, timeout: float) -> None:
        self._connection = Connection(host, timeout=timeout)
        self._headers = {
            "Authorization": f"Bearer {secret_key}",
            "Accept": "application/json",
            "User-Agent": f"waypost-python/{VERSION}",
        }

    def close(self) -> None:
        self._connection.close()

    def analysis(
        self,
        path: str,
        body: Mapping[str, Any],
        since: Moment | None,
        until: Moment | None,
        tz: str | None,
    ) -> dict[str, Any]:
        """POST an analysis; options left as ``None`` take the collector's defaults."""
        fields = {**body, "from": _moment(since), "to": _moment(until), "tz": tz}
        return self.request_json(
            "POST", path, body={k: v for k, v in fields.items() if v is not None}
        )

    def listed(
        self,
        path: str,
        parse: Callable[[Mapping[str, Any]], T],
        status: str | None,
        type_: str | None,
    ) -> list[T]:
        found = self.request_json("GET", path, {"status": status, "type": type_})
        return [parse(item) for item in found["data"]]

    def pages(
        self,
        path: str,
        query: Query,
        parse: Callable[[Mapping[str, Any]], T],
        cursor: str | None,
    ) -> Pages[T]:
        def fetch(after: str | None) -> dict[str, Any]:
            return self.request_json("GET", path, {**query, "cursor": after})

        return Pages(fetch, parse, cursor)

    def request_json(
        self,
        method: str,
        path: str,
        query: Query | None = None,
        *,
        body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        decoded: dict[str, Any] = json.loads(self.request(method, path, query, body=body).body)
        return decoded

    def request(
        self,
        method: str,
        path: str,
        query: Query | None = None,
        *,
        body: Mapping[str, Any] | None = None,
    ) -> Response:
        target = "/api/v1" + path + _query_string(query or {})
        headers = dict(self._headers)
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        answer = self._send(method, target, payload, headers)
        if not 200 <= answer.status < 300:
            raise _api_error(answer)
        return answer

    def _send(
        self, method: str, target: str, payload: bytes | None, headers: Mapping[str, str]
    ) -> Response:
        try:
            return self._connection.request(method, target, payload, headers)
        except ConnectionError:
            # A kept-alive connection the server dropped between the staleness check and
            # the request; a fresh one either works or fails for a real reason.
            if method not in RETRIED_METHODS:
                raise
            return self._connection.request(method, target, payload, headers)


def segment(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def _query_string(query: Query) -> str:
    pairs = [(name, _text(value)) for name, value in query.items() if value is not None]
    return "?" + urllib.parse.urlencode(pairs) if pairs else ""


def _moment(value: Moment | None) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


def _text(value: str | int | bool | datetime) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _api_error(answer: Response) -> APIError:
    try:
        error = json.loads(answer.body)["error"]
        code, message, fields = str(error["code"]), str(error["message"]), error.get("fields")
    except (ValueError, TypeError, KeyError):
        code, message, fields = "http_error", answer.body.decode("utf-8", "replace")[:500], None
    return APIError(
        answer.status, code, message, fields, retry_after(answer.headers.get("retry-after"))
    )
