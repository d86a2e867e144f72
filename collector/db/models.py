"""Every table Waypost stores. Migrations under ``migrations/`` are the schema's truth;
these models must match them (a test runs autogenerate and expects no difference).

Every row belongs to a project, and every query filters by it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from collector.db.base import Base, Document, UtcDateTime

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


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


class Event(Base):
    """One Segment message as received, with its corrected timestamp and resolved person."""

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("project_id", "message_id"),
        Index("ix_events_project_id_timestamp", "project_id", "timestamp"),
        Index("ix_events_project_id_event_timestamp", "project_id", "event", "timestamp"),
        Index("ix_events_project_id_person_id_timestamp", "project_id", "person_id", "timestamp"),
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


def table_of(model: type[Base]) -> Table:
    """A model's Core table: units of work use Core statements, not ORM sessions."""
    return cast(Table, model.__table__)
