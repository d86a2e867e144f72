"""Statement builders for account health and churn; they never open a connection.

Activity is read from the per-day counters ingestion keeps (``person_event_days``: one
row per person, event and UTC day), never from the events themselves, so scoring every
account costs a pass over thirty days of counters.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, distinct, func, select, true

from collector.analytics.surveys.queries import trait_value
from collector.kit.db.models import (
    Account,
    AccountMember,
    PersonEventDay,
    SurveyResponse,
    table_of,
)

_accounts = table_of(Account)
_members = table_of(AccountMember)
_days = table_of(PersonEventDay)
_responses = table_of(SurveyResponse)

PROMOTER_MIN = 9
DETRACTOR_MAX = 6


def only(column: ColumnElement[uuid.UUID], account_id: uuid.UUID | None) -> ColumnElement[bool]:
    """Every account, or just ``account_id`` (an account's own page scores only it)."""
    return true() if account_id is None else column == account_id


def accounts(project_id: uuid.UUID, account_id: uuid.UUID | None = None) -> Select[Any]:
    return (
        select(_accounts.c.id, _accounts.c.group_id, _accounts.c.traits)
        .where(_accounts.c.project_id == project_id, only(_accounts.c.id, account_id))
        .order_by(_accounts.c.group_id)
    )


def members(project_id: uuid.UUID, account_id: uuid.UUID | None = None) -> Select[Any]:
    """Members per account."""
    return (
        select(_members.c.account_id, func.count().label("members"))
        .where(_members.c.project_id == project_id, only(_members.c.account_id, account_id))
        .group_by(_members.c.account_id)
    )


def activity(
    project_id: uuid.UUID,
    first_day: date,
    last_day: date,
    key_features: Sequence[str],
    account_id: uuid.UUID | None = None,
) -> Select[Any]:
    """Per account: days with activity, active users and key features used, in the window."""
    feature = case((_days.c.event.in_(key_features), _days.c.event)) if key_features else None
    used = func.count(distinct(feature)) if feature is not None else func.count(None)
    return (
        select(
            _members.c.account_id,
            func.count(distinct(_days.c.day)).label("active_days"),
            func.count(distinct(_days.c.person_id)).label("active_users"),
            used.label("features_used"),
        )
        .join(_days, _days.c.person_id == _members.c.person_id)
        .where(
            _members.c.project_id == project_id,
            only(_members.c.account_id, account_id),
            _days.c.project_id == project_id,
            _days.c.day >= first_day,
            _days.c.day <= last_day,
        )
        .group_by(_members.c.account_id)
    )


def _satisfied() -> ColumnElement[bool]:
    """The CSAT rule of :mod:`collector.analytics.surveys.scoring`: 1 of 0-1, else the top
    two points."""
    binary = and_(_responses.c.scale_min == 0, _responses.c.scale_max == 1)
    return case(
        (binary, _responses.c.score == 1), else_=_responses.c.score >= _responses.c.scale_max - 1
    )


def sentiment(
    project_id: uuid.UUID, end: datetime, account_id: uuid.UUID | None = None
) -> Select[Any]:
    """Per account, from each member's latest eligible NPS and CSAT answer before ``end``."""
    latest = func.row_number().over(
        partition_by=[_responses.c.person_id, _responses.c.survey_type],
        order_by=[_responses.c.responded_at.desc(), _responses.c.id.desc()],
    )
    answers = (
        select(
            _responses.c.person_id,
            _responses.c.survey_type,
            case((_responses.c.score >= PROMOTER_MIN, 1), else_=0).label("promoter"),
            case((_responses.c.score <= DETRACTOR_MAX, 1), else_=0).label("detractor"),
            case((_satisfied(), 1), else_=0).label("satisfied"),
            latest.label("latest"),
        )
        .where(
            _responses.c.project_id == project_id,
            _responses.c.survey_type.in_(("nps", "csat")),
            _responses.c.eligible.is_(True),
            _responses.c.responded_at < end,
        )
        .subquery("answers")
    )
    nps = answers.c.survey_type == "nps"
    csat = answers.c.survey_type == "csat"
    return (
        select(
            _members.c.account_id,
            func.sum(case((nps, answers.c.promoter), else_=0)).label("nps_promoters"),
            func.sum(case((nps, answers.c.detractor), else_=0)).label("nps_detractors"),
            func.sum(case((nps, 1), else_=0)).label("nps_answers"),
            func.sum(case((csat, answers.c.satisfied), else_=0)).label("csat_satisfied"),
            func.sum(case((csat, 1), else_=0)).label("csat_answers"),
        )
        .join(answers, answers.c.person_id == _members.c.person_id)
        .where(
            _members.c.project_id == project_id,
            only(_members.c.account_id, account_id),
            answers.c.latest == 1,
        )
        .group_by(_members.c.account_id)
    )


def churned_accounts(project_id: uuid.UUID) -> Select[Any]:
    """Accounts whose ``status`` trait is ``churned``, with when it was set."""
    return (
        select(
            _accounts.c.id,
            _accounts.c.group_id,
            _accounts.c.created_at,
            _accounts.c.trait_times,
            _accounts.c.traits,
        )
        .where(
            _accounts.c.project_id == project_id,
            trait_value(_accounts.c.traits, "status") == "churned",
        )
        .order_by(_accounts.c.group_id)
    )


def accounts_known_before(project_id: uuid.UUID, moments: Sequence[datetime]) -> Select[Any]:
    """How many accounts Waypost knew of before each moment, in one pass."""
    return select(
        *(
            func.sum(case((_accounts.c.created_at < moment, 1), else_=0)).label(f"before_{i}")
            for i, moment in enumerate(moments)
        )
    ).where(_accounts.c.project_id == project_id)
