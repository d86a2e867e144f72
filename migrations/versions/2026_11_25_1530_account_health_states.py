"""Account health states: each account's colour when last evaluated.

Revision ID: 0008_account_health_states
Revises: 0007_dashboard
Create Date: 2026-11-25 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_account_health_states"
down_revision: str | None = "0007_dashboard"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_health_states",
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("colour", sa.String(length=8), nullable=False),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_account_health_states_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_account_health_states_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_account_health_states")),
    )
    with op.batch_alter_table("account_health_states", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_account_health_states_project_id"), ["project_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("account_health_states", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_health_states_project_id"))
    op.drop_table("account_health_states")
