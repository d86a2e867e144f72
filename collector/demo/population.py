"""A realistic demo population: accounts on plans, persons signing up over 90 days,
product usage, onboarding at every stage, and NPS, CSAT and CES answers with a trend.

Everything goes through ingestion as Segment messages (``group``, ``identify``, ``track``
and the reserved flow and survey events), so the demo's projections, progress and answers
are exactly what real traffic would make. The generator is seeded: the same seed gives
the same population.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

PLANS = (("free", 0.5, 0.12), ("pro", 0.35, 0.22), ("enterprise", 0.15, 0.3))
"""Plan, share of accounts, chance a member is active on a given day."""
INDUSTRIES = ("software", "retail", "finance", "health", "education", "media")
NAME_PARTS = (
    ("North", "Blue", "Bright", "Iron", "Silver", "Green", "Swift", "Clear", "Red", "Summit"),
    ("Labs", "Works", "Analytics", "Systems", "Health", "Retail", "Capital", "Learning"),
)
ONBOARDING = (("Project Created", 0.82), ("Report Created", 0.62), ("Teammate Invited", 0.41))
"""The activation funnel: each step's chance, given the one before."""
HAND_TICKED = 0.6
"""The chance a person ticks a checklist item that only a hand can tick."""
FEATURES = (
    ("Report Created", 5),
    ("Dashboard Viewed", 12),
    ("Export Downloaded", 2),
    ("Report Shared", 2),
    ("Integration Connected", 1),
    ("Comment Added", 4),
)
NPS_TEXTS = {
    "detractor": ("Too slow on big reports", "Missing a Salesforce export", "Pricing is steep"),
    "passive": ("Does the job", "Good, the setup took a while", "Fine for our team"),
    "promoter": ("Love the funnels", "Our team lives in it", "Support is fantastic"),
}


@dataclass(frozen=True)
class DemoSize:
    persons: int = 3000
    accounts: int = 300
    days: int = 90


DEFAULT_SIZE = DemoSize()


