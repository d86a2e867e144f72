"""Survey scores: an index to count the persons a survey was shown to.

The response rate counts the distinct persons shown one survey in a time range; with
``(project_id, experience_id, shown_at)`` that reads the survey's own impressions
instead of every impression of the project.

Revision ID: 0006_scores
Revises: 0005_operations
Create Date: 2026-11-25 14:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006_scores"
down_revision: str | None = "0005_operations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_impressions_project_id_experience_id_shown_at"


def upgrade() -> None:
    with op.batch_alter_table("impressions", schema=None) as batch_op:
        batch_op.create_index(INDEX, ["project_id", "experience_id", "shown_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("impressions", schema=None) as batch_op:
        batch_op.drop_index(INDEX)
