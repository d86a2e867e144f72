"""Fields and parts every experience shares: texts, ids, URL patterns, audience, trigger,
theme, and the base schema with the common fields.

Every schema refuses unknown fields (marshmallow's ``RAISE``), so a misspelt option is an
error the author sees instead of a setting that silently does nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from collector.experiences.localization import (
    DEFAULT_LOCALE,
    Path,
    locale_error,
    text_error,
    texts_of,
)
from collector.targeting.rules import rule_error
from collector.targeting.urls import pattern_error

STATUSES = ("draft", "live", "paused", "archived")
MAX_PRIORITY = 1_000_000
MAX_ID_LENGTH = 100
"""Step ids are stored in ``experience_states.current_step`` (100 characters)."""
MAX_EVENT_NAME_LENGTH = 255
MAX_RULES = 50
MAX_THEME_ENTRIES = 50
MAX_DELAY_SECONDS = 3600
DEFAULT_MAX_DISMISSALS = 3
MAX_DISMISSALS = 1000
_ID = re.compile(rf"[A-Za-z0-9_.:-]{{1,{MAX_ID_LENGTH}}}\Z")
_THEME_KEY = re.compile(r"[a-z0-9-]{1,64}\Z")
# ;{}<> could end a CSS declaration or an HTML context; a backslash could spell them as
# CSS escapes; control characters have no business in a colour or a length.
_THEME_VALUE_FORBIDDEN = re.compile(r"[;{}<>\\\x00-\x1f\x7f]")


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


def _check(error_of: Callable[[Any], str | None]) -> Callable[[Any], None]:
    """A marshmallow validator from a function that says what is wrong, or None."""

    def validator(value: Any) -> None:
        problem = error_of(value)
        if problem is not None:
            raise ValidationError(problem)

    return validator


def _not_blank(value: str) -> str | None:
    return "must not be blank" if not value.strip() else None


class LocalizedText(fields.Field[str | dict[str, str]]):
    """A string in the default locale, or an object of locale → string."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {
            "type": ["string", "object"],
            "description": "a text, or an object of locale to text",
            **kwargs.pop("metadata", {}),
        }
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> str | dict[str, str]:
        problem = text_error(value)
        if problem is not None:
            raise ValidationError(problem)
        return value  # type: ignore[no-any-return]


class StrictNumber(fields.Float):
    """A JSON number: marshmallow's own also takes ``"25"``. Whole numbers stay ints."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError("must be a number")
        if not math.isfinite(value):
            raise ValidationError("must be a finite number")
        return value


class Tagged(fields.Dict):
    """An object whose ``type`` picks the schema that loads it (triggers, ``advance_on``)."""

    def __init__(self, schemas: Mapping[str, type[Schema]], **kwargs: Any) -> None:
        names = ", ".join(schemas)
        metadata = {"description": f"an object whose type is {names}"}
        super().__init__(metadata={**metadata, **kwargs.pop("metadata", {})}, **kwargs)
        self.schemas = {name: schema() for name, schema in schemas.items()}

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ValidationError("must be an object")
        schema = self.schemas.get(value.get("type"))  # type: ignore[arg-type]
        if schema is None:
            raise ValidationError({"type": [f"must be one of: {', '.join(self.schemas)}"]})
        loaded: dict[str, Any] = schema.load(value)
        return loaded


def count(minimum: int, maximum: int, noun: str) -> validate.Length:
    """How many objects a list holds, said in the author's words."""
    bounds = f"at most {maximum}" if minimum == 0 else f"{minimum} to {maximum}"
    return validate.Length(min=minimum, max=maximum, error=f"must have {bounds} {noun}")


def identifier(*, reserved: tuple[str, ...] = (), **kwargs: Any) -> fields.String:
    """An author's id; ``reserved`` words mean something else where the id is used."""
    message = f"must be 1 to {MAX_ID_LENGTH} letters, digits, '-', '_', '.' or ':'"
    checks: list[validate.Validator] = [validate.Regexp(_ID, error=message)]
    if reserved:
        checks.append(validate.NoneOf(reserved, error="{input!r} is reserved"))
    return fields.String(validate=checks, **kwargs)


def event_name(**kwargs: Any) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=MAX_EVENT_NAME_LENGTH), **kwargs)


def url_pattern(**kwargs: Any) -> fields.String:
    """A page pattern such as ``/app/*`` or ``https://app.example.com/reports/*``."""
    return fields.String(validate=_check(pattern_error), **kwargs)


def with_ids(data: Any, key: str, prefix: str) -> Any:
    """``data`` with an id given to every object of its ``key`` list that has none.

    The ``n``-th object gets ``<prefix>-<n>``, or the next number no other object uses, so
    an author who names some ids and leaves others out is never told of a clash they did
    not write. Anything malformed is passed through for the schema to refuse.
    """
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        return data
    taken = {item.get("id") for item in data[key] if isinstance(item, dict)}
    filled = []
    for position, item in enumerate(data[key], start=1):
        if isinstance(item, dict) and "id" not in item:
            free = _free_id(prefix, position, taken)
            taken.add(free)
            filled.append({"id": free, **item})
        else:
            filled.append(item)
    return {**data, key: filled}


