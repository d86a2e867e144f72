"""Every table Waypost stores. Migrations under ``migrations/`` are the schema's truth;
these models must match them (a test runs autogenerate and expects no difference).

Every row belongs to a project, and every query filters by it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import text

from collector.kit.db.base import Base, Document, UtcDateTime

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    settings: Mapped[dict[str, Any]] = mapped_column(Document, server_default=text("'{}'"))
    """Project-wide options: identity verification, throttling of experiences."""
    identity_secret: Mapped[str | None] = mapped_column(String(128))
    """Key of the identity-verification HMAC; the customer's server holds it too."""


class ApiKey(Base):
    """A write key (public, stored as is) or a secret key (stored as its SHA-256)."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    lookup: Mapped[str] = mapped_column(String(128), unique=True)
    """The write key itself, or the hex SHA-256 of a secret key."""
    prefix: Mapped[str] = mapped_column(String(16))
    """The first characters of the key, to tell keys apart in listings."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    """Set when the key is rotated out; it keeps working until then."""


class Person(Base):
    """One human, however many ids (anonymous or user) point at them."""

    __tablename__ = "persons"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[str | None] = mapped_column(String(255))
    """The first user id linked to this person; null while they are anonymous."""
    traits: Mapped[dict[str, Any]] = mapped_column(Document)
    trait_times: Mapped[dict[str, str]] = mapped_column(Document)
    """When each trait was last set (message timestamp), so older writes lose."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Identity(Base):
    """An id the SDKs send (``userId`` or ``anonymousId``) and the person it resolves to."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("project_id", "distinct_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    distinct_id: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))
    """``user`` or ``anonymous``."""
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Account(Base):
    """A customer organisation (Segment's group), with its traits."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("project_id", "group_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    group_id: Mapped[str] = mapped_column(String(255))
    traits: Mapped[dict[str, Any]] = mapped_column(Document)
    trait_times: Mapped[dict[str, str]] = mapped_column(Document)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AccountMember(Base):
    __tablename__ = "account_members"
    __table_args__ = (UniqueConstraint("account_id", "person_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AccountHealthState(Base):
    """An account's health colour when last evaluated: what a change is measured against."""

    __tablename__ = "account_health_states"

    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    colour: Mapped[str] = mapped_column(String(8))
    """``green``, ``yellow`` or ``red``."""
    score: Mapped[float | None] = mapped_column(Double)
    evaluated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AccountHealthChange(Base):
    """An account's colour as an evaluation recorded it: the first one, then every change."""

    __tablename__ = "account_health_history"
    __table_args__ = (Index("ix_account_health_history_account_id_at", "account_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    colour: Mapped[str] = mapped_column(String(8))
    previous: Mapped[str | None] = mapped_column(String(8))
    """The colour before; null for the account's first evaluation."""
    score: Mapped[float | None] = mapped_column(Double)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class Event(Base):
    """One Segment message as received, with its corrected timestamp and resolved person."""

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("project_id", "message_id"),
        Index("ix_events_project_id_timestamp", "project_id", "timestamp"),
        # Covers a scan of one event's occurrences in a time range (a funnel's first step)
        # without reading the table.
        Index(
            "ix_events_project_id_event_timestamp_person_id_type",
            "project_id",
            "event",
            "timestamp",
            "person_id",
            "type",
        ),
        Index("ix_events_project_id_person_id_timestamp", "project_id", "person_id", "timestamp"),
        # Analytics seek a person's next occurrence of one event (funnel steps, time to
        # value) from this index alone: ``type`` is in it so no table row is read.
        Index(
            "ix_events_project_id_event_person_id_timestamp_type",
            "project_id",
            "event",
            "person_id",
            "timestamp",
            "type",
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(255))
    type: Mapped[str] = mapped_column(String(16))
    event: Mapped[str | None] = mapped_column(String(255))
    """Track event name; the page or screen name for those calls."""
    user_id: Mapped[str | None] = mapped_column(String(255))
    anonymous_id: Mapped[str | None] = mapped_column(String(255))
    person_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    group_id: Mapped[str | None] = mapped_column(String(255))
    previous_id: Mapped[str | None] = mapped_column(String(255))
    category: Mapped[str | None] = mapped_column(String(255))
    timestamp: Mapped[datetime] = mapped_column(UtcDateTime)
    original_timestamp: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    properties: Mapped[dict[str, Any] | None] = mapped_column(Document)
    traits: Mapped[dict[str, Any] | None] = mapped_column(Document)
    context: Mapped[dict[str, Any] | None] = mapped_column(Document)
    integrations: Mapped[dict[str, Any] | None] = mapped_column(Document)


class Experience(Base):
    """A flow (tour, checklist, announcement, hotspot, resource center) or a survey."""

    __tablename__ = "experiences"
    __table_args__ = (
        Index("ix_experiences_project_id_kind_status", "project_id", "kind", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    """``flow`` or ``survey``."""
    type: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    priority: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    definition: Mapped[dict[str, Any]] = mapped_column(Document)
    """The current version's content: texts, steps or questions, audience, throttle…"""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ExperienceVersion(Base):
    """Every version an experience had, so answers keep the content they were given to."""

    __tablename__ = "experience_versions"
    __table_args__ = (UniqueConstraint("experience_id", "version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    experience_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("experiences.id", ondelete="CASCADE")
    )
    version: Mapped[int] = mapped_column(Integer)
    definition: Mapped[dict[str, Any]] = mapped_column(Document)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ExperienceState(Base):
    """One person's history with one experience: what throttling and progress need."""

    __tablename__ = "experience_states"
    __table_args__ = (UniqueConstraint("experience_id", "person_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    experience_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("experiences.id", ondelete="CASCADE")
    )
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    """``shown``, ``in_progress``, ``completed``, ``dismissed`` or ``responded``."""
    current_step: Mapped[str | None] = mapped_column(String(100))
    completed_items: Mapped[list[str]] = mapped_column(Document)
    shown_count: Mapped[int] = mapped_column(Integer)
    dismiss_count: Mapped[int] = mapped_column(Integer)
    first_shown_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_shown_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_dismissed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_responded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Impression(Base):
    """An experience started or shown to a person, for the per-session and per-day caps."""

    __tablename__ = "impressions"
    __table_args__ = (
        UniqueConstraint("project_id", "message_id"),
        Index(
            "ix_impressions_project_id_person_id_shown_at", "project_id", "person_id", "shown_at"
        ),
        Index(
            "ix_impressions_project_id_experience_id_shown_at",
            "project_id",
            "experience_id",
            "shown_at",
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    experience_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("experiences.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(16))
    session_id: Mapped[str | None] = mapped_column(String(255))
    message_id: Mapped[str] = mapped_column(String(255))
    shown_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SurveyResponse(Base):
    """A typed survey answer, projected from its ``Survey Responded`` event."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("project_id", "message_id"),
        Index("ix_survey_responses_survey_id_responded_at", "survey_id", "responded_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    survey_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("experiences.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[str] = mapped_column(String(255))
    survey_type: Mapped[str] = mapped_column(String(16))
    score: Mapped[int | None] = mapped_column(Integer)
    scale_min: Mapped[int] = mapped_column(Integer)
    scale_max: Mapped[int] = mapped_column(Integer)
    dimension: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(String(5000))
    choices: Mapped[list[str] | None] = mapped_column(Document)
    answers: Mapped[dict[str, Any] | None] = mapped_column(Document)
    locale: Mapped[str | None] = mapped_column(String(35))
    eligible: Mapped[bool] = mapped_column(Boolean)
    """False when the answer came while the survey was not due (kept, but flagged)."""
    responded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PersonEventDay(Base):
    """How many times a person tracked an event on a day: targeting reads these counters
    instead of scanning the person's event history."""

    __tablename__ = "person_event_days"
    __table_args__ = (UniqueConstraint("project_id", "person_id", "event", "day"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(255))
    day: Mapped[date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(Integer)


class DashboardUser(Base):
    """Someone who signs in to the dashboard; they see only the projects they belong to."""

    __tablename__ = "dashboard_users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    """Lower-cased, so that sign-in does not depend on how the address was typed."""
    password_hash: Mapped[str] = mapped_column(String(255))
    """``scrypt$n$r$p$salt$hash``: the parameters travel with the hash, so they can grow."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DashboardMembership(Base):
    __tablename__ = "dashboard_memberships"
    __table_args__ = (UniqueConstraint("user_id", "project_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dashboard_users.id", ondelete="CASCADE"))
    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DashboardSession(Base):
    """A signed-in browser. Kept on the server so that signing out really ends it."""

    __tablename__ = "dashboard_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    """The hex SHA-256 of the token in the cookie: a copy of this table opens no session."""
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("dashboard_users.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DashboardLoginFailure(Base):
    """A failed sign-in, counted per account and per address to slow password guessing."""

    __tablename__ = "dashboard_login_failures"
    __table_args__ = (Index("ix_dashboard_login_failures_scope_key_at", "scope", "key", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(8))
    """``email`` or ``ip``."""
    key: Mapped[str] = mapped_column(String(320))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditEntry(Base):
    """Who changed what: admin changes and erasures, with the key that made them."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_project_id_at", "project_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    actor: Mapped[str] = mapped_column(String(255))
    """The prefix of the key that made the change, or the dashboard user's email."""
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(255))
    details: Mapped[dict[str, Any]] = mapped_column(Document)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class Suppression(Base):
    """An erased id whose future events are dropped at ingestion (delete and suppress).

    Only the id's SHA-256 is kept, so the suppression list does not itself hold the id.
    """

    __tablename__ = "suppressions"
    __table_args__ = (UniqueConstraint("project_id", "id_hash"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    id_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    dropped_count: Mapped[int] = mapped_column(BigInteger)


class RateBucket(Base):
    """One rate limit's state on PostgreSQL, shared by every worker (GCRA)."""

    __tablename__ = "rate_buckets"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    tat: Mapped[float] = mapped_column(Double)
    """Theoretical arrival time, epoch seconds: the bucket is full again at this moment."""
    allowed: Mapped[bool] = mapped_column(Boolean)
    """Whether the last request was let through (set by the same statement)."""


class WebhookEndpoint(Base):
    """A receiver of webhooks (a CRM, a bot), the events it subscribes to and its secret."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(500))
    event_types: Mapped[list[str]] = mapped_column(Document)
    tracked_events: Mapped[list[str]] = mapped_column(Document)
    """Event names that ``event.tracked`` forwards."""
    filter: Mapped[str | None] = mapped_column(String(2000))
    traits: Mapped[dict[str, list[str]]] = mapped_column(Document)
    """Which person and account traits payloads carry: ``{"person": [...], "account": [...]}``."""
    enabled: Mapped[bool] = mapped_column(Boolean)
    disabled_reason: Mapped[str | None] = mapped_column(String(200))
    secret: Mapped[str] = mapped_column(String(100))
    """``whsec_…``: kept, not hashed, since the worker signs with it."""
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    failed_in_row: Mapped[int] = mapped_column(Integer)
    """Messages given up since the last delivered one; too many disable the endpoint."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class WebhookMessage(Base):
    """The outbox: one event for one endpoint, written in the transaction that caused it."""

    __tablename__ = "webhook_messages"
    __table_args__ = (
        Index("ix_webhook_messages_status_next_attempt_at", "status", "next_attempt_at"),
        Index(
            "ix_webhook_messages_endpoint_id_status_next_attempt_at",
            "endpoint_id",
            "status",
            "next_attempt_at",
        ),
        Index(
            "ix_webhook_messages_project_id_endpoint_id_created_at",
            "project_id",
            "endpoint_id",
            "created_at",
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    endpoint_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    webhook_id: Mapped[str] = mapped_column(String(64), unique=True)
    """The ``webhook-id`` header: the same on every try and replay, for de-duplication."""
    event_type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(Document)
    status: Mapped[str] = mapped_column(String(16))
    """``pending``, ``delivered`` or ``failed``."""
    tries: Mapped[int] = mapped_column(Integer)
    """Tries since it was written or last replayed; the retry schedule counts these."""
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    """While a worker sends it; after this, another worker may claim it again."""
    claim_token: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class WebhookAttempt(Base):
    """One try at delivering a message: what the receiver answered, or why it could not."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    message_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_messages.id", ondelete="CASCADE"), index=True
    )
    endpoint_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    duration_ms: Mapped[int] = mapped_column(Integer)
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(String(2000))
    error: Mapped[str | None] = mapped_column(String(500))
    succeeded: Mapped[bool] = mapped_column(Boolean)


class SavedFunnel(Base):
    """A funnel saved by name: the body ``POST /api/v1/analytics/funnel`` takes, as sent."""

    __tablename__ = "saved_funnels"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[dict[str, Any]] = mapped_column(Document)
    created_by: Mapped[str | None] = mapped_column(String(320))
    """The key prefix or dashboard user's email that saved it first, when known."""
    updated_by: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


def table_of(model: type[Base]) -> Table:
    """A model's Core table: units of work use Core statements, not ORM sessions."""
    return cast(Table, model.__table__)
