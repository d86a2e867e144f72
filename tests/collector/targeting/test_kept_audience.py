"""An audience checked once and kept decides exactly as the audience checked each time."""

from __future__ import annotations

from typing import Any

import pytest

from collector.kit.project_settings import ProjectThrottle
from collector.targeting.candidates import Candidate
from collector.targeting.eligibility import decide
from collector.targeting.facts import PageFacts
from collector.targeting.rules import Audience, audience_decision
from tests.collector.targeting.factories import NOW, PROJECT_ID, candidate, person

PAGE = PageFacts(url="/app/reports", locale="he-IL")
PRO = {"type": "trait", "name": "plan", "op": "eq", "value": "pro"}
AUDIENCES: list[Any] = [
    None,
    {},
    {"rules": []},
    {"rules": [PRO]},
    {"rules": [PRO, {"type": "locale", "in": ["en"]}]},
    {"rules": [{"type": "url", "pattern": "/settings*"}, PRO]},
    {"rules": [{"type": "trait", "name": "plan"}]},
    {"rules": ["not a rule"]},
    {"rules": "not a list"},
    "not an audience",
    {"rules": [PRO], "sample_percent": 0},
]


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("plan", ["pro", "free"])
def test_kept_audience_decides_as_the_audience(audience: Any, plan: str) -> None:
    who = person(traits={"plan": plan})
    expected = audience_decision(audience, who, PAGE, now=NOW)
    assert Audience.of(audience).decision(who, PAGE, now=NOW) == expected


def test_candidates_with_kept_audiences_are_decided_alike() -> None:
    plain = [
        candidate(number=n, priority=n, definition={"audience": audience})
        for n, audience in enumerate(AUDIENCES, start=1)
    ]
    kept = [
        Candidate(c.id, c.kind, c.type, c.priority, c.definition, c.history, Audience.of(a))
        for c, a in zip(plain, AUDIENCES, strict=True)
    ]
    throttle = ProjectThrottle(max_per_session=2)

    def decided(candidates: list[Candidate]) -> list[Any]:
        who = person(traits={"plan": "pro"})
        pairs = decide(candidates, who, PAGE, (), throttle, project_id=PROJECT_ID, now=NOW)
        return [(c.id, d) for c, d in pairs]

    assert decided(kept) == decided(plain)
