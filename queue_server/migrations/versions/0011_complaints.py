"""the complaint register: complaints, complaint_events (append-only), the office's complaint
categories and due days; citizens' attachments (uploaded_by NULL) and print jobs that are not
tickets (a complaint's receipt: ticket_id NULL)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

from queue_server.migrations.append_only import drop_append_only, make_append_only
from queue_server.migrations.types import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

UTC = UTCDateTime
STATUS = ("received", "assigned", "in_progress", "resolved", "closed")
KINDS = ("received", "assigned", "forwarded", "in_progress", "resolved", "closed", "reopened",
         "due_changed", "contact_erased")


def upgrade() -> None:
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("complaint_categories", sa.JSON(), nullable=False,
                                      server_default="[]"))
        batch_op.add_column(sa.Column("complaint_due_days", sa.Integer(), nullable=False,
                                      server_default="15"))
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.alter_column("uploaded_by", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("print_jobs", schema=None) as batch_op:
        batch_op.alter_column("ticket_id", existing_type=sa.Integer(), nullable=True)
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.Enum("online", "walk_in", "phone", name="complaintchannel",
                                     native_enum=False, length=20), nullable=False),
        sa.Column("status", sa.Enum(*STATUS, name="complaintstatus", native_enum=False,
                                    length=20), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("contact_erased_at", UTC(), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("received_at", UTC(), nullable=False),
        sa.Column("received_by", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("agency", sa.String(length=200), nullable=True),
        sa.Column("resolved_at", UTC(), nullable=True),
        sa.Column("closed_at", UTC(), nullable=True),
        sa.Column("overdue_alerted_at", UTC(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"],
                                name=op.f("fk_complaints_office_id_offices")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"],
                                name=op.f("fk_complaints_ticket_id_tickets")),
        sa.ForeignKeyConstraint(["received_by"], ["users.id"],
                                name=op.f("fk_complaints_received_by_users")),
        sa.ForeignKeyConstraint(["assignee_id"], ["users.id"],
                                name=op.f("fk_complaints_assignee_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("code", name=op.f("uq_complaints_code")),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index("ix_complaints_office_received", ["office_id", "received_at"],
                              unique=False)
        batch_op.create_index("ix_complaints_office_status", ["office_id", "status"], unique=False)
    op.create_table(
        "complaint_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum(*KINDS, name="complainteventkind", native_enum=False,
                                  length=20), nullable=False),
        sa.Column("status", sa.Enum(*STATUS, name="complaintstatus", native_enum=False,
                                    length=20), nullable=False),
        sa.Column("at", UTC(), nullable=False),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=True),
        sa.Column("public_note", sa.Text(), nullable=True),
        sa.Column("internal_note", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"],
                                name=op.f("fk_complaint_events_complaint_id_complaints")),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"],
                                name=op.f("fk_complaint_events_office_id_offices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_events")),
    )
    with op.batch_alter_table("complaint_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaint_events_complaint_id"), ["complaint_id"],
                              unique=False)
        batch_op.create_index("ix_complaint_events_office_at", ["office_id", "at"], unique=False)
    make_append_only(op, "complaint_events")


def downgrade() -> None:
    drop_append_only(op, "complaint_events")
    with op.batch_alter_table("complaint_events", schema=None) as batch_op:
        batch_op.drop_index("ix_complaint_events_office_at")
        batch_op.drop_index(batch_op.f("ix_complaint_events_complaint_id"))
    op.drop_table("complaint_events")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index("ix_complaints_office_status")
        batch_op.drop_index("ix_complaints_office_received")
    op.drop_table("complaints")
    with op.batch_alter_table("print_jobs", schema=None) as batch_op:
        batch_op.alter_column("ticket_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.alter_column("uploaded_by", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.drop_column("complaint_due_days")
        batch_op.drop_column("complaint_categories")
