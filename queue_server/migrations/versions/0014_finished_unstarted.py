"""tickets.finished_unstarted: a ticket closed by Next (or by calling another) without a start

A clerk who presses Next while a called citizen has not come finishes that ticket: before,
it counted as a service of a few seconds, dragging every service-time figure down. The
finish now records whether service had started and whether it was automatic (the event's
`started` and `auto`), and the ticket keeps `finished_unstarted`, read with the ticket by the
evidence and the manager's figures. Tickets finished before stay NULL (unknown), counted as
before.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("finished_unstarted", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("finished_unstarted")