@dataclass(frozen=True)
class Experiences:
    """The demo project's live flows and surveys, as the admin API shows them."""

    tours: list[dict[str, Any]]
    checklists: list[dict[str, Any]]
    surveys: dict[str, dict[str, Any]]
    """By type: ``nps``, ``csat``, ``ces``."""


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Population:
    """Builds the messages of one demo population, in time order per person."""

    def __init__(self, rng: random.Random, now: datetime, size: DemoSize) -> None:
        self.rng = rng
        self.now = now
        self.size = size

    def message(self, kind: str, user: str, at: datetime, **fields: Any) -> dict[str, Any]:
        return {
            "type": kind,
            "messageId": str(uuid.UUID(int=self.rng.getrandbits(128))),
            "userId": user,
            "timestamp": _iso(at),
            **fields,
        }

    def track(self, user: str, at: datetime, event: str, **properties: Any) -> dict[str, Any]:
        return self.message("track", user, at, event=event, properties=properties)

    def accounts(self) -> list[dict[str, Any]]:
        plans = [plan for plan, share, _ in PLANS for _ in range(round(share * 100))]
        accounts = []
        for index in range(self.size.accounts):
            first, second = (self.rng.choice(part) for part in NAME_PARTS)
            size = int(self.rng.lognormvariate(3, 1)) + 2
            accounts.append(
                {
                    "group_id": f"acct-{index + 1}",
                    "name": f"{first} {second}",
                    "plan": self.rng.choice(plans),
                    "industry": self.rng.choice(INDUSTRIES),
                    "size": size,
                    "seats": max(2, size // 3),
                    "status": "churned" if self.rng.random() < 0.06 else "active",
                }
            )
        return accounts

    def signup(self) -> datetime:
        return self.now - timedelta(days=self.rng.uniform(0.5, self.size.days))


def _activity_chance(account: dict[str, Any]) -> float:
    chances = {plan: chance for plan, _, chance in PLANS}
    return chances[account["plan"]] * (0.2 if account["status"] == "churned" else 1.0)


def _onboarding(pop: Population, user: str, start: datetime) -> Iterator[dict[str, Any]]:
    at = start
    for event, chance in ONBOARDING:
        if pop.rng.random() > chance:
            return
        at += timedelta(hours=pop.rng.expovariate(1 / 20))
        if at >= pop.now:
            return
        yield pop.track(user, at, event)


def _checklist(
    pop: Population, user: str, start: datetime, checklist: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    """The checklist opened at sign-up, and its hand-ticked items ticked by some; the other
    items tick themselves as the person's own events come in."""
    ids = {"flow_id": checklist["id"], "version": checklist["version"]}
    yield pop.track(user, start + timedelta(minutes=2), "Flow Started", **ids)
    for item in checklist.get("items") or ():
        if item.get("completed_by") is None and pop.rng.random() < HAND_TICKED:
            at = start + timedelta(hours=pop.rng.expovariate(1 / 30))
            if at < pop.now:
                yield pop.track(user, at, "Checklist Item Completed", item=item["id"], **ids)


def _usage(pop: Population, user: str, start: datetime, chance: float) -> Iterator[dict[str, Any]]:
    events = [event for event, _ in FEATURES]
    weights = [weight for _, weight in FEATURES]
    day = start + timedelta(days=1)
    while day < pop.now:
        if pop.rng.random() < chance:
            for _ in range(pop.rng.randint(1, 4)):
                at = day + timedelta(minutes=pop.rng.uniform(0, 600))
                if at < pop.now:
                    yield pop.track(user, at, pop.rng.choices(events, weights)[0])
        day += timedelta(days=1)


def _tour(
    pop: Population, user: str, start: datetime, tour: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    ids = {"flow_id": tour["id"], "version": tour["version"]}
    at = start + timedelta(minutes=1)
    yield pop.track(user, at, "Flow Started", **ids)
    for step in tour.get("steps", []):
        at += timedelta(seconds=pop.rng.uniform(5, 90))
        yield pop.track(user, at, "Flow Step Viewed", step=step["id"], **ids)
        if pop.rng.random() < 0.12:
            yield pop.track(
                user, at + timedelta(seconds=3), "Flow Dismissed", step=step["id"], **ids
            )
            return
    yield pop.track(user, at + timedelta(seconds=5), "Flow Completed", **ids)


def _score(pop: Population, kind: str, account: dict[str, Any], progress: float) -> int:
    """A score that improves over the 90 days and with the plan; churned accounts grumble."""
    mood = 0.35 * progress + {"free": -0.1, "pro": 0.05, "enterprise": 0.15}[account["plan"]]
    mood -= 0.5 if account["status"] == "churned" else 0.0
    if kind == "nps":
        return max(0, min(10, round(pop.rng.gauss(7.3 + 3 * mood, 2.2))))
    if kind == "csat":
        return max(1, min(5, round(pop.rng.gauss(3.8 + 1.5 * mood, 0.9))))
    return max(1, min(7, round(pop.rng.gauss(3.2 - 2 * mood, 1.3))))


def _answer_text(pop: Population, score: int) -> str | None:
    if pop.rng.random() > 0.35:
        return None
    group = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
    return pop.rng.choice(NPS_TEXTS[group])


def _survey(
    pop: Population,
    user: str,
    start: datetime,
    account: dict[str, Any],
    survey: dict[str, Any],
) -> Iterator[dict[str, Any]]:
    at = start + timedelta(days=pop.rng.uniform(3, pop.size.days))
    if at >= pop.now:
        return
    ids = {"survey_id": survey["id"], "version": survey["version"]}
    yield pop.track(user, at, "Survey Shown", **ids)
    if pop.rng.random() > 0.45:
        yield pop.track(user, at + timedelta(seconds=20), "Survey Dismissed", **ids)
        return
    progress = 1 - (pop.now - at) / timedelta(days=pop.size.days)
    score = _score(pop, survey["type"], account, progress)
    answer: dict[str, Any] = {"score": score, **ids}
    if survey["type"] == "nps" and (text := _answer_text(pop, score)) is not None:
        answer["text"] = text
    yield pop.track(user, at + timedelta(seconds=15), "Survey Responded", **answer)


def _person(
    pop: Population, index: int, account: dict[str, Any], experiences: Experiences
) -> Iterator[dict[str, Any]]:
    user, start = f"user-{index + 1}", pop.signup()
    traits = {"email": f"{user}@{account['group_id']}.example.com", "plan": account["plan"]}
    yield pop.message(
        "identify",
        user,
        start,
        traits={**traits, "role": pop.rng.choice(("admin", "member", "viewer"))},
    )
    yield pop.message(
        "group",
        user,
        start,
        groupId=account["group_id"],
        traits={k: v for k, v in account.items() if k != "group_id"},
    )
    yield pop.track(user, start, "Signed Up", plan=account["plan"])
    for tour in experiences.tours:
        if pop.rng.random() < 0.85:
            yield from _tour(pop, user, start, tour)
    for checklist in experiences.checklists:
        yield from _checklist(pop, user, start, checklist)
    yield from _onboarding(pop, user, start)
    yield from _usage(pop, user, start, _activity_chance(account))
    for kind, chance in (("nps", 0.55), ("csat", 0.3), ("ces", 0.35)):
        if kind in experiences.surveys and pop.rng.random() < chance:
            yield from _survey(pop, user, start, account, experiences.surveys[kind])


def demo_messages(
    experiences: Experiences, *, now: datetime, size: DemoSize = DEFAULT_SIZE, seed: int = 7
) -> Iterator[dict[str, Any]]:
    """Every message of the demo population, person after person."""
    pop = Population(random.Random(seed), now, size)
    accounts = pop.accounts()
    for index in range(size.persons):
        yield from _person(pop, index, pop.rng.choice(accounts), experiences)
