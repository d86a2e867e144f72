"""Project settings as every feature reads them: typed, with the defaults for what a
project has not set. The admin API validates changes with ``collector.projects.schemas``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

COMPONENTS = ("frequency", "breadth", "depth", "sentiment")
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "frequency": 0.3,
    "breadth": 0.25,
    "depth": 0.25,
    "sentiment": 0.2,
}
DEFAULT_THRESHOLDS: Mapping[str, float] = {"green": 70, "yellow": 40}
DEFAULT_WINDOW_DAYS = 30


@dataclass(frozen=True)
class HealthSettings:
    weights: Mapping[str, float]
    thresholds: Mapping[str, float]
    key_features: tuple[str, ...]
    window_days: int


def health_settings(stored: Mapping[str, Any] | None) -> HealthSettings:
    """A project's health settings, with the defaults for whatever it has not set."""
    stored = stored or {}
    return HealthSettings(
        weights={**DEFAULT_WEIGHTS, **(stored.get("weights") or {})},
        thresholds={**DEFAULT_THRESHOLDS, **(stored.get("thresholds") or {})},
        key_features=tuple(stored.get("key_features") or ()),
        window_days=int(stored.get("window_days") or DEFAULT_WINDOW_DAYS),
    )
