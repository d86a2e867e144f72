"""Throttling: one experience's own rules (completed, show once, dismissals, re-ask)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest

from collector.targeting.candidates import Candidate
from collector.targeting.facts import Decision
from collector.targeting.throttling import ExperienceThrottle, own_decision
from tests.collector.targeting.factories import (
    NOW,
    candidate,
    history,
)

DAY = timedelta(days=1)
YES = Decision.yes()


def throttled(throttle: Mapping[str, Any]) -> dict[str, Any]:
    return {"throttle": throttle}


# --- one experience's own rules -----------------------------------------------------------

OWN_CASES = [
    pytest.param(candidate("tour"), YES, id="never-seen"),
    pytest.param(
        candidate("tour", history=history("completed")),
        Decision.no("completed"),
        id="completed-tour",
    ),
    pytest.param(
        candidate("checklist", history=history("completed")),
        Decision.no("completed"),
        id="completed-checklist",
    ),
    pytest.param(
        candidate("tour", history=history("completed"), definition=throttled({"show_once": False})),
        Decision.no("completed"),
        id="completed-tour-even-if-not-show-once",
    ),
    pytest.param(
        candidate("tour", history=history("in_progress")), YES, id="tour-in-progress-is-resumed"
    ),
    pytest.param(
        candidate("tour", history=history("dismissed", dismiss_count=1)),
        Decision.no("shown_once"),
        id="tour-dismissed-is-shown-once",
    ),
    pytest.param(
        candidate("announcement", history=history("completed")),
        Decision.no("shown_once"),
        id="announcement-completed-is-shown-once",
    ),
    pytest.param(
        candidate("hotspot", history=history("dismissed")),
        Decision.no("shown_once"),
        id="hotspot-shown-once",
    ),
    pytest.param(
        candidate(
            "announcement", history=history("completed"), definition=throttled({"show_once": False})
        ),
        YES,
        id="announcement-not-show-once-comes-back",
    ),
    pytest.param(
        candidate(
            "tour",
            history=history("dismissed", dismiss_count=1),
            definition=throttled({"show_once": False}),
        ),
        YES,
        id="tour-not-show-once-comes-back-after-a-dismissal",
    ),
    pytest.param(
        candidate(
            "tour",
            history=history("dismissed", dismiss_count=1),
            definition=throttled({"show_once": "no"}),
        ),
        Decision.no("shown_once"),
        id="malformed-show-once-keeps-the-default",
    ),
    pytest.param(
        candidate("tour", history=history("new", shown_count=0)),
        YES,
        id="history-without-a-showing",
    ),
    pytest.param(
        candidate("checklist", history=history("in_progress", dismiss_count=2)),
        YES,
        id="checklist-in-progress-shown-again",
    ),
    pytest.param(
        candidate("checklist", history=history("dismissed", dismiss_count=3)),
        Decision.no("dismissed_too_often"),
        id="checklist-dismissed-3-times",
    ),
    pytest.param(
        candidate("resource_center", history=history("dismissed", dismiss_count=50)),
        YES,
        id="resource-center-closed-often-still-shown",
    ),
    pytest.param(
        candidate(
            "resource_center",
            history=history("dismissed", dismiss_count=2),
            definition=throttled({"max_dismissals": 2}),
        ),
        Decision.no("dismissed_too_often"),
        id="resource-center-with-an-explicit-dismissal-cap",
    ),
    pytest.param(candidate("nps", history=history("shown")), YES, id="survey-shown-unanswered"),
    pytest.param(
        candidate("nps", history=history("dismissed", dismiss_count=2)),
        YES,
        id="survey-dismissed-twice",
    ),
    pytest.param(
        candidate("nps", history=history("dismissed", dismiss_count=3)),
        Decision.no("dismissed_too_often"),
        id="survey-dismissed-3-times",
    ),
    pytest.param(
        candidate(
            "nps",
            history=history("dismissed", dismiss_count=1),
            definition=throttled({"max_dismissals": 1}),
        ),
        Decision.no("dismissed_too_often"),
        id="survey-custom-dismissal-cap",
    ),
    pytest.param(
        candidate(
            "nps",
            history=history("dismissed", dismiss_count=99),
            definition=throttled({"max_dismissals": None}),
        ),
        YES,
        id="survey-null-dismissal-cap-never-stops",
    ),
    pytest.param(
        candidate(
            "nps",
            history=history("dismissed", dismiss_count=3),
            definition=throttled({"max_dismissals": 0}),
        ),
        Decision.no("dismissed_too_often"),
        id="survey-dismissal-cap-of-0-keeps-the-default",
    ),
    pytest.param(
        candidate("nps", history=history("responded", last_responded_at=NOW - 10 * DAY)),
        Decision.no("reask_interval", until=NOW + 80 * DAY),
        id="survey-answered-10-days-ago",
    ),
    pytest.param(
        candidate("csat", history=history("responded", last_responded_at=NOW - 90 * DAY)),
        YES,
        id="survey-answered-exactly-90-days-ago",
    ),
    pytest.param(
        candidate(
            "ces",
            history=history("responded", last_responded_at=NOW - 10 * DAY),
            definition=throttled({"reask_days": 7}),
        ),
        YES,
        id="survey-custom-reask-passed",
    ),
    pytest.param(
        candidate(
            "nps",
            history=history("responded", last_responded_at=NOW - DAY),
            definition=throttled({"reask_days": None}),
        ),
        YES,
        id="survey-null-reask-asks-again-any-time",
    ),
    pytest.param(
        candidate(
            "nps",
            history=history("responded", last_responded_at=NOW - DAY),
            definition=throttled({"reask_days": "30"}),
        ),
        Decision.no("reask_interval", until=NOW + 89 * DAY),
        id="survey-malformed-reask-keeps-90",
    ),
    pytest.param(
        candidate(
            "nps",
            history=history("responded", last_responded_at=NOW - DAY),
            definition={"throttle": "never"},
        ),
        Decision.no("reask_interval", until=NOW + 89 * DAY),
        id="malformed-throttle-keeps-every-default",
    ),
    pytest.param(
        candidate("nps", history=history("shown"), definition=throttled({"show_once": True})),
        Decision.no("shown_once"),
        id="survey-explicitly-show-once",
    ),
    pytest.param(
        candidate(
            "nps", history=history("dismissed", dismiss_count=3, last_responded_at=NOW - DAY)
        ),
        Decision.no("dismissed_too_often"),
        id="lasting-dismissal-reason-before-the-reask-interval",
    ),
    pytest.param(
        candidate("tour", history=history("completed", dismiss_count=5)),
        Decision.no("completed"),
        id="completed-before-dismissed",
    ),
    pytest.param(
        candidate(
            "tour",
            history=history("in_progress", last_responded_at=NOW),
            definition=throttled({"show_once": False}),
        ),
        YES,
        id="reask-interval-is-for-surveys-only",
    ),
]


@pytest.mark.parametrize(("subject", "expected"), OWN_CASES)
def test_own_decision(subject: Candidate, expected: Decision) -> None:
    assert own_decision(subject, now=NOW) == expected


@pytest.mark.parametrize(
    ("type_", "expected"),
    [
        pytest.param("tour", ExperienceThrottle(True, 3, 90), id="tour"),
        pytest.param("announcement", ExperienceThrottle(True, 3, 90), id="announcement"),
        pytest.param("hotspot", ExperienceThrottle(True, 3, 90), id="hotspot"),
        pytest.param("checklist", ExperienceThrottle(False, 3, 90), id="checklist"),
        pytest.param("resource_center", ExperienceThrottle(False, None, 90), id="resource-center"),
        pytest.param("nps", ExperienceThrottle(False, 3, 90), id="survey"),
    ],
)
def test_experience_throttle_defaults_by_type(type_: str, expected: ExperienceThrottle) -> None:
    assert ExperienceThrottle.of(candidate(type_)) == expected
