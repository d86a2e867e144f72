"""Should this person see this experience now: the decision, in one documented order.

For each candidate, the first check that fails gives the reason:

1. Its own throttle (:func:`~collector.targeting.throttling.own_decision`): ``completed``,
   ``shown_once``, ``dismissed_too_often``, ``reask_interval``. These come first because they
   need nothing but the person's history with it.
2. Its audience rules, in the order written
   (:func:`~collector.targeting.rules.audience_decision`): ``not_in_audience``,
   ``wrong_page``, ``wrong_locale``, with the failing rule.
3. Sampling (``audience.sample_percent``, default 100): ``sampled_out``. After the audience,
   so that a person outside the audience is told so rather than that the dice said no; the
   hash does not depend on the audience, so the same people are sampled either way.

Then, over all candidates together, the project-wide caps
(:func:`~collector.targeting.throttling.apply_global_caps`) throttle the eligible ones that
would start one experience too many, from the highest priority down: ``throttled``.

Nothing here reads a clock, a database or a request: the caller passes ``now`` and the facts,
which is what lets the delivery endpoint and "why not shown" give the same answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from collector.kit.project_settings import ProjectThrottle
from collector.targeting.candidates import Candidate
from collector.targeting.facts import (
    Decision,
    Impression,
    PageFacts,
    PersonFacts,
)
from collector.targeting.rules import Audience
from collector.targeting.sampling import in_sample, sample_percent
from collector.targeting.throttling import apply_global_caps, own_decision


def decide(
    candidates: Sequence[Candidate],
    person: PersonFacts,
    page: PageFacts,
    impressions: Sequence[Impression],
    throttle: ProjectThrottle,
    *,
    project_id: uuid.UUID,
    now: datetime,
) -> list[tuple[Candidate, Decision]]:
    """Every candidate with its decision, highest priority first."""
    decided = [
        (candidate, candidate_decision(candidate, person, page, project_id=project_id, now=now))
        for candidate in candidates
    ]
    return apply_global_caps(decided, impressions, throttle, page, now=now)


def candidate_decision(
    candidate: Candidate,
    person: PersonFacts,
    page: PageFacts,
    *,
    project_id: uuid.UUID,
    now: datetime,
) -> Decision:
    """One candidate's decision before the project-wide caps (steps 1 to 3 above)."""
    if candidate.history is not None:  # with no history, its own throttle has nothing to say
        own = own_decision(candidate, now=now)
        if not own.eligible:
            return own
    audience = candidate.definition.get("audience")
    checked = Audience.of(audience) if candidate.audience is None else candidate.audience
    decision = checked.decision(person, page, now=now)
    if not decision.eligible:
        return decision
    if in_sample(project_id, candidate.id, person.sampling_key, sample_percent(audience)):
        return decision
    return Decision.no("sampled_out")
