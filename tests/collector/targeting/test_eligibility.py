"""The whole decision: own throttle, then audience, then sampling, then the project caps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest

from collector.kit.project_settings import ProjectThrottle
from collector.targeting.candidates import Candidate
from collector.targeting.eligibility import decide
from collector.targeting.facts import Decision, Impression, PageFacts, PersonFacts
from collector.targeting.sampling import in_sample
from tests.collector.targeting.factories import (
    NOW,
    PROJECT_ID,
    SESSION,
    candidate,
    history,
    impression,
    person,
)

PAGE = PageFacts(url="/app/reports", locale="he-IL", session_id=SESSION)
NO_CAPS = ProjectThrottle(max_per_session=None, max_per_day=None, survey_gap_days=None)
PRO = {"type": "trait", "name": "plan", "op": "eq", "value": "pro"}
SETTINGS_PAGE = {"type": "url", "pattern": "/settings*"}
ENGLISH = {"type": "locale", "in": ["en"]}
YES = Decision.yes()


def audience(*rules: dict[str, Any], sample_percent: float | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"rules": list(rules)}
    if sample_percent is not None:
        body["sample_percent"] = sample_percent
    return {"audience": body}


def decide_all(
    candidates: Sequence[Candidate],
    who: PersonFacts | None = None,
    impressions: Sequence[Impression] = (),
    throttle: ProjectThrottle = NO_CAPS,
) -> list[tuple[int, Decision]]:
    """Each candidate's number and decision, in the order ``decide`` returns them."""
    result = decide(
        candidates,
        who or person(traits={"plan": "pro"}),
        PAGE,
        impressions,
        throttle,
        project_id=PROJECT_ID,
        now=NOW,
    )
    return [(c.id.int, decision) for c, decision in result]


ONE_CANDIDATE_CASES = [
    pytest.param(candidate("tour"), YES, id="no-audience-no-history-is-eligible"),
    pytest.param(candidate("tour", definition=audience(PRO)), YES, id="in-the-audience"),
    pytest.param(
        candidate("tour", definition=audience({**PRO, "value": "free"})),
        Decision.no("not_in_audience", rule={**PRO, "value": "free"}),
        id="not-in-the-audience-names-the-rule",
    ),
    pytest.param(
        candidate("tour", definition=audience(SETTINGS_PAGE)),
        Decision.no("wrong_page", rule=SETTINGS_PAGE),
        id="wrong-page",
    ),
    pytest.param(
        candidate("tour", definition=audience(PRO, ENGLISH)),
        Decision.no("wrong_locale", rule=ENGLISH),
        id="wrong-locale",
    ),
    pytest.param(
        candidate("tour", definition=audience(sample_percent=0)),
        Decision.no("sampled_out"),
        id="sampled-out",
    ),
    pytest.param(
        candidate("tour", definition=audience(sample_percent=100)), YES, id="sample-of-100"
    ),
    pytest.param(
        candidate("tour", history=history("completed"), definition=audience(SETTINGS_PAGE)),
        Decision.no("completed"),
        id="own-throttle-before-audience",
    ),
    pytest.param(
        candidate("nps", history=history("responded", last_responded_at=NOW - timedelta(days=1))),
        Decision.no("reask_interval", until=NOW + timedelta(days=89)),
        id="survey-answered-yesterday",
    ),
    pytest.param(
        candidate("tour", definition=audience(ENGLISH, sample_percent=0)),
        Decision.no("wrong_locale", rule=ENGLISH),
        id="audience-before-sampling",
    ),
    pytest.param(
        candidate("tour", history=history("dismissed"), definition=audience(sample_percent=0)),
        Decision.no("shown_once"),
        id="own-throttle-before-sampling",
    ),
]


@pytest.mark.parametrize(("subject", "expected"), ONE_CANDIDATE_CASES)
def test_decision_for_one_candidate(subject: Candidate, expected: Decision) -> None:
    assert decide_all([subject]) == [(1, expected)]


@pytest.mark.parametrize("key", [f"user-{n}" for n in range(40)])
def test_sampling_follows_the_stable_hash(key: str) -> None:
    subject = candidate("tour", definition=audience(sample_percent=50))
    expected = YES if in_sample(PROJECT_ID, subject.id, key, 50) else Decision.no("sampled_out")
    assert decide_all([subject], person(sampling_key=key)) == [(1, expected)]


def test_no_candidates_no_decisions() -> None:
    assert decide_all([]) == []


def test_caps_come_last_and_keep_the_highest_priority() -> None:
    candidates = [candidate("tour", number=1), candidate("announcement", number=2, priority=3)]
    result = decide_all(candidates, throttle=ProjectThrottle())
    assert result == [(2, YES), (1, Decision.no("throttled"))]


def test_ineligible_high_priority_leaves_the_slot_to_the_next() -> None:
    candidates = [
        candidate("tour", number=1, priority=9, definition=audience(sample_percent=0)),
        candidate("announcement", number=2, priority=5),
        candidate("hotspot", number=3),
    ]
    result = decide_all(candidates, throttle=ProjectThrottle())
    assert result == [
        (1, Decision.no("sampled_out")),
        (2, YES),
        (3, Decision.no("throttled")),
    ]


def test_tour_being_resumed_passes_every_layer() -> None:
    tour = candidate("tour", number=1, history=history("in_progress"), definition=audience(PRO))
    other = candidate("announcement", number=2, priority=9)
    result = decide_all([tour, other], impressions=[impression(1)], throttle=ProjectThrottle())
    assert result == [(2, Decision.no("throttled")), (1, YES)]


def test_every_candidate_gets_exactly_one_decision() -> None:
    candidates = [candidate("tour", number=n, priority=n % 3) for n in range(1, 8)]
    result = decide_all(candidates, throttle=ProjectThrottle())
    assert sorted(number for number, _ in result) == list(range(1, 8))
