"""office_events: counters opened and closed, services stopped and resumed, append-only

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

from queue_server.migrations.types import UTCDateTime
from queue_server.migrations.append_only import drop_append_only, make_append_only

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "office_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("counter_opened", "counter_closed", "counter_services_set",
                                  "service_opened", "service_closed", "notice_set",
                                  name="officeeventkind", native_enum=False, length=20),
                  nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=True),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"],
                                name=op.f("fk_office_events_office_id_offices")),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"],
                                name=op.f("fk_office_events_counter_id_counters")),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"],
                                name=op.f("fk_office_events_service_id_services")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_events")),
    )
    with op.batch_alter_table("office_events", schema=None) as batch_op:
        batch_op.create_index("ix_office_events_office_at", ["office_id", "at"], unique=False)
    make_append_only(op, "office_events")


def downgrade() -> None:
    drop_append_only(op, "office_events")
    with op.batch_alter_table("office_events", schema=None) as batch_op:
        batch_op.drop_index("ix_office_events_office_at")
    op.drop_table("office_events")
