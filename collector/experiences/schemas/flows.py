"""Flows: tours, announcements, hotspots (steps), checklists (items), resource centers
(links), as ``docs/experiences.md`` defines them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from marshmallow import ValidationError, fields, pre_load, validate, validates_schema

from collector.experiences.schemas.common import (
    DismissThrottle,
    ExperienceSchema,
    LocalizedText,
    StrictSchema,
    Tagged,
    add_error,
    count,
    default_dismissals,
    duplicate_ids,
    event_name,
    identifier,
    url_pattern,
    with_ids,
)
from collector.kit.fields import StrictBoolean

MAX_STEPS = 50
MAX_ITEMS = 50
MAX_LINKS = 50
MAX_SELECTOR_LENGTH = 1000
MAX_URL_LENGTH = 2048
PLACEMENTS = ("auto", "top", "bottom", "start", "end")
_PROPERTY_KEY = "properties."


class ButtonsSchema(StrictSchema):
    """Button labels; a label left out is the widget's own, in the user's language."""

    next = LocalizedText()
    back = LocalizedText()
    done = LocalizedText()


class ClickAdvance(StrictSchema):
    type = fields.String(required=True)


class EventAdvance(StrictSchema):
    type = fields.String(required=True)
    event = event_name(required=True)


class StepSchema(StrictSchema):
    id = identifier(metadata={"description": "unique; step-1, step-2… when left out"})
    target = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=MAX_SELECTOR_LENGTH),
        metadata={"description": "CSS selector; null for a centred modal"},
    )
    title = LocalizedText()
    body = LocalizedText()
    placement = fields.String(load_default="auto", validate=validate.OneOf(PLACEMENTS))
    buttons = fields.Nested(ButtonsSchema)
    url = url_pattern(metadata={"description": "the page the step lives on"})
    advance_on = Tagged({"click": ClickAdvance, "event": EventAdvance})
    on_missing_target = fields.String(
        load_default="skip", validate=validate.OneOf(["skip", "pause"])
    )

    @validates_schema
    def _step_says_something(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "title" not in data and "body" not in data:
            raise ValidationError({"title": ["a step needs a title or a body"]})

    @validates_schema
    def _click_needs_a_target(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("advance_on", {}).get("type") == "click" and data["target"] is None:
            raise ValidationError({"advance_on": ["a click can only advance a step with a target"]})


def _property_conditions(where: dict[str, Any]) -> None:
    """``{"properties.<name>": <JSON scalar>}``: what the completing event must carry."""
    for key, value in where.items():
        if not key.startswith(_PROPERTY_KEY) or len(key) == len(_PROPERTY_KEY):
            raise ValidationError(f"{key}: keys must be properties.<name>")
        if value is not None and not isinstance(value, str | int | float | bool):
            raise ValidationError(f"{key}: must be a string, number, boolean or null")


class CompletedBySchema(StrictSchema):
    event = event_name(required=True)
    where = fields.Dict(keys=fields.String(), validate=_property_conditions)


class ItemSchema(StrictSchema):
    id = identifier(metadata={"description": "unique; item-1, item-2… when left out"})
    title = LocalizedText(required=True)
    description = LocalizedText()
    completed_by = fields.Nested(
        CompletedBySchema,
        load_default=None,
        allow_none=True,
        metadata={"description": "the event that completes the item; null: ticked by hand"},
    )
    manual = StrictBoolean(load_default=False)


class LinkSchema(StrictSchema):
    title = LocalizedText(required=True)
    url = fields.Url(
        required=True,
        schemes={"http", "https"},
        require_tld=False,
        validate=validate.Length(max=MAX_URL_LENGTH),
    )
    description = LocalizedText()


class ShownOnceThrottle(DismissThrottle):
    show_once = StrictBoolean(load_default=True)


def _default_shown_once() -> dict[str, Any]:
    return {**default_dismissals(), "show_once": True}


def _link(value: str) -> None:
    """An absolute http(s) URL or a path of the site (``/…``, never ``//host``)."""
    if value.startswith("/") and not value.startswith("//"):
        return
    parsed = urlsplit(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValidationError("must be an http(s) URL or a path starting with /")


class FlowSchema(ExperienceSchema):
    KIND = "flow"


class TourSchema(FlowSchema):
    steps = fields.List(
        fields.Nested(StepSchema),
        required=True,
        validate=count(1, MAX_STEPS, "steps"),
    )
    throttle = fields.Nested(ShownOnceThrottle, load_default=_default_shown_once)

    @pre_load
    def _give_steps_ids(self, data: Any, **kwargs: Any) -> Any:
        return with_ids(data, "steps", "step")

    @validates_schema
    def _step_ids_are_unique(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors = duplicate_ids(data["steps"], "steps")
        if errors:
            raise ValidationError(errors)


class AnnouncementSchema(TourSchema):
    steps = fields.List(
        fields.Nested(StepSchema),
        required=True,
        validate=validate.Length(equal=1, error="an announcement has exactly one step"),
    )
    display = fields.String(load_default="modal", validate=validate.OneOf(["modal", "banner"]))
    cta_url = fields.String(
        validate=[validate.Length(max=MAX_URL_LENGTH), _link],
        metadata={"description": "where the call to action leads: http(s) or a path on the site"},
    )

    @validates_schema
    def _announcement_has_no_target(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["steps"][0]["target"] is not None:
            errors: dict[Any, Any] = {}
            add_error(errors, ("steps", 0, "target"), "an announcement step has no target")
            raise ValidationError(errors)


class HotspotSchema(TourSchema):
    steps = fields.List(
        fields.Nested(StepSchema),
        required=True,
        validate=validate.Length(equal=1, error="a hotspot has exactly one step"),
    )

    @validates_schema
    def _hotspot_has_a_target(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["steps"][0]["target"] is None:
            errors: dict[Any, Any] = {}
            add_error(errors, ("steps", 0, "target"), "a hotspot needs a target")
            raise ValidationError(errors)


class ChecklistSchema(FlowSchema):
    items = fields.List(
        fields.Nested(ItemSchema),
        required=True,
        validate=count(1, MAX_ITEMS, "items"),
    )
    completion_message = LocalizedText(
        metadata={"description": "shown once every item is done"},
    )
    throttle = fields.Nested(DismissThrottle, load_default=default_dismissals)

    @pre_load
    def _give_items_ids(self, data: Any, **kwargs: Any) -> Any:
        return with_ids(data, "items", "item")

    @validates_schema
    def _item_ids_are_unique(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors = duplicate_ids(data["items"], "items")
        if errors:
            raise ValidationError(errors)


class ResourceCenterSchema(FlowSchema):
    """Links of its own; the user's live announcements and checklists are listed too."""

    links = fields.List(
        fields.Nested(LinkSchema), load_default=list, validate=count(0, MAX_LINKS, "links")
    )
    throttle = fields.Nested(DismissThrottle, load_default=default_dismissals)


FLOW_SCHEMAS: dict[str, type[ExperienceSchema]] = {
    "tour": TourSchema,
    "checklist": ChecklistSchema,
    "announcement": AnnouncementSchema,
    "hotspot": HotspotSchema,
    "resource_center": ResourceCenterSchema,
}
