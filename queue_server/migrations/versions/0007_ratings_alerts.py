"""ratings (one per ticket), alerts to managers, device pairings, offices.rating_dimensions

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

from queue_server.migrations.types import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UTC = UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rating_dimensions", sa.JSON(), nullable=False,
                                      server_default="[]"))
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("clerk_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("dimensions", sa.JSON(), nullable=False),
        sa.Column("source", sa.Enum("phone", "tablet", name="ratingsource", native_enum=False,
                                    length=20), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("comment_erased_at", UTC(), nullable=True),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_ratings_score_1_to_5")),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"], name=op.f("fk_ratings_office_id_offices")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_ratings_ticket_id_tickets")),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"], name=op.f("fk_ratings_service_id_services")),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], name=op.f("fk_ratings_counter_id_counters")),
        sa.ForeignKeyConstraint(["clerk_id"], ["users.id"], name=op.f("fk_ratings_clerk_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ratings")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_ratings_ticket_id")),
    )
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.create_index("ix_ratings_office_created", ["office_id", "created_at"], unique=False)
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("low_rating", name="alertkind", native_enum=False, length=20),
                  nullable=False),
        sa.Column("raised_at", UTC(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("handled_at", UTC(), nullable=True),
        sa.Column("handled_by", sa.Integer(), nullable=True),
        sa.Column("action", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"], name=op.f("fk_alerts_office_id_offices")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_alerts_ticket_id_tickets")),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"], name=op.f("fk_alerts_service_id_services")),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], name=op.f("fk_alerts_counter_id_counters")),
        sa.ForeignKeyConstraint(["handled_by"], ["users.id"], name=op.f("fk_alerts_handled_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index("ix_alerts_office_raised", ["office_id", "raised_at"], unique=False)
    op.create_table(
        "device_pairings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("expires_at", UTC(), nullable=False),
        sa.Column("used_at", UTC(), nullable=True),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"],
                                name=op.f("fk_device_pairings_office_id_offices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_pairings")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_device_pairings_code_hash")),
    )


def downgrade() -> None:
    op.drop_table("device_pairings")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_alerts_office_raised")
    op.drop_table("alerts")
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.drop_index("ix_ratings_office_created")
    op.drop_table("ratings")
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.drop_column("rating_dimensions")
