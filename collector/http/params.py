"""Query-string parsing with marshmallow, refusing bad values with the field named."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate
from starlette.requests import Request

from collector.errors import BadRequest
from collector.ingest.schemas import IsoDateTime


def text_param(value: str) -> str:
    """A query or path parameter as the database can hold it: a NUL becomes U+FFFD.

    PostgreSQL refuses NUL in text, and JSON bodies get the same replacement
    (:func:`collector.http.body.parse_json`), so an id stored from a body is found again.
    """
    return value.replace("\x00", "\ufffd")


def parse_query(request: Request, schema: Schema) -> dict[str, Any]:
    params = {name: text_param(value) for name, value in request.query_params.items()}
    try:
        loaded: dict[str, Any] = schema.load(params)
    except ValidationError as error:
        raise BadRequest("invalid query parameters", fields=error.messages_dict) from None
    return loaded


MAX_PAGE_SIZE = 1000


class PageQuerySchema(Schema):
    """``limit`` and ``cursor`` of every paginated list; unknown parameters are refused."""

    class Meta:
        unknown = RAISE

    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))
    cursor = fields.String()


class TimeRangeSchema(Schema):
    from_ = IsoDateTime(data_key="from")
    to = IsoDateTime()
