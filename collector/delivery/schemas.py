"""Query parameters of ``GET /v1/flows`` and the eligibility report."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from collector.kit.messages import MAX_ID_LENGTH


class PageSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    url = fields.String(validate=validate.Length(max=2048))
    locale = fields.String(validate=validate.Length(min=1, max=35))
    sessionId = fields.String(validate=validate.Length(min=1, max=255))


class DeliveryQuerySchema(PageSchema):
    """The SDK may add parameters of its own (cache busters): unknown ones are ignored."""

    userId = fields.String(validate=validate.Length(min=1, max=MAX_ID_LENGTH))
    anonymousId = fields.String(validate=validate.Length(min=1, max=MAX_ID_LENGTH))
    identityHash = fields.String(validate=validate.Length(max=128))
    writeKey = fields.String(load_only=True)

    @validates_schema
    def _has_an_id(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data.get("userId") and not data.get("anonymousId"):
            raise ValidationError("userId or anonymousId is required", field_name="userId")


def _lengths(schema: type[Schema]) -> dict[str, tuple[float, float]] | None:
    """Each field's length bounds, when the schema is only strings with lengths, else None."""
    lengths: dict[str, tuple[float, float]] = {}
    for name, field in schema._declared_fields.items():
        if type(field) is not fields.String or field.data_key not in (None, name):
            return None
        checks = [check for check in field.validators if type(check) is validate.Length]
        if len(checks) != len(field.validators) or any(c.equal is not None for c in checks):
            return None
        low = max((check.min or 0 for check in checks), default=0)
        high = min((check.max or math.inf for check in checks), default=math.inf)
        lengths[name] = (low, high)
    return lengths


_DELIVERY_LENGTHS = _lengths(DeliveryQuerySchema)


def quick_delivery_query(params: Mapping[str, str]) -> dict[str, str] | None:
    """What ``DeliveryQuerySchema().load(params)`` gives for an ordinary query, else None.

    ``GET /v1/flows`` runs on every page load, and marshmallow's load costs it more than
    the rest of reading the request. This checks the same bounds directly, and gives None
    whenever the schema must judge (a value out of bounds, no id), so that refusals still
    come from the schema. It mirrors the schema's fields and ``_has_an_id``; a field it
    cannot mirror turns it off.
    """
    if _DELIVERY_LENGTHS is None:
        return None
    loaded = {}
    for name, (low, high) in _DELIVERY_LENGTHS.items():
        value = params.get(name)
        if value is not None:
            if not low <= len(value) <= high:
                return None
            loaded[name] = value
    return loaded if loaded.get("userId") or loaded.get("anonymousId") else None


class DeliverySchema(Schema):
    """What ``GET /v1/flows`` answers: experiences resolved to the user's locale."""

    flows = fields.List(fields.Dict(), required=True)
    surveys = fields.List(fields.Dict(), required=True)


class DecisionSchema(Schema):
    id = fields.UUID(required=True)
    kind = fields.String(required=True)
    type = fields.String(required=True)
    name = fields.String(required=True)
    eligible = fields.Boolean(required=True)
    reason = fields.String(allow_none=True, required=True)
    rule = fields.Dict(allow_none=True, required=True)
    until = fields.DateTime(allow_none=True, required=True)


class EligibilityReportSchema(Schema):
    person_id = fields.UUID(required=True)
    experiences = fields.List(fields.Nested(DecisionSchema), required=True)
