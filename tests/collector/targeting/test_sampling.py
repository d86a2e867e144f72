"""Stable sampling: the same share of users, always the same users, per experience."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import pytest

from collector.targeting.sampling import in_sample, sample_percent, sample_position
from tests.collector.targeting.factories import PROJECT_ID, experience_id

KEYS = [f"user-{n}" for n in range(10_000)]
EXPERIENCE = experience_id(1)


def sampled(percent: float, experience: uuid.UUID = EXPERIENCE) -> set[str]:
    return {key for key in KEYS if in_sample(PROJECT_ID, experience, key, percent)}


@pytest.mark.parametrize("percent", [1, 10, 25, 50, 75, 99.5])
def test_share_sampled_in_is_within_two_points_of_the_percent(percent: float) -> None:
    share = len(sampled(percent)) / len(KEYS) * 100
    assert abs(share - percent) <= 2


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        pytest.param(100, len(KEYS), id="100-keeps-everyone"),
        pytest.param(250, len(KEYS), id="above-100-keeps-everyone"),
        pytest.param(0, 0, id="0-keeps-no-one"),
        pytest.param(-5, 0, id="below-0-keeps-no-one"),
    ],
)
def test_edge_percents(percent: float, expected: int) -> None:
    assert len(sampled(percent)) == expected


def test_same_user_gets_the_same_answer_every_time() -> None:
    assert sampled(25) == sampled(25)


def test_raising_the_percent_keeps_everyone_already_in() -> None:
    assert sampled(10) <= sampled(25)


def test_different_experiences_sample_different_users() -> None:
    first, second = sampled(25, experience_id(1)), sampled(25, experience_id(2))
    # Independent 25% samples share about 25% of 25% (6.25%) of all users.
    assert abs(len(first & second) / len(KEYS) * 100 - 6.25) <= 2


def test_different_projects_sample_different_users() -> None:
    other_project = uuid.UUID(int=PROJECT_ID.int + 1)
    positions = [sample_position(p, EXPERIENCE, "user-1") for p in (PROJECT_ID, other_project)]
    assert positions[0] != positions[1]


def test_position_is_a_percentage() -> None:
    assert all(0 <= sample_position(PROJECT_ID, EXPERIENCE, key) < 100 for key in KEYS)


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        pytest.param(None, 100, id="no-audience"),
        pytest.param({}, 100, id="not-set"),
        pytest.param({"sample_percent": None}, 100, id="null"),
        pytest.param({"sample_percent": 25}, 25, id="whole-number"),
        pytest.param({"sample_percent": 2.5}, 2.5, id="fraction"),
        pytest.param({"sample_percent": 0}, 0, id="zero"),
        pytest.param({"sample_percent": "25"}, 100, id="string-is-ignored"),
        pytest.param({"sample_percent": True}, 100, id="boolean-is-ignored"),
    ],
)
def test_sample_percent_of_an_audience(audience: Mapping[str, Any] | None, expected: float) -> None:
    assert sample_percent(audience) == expected
