"""Analytics: indexes that answer funnels from the index alone.

- ``(project_id, event, person_id, timestamp, type)``: funnel steps and time to value ask,
  for each attempt, "the earliest track event E of this person at or after t". That is
  one seek here, and ``type`` is in the index so that no table row is read.
- ``(project_id, event, timestamp, person_id, type)`` replaces ``(project_id, event,
  timestamp)``: it serves the same queries, and also scans a funnel's first step over a
  time range without reading the table.

Revision ID: 0003_analytics
Revises: 0002_experiences
Create Date: 2026-11-25 14:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003_analytics"
down_revision: str | None = "0002_experiences"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEEK = "ix_events_project_id_event_person_id_timestamp_type"
SCAN = "ix_events_project_id_event_timestamp_person_id_type"
REPLACED = "ix_events_project_id_event_timestamp"


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(
            SEEK, ["project_id", "event", "person_id", "timestamp", "type"], unique=False
        )
        batch_op.create_index(
            SCAN, ["project_id", "event", "timestamp", "person_id", "type"], unique=False
        )
        batch_op.drop_index(REPLACED)


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(REPLACED, ["project_id", "event", "timestamp"], unique=False)
        batch_op.drop_index(SCAN)
        batch_op.drop_index(SEEK)
