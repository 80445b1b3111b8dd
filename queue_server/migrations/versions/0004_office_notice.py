"""offices.notice: the text of the lobby display's notice strip

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("offices") as batch_op:
        batch_op.add_column(sa.Column("notice", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("offices") as batch_op:
        batch_op.drop_column("notice")
