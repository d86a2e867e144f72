"""The event catalogue: which answers are detractors, and what filters see of a payload."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from collector.webhooks.catalog import EVENT_TYPES, envelope, facts, sentiment


@pytest.mark.parametrize(
    ("survey_type", "score", "low", "high", "expected"),
    [
        ("nps", 0, 0, 10, "detractor"),
        ("nps", 6, 0, 10, "detractor"),
        ("nps", 7, 0, 10, "passive"),
        ("nps", 8, 0, 10, "passive"),
        ("nps", 9, 0, 10, "promoter"),
        ("csat", 1, 1, 5, "detractor"),
        ("csat", 2, 1, 5, "detractor"),
        ("csat", 3, 1, 5, "passive"),
        ("csat", 4, 1, 5, "promoter"),
        ("csat", 0, 0, 1, "detractor"),
        ("csat", 1, 0, 1, "promoter"),
        ("ces", 7, 1, 7, "detractor"),
        ("ces", 5, 1, 7, "detractor"),
        ("ces", 4, 1, 7, "passive"),
        ("ces", 3, 1, 7, "promoter"),
        ("ces", 7, 1, 10, "detractor"),
        ("ces", 4, 1, 10, "promoter"),
    ],
)
def test_the_bad_third_of_each_scale_is_the_detractors(
    survey_type: str, score: int, low: int, high: int, expected: str
) -> None:
    assert sentiment(survey_type, score, low, high) == expected


def test_the_envelope_carries_type_version_and_utc_timestamp() -> None:
    at = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    assert envelope("flow.completed", at, {"step": None}) == {
        "type": "flow.completed",
        "version": EVENT_TYPES["flow.completed"].version,
        "timestamp": "2026-11-25T10:00:00Z",
        "data": {"step": None},
    }


def test_filters_see_survey_shortcuts_beside_the_data() -> None:
    payload = {
        "type": "survey.responded",
        "data": {
            "survey": {"id": "s1", "type": "nps"},
            "response": {"score": 3, "sentiment": "detractor", "text": "hi", "locale": "he"},
        },
    }
    found = facts(payload)
    assert (found["survey_type"], found["score"], found["sentiment"]) == ("nps", 3, "detractor")
    assert (found["type"], found["survey"]["id"]) == ("survey.responded", "s1")


def test_filters_see_flow_shortcuts() -> None:
    found = facts({"type": "flow.completed", "data": {"flow": {"id": "f1", "type": "tour"}}})
    assert (found["flow_id"], found["flow_type"]) == ("f1", "tour")
    assert "survey_type" not in found
