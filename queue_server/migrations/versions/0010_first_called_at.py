"""tickets.first_called_at: the first call of a ticket, kept on the ticket

The GECC wait runs from the issue to the first call (a no-show requeue or a transfer calls
the ticket again; called_at is the latest call). It was read from ticket_events by a
GROUP BY over every call of the period; kept on the ticket, a year's evidence reads it with
the ticket. Filled here from the event record for the tickets already called.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

from queue_server.migrations.types import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_called_at", UTCDateTime(), nullable=True))
    op.execute("UPDATE tickets SET first_called_at = (SELECT min(e.at) FROM ticket_events e "
               "WHERE e.ticket_id = tickets.id AND e.kind = 'called')")


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("first_called_at")
