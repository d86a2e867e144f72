"""Throttling across experiences: the project's settings and its caps on interruptions
(per session, per day, the gap between surveys), applied in priority order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

import pytest

from collector.kit.project_settings import ProjectThrottle
from collector.targeting.candidates import Candidate
from collector.targeting.facts import Decision, Impression, PageFacts
from collector.targeting.throttling import apply_global_caps
from tests.collector.targeting.factories import (
    NOW,
    SESSION,
    candidate,
    experience_id,
    history,
    impression,
)

DAY = timedelta(days=1)
YES = Decision.yes()


# --- project-wide caps --------------------------------------------------------------------

PAGE = PageFacts(url="/app", session_id=SESSION)
NO_CAPS = ProjectThrottle(max_per_session=None, max_per_day=None, survey_gap_days=None)
DEFAULTS = ProjectThrottle()
THROTTLED = Decision.no("throttled")


def capped(
    candidates: Sequence[Candidate],
    impressions: Sequence[Impression] = (),
    throttle: ProjectThrottle = DEFAULTS,
    page: PageFacts = PAGE,
    decisions: Mapping[int, Decision] | None = None,
) -> dict[int, Decision]:
    """Each candidate's number → its decision after the caps; all start eligible."""
    given = decisions or {}
    pairs = [(c, given.get(c.id.int, YES)) for c in candidates]
    result = apply_global_caps(pairs, impressions, throttle, page, now=NOW)
    return {c.id.int: decision for c, decision in result}


def test_result_is_ordered_by_priority_then_id() -> None:
    candidates = [
        candidate("tour", number=1, priority=0),
        candidate("tour", number=3, priority=5),
        candidate("nps", number=2, priority=5),
        candidate("tour", number=4, priority=-1),
    ]
    result = apply_global_caps([(c, YES) for c in candidates], [], NO_CAPS, PAGE, now=NOW)
    assert [c.id for c, _ in result] == [experience_id(n) for n in (2, 3, 1, 4)]


CAP_CASES = [
    pytest.param(
        [candidate(number=1, priority=1), candidate(number=2, priority=9)],
        [],
        ProjectThrottle(),
        {2: YES, 1: THROTTLED},
        id="one-per-session-keeps-the-highest-priority",
    ),
    pytest.param(
        [candidate(number=1)],
        [impression(7)],
        ProjectThrottle(),
        {1: THROTTLED},
        id="session-already-had-one",
    ),
    pytest.param(
        [candidate(number=1)],
        [impression(7, session_id="yesterday"), impression(8, session_id=None)],
        ProjectThrottle(),
        {1: YES},
        id="other-sessions-do-not-count",
    ),
    pytest.param(
        [candidate(number=1, history=history("in_progress")), candidate(number=2, priority=9)],
        [impression(1)],
        ProjectThrottle(),
        {2: THROTTLED, 1: YES},
        id="tour-resumed-in-its-session-stays-and-uses-the-slot",
    ),
    pytest.param(
        [candidate("checklist", number=1, history=history("in_progress"))],
        [impression(1), impression(2)],
        ProjectThrottle(),
        {1: YES},
        id="open-checklist-stays-past-a-full-session",
    ),
    pytest.param(
        [candidate("nps", number=1, history=history("shown"))],
        [impression(1, kind="survey", ago=timedelta(minutes=5))],
        ProjectThrottle(),
        {1: YES},
        id="open-survey-stays-despite-the-survey-gap",
    ),
    pytest.param(
        [candidate("nps", number=1, history=history("dismissed"))],
        [impression(1, kind="survey")],
        ProjectThrottle(survey_gap_days=None),
        {1: THROTTLED},
        id="dismissed-this-session-is-new-again",
    ),
    pytest.param(
        [candidate(number=1, history=history("in_progress"))],
        [impression(1, session_id="yesterday")],
        ProjectThrottle(),
        {1: YES},
        id="tour-from-an-earlier-session-takes-a-new-slot",
    ),
    pytest.param(
        [candidate(number=1, history=history("in_progress")), candidate(number=2, priority=9)],
        [impression(1, session_id="yesterday")],
        ProjectThrottle(),
        {2: YES, 1: THROTTLED},
        id="tour-from-an-earlier-session-competes-by-priority",
    ),
    pytest.param(
        [candidate(number=1), candidate(number=2), candidate(number=3)],
        [],
        ProjectThrottle(max_per_session=2),
        {1: YES, 2: YES, 3: THROTTLED},
        id="session-cap-of-2",
    ),
    pytest.param(
        [candidate(number=1), candidate(number=2)],
        [impression(7)],
        ProjectThrottle(max_per_session=None),
        {1: YES, 2: YES},
        id="no-session-cap",
    ),
    pytest.param(
        [candidate(number=1)],
        [],
        ProjectThrottle(max_per_session=0),
        {1: THROTTLED},
        id="session-cap-of-0",
    ),
    pytest.param(
        [candidate("resource_center", number=1, priority=9), candidate(number=2)],
        [impression(7)],
        ProjectThrottle(max_per_session=1),
        {1: YES, 2: THROTTLED},
        id="resource-center-is-never-capped",
    ),
    pytest.param(
        [candidate("resource_center", number=1, priority=9), candidate(number=2)],
        [],
        ProjectThrottle(),
        {1: YES, 2: YES},
        id="resource-center-uses-no-slot",
    ),
    pytest.param(
        [candidate("resource_center", number=1), candidate(number=2)],
        [impression(1)],
        ProjectThrottle(),
        {1: YES, 2: YES},
        id="resource-center-impression-known-by-candidate-is-not-counted",
    ),
    pytest.param(
        [candidate(number=2)],
        [impression(9, type_="resource_center")],
        ProjectThrottle(),
        {2: YES},
        id="resource-center-impression-known-by-type-is-not-counted",
    ),
]


