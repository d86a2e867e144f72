"""Query-string parsing with marshmallow, refusing bad values with the field named."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, pre_load, validate
from starlette.requests import Request

from collector.kit.errors import BadRequest
from collector.kit.fields import IsoDateTime


def text_param(value: str) -> str:
    """A query or path parameter as the database can hold it: a NUL becomes U+FFFD.

    PostgreSQL refuses NUL in text, and JSON bodies get the same replacement
    (:func:`collector.kit.http.body.parse_json`), so an id stored from a body is found again.
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


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError("must be an IANA time zone name, like Europe/Paris") from None


class TimeRangeSchema(Schema):
    from_ = IsoDateTime(data_key="from")
    to = IsoDateTime()


class ZonedTimeRangeSchema(TimeRangeSchema):
    """``from``, ``to`` (ISO 8601) and ``tz``: a time without an offset is read in ``tz``
    (UTC unless given), which is also where days, weeks and months begin for analytics."""

    tz = fields.String(load_default="UTC", metadata={"description": "IANA time zone name"})

    @pre_load
    def _local_times(self, data: Any, **kwargs: Any) -> Any:
        """Give ``from`` and ``to`` the offset of ``tz`` at that moment when they have none."""
        if not isinstance(data, Mapping) or not isinstance(data.get("tz"), str):
            return data
        try:
            zone = zone_named(data["tz"])
        except ValidationError as error:
            raise ValidationError({"tz": error.messages}) from None
        return {
            **data,
            **{key: _in_zone(data.get(key), zone) for key in ("from", "to") if key in data},
        }

    @post_load
    def _zone(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return {**data, "tz": zone_named(data["tz"])}


def _in_zone(value: Any, zone: ZoneInfo) -> Any:
    if not isinstance(value, str):
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return moment.replace(tzinfo=zone).isoformat() if moment.tzinfo is None else value
