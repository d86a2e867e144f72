"""What the account health, churn and account-page services answer.

Typed so that a misspelled key fails type checking where the answer is built, and so the
answer schemas in :mod:`collector.analytics.accounts.schemas` can require what is always
there. Keys that are Python keywords (``from``) need the functional form.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, NotRequired, TypedDict

from collector.kit.db.paging import PageAnswer


class Frequency(TypedDict):
    value: float | None
    active_days: int
    window_days: int


class Breadth(TypedDict):
    value: float | None
    active_users: int
    members: int
    seats: float | None


class Depth(TypedDict):
    value: float | None
    features_used: int
    key_features: int


class Sentiment(TypedDict):
    value: float | None
    nps: float | None
    nps_answers: int
    csat_satisfied_share: float | None
    csat_answers: int


class Components(TypedDict):
    frequency: Frequency
    breadth: Breadth
    depth: Depth
    sentiment: Sentiment


class Health(TypedDict):
    score: float | None
    status: str | None
    components: Components


class AccountHealth(Health):
    account_id: uuid.UUID
    group_id: str
    name: Any
    """The ``name`` trait as it was sent."""


ShownSettings = TypedDict(
    "ShownSettings",
    {
        "weights": dict[str, float],
        "thresholds": dict[str, float],
        "key_features": list[str],
        "from": datetime,
        "to": datetime,
    },
)


class HealthPage(PageAnswer[AccountHealth]):
    settings: ShownSettings


class ChurnRate(TypedDict):
    accounts_at_start: int
    churned: int
    churn_rate: float | None


class ChurnPeriod(ChurnRate):
    start: datetime
    end: datetime


class ChurnedAccount(TypedDict):
    account_id: uuid.UUID
    group_id: str
    name: Any
    churned_at: datetime
    known_at_start: bool


_Churn = TypedDict("_Churn", {"from": datetime, "to": datetime})


class Churn(_Churn, ChurnRate):
    churned_accounts: list[ChurnedAccount]
    trend: NotRequired[list[ChurnPeriod]]
    """Only with an interval."""


class AccountUser(TypedDict):
    person_id: uuid.UUID
    user_id: str | None
    name: str | None
    email: str | None
    joined_at: datetime
    last_seen: datetime | None
    events: int


class AccountWeek(TypedDict):
    week: str
    active_users: int
    events: int


AccountActivity = TypedDict(
    "AccountActivity",
    {
        "interval": str,
        "tz": str,
        "from": datetime,
        "to": datetime,
        "weeks": list[AccountWeek],
    },
)


class HealthChange(TypedDict):
    at: datetime
    status: str
    previous: str | None
    score: float | None


class HealthHistory(TypedDict):
    data: list[HealthChange]
    has_more: bool


_Window = TypedDict("_Window", {"from": datetime, "to": datetime})


class CurrentHealth(_Window, Health):
    pass


class AccountDetail(TypedDict):
    id: uuid.UUID
    group_id: str
    name: str | None
    traits: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    health: CurrentHealth
    activity: AccountActivity
    users: PageAnswer[AccountUser]
    health_history: HealthHistory
