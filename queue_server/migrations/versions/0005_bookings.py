"""bookings and their append-only event record (kiosk check-in)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

from queue_server.migrations.types import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

MESSAGE = "booking_events is append-only"


def upgrade() -> None:
    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("slot_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.Enum("booked", "checked_in", "cancelled", "expired",
                                    name="bookingstatus", native_enum=False, length=20),
                  nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("checked_in_at", UTCDateTime(), nullable=True),
        sa.Column("cancelled_at", UTCDateTime(), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"],
                                name=op.f("fk_bookings_office_id_offices")),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"],
                                name=op.f("fk_bookings_service_id_services")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"],
                                name=op.f("fk_bookings_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookings")),
        sa.UniqueConstraint("office_id", "code", name=op.f("uq_bookings_office_id_code")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_bookings_ticket_id")),
    )
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.create_index("ix_bookings_office_slot", ["office_id", "slot_at"], unique=False)

    op.create_table(
        "booking_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("booked", "checked_in", "cancelled", name="bookingeventkind",
                                  native_enum=False, length=20), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=True),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["booking_id"], ["bookings.id"],
                                name=op.f("fk_booking_events_booking_id_bookings")),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"],
                                name=op.f("fk_booking_events_office_id_offices")),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"],
                                name=op.f("fk_booking_events_service_id_services")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"],
                                name=op.f("fk_booking_events_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_events")),
    )
    with op.batch_alter_table("booking_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_booking_events_booking_id"), ["booking_id"],
                              unique=False)
        batch_op.create_index("ix_booking_events_office_at", ["office_id", "at"], unique=False)

    # The record is evidence, like ticket_events (0002): the database refuses to rewrite it.
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER booking_events_no_{action.lower()} BEFORE {action} ON booking_events
                BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""")
    elif dialect == "postgresql":
        op.execute(f"""
            CREATE FUNCTION booking_events_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$ LANGUAGE plpgsql""")
        op.execute("""
            CREATE TRIGGER booking_events_append_only BEFORE UPDATE OR DELETE ON booking_events
            FOR EACH ROW EXECUTE FUNCTION booking_events_append_only()""")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER booking_events_no_update")
        op.execute("DROP TRIGGER booking_events_no_delete")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER booking_events_append_only ON booking_events")
        op.execute("DROP FUNCTION booking_events_append_only()")
    with op.batch_alter_table("booking_events", schema=None) as batch_op:
        batch_op.drop_index("ix_booking_events_office_at")
        batch_op.drop_index(batch_op.f("ix_booking_events_booking_id"))
    op.drop_table("booking_events")
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_index("ix_bookings_office_slot")
    op.drop_table("bookings")
