"""Account health: the analysis parameters and the shapes of its answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates,
)

from collector.analytics.surveys.schemas import AnalysisRangeSchema
from collector.kit.http.params import MAX_PAGE_SIZE, PageQuerySchema, ZonedTimeRangeSchema
from collector.kit.periods import INTERVALS

MAX_WEEKS = 104
YEARS = (1970, 9000)
STATUSES = ("green", "yellow", "red")


class HealthQuerySchema(PageQuerySchema, AnalysisRangeSchema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


class AtRiskQuerySchema(PageQuerySchema, AnalysisRangeSchema):
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


class ChurnQuerySchema(AnalysisRangeSchema):
    interval = fields.String(validate=validate.OneOf(INTERVALS))
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


class HealthFrequencySchema(Schema):
    value = fields.Float(allow_none=True, required=True, metadata={"description": "0-1"})
    active_days = fields.Integer(required=True)
    window_days = fields.Integer(required=True)


class HealthBreadthSchema(Schema):
    value = fields.Float(allow_none=True, required=True, metadata={"description": "0-1"})
    active_users = fields.Integer(required=True)
    members = fields.Integer(required=True)
    seats = fields.Float(allow_none=True, required=True)


class HealthDepthSchema(Schema):
    value = fields.Float(allow_none=True, required=True, metadata={"description": "0-1"})
    features_used = fields.Integer(required=True)
    key_features = fields.Integer(required=True)


class HealthSentimentSchema(Schema):
    value = fields.Float(allow_none=True, required=True, metadata={"description": "0-1"})
    nps = fields.Float(allow_none=True, required=True)
    nps_answers = fields.Integer(required=True)
    csat_satisfied_share = fields.Float(allow_none=True, required=True)
    csat_answers = fields.Integer(required=True)


class HealthComponentsSchema(Schema):
    """Each component's value (0-1, null when it cannot be known) and its inputs."""

    frequency = fields.Nested(HealthFrequencySchema, required=True)
    breadth = fields.Nested(HealthBreadthSchema, required=True)
    depth = fields.Nested(HealthDepthSchema, required=True)
    sentiment = fields.Nested(HealthSentimentSchema, required=True)


class AccountHealthSchema(Schema):
    account_id = fields.UUID(required=True)
    group_id = fields.String(required=True)
    name = fields.String(allow_none=True, required=True)
    score = fields.Float(allow_none=True, required=True)
    status = fields.String(
        allow_none=True, metadata={"description": "green, yellow or red"}, required=True
    )
    components = fields.Nested(HealthComponentsSchema, required=True)


class HealthPageSchema(Schema):
    data = fields.List(fields.Nested(AccountHealthSchema), required=True)
    has_more = fields.Boolean(required=True)
    next_cursor = fields.String(allow_none=True, required=True)
    settings = fields.Dict(
        metadata={"description": "weights, thresholds, key features used"}, required=True
    )


class ChurnSchema(Schema):
    from_ = fields.DateTime(data_key="from", required=True)
    to = fields.DateTime(required=True)
    accounts_at_start = fields.Integer(required=True)
    churned = fields.Integer(required=True)
    churn_rate = fields.Float(allow_none=True, required=True)
    churned_accounts = fields.List(fields.Dict(), required=True)
    trend = fields.List(fields.Dict())


class AccountQuerySchema(ZonedTimeRangeSchema):
    """One account's page: ``weeks`` of activity up to ``to`` (default now) in ``tz``,
    and a page of its users."""

    class Meta:
        unknown = RAISE
        exclude = ("from_",)

    weeks = fields.Integer(
        load_default=12,
        strict=False,
        validate=validate.Range(min=1, max=MAX_WEEKS),
        metadata={"description": "weeks of activity, the last one holding to"},
    )
    limit = fields.Integer(
        load_default=100,
        validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
        metadata={"description": "users per page"},
    )
    cursor = fields.String(metadata={"description": "the users page after this one"})

    @validates("to")
    def _reasonable(self, value: datetime, **kwargs: Any) -> None:
        """Weeks and the health window reach back from ``to``: near the calendar's ends
        they would fall off it."""
        if not YEARS[0] <= value.year <= YEARS[1]:
            raise ValidationError(f"must be in the years {YEARS[0]} to {YEARS[1]}")


class AccountUserSchema(Schema):
    person_id = fields.UUID(required=True)
    user_id = fields.String(allow_none=True, required=True)
    name = fields.String(allow_none=True, required=True)
    email = fields.String(allow_none=True, required=True)
    joined_at = fields.DateTime(required=True)
    last_seen = fields.DateTime(
        allow_none=True, metadata={"description": "last activity"}, required=True
    )
    events = fields.Integer(
        metadata={"description": "activity events in the weeks shown"}, required=True
    )


class AccountUsersPageSchema(Schema):
    data = fields.List(fields.Nested(AccountUserSchema), required=True)
    has_more = fields.Boolean(required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class AccountWeekSchema(Schema):
    week = fields.String(metadata={"description": "the week's Monday, in tz"}, required=True)
    active_users = fields.Integer(required=True)
    events = fields.Integer(metadata={"description": "track, page and screen calls"}, required=True)


class AccountActivitySchema(Schema):
    interval = fields.String(required=True)
    tz = fields.String(required=True)
    from_ = fields.DateTime(data_key="from", required=True)
    to = fields.DateTime(required=True)
    weeks = fields.List(fields.Nested(AccountWeekSchema), required=True)


class AccountCurrentHealthSchema(Schema):
    score = fields.Float(allow_none=True, required=True)
    status = fields.String(
        allow_none=True, metadata={"description": "green, yellow or red"}, required=True
    )
    components = fields.Nested(HealthComponentsSchema, required=True)
    from_ = fields.DateTime(data_key="from", required=True)
    to = fields.DateTime(required=True)


class HealthChangeSchema(Schema):
    at = fields.DateTime(required=True)
    status = fields.String(metadata={"description": "the colour recorded"}, required=True)
    previous = fields.String(
        allow_none=True, metadata={"description": "null: first colour"}, required=True
    )
    score = fields.Float(allow_none=True, required=True)


class HealthHistorySchema(Schema):
    data = fields.List(fields.Nested(HealthChangeSchema), required=True)
    has_more = fields.Boolean(required=True)


class AccountDetailSchema(Schema):
    id = fields.UUID(required=True)
    group_id = fields.String(required=True)
    name = fields.String(allow_none=True, required=True)
    traits = fields.Dict(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    health = fields.Nested(AccountCurrentHealthSchema, required=True)
    activity = fields.Nested(AccountActivitySchema, required=True)
    users = fields.Nested(AccountUsersPageSchema, required=True)
    health_history = fields.Nested(
        HealthHistorySchema,
        metadata={"description": "colour changes, newest first"},
        required=True,
    )
