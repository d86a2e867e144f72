"""An account's 0-100 health score from its usage and its users' answers: pure arithmetic.

Four components, each a fraction 0-1, returned beside the score so a team sees why:

- frequency: days with activity in the window / days in the window;
- breadth: active users / the ``seats`` trait when the account has one (capped at 1),
  else active users / members;
- depth: the project's key features (event names) used in the window / key features;
- sentiment: the mean of the account's NPS mapped to 0-1 ((NPS + 100) / 200) and the
  satisfied share of its CSAT answers, from each user's latest answer.

The score is 100 x the weighted mean of the components that have a value: an account
nobody has answered a survey in is scored on usage alone, not punished for silence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from collector.analytics.accounts.results import Components, Health, Sentiment
from collector.kit.project_settings import COMPONENTS, HealthSettings


@dataclass(frozen=True)
class AccountUsage:
    """What the database counted for one account."""

    active_days: int
    window_days: int
    active_users: int
    members: int
    seats: float | None
    features_used: int
    key_features: int
    nps_promoters: int = 0
    nps_detractors: int = 0
    nps_answers: int = 0
    csat_satisfied: int = 0
    csat_answers: int = 0


def seats_of(traits: Mapping[str, Any]) -> float | None:
    """The ``seats`` trait when it is a positive number (or a string of one)."""
    value: Any = traits.get("seats")
    if isinstance(value, bool):
        return None
    try:
        seats = float(value)
    except (TypeError, ValueError):
        return None
    return seats if seats > 0 else None


def _fraction(part: float, whole: float) -> float | None:
    return min(part / whole, 1.0) if whole > 0 else None


def _sentiment(usage: AccountUsage) -> Sentiment:
    nps = (
        100 * (usage.nps_promoters - usage.nps_detractors) / usage.nps_answers
        if usage.nps_answers
        else None
    )
    satisfied = _fraction(usage.csat_satisfied, usage.csat_answers)
    nps_part = (nps + 100) / 200 if nps is not None else None
    present = [value for value in (nps_part, satisfied) if value is not None]
    return {
        "value": sum(present) / len(present) if present else None,
        "nps": nps,
        "nps_answers": usage.nps_answers,
        "csat_satisfied_share": satisfied,
        "csat_answers": usage.csat_answers,
    }


def components(usage: AccountUsage) -> Components:
    """Each component's value (0-1, or null when it cannot be known) and what it came from."""
    breadth_base = usage.seats if usage.seats is not None else usage.members
    return {
        "frequency": {
            "value": _fraction(usage.active_days, usage.window_days),
            "active_days": usage.active_days,
            "window_days": usage.window_days,
        },
        "breadth": {
            "value": _fraction(usage.active_users, breadth_base),
            "active_users": usage.active_users,
            "members": usage.members,
            "seats": usage.seats,
        },
        "depth": {
            "value": _fraction(usage.features_used, usage.key_features),
            "features_used": usage.features_used,
            "key_features": usage.key_features,
        },
        "sentiment": _sentiment(usage),
    }


def weighted_score(parts: Mapping[str, Any], weights: Mapping[str, float]) -> float | None:
    """100 x the weighted mean of the components with a value; null when none has one."""
    present: list[tuple[float, float]] = [
        (weights[name], parts[name]["value"])
        for name in COMPONENTS
        if parts[name]["value"] is not None and weights[name] > 0
    ]
    total = sum(weight for weight, _ in present)
    if not total:
        return None
    return 100 * sum(weight * value for weight, value in present) / total


def status_of(score: float | None, thresholds: Mapping[str, float]) -> str | None:
    """``green`` at or above the green threshold, ``yellow`` at or above yellow, else ``red``."""
    if score is None:
        return None
    if score >= thresholds["green"]:
        return "green"
    return "yellow" if score >= thresholds["yellow"] else "red"


def account_health(usage: AccountUsage, settings: HealthSettings) -> Health:
    """``{"score", "status", "components"}`` of one account."""
    parts = components(usage)
    score = weighted_score(parts, settings.weights)
    return {"score": score, "status": status_of(score, settings.thresholds), "components": parts}
