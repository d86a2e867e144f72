"""Project settings as every feature reads them: typed, with the defaults for what a
project has not set. The admin API validates changes with ``collector.projects.schemas``.

The stored JSON is only validated on its way in, so a value written before a rule existed
(or by hand) may not fit it. ``ProjectSettings.from_stored`` is the one place that reads it:
a missing, null or malformed value falls back to its default, so no reader guesses alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, TypeGuard

COMPONENTS = ("frequency", "breadth", "depth", "sentiment")
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {"frequency": 0.3, "breadth": 0.25, "depth": 0.25, "sentiment": 0.2}
)
DEFAULT_THRESHOLDS: Mapping[str, float] = MappingProxyType({"green": 70, "yellow": 40})
DEFAULT_WINDOW_DAYS = 30

IpMode = Literal["none", "truncated", "full"]
IP_MODES: tuple[IpMode, ...] = ("none", "truncated", "full")

RateLimitName = Literal["write_key", "client_ip", "secret_key"]


def is_count(value: Any) -> TypeGuard[int]:
    """Whether ``value`` is a JSON whole number ≥ 0 (``true`` is not ``1``)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


@dataclass(frozen=True, slots=True)
class ProjectThrottle:
    """Project-wide caps on experiences shown; None means no cap."""

    max_per_session: int | None = 1
    max_per_day: int | None = None
    survey_gap_days: int | None = 14

    @classmethod
    def from_stored(cls, stored: Any) -> ProjectThrottle:
        """A cap that is missing or not a whole number ≥ 0 keeps its default; null is no cap."""
        given, defaults = _mapping(stored), cls()
        return cls(
            max_per_session=_cap(given, "max_per_session", defaults.max_per_session),
            max_per_day=_cap(given, "max_per_day", defaults.max_per_day),
            survey_gap_days=_cap(given, "survey_gap_days", defaults.survey_gap_days),
        )


def _cap(given: Mapping[str, Any], key: str, default: int | None) -> int | None:
    value = given.get(key, default)
    return value if value is None or is_count(value) else default


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Requests per second the project allows; None leaves the installation's limit."""

    write_key: int | None = None
    client_ip: int | None = None
    secret_key: int | None = None

    @classmethod
    def from_stored(cls, stored: Any) -> RateLimits:
        """Only a whole number ≥ 1 is a limit: 0, null or anything else is the default's."""
        given = _mapping(stored)
        return cls(
            write_key=_rate(given.get("write_key")),
            client_ip=_rate(given.get("client_ip")),
            secret_key=_rate(given.get("secret_key")),
        )

    def of(self, name: RateLimitName) -> int | None:
        return {
            "write_key": self.write_key,
            "client_ip": self.client_ip,
            "secret_key": self.secret_key,
        }[name]


def _rate(value: Any) -> int | None:
    return value if is_count(value) and value >= 1 else None


@dataclass(frozen=True, slots=True)
class HealthSettings:
    """How account health is scored: component weights, status floors, the key features
    whose use makes up depth, and how many days of activity count."""

    weights: Mapping[str, float] = field(default_factory=lambda: DEFAULT_WEIGHTS)
    thresholds: Mapping[str, float] = field(default_factory=lambda: DEFAULT_THRESHOLDS)
    key_features: tuple[str, ...] = ()
    window_days: int = DEFAULT_WINDOW_DAYS

    @classmethod
    def from_stored(cls, stored: Any) -> HealthSettings:
        """Each weight and threshold set replaces its default; what is not a number, or not
        a component, is ignored, and so is a key feature that is not an event name."""
        given = _mapping(stored)
        features = given.get("key_features")
        window = given.get("window_days")
        return cls(
            weights=_numbers(given.get("weights"), DEFAULT_WEIGHTS),
            thresholds=_numbers(given.get("thresholds"), DEFAULT_THRESHOLDS),
            key_features=tuple(
                name for name in (features if isinstance(features, list) else ()) if _is_name(name)
            ),
            window_days=window if is_count(window) and window >= 1 else DEFAULT_WINDOW_DAYS,
        )


def _numbers(stored: Any, defaults: Mapping[str, float]) -> Mapping[str, float]:
    """The defaults' keys, each with the stored number when there is one."""
    given = _mapping(stored)
    return MappingProxyType(
        {k: v if _is_number(v := given.get(k)) else default for k, default in defaults.items()}
    )


def _is_name(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and value != ""


@dataclass(frozen=True, slots=True)
class ProjectSettings:
    """Everything a project can set (see ``SettingsSchema``), each with its default."""

    ip_addresses: IpMode = "none"
    """What is kept of a client's address: nothing, its network, or all of it."""
    retention_days: int | None = None
    """Events older than this many days are deleted; None keeps them."""
    rate_limits: RateLimits = field(default_factory=RateLimits)
    allowed_origins: tuple[str, ...] = ()
    """Browser origins the write key works from; empty: any."""
    require_identity_verification: bool = False
    throttle: ProjectThrottle = field(default_factory=ProjectThrottle)
    health: HealthSettings = field(default_factory=HealthSettings)

    @classmethod
    def from_stored(cls, stored: Any) -> ProjectSettings:
        """The settings from the stored JSON (a ``projects.settings`` value, maybe null)."""
        given = _mapping(stored)
        ip_mode = given.get("ip_addresses")
        retention = given.get("retention_days")
        origins = given.get("allowed_origins")
        return cls(
            ip_addresses=next((mode for mode in IP_MODES if mode == ip_mode), "none"),
            retention_days=retention if is_count(retention) and retention >= 1 else None,
            rate_limits=RateLimits.from_stored(given.get("rate_limits")),
            allowed_origins=tuple(
                origin
                for origin in (origins if isinstance(origins, list) else ())
                if isinstance(origin, str)
            ),
            # Any truthy value requires it, as it always has: a doubtful value fails closed.
            require_identity_verification=bool(given.get("require_identity_verification")),
            throttle=ProjectThrottle.from_stored(given.get("throttle")),
            health=HealthSettings.from_stored(given.get("health")),
        )


DEFAULTS = ProjectSettings()
"""What applies where a project's settings say nothing."""
