"""The health score of one account from its counts, against figures worked out by hand."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collector.analytics.accounts.health_scoring import (
    AccountUsage,
    account_health,
    components,
    seats_of,
    status_of,
    weighted_score,
)
from collector.kit.project_settings import DEFAULT_WEIGHTS, HealthSettings

DEFAULTS = HealthSettings()


def usage(**counts: Any) -> AccountUsage:
    base: dict[str, Any] = {
        "active_days": 15,
        "window_days": 30,
        "active_users": 2,
        "members": 3,
        "seats": 10.0,
        "features_used": 2,
        "key_features": 4,
    }
    return AccountUsage(**{**base, **counts})


def test_score_is_the_weighted_mean_of_the_components() -> None:
    # 100 x (0.3 x 0.5 + 0.25 x 0.2 + 0.25 x 0.5 + 0.2 x 0.5)
    health = account_health(usage(nps_promoters=1, nps_detractors=1, nps_answers=2), DEFAULTS)
    assert health["score"] == pytest.approx(42.5)
    assert health["status"] == "yellow"


def test_breadth_is_the_share_of_seats_when_there_are_seats() -> None:
    assert components(usage())["breadth"]["value"] == pytest.approx(0.2)


def test_breadth_is_the_share_of_members_without_seats() -> None:
    assert components(usage(seats=None))["breadth"]["value"] == pytest.approx(2 / 3)


def test_breadth_never_exceeds_one() -> None:
    assert components(usage(active_users=12))["breadth"]["value"] == 1.0


def test_depth_is_unknown_without_key_features() -> None:
    assert components(usage(key_features=0))["depth"]["value"] is None


def test_sentiment_maps_nps_to_zero_one_and_averages_with_csat() -> None:
    parts = components(usage(nps_promoters=3, nps_answers=4, csat_satisfied=1, csat_answers=2))
    assert parts["sentiment"]["nps"] == 75.0
    assert parts["sentiment"]["value"] == pytest.approx((0.875 + 0.5) / 2)


def test_sentiment_is_unknown_without_answers() -> None:
    assert components(usage())["sentiment"]["value"] is None


def test_unknown_components_leave_the_weights_of_the_others() -> None:
    # frequency 0.5, breadth 0.2, depth 0.5 over weights 0.3, 0.25, 0.25
    assert account_health(usage(), DEFAULTS)["score"] == pytest.approx(100 * 0.325 / 0.8)


def test_a_component_of_weight_zero_does_not_count() -> None:
    weights = {**DEFAULT_WEIGHTS, "breadth": 0.0}
    parts = components(usage())
    assert weighted_score(parts, weights) == pytest.approx(100 * 0.275 / 0.55)


def test_no_component_with_a_value_gives_no_score() -> None:
    parts = components(usage(window_days=0, members=0, seats=None, key_features=0))
    assert weighted_score(parts, DEFAULT_WEIGHTS) is None
    assert status_of(None, DEFAULTS.thresholds) is None


@pytest.mark.parametrize(
    ("score", "status"),
    [(70.0, "green"), (69.9, "yellow"), (40.0, "yellow"), (39.9, "red")],
)
def test_thresholds_are_floors(score: float, status: str) -> None:
    assert status_of(score, DEFAULTS.thresholds) == status


def test_settings_fill_what_the_project_left_out() -> None:
    settings = HealthSettings.from_stored(
        {"weights": {"depth": 1}, "key_features": ["Report Created"]}
    )
    assert settings.weights == {**DEFAULT_WEIGHTS, "depth": 1}
    assert (settings.key_features, settings.window_days) == (("Report Created",), 30)
    assert settings.thresholds == {"green": 70, "yellow": 40}


@pytest.mark.parametrize(
    ("traits", "seats"),
    [
        ({"seats": 10}, 10.0),
        ({"seats": "25"}, 25.0),
        ({"seats": 0}, None),
        ({}, None),
        ({"seats": "many"}, None),
        ({"seats": True}, None),
        ({"seats": [3]}, None),
    ],
)
def test_seats_are_a_positive_number(traits: dict[str, Any], seats: float | None) -> None:
    assert seats_of(traits) == seats


@st.composite
def consistent_usage(draw: st.DrawFn) -> AccountUsage:
    """Counts as the database could give them: parts never exceed their wholes."""
    window, members, keys, nps, csat = (draw(st.integers(0, 400)) for _ in range(5))
    promoters = draw(st.integers(0, nps))
    return AccountUsage(
        active_days=draw(st.integers(0, window)),
        window_days=window,
        active_users=draw(st.integers(0, members)),
        members=members,
        seats=draw(st.none() | st.floats(1, 1000)),
        features_used=draw(st.integers(0, keys)),
        key_features=keys,
        nps_promoters=promoters,
        nps_detractors=draw(st.integers(0, nps - promoters)),
        nps_answers=nps,
        csat_satisfied=draw(st.integers(0, csat)),
        csat_answers=csat,
    )


@given(consistent_usage())
def test_score_lies_between_0_and_100(counted: AccountUsage) -> None:
    score = account_health(counted, DEFAULTS)["score"]
    assert score is None or 0 <= score <= 100
