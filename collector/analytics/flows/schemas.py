"""Query parameters of flow analytics and stuck persons, and the shape of their answers."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from collector.analytics.flows.service import DEFAULT_STUCK_DAYS
from collector.analytics.surveys.schemas import AnalysisRangeSchema
from collector.kit.http.params import PageQuerySchema


def _stuck_days() -> fields.Integer:
    return fields.Integer(
        load_default=DEFAULT_STUCK_DAYS,
        validate=validate.Range(min=1, max=3650),
        metadata={"description": "days without progress after which a person is stuck"},
    )


class FlowAnalyticsQuerySchema(AnalysisRangeSchema):
    stuck_days = _stuck_days()
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


class StuckQuerySchema(PageQuerySchema, AnalysisRangeSchema):
    days = _stuck_days()
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


class StepCountSchema(Schema):
    id = fields.String(allow_none=True, required=True)
    persons = fields.Integer(required=True)
    share = fields.Float(allow_none=True, metadata={"description": "of the persons who started"})


class FlowAnalyticsSchema(Schema):
    flow_id = fields.UUID(required=True)
    type = fields.String(metadata={"description": "tour or checklist"}, required=True)
    from_ = fields.DateTime(data_key="from", allow_none=True, required=True)
    to = fields.DateTime(allow_none=True, required=True)
    started = fields.Integer(
        metadata={"description": "persons who started in the range"}, required=True
    )
    completed = fields.Integer(required=True)
    completion_rate = fields.Float(allow_none=True, required=True)
    steps = fields.List(fields.Nested(StepCountSchema), metadata={"description": "tours"})
    dismissed = fields.Integer(metadata={"description": "tours"})
    dismissed_at = fields.List(fields.Nested(StepCountSchema), metadata={"description": "tours"})
    median_seconds_to_complete = fields.Float(allow_none=True, metadata={"description": "tours"})
    items = fields.List(fields.Nested(StepCountSchema), metadata={"description": "checklists"})
    stuck = fields.Integer(metadata={"description": "checklists"})
    stuck_days = fields.Integer(metadata={"description": "checklists"})
    median_seconds_first_to_last_item = fields.Float(
        allow_none=True, metadata={"description": "checklists"}
    )


class StuckPersonSchema(Schema):
    person_id = fields.UUID(required=True)
    user_id = fields.String(allow_none=True, required=True)
    status = fields.String(required=True)
    completed_items = fields.List(fields.String(), required=True)
    first_shown_at = fields.DateTime(allow_none=True, required=True)
    last_progress_at = fields.DateTime(required=True)


class StuckPageSchema(Schema):
    data = fields.List(fields.Nested(StuckPersonSchema), required=True)
    has_more = fields.Boolean(required=True)
    next_cursor = fields.String(allow_none=True, required=True)