@pytest.mark.parametrize(("candidates", "impressions", "throttle", "expected"), CAP_CASES)
def test_caps(
    candidates: Sequence[Candidate],
    impressions: Sequence[Impression],
    throttle: ProjectThrottle,
    expected: Mapping[int, Decision],
) -> None:
    assert capped(candidates, impressions, throttle) == expected


@pytest.mark.parametrize(
    "refusal",
    [
        pytest.param(Decision.no("shown_once"), id="shown-once"),
        pytest.param(Decision.no("throttled", until=NOW + DAY), id="already-throttled"),
    ],
)
def test_ineligible_candidate_is_kept_as_decided_and_uses_no_slot(refusal: Decision) -> None:
    candidates = [candidate(number=1, priority=5), candidate(number=2)]
    assert capped(candidates, decisions={1: refusal}) == {1: refusal, 2: YES}


def test_without_a_session_the_cap_still_limits_one_answer() -> None:
    candidates = [candidate(number=1, priority=1), candidate(number=2)]
    page = PageFacts(url="/app", session_id=None)
    result = capped(candidates, [impression(7, session_id=None)], page=page)
    assert result == {1: YES, 2: THROTTLED}


DAY_CAP = ProjectThrottle(max_per_session=None, max_per_day=2, survey_gap_days=None)

DAY_CASES = [
    pytest.param(
        [impression(7, ago=timedelta(hours=20)), impression(8, ago=timedelta(hours=3))],
        DAY_CAP,
        Decision.no("throttled", until=NOW + timedelta(hours=4)),
        id="full-day-frees-when-the-oldest-start-is-24-hours-old",
    ),
    pytest.param(
        [impression(7, ago=timedelta(hours=25)), impression(8, ago=timedelta(hours=3))],
        DAY_CAP,
        YES,
        id="starts-older-than-24-hours-do-not-count",
    ),
    pytest.param(
        [impression(7, ago=timedelta(hours=20)), impression(7, ago=timedelta(hours=2))],
        DAY_CAP,
        YES,
        id="one-experience-started-twice-counts-once",
    ),
    pytest.param(
        [
            impression(7, ago=timedelta(hours=20)),
            impression(7, ago=timedelta(hours=2)),
            impression(8, ago=timedelta(hours=10)),
        ],
        DAY_CAP,
        Decision.no("throttled", until=NOW + timedelta(hours=14)),
        id="an-experience-counts-from-its-latest-start",
    ),
    pytest.param(
        [
            impression(6, ago=timedelta(hours=23)),
            impression(7, ago=timedelta(hours=20)),
            impression(8, ago=timedelta(hours=3)),
        ],
        DAY_CAP,
        Decision.no("throttled", until=NOW + timedelta(hours=4)),
        id="over-the-cap-frees-when-enough-starts-age-out",
    ),
    pytest.param(
        [],
        ProjectThrottle(max_per_session=None, max_per_day=0),
        THROTTLED,
        id="day-cap-of-0-never-frees",
    ),
    pytest.param(
        [impression(7, ago=timedelta(hours=20)), impression(8, ago=timedelta(hours=3))],
        ProjectThrottle(max_per_session=1, max_per_day=2),
        Decision.no("throttled", until=NOW + timedelta(hours=4)),
        id="session-and-day-full-gives-the-day-time",
    ),
]


