"""assessment_answers: the office's own answers to the GECC criteria, append-only

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

from queue_server.migrations.append_only import drop_append_only, make_append_only
from queue_server.migrations.types import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessment_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=32), nullable=False),
        sa.Column("met", sa.Boolean(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"],
                                name=op.f("fk_assessment_answers_office_id_offices")),
        sa.ForeignKeyConstraint(["answered_by"], ["users.id"],
                                name=op.f("fk_assessment_answers_answered_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_answers")),
    )
    with op.batch_alter_table("assessment_answers", schema=None) as batch_op:
        batch_op.create_index("ix_assessment_answers_office_item", ["office_id", "item_id"],
                              unique=False)
    make_append_only(op, "assessment_answers")


def downgrade() -> None:
    drop_append_only(op, "assessment_answers")
    with op.batch_alter_table("assessment_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_assessment_answers_office_item")
    op.drop_table("assessment_answers")
