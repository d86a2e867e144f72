"""Reading a project's stored settings: every default in one place, and what a malformed
stored value (written before a rule existed, or by hand) reads as."""

from __future__ import annotations

from typing import Any

import pytest

from collector.kit.project_settings import (
    DEFAULT_THRESHOLDS,
    DEFAULT_WEIGHTS,
    DEFAULTS,
    HealthSettings,
    ProjectSettings,
    ProjectThrottle,
    RateLimits,
)


@pytest.mark.parametrize(
    "stored", [None, {}, [], "settings"], ids=["null", "empty", "list", "text"]
)
def test_nothing_usable_stored_reads_as_the_defaults(stored: Any) -> None:
    assert ProjectSettings.from_stored(stored) == DEFAULTS


def test_defaults_keep_nothing_and_cap_one_experience_per_session() -> None:
    assert (
        ProjectSettings(
            ip_addresses="none",
            retention_days=None,
            rate_limits=RateLimits(None, None, None),
            allowed_origins=(),
            require_identity_verification=False,
            throttle=ProjectThrottle(max_per_session=1, max_per_day=None, survey_gap_days=14),
            health=HealthSettings(DEFAULT_WEIGHTS, DEFAULT_THRESHOLDS, (), 30),
        )
        == DEFAULTS
    )


def test_every_valid_setting_is_read() -> None:
    stored = {
        "ip_addresses": "truncated",
        "retention_days": 90,
        "rate_limits": {"write_key": 50, "client_ip": 10, "secret_key": 5},
        "allowed_origins": ["https://app.example.com", "https://*.example.org"],
        "require_identity_verification": True,
        "throttle": {"max_per_session": 2, "max_per_day": 3, "survey_gap_days": 7},
        "health": {
            "weights": {"frequency": 1, "breadth": 0, "depth": 0, "sentiment": 0},
            "thresholds": {"green": 80, "yellow": 50},
            "key_features": ["Report Created"],
            "window_days": 14,
        },
    }
    assert ProjectSettings.from_stored(stored) == ProjectSettings(
        ip_addresses="truncated",
        retention_days=90,
        rate_limits=RateLimits(write_key=50, client_ip=10, secret_key=5),
        allowed_origins=("https://app.example.com", "https://*.example.org"),
        require_identity_verification=True,
        throttle=ProjectThrottle(2, 3, 7),
        health=HealthSettings(
            weights={"frequency": 1, "breadth": 0, "depth": 0, "sentiment": 0},
            thresholds={"green": 80, "yellow": 50},
            key_features=("Report Created",),
            window_days=14,
        ),
    )


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        pytest.param({}, ProjectThrottle(1, None, 14), id="no-throttle-set"),
        pytest.param({"throttle": None}, ProjectThrottle(1, None, 14), id="null-throttle"),
        pytest.param({"throttle": [1]}, ProjectThrottle(1, None, 14), id="malformed-throttle"),
        pytest.param(
            {"throttle": {"max_per_session": None, "survey_gap_days": None}},
            ProjectThrottle(None, None, None),
            id="null-means-no-cap",
        ),
        pytest.param(
            {"throttle": {"max_per_day": 0, "survey_gap_days": 0}},
            ProjectThrottle(1, 0, 0),
            id="zero-is-a-cap",
        ),
        pytest.param(
            {"throttle": {"max_per_session": -1, "max_per_day": "5", "survey_gap_days": True}},
            ProjectThrottle(1, None, 14),
            id="malformed-keys-keep-defaults",
        ),
    ],
)
def test_throttle_caps(stored: dict[str, Any], expected: ProjectThrottle) -> None:
    assert ProjectSettings.from_stored(stored).throttle == expected


@pytest.mark.parametrize(
    "stored",
    [
        {"rate_limits": None},
        {"rate_limits": [5]},
        {"rate_limits": {"write_key": 0, "client_ip": None}},
        {"rate_limits": {"write_key": "5", "client_ip": True, "secret_key": -3}},
    ],
    ids=["null", "list", "zero-and-null", "malformed"],
)
def test_rate_limits_not_above_zero_leave_the_installations(stored: dict[str, Any]) -> None:
    assert ProjectSettings.from_stored(stored).rate_limits == RateLimits(None, None, None)


def test_rate_limit_by_bucket_name() -> None:
    limits = RateLimits(write_key=1, client_ip=2, secret_key=3)
    assert [limits.of("write_key"), limits.of("client_ip"), limits.of("secret_key")] == [1, 2, 3]


@pytest.mark.parametrize("mode", ["everything", None, 1, ["full"]])
def test_unknown_ip_mode_keeps_no_address(mode: Any) -> None:
    assert ProjectSettings.from_stored({"ip_addresses": mode}).ip_addresses == "none"


@pytest.mark.parametrize("days", [None, 0, -5, True, "30", 1.5])
def test_retention_that_is_not_a_whole_number_of_days_keeps_events(days: Any) -> None:
    assert ProjectSettings.from_stored({"retention_days": days}).retention_days is None


@pytest.mark.parametrize(
    ("origins", "expected"),
    [
        (None, ()),
        ("https://a.example", ()),
        (["https://a.example", 3, None], ("https://a.example",)),
    ],
    ids=["null", "not-a-list", "not-strings"],
)
def test_allowed_origins_keep_only_text(origins: Any, expected: tuple[str, ...]) -> None:
    assert ProjectSettings.from_stored({"allowed_origins": origins}).allowed_origins == expected


@pytest.mark.parametrize(("stored", "required"), [(True, True), (False, False), (None, False)])
def test_identity_verification_is_required_when_set(stored: Any, required: bool) -> None:
    read = ProjectSettings.from_stored({"require_identity_verification": stored})
    assert read.require_identity_verification is required


def test_any_truthy_identity_verification_value_requires_it() -> None:
    read = ProjectSettings.from_stored({"require_identity_verification": "yes"})
    assert read.require_identity_verification is True


def test_health_fills_what_the_project_left_out() -> None:
    health = ProjectSettings.from_stored({"health": {"weights": {"depth": 1}}}).health
    assert health.weights == {**DEFAULT_WEIGHTS, "depth": 1}
    assert (health.thresholds, health.key_features, health.window_days) == (
        DEFAULT_THRESHOLDS,
        (),
        30,
    )


def test_malformed_health_values_keep_their_defaults() -> None:
    stored = {
        "weights": {"depth": "high", "breadth": True, "loyalty": 5},
        "thresholds": {"green": None},
        "key_features": ["Report Created", 7, ""],
        "window_days": 0,
    }
    assert ProjectSettings.from_stored({"health": stored}).health == HealthSettings(
        DEFAULT_WEIGHTS, DEFAULT_THRESHOLDS, ("Report Created",), 30
    )


@pytest.mark.parametrize("stored", [None, [], "health"], ids=["null", "list", "text"])
def test_health_that_is_not_an_object_reads_as_the_defaults(stored: Any) -> None:
    assert ProjectSettings.from_stored({"health": stored}).health == HealthSettings()
