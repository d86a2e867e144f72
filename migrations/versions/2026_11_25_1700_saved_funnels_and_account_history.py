"""Saved funnels, and each account's history of health colours.

An account evaluated before this revision has a colour in ``account_health_states`` and no
history: its current colour is copied in as its first entry, so no history starts empty.

Revision ID: 0010_funnels_health_history
Revises: 0009_rate_buckets_unlogged
Create Date: 2026-11-25 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010_funnels_health_history"
down_revision: str | None = "0009_rate_buckets_unlogged"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _history() -> None:
    op.create_table(
        "account_health_history",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("colour", sa.String(length=8), nullable=False),
        sa.Column("previous", sa.String(length=8), nullable=True),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_account_health_history_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_account_health_history_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_health_history")),
    )
    with op.batch_alter_table("account_health_history", schema=None) as batch_op:
        batch_op.create_index(
            "ix_account_health_history_account_id_at", ["account_id", "at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_account_health_history_project_id"), ["project_id"], unique=False
        )
    op.execute(
        "INSERT INTO account_health_history (project_id, account_id, colour, score, at)"
        " SELECT project_id, account_id, colour, score, evaluated_at FROM account_health_states"
    )


def _saved_funnels() -> None:
    op.create_table(
        "saved_funnels",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("definition", DOCUMENT, nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=True),
        sa.Column("updated_by", sa.String(length=320), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_saved_funnels_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_funnels")),
        sa.UniqueConstraint("project_id", "name", name=op.f("uq_saved_funnels_project_id_name")),
    )


def upgrade() -> None:
    _history()
    _saved_funnels()


def downgrade() -> None:
    op.drop_table("saved_funnels")
    with op.batch_alter_table("account_health_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_health_history_project_id"))
        batch_op.drop_index("ix_account_health_history_account_id_at")
    op.drop_table("account_health_history")
