"""Account health: the project settings that tune it, and the analysis parameters."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from collector.accounts.health_scoring import COMPONENTS, DEFAULT_WINDOW_DAYS
from collector.http.params import PageQuerySchema
from collector.ingest.schemas import MAX_EVENT_NAME_LENGTH
from collector.surveys.periods import INTERVALS
from collector.surveys.schemas import AnalysisRangeSchema

MAX_KEY_FEATURES = 50
STATUSES = ("green", "yellow", "red")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


def _weight() -> fields.Float:
    return fields.Float(
        validate=validate.Range(min=0, max=100), metadata={"description": "relative weight"}
    )


class HealthWeightsSchema(_Strict):
    """Relative weights of the components; left-out ones keep their defaults."""

    frequency = _weight()
    breadth = _weight()
    depth = _weight()
    sentiment = _weight()


class HealthThresholdsSchema(_Strict):
    green = fields.Float(required=True, validate=validate.Range(min=0, max=100))
    yellow = fields.Float(required=True, validate=validate.Range(min=0, max=100))

    @validates_schema
    def _ordered(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["green"] <= data["yellow"]:
            raise ValidationError("must be above yellow", field_name="green")


def _check_features(features: list[str]) -> None:
    """Whole-list messages: errors keyed by item index would not be JSON object keys."""
    if len(features) > MAX_KEY_FEATURES:
        raise ValidationError(f"must list at most {MAX_KEY_FEATURES} events")
    if not all(0 < len(name) <= MAX_EVENT_NAME_LENGTH for name in features):
        raise ValidationError(f"event names must be 1 to {MAX_EVENT_NAME_LENGTH} characters")
    if len(set(features)) != len(features):
        raise ValidationError("must not repeat an event")


class HealthSettingsSchema(_Strict):
    """``PATCH /api/v1/project`` → ``settings.health``; each key replaces its value."""

    weights = fields.Nested(HealthWeightsSchema)
    thresholds = fields.Nested(
        HealthThresholdsSchema, metadata={"description": "green and yellow score floors"}
    )
    key_features = fields.List(
        fields.String(),
        validate=_check_features,
        metadata={"description": "event names whose use makes up depth"},
    )
    window_days = fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=365),
        metadata={"description": f"days of activity scored (default {DEFAULT_WINDOW_DAYS})"},
    )

    @validates_schema
    def _weighted(self, data: dict[str, Any], **kwargs: Any) -> None:
        weights = data.get("weights")
        if weights is not None and len(weights) == len(COMPONENTS) and not any(weights.values()):
            raise ValidationError("at least one weight must be above 0", field_name="weights")


class HealthQuerySchema(PageQuerySchema, AnalysisRangeSchema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


class AtRiskQuerySchema(PageQuerySchema, AnalysisRangeSchema):
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


class ChurnQuerySchema(AnalysisRangeSchema):
    interval = fields.String(validate=validate.OneOf(INTERVALS))
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


class AccountHealthSchema(Schema):
    account_id = fields.UUID()
    group_id = fields.String()
    name = fields.String(allow_none=True)
    score = fields.Float(allow_none=True)
    status = fields.String(allow_none=True, metadata={"description": "green, yellow or red"})
    components = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(),
        metadata={"description": "frequency, breadth, depth, sentiment: value 0-1 and inputs"},
    )


class HealthPageSchema(Schema):
    data = fields.List(fields.Nested(AccountHealthSchema))
    has_more = fields.Boolean()
    next_cursor = fields.String(allow_none=True)
    settings = fields.Dict(metadata={"description": "weights, thresholds, key features used"})


class ChurnSchema(Schema):
    from_ = fields.DateTime(data_key="from")
    to = fields.DateTime()
    accounts_at_start = fields.Integer()
    churned = fields.Integer()
    churn_rate = fields.Float(allow_none=True)
    churned_accounts = fields.List(fields.Dict())
    trend = fields.List(fields.Dict())
