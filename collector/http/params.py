"""Query-string parsing with marshmallow, refusing bad values with the field named."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError
from starlette.requests import Request

from collector.errors import BadRequest


def parse_query(request: Request, schema: Schema) -> dict[str, Any]:
    try:
        loaded: dict[str, Any] = schema.load(dict(request.query_params))
    except ValidationError as error:
        raise BadRequest("invalid query parameters", fields=error.messages_dict) from None
    return loaded
