"""The demo population: the same seed gives the same messages, and they make sense."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from collector.demo.population import DemoSize, Experiences, demo_messages

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SMALL = DemoSize(persons=60, accounts=8)
TOUR = {"id": "tour-1", "version": 1, "steps": [{"id": "intro"}, {"id": "create"}]}
SURVEYS = {kind: {"id": f"{kind}-1", "version": 1, "type": kind} for kind in ("nps", "csat", "ces")}
CHECKLIST = {
    "id": "list-1",
    "version": 1,
    "items": [
        {"id": "create", "completed_by": {"event": "Report Created"}},
        {"id": "guide", "completed_by": None},
    ],
}
EXPERIENCES = Experiences(tours=[TOUR], checklists=[CHECKLIST], surveys=SURVEYS)


@pytest.fixture(scope="module")
def messages() -> list[dict[str, Any]]:
    return list(demo_messages(EXPERIENCES, now=NOW, size=SMALL))


def answers(messages: list[dict[str, Any]], kind: str) -> list[int]:
    return [
        m["properties"]["score"]
        for m in messages
        if m.get("event") == "Survey Responded" and m["properties"]["survey_id"] == f"{kind}-1"
    ]


def test_the_same_seed_gives_the_same_messages(messages: list[dict[str, Any]]) -> None:
    assert list(demo_messages(EXPERIENCES, now=NOW, size=SMALL)) == messages


def test_another_seed_gives_another_population(messages: list[dict[str, Any]]) -> None:
    assert list(demo_messages(EXPERIENCES, now=NOW, size=SMALL, seed=8)) != messages


def test_every_person_signs_up_once_within_the_period(messages: list[dict[str, Any]]) -> None:
    signups = [m for m in messages if m.get("event") == "Signed Up"]
    assert len(signups) == SMALL.persons
    times = [datetime.fromisoformat(m["timestamp"]) for m in signups]
    assert all(NOW - timedelta(days=SMALL.days) <= t < NOW for t in times)


def test_nothing_happens_in_the_future(messages: list[dict[str, Any]]) -> None:
    assert max(datetime.fromisoformat(m["timestamp"]) for m in messages) < NOW


def test_message_ids_are_unique(messages: list[dict[str, Any]]) -> None:
    assert len({m["messageId"] for m in messages}) == len(messages)


def test_scores_stay_on_each_surveys_scale(messages: list[dict[str, Any]]) -> None:
    assert set(answers(messages, "nps")) <= set(range(11))
    assert set(answers(messages, "csat")) <= set(range(1, 6))
    assert set(answers(messages, "ces")) <= set(range(1, 8))


def test_there_are_detractors_and_promoters(messages: list[dict[str, Any]]) -> None:
    scores = answers(list(demo_messages(EXPERIENCES, now=NOW)), "nps")
    assert min(scores) <= 6
    assert max(scores) >= 9


def test_the_activation_funnel_narrows(messages: list[dict[str, Any]]) -> None:
    counts = Counter(m.get("event") for m in messages)
    assert counts["Signed Up"] > counts["Project Created"] > counts["Teammate Invited"] > 0


def test_tours_are_completed_or_dismissed_at_a_step(messages: list[dict[str, Any]]) -> None:
    counts = Counter(m.get("event") for m in messages)
    assert counts["Flow Started"] > counts["Flow Completed"] > 0
    assert counts["Flow Dismissed"] > 0


def test_persons_belong_to_accounts_with_plans(messages: list[dict[str, Any]]) -> None:
    groups = [m for m in messages if m["type"] == "group"]
    assert len(groups) == SMALL.persons
    assert {g["traits"]["plan"] for g in groups} <= {"free", "pro", "enterprise"}


def test_without_surveys_no_answers_are_made() -> None:
    bare = Experiences(tours=[], checklists=[], surveys={})
    events = {m.get("event") for m in demo_messages(bare, now=NOW, size=SMALL)}
    assert not events & {"Survey Shown", "Survey Responded", "Flow Started"}


def test_some_persons_tick_the_hand_ticked_items_of_a_checklist(
    messages: list[dict[str, Any]],
) -> None:
    ticked = [m for m in messages if m.get("event") == "Checklist Item Completed"]
    assert {m["properties"]["item"] for m in ticked} == {"guide"}
    assert 0 < len({m["userId"] for m in ticked}) < SMALL.persons
