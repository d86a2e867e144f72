"""Webhook claims per endpoint: an index on a message's endpoint, status and next try.

A claim looks up each endpoint's oldest due messages on its own, so that one endpoint's
backlog cannot hide the others' messages; this index makes each lookup a short range scan.

Revision ID: 0011_webhook_claims_per_endpoint
Revises: 0010_funnels_health_history
Create Date: 2026-11-25 17:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011_webhook_claims_per_endpoint"
down_revision: str | None = "0010_funnels_health_history"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_webhook_messages_endpoint_id_status_next_attempt_at"


def upgrade() -> None:
    with op.batch_alter_table("webhook_messages", schema=None) as batch_op:
        batch_op.create_index(INDEX, ["endpoint_id", "status", "next_attempt_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("webhook_messages", schema=None) as batch_op:
        batch_op.drop_index(INDEX)
