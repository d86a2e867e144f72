"""What delivery decides about: a live experience, the person's history with it, and its
audience checked once."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from collector.targeting.facts import ExperienceHistory, Kind
from collector.targeting.rules import Audience


@dataclass(frozen=True, slots=True)
class Candidate:
    """A live experience that might be shown, with the person's history with it."""

    id: uuid.UUID
    kind: Kind
    type: str
    priority: int
    definition: Mapping[str, Any]
    """As in docs/experiences.md; ``audience``, ``trigger`` and ``throttle`` may be absent."""
    history: ExperienceHistory | None = None
    audience: Audience | None = None
    """``definition["audience"]`` already checked, when the caller keeps one
    (``Audience.of(definition.get("audience"))``); checked on each decision when None."""