def _free_id(prefix: str, number: int, taken: set[Any]) -> str:
    while f"{prefix}-{number}" in taken:
        number += 1
    return f"{prefix}-{number}"


def add_error(errors: dict[Any, Any], path: Path, message: str) -> None:
    """Add ``message`` at ``path`` of a marshmallow-shaped error dict."""
    for key in path[:-1]:
        errors = errors.setdefault(key, {})
    errors.setdefault(path[-1], []).append(message)


def duplicate_ids(items: Iterable[Mapping[str, Any]], key: str) -> dict[Any, Any]:
    """Errors naming each object of the ``key`` list whose id an earlier one has."""
    errors: dict[Any, Any] = {}
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item["id"] in seen:
            add_error(errors, (key, index, "id"), f"{item['id']!r} is used by an earlier one")
        seen.add(item["id"])
    return errors


def _theme_value_error(value: str) -> str | None:
    if _THEME_VALUE_FORBIDDEN.search(value):
        return r"must not contain ; { } < > \ or control characters"
    return None


def theme(**kwargs: Any) -> fields.Dict:
    """CSS custom-property overrides: ``{"accent": "#0b5cff", "radius": "8px"}``."""
    key_message = "must be 1 to 64 lowercase letters, digits or '-'"
    return fields.Dict(
        keys=fields.String(validate=validate.Regexp(_THEME_KEY, error=key_message)),
        values=fields.String(
            validate=[validate.Length(max=200), _check(_theme_value_error)],
        ),
        validate=validate.Length(max=MAX_THEME_ENTRIES),
        **kwargs,
    )


class PageLoadTrigger(StrictSchema):
    type = fields.String(required=True)
    url = url_pattern()


class EventTrigger(StrictSchema):
    type = fields.String(required=True)
    event = event_name(required=True)


class DelayTrigger(StrictSchema):
    type = fields.String(required=True)
    seconds = fields.Integer(
        strict=True, required=True, validate=validate.Range(min=0, max=MAX_DELAY_SECONDS)
    )


class ManualTrigger(StrictSchema):
    type = fields.String(required=True)


TRIGGERS: Mapping[str, type[Schema]] = {
    "page_load": PageLoadTrigger,
    "event": EventTrigger,
    "delay": DelayTrigger,
    "manual": ManualTrigger,
}


class AudienceSchema(StrictSchema):
    """Who may see an experience: rules that must all hold, and a stable sample."""

    rules = fields.List(fields.Dict(), load_default=list, validate=count(0, MAX_RULES, "rules"))
    sample_percent = StrictNumber(
        load_default=100,
        validate=validate.Range(min=0, max=100),
        metadata={"description": "the stable share of users kept, 0 to 100"},
    )

    @validates_schema
    def _rules_are_valid(self, data: dict[str, Any], **kwargs: Any) -> None:
        """Checked by targeting itself, so a rule it cannot evaluate is never stored."""
        problems = {index: rule_error(rule) for index, rule in enumerate(data["rules"])}
        errors = {index: fields for index, fields in problems.items() if fields}
        if errors:
            raise ValidationError({"rules": errors})


class DismissThrottle(StrictSchema):
    max_dismissals = fields.Integer(
        strict=True,
        load_default=DEFAULT_MAX_DISMISSALS,
        validate=validate.Range(min=1, max=MAX_DISMISSALS),
        metadata={"description": "after this many dismissals it stops asking"},
    )


def default_dismissals() -> dict[str, Any]:
    return {"max_dismissals": DEFAULT_MAX_DISMISSALS}


def _everyone() -> dict[str, Any]:
    return {"rules": [], "sample_percent": 100}


def _on_page_load() -> dict[str, Any]:
    return {"type": "page_load"}


class ExperienceSchema(StrictSchema):
    """The fields of every flow and survey; subclasses add their type's content."""

    KIND: ClassVar[str]

    name = fields.String(
        required=True, validate=[validate.Length(min=1, max=200), _check(_not_blank)]
    )
    type = fields.String(required=True)
    status = fields.String(load_default="live", validate=validate.OneOf(STATUSES))
    priority = fields.Integer(
        strict=True, load_default=0, validate=validate.Range(-MAX_PRIORITY, MAX_PRIORITY)
    )
    default_locale = fields.String(load_default=DEFAULT_LOCALE, validate=_check(locale_error))
    audience = fields.Nested(AudienceSchema, load_default=_everyone)
    trigger = Tagged(TRIGGERS, load_default=_on_page_load)
    theme = theme(load_default=dict)

    @validates_schema
    def _texts_include_default_locale(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[Any, Any] = {}
        for path, value in texts_of(data, self.KIND):
            problem = text_error(value, data["default_locale"])
            if problem is not None:
                add_error(errors, path, problem)
        if errors:
            raise ValidationError(errors)