@pytest.mark.parametrize(("impressions", "throttle", "expected"), DAY_CASES)
def test_day_cap(
    impressions: Sequence[Impression], throttle: ProjectThrottle, expected: Decision
) -> None:
    page = PageFacts(session_id="fresh-session")
    assert capped([candidate(number=1)], impressions, throttle, page) == {1: expected}


def test_day_cap_filled_within_one_answer_frees_a_day_later() -> None:
    throttle = ProjectThrottle(max_per_session=None, max_per_day=1)
    result = capped([candidate(number=1, priority=1), candidate(number=2)], [], throttle)
    assert result == {1: YES, 2: Decision.no("throttled", until=NOW + DAY)}


GAP = ProjectThrottle(max_per_session=None, survey_gap_days=14)

GAP_CASES = [
    pytest.param(
        [candidate("nps", number=1)],
        [impression(7, kind="survey", ago=3 * DAY, session_id="earlier")],
        GAP,
        {1: Decision.no("throttled", until=NOW + 11 * DAY)},
        id="survey-within-the-gap-waits-for-its-end",
    ),
    pytest.param(
        [candidate("nps", number=1)],
        [
            impression(7, kind="survey", ago=13 * DAY, session_id="earlier"),
            impression(8, kind="survey", ago=3 * DAY, session_id="later"),
        ],
        GAP,
        {1: Decision.no("throttled", until=NOW + 11 * DAY)},
        id="gap-runs-from-the-last-survey",
    ),
    pytest.param(
        [candidate("nps", number=1, history=history("dismissed"))],
        [impression(1, kind="survey", ago=3 * DAY, session_id="earlier")],
        GAP,
        {1: Decision.no("throttled", until=NOW + 11 * DAY)},
        id="a-dismissed-survey-waits-the-gap-too",
    ),
    pytest.param(
        [candidate("nps", number=1)],
        [impression(7, kind="survey", ago=14 * DAY, session_id="earlier")],
        GAP,
        {1: YES},
        id="survey-after-the-gap",
    ),
    pytest.param(
        [candidate("tour", number=1)],
        [impression(7, kind="survey", ago=DAY, session_id="earlier")],
        GAP,
        {1: YES},
        id="flows-ignore-the-survey-gap",
    ),
    pytest.param(
        [candidate("nps", number=1)],
        [impression(7, kind="flow", ago=DAY, session_id="earlier")],
        GAP,
        {1: YES},
        id="flows-do-not-start-the-survey-gap",
    ),
    pytest.param(
        [candidate("nps", number=1, priority=1), candidate("csat", number=2)],
        [],
        GAP,
        {1: YES, 2: Decision.no("throttled", until=NOW + 14 * DAY)},
        id="one-survey-per-answer",
    ),
    pytest.param(
        [candidate("nps", number=1)],
        [
            impression(7, kind="survey", ago=14 * DAY - timedelta(hours=1), session_id="x"),
            impression(8, kind="flow", ago=timedelta(hours=2), session_id="y"),
        ],
        ProjectThrottle(max_per_session=None, max_per_day=1, survey_gap_days=14),
        {1: Decision.no("throttled", until=NOW + timedelta(hours=22))},
        id="gap-and-day-cap-wait-for-the-later-end",
    ),
    pytest.param(
        [candidate("nps", number=1)],
        [impression(7, kind="survey", ago=3 * DAY, session_id="earlier"), impression(8)],
        ProjectThrottle(max_per_session=1, survey_gap_days=14),
        {1: Decision.no("throttled", until=NOW + 11 * DAY)},
        id="gap-and-full-session-give-the-gap-end",
    ),
    pytest.param(
        [candidate("nps", number=1, priority=1), candidate("csat", number=2)],
        [impression(7, kind="survey", ago=DAY, session_id="earlier")],
        ProjectThrottle(max_per_session=None, survey_gap_days=None),
        {1: YES, 2: YES},
        id="no-survey-gap",
    ),
    pytest.param(
        [candidate("nps", number=1, priority=1), candidate("csat", number=2)],
        [impression(7, kind="survey", ago=DAY, session_id="earlier")],
        ProjectThrottle(max_per_session=None, survey_gap_days=0),
        {1: YES, 2: YES},
        id="survey-gap-of-0",
    ),
]


@pytest.mark.parametrize(("candidates", "impressions", "throttle", "expected"), GAP_CASES)
def test_survey_gap(
    candidates: Sequence[Candidate],
    impressions: Sequence[Impression],
    throttle: ProjectThrottle,
    expected: Mapping[int, Decision],
) -> None:
    assert capped(candidates, impressions, throttle) == expected
