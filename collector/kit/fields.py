"""Marshmallow fields shared by the schemas of several features."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar

from marshmallow import ValidationError, fields, missing


class DirectField(fields.Field):  # type: ignore[type-arg]
    """A field whose present values go straight to ``_deserialize`` and its validators.

    ``Field.deserialize`` also runs pre/post-load functions and wraps the validators in an
    ``And`` for every value, which costs more than the checks themselves. These fields use
    neither functions nor validators that return ``False`` (marshmallow's own validators
    raise), so the result and the error messages are the same. Missing and null values
    take marshmallow's path, keeping its ``required`` and ``allow_none`` handling.

    No marshmallow base names their JSON type, so each states it in ``json_schema``.
    """

    json_schema: ClassVar[Mapping[str, Any]] = {}

    def deserialize(
        self,
        value: Any,
        attr: str | None = None,
        data: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        if value is missing or value is None:
            return super().deserialize(value, attr, data, **kwargs)
        output = self._deserialize(value, attr, data, **kwargs)
        for validator in self.validators:
            validator(output)
        return output


class IsoDateTime(DirectField):
    """An ISO 8601 date-time; one without an offset is taken as UTC."""

    json_schema: ClassVar[Mapping[str, Any]] = {"type": "string", "format": "date-time"}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        if not isinstance(value, str):
            raise ValidationError("must be an ISO 8601 date-time string")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError("must be an ISO 8601 date-time string") from None
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise ValidationError("is outside the years 1 to 9999 in UTC") from None

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else value.isoformat()


class StrictBoolean(fields.Boolean):
    """``true`` or ``false`` only: marshmallow's own also takes ``"yes"``, ``1``, ``"on"``."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> bool:
        if not isinstance(value, bool):
            raise ValidationError("must be true or false")
        return value
