"""Rate buckets unlogged on PostgreSQL.

Every limited request updates its bucket rows; logged, each update waits for a WAL flush while
it holds the row lock, so all calls of one project queue behind the disk. Buckets are not worth
that: after a crash PostgreSQL empties an unlogged table, and every bucket starts full again.

Revision ID: 0009_rate_buckets_unlogged
Revises: 0008_account_health_states
Create Date: 2026-11-25 16:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009_rate_buckets_unlogged"
down_revision: str | None = "0008_account_health_states"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE rate_buckets SET UNLOGGED")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE rate_buckets SET LOGGED")
