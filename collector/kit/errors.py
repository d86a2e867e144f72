"""One error tree, rendered in one JSON envelope.

::

    WaypostError (500 internal_error)
    ├── BadRequest (400 bad_request)
    │   ├── MalformedBody (400 malformed_body)
    │   └── ClientDisconnected (400 client_disconnected)
    ├── InvalidKey (401 invalid_key)
    ├── Forbidden (403 forbidden)
    ├── NotFound (404 not_found)
    ├── Conflict (409 conflict)
    ├── PayloadTooLarge (413 payload_too_large)
    ├── UnsupportedMediaType (415 unsupported_media_type)
    ├── ValidationFailed (422 validation_failed, carries field messages)
    └── RateLimited (429 rate_limited)

Every refusal answers ``{"error": {"code", "message", "fields"?}}``, rendered by
:mod:`collector.kit.http.error_handlers`. A batch's rejected
messages are data in a 200 answer, not exceptions. A client that hangs up while sending
its body (a tab closed during ``sendBeacon``) is the client's failure, not the server's:
it is logged quietly and answered, to nobody, with ``ClientDisconnected``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FieldMessages = Mapping[str, Any]


class WaypostError(Exception):
    status = 500
    code = "internal_error"

    def __init__(
        self,
        message: str,
        *,
        fields: FieldMessages | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.fields:
            error["fields"] = self.fields
        return {"error": error}


class BadRequest(WaypostError):
    status = 400
    code = "bad_request"


class MalformedBody(BadRequest):
    code = "malformed_body"


class ClientDisconnected(BadRequest):
    code = "client_disconnected"


class InvalidKey(WaypostError):
    status = 401
    code = "invalid_key"


class Forbidden(WaypostError):
    status = 403
    code = "forbidden"


class NotFound(WaypostError):
    status = 404
    code = "not_found"


class Conflict(WaypostError):
    status = 409
    code = "conflict"


class PayloadTooLarge(WaypostError):
    status = 413
    code = "payload_too_large"


class UnsupportedMediaType(WaypostError):
    status = 415
    code = "unsupported_media_type"


class ValidationFailed(WaypostError):
    status = 422
    code = "validation_failed"


class RateLimited(WaypostError):
    status = 429
    code = "rate_limited"
