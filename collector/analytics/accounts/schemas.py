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
    person_id = fields.UUID()
    user_id = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    joined_at = fields.DateTime()
    last_seen = fields.DateTime(allow_none=True, metadata={"description": "last activity"})
    events = fields.Integer(metadata={"description": "activity events in the weeks shown"})


class AccountUsersPageSchema(Schema):
    data = fields.List(fields.Nested(AccountUserSchema))
    has_more = fields.Boolean()
    next_cursor = fields.String(allow_none=True)


class AccountWeekSchema(Schema):
    week = fields.String(metadata={"description": "the week's Monday, in tz"})
    active_users = fields.Integer()
    events = fields.Integer(metadata={"description": "track, page and screen calls"})


class AccountActivitySchema(Schema):
    interval = fields.String()
    tz = fields.String()
    from_ = fields.DateTime(data_key="from")
    to = fields.DateTime()
    weeks = fields.List(fields.Nested(AccountWeekSchema))


class AccountCurrentHealthSchema(Schema):
    score = fields.Float(allow_none=True)
    status = fields.String(allow_none=True, metadata={"description": "green, yellow or red"})
    components = fields.Dict(keys=fields.String(), values=fields.Dict())
    from_ = fields.DateTime(data_key="from")
    to = fields.DateTime()


class HealthChangeSchema(Schema):
    at = fields.DateTime()
    status = fields.String(metadata={"description": "the colour recorded"})
    previous = fields.String(allow_none=True, metadata={"description": "null: first colour"})
    score = fields.Float(allow_none=True)


class HealthHistorySchema(Schema):
    data = fields.List(fields.Nested(HealthChangeSchema))
    has_more = fields.Boolean()


class AccountDetailSchema(Schema):
    id = fields.UUID()
    group_id = fields.String()
    name = fields.String(allow_none=True)
    traits = fields.Dict()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    health = fields.Nested(AccountCurrentHealthSchema)
    activity = fields.Nested(AccountActivitySchema)
    users = fields.Nested(AccountUsersPageSchema)
    health_history = fields.Nested(
        HealthHistorySchema, metadata={"description": "colour changes, newest first"}
    )
