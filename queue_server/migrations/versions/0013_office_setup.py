"""An office sets itself up (issue 15): offices.address, help_contact, holidays, logo;
counters.active (a removed counter keeps its history); users.default_counter_id; devices and
device_requests (a device shows a code, the admin page pairs it)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

from queue_server.migrations.types import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("help_contact", sa.String(200), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("holidays", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("logo", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("logo_type", sa.String(32), nullable=True))
    with op.batch_alter_table("counters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("active", sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("default_counter_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_users_default_counter_id_counters"), "counters",
                                    ["default_counter_id"], ["id"])
    op.create_table(
        "devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("printer", sa.String(200), nullable=False, server_default=""),
        sa.Column("paper", sa.String(8), nullable=False, server_default="80mm"),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"], name=op.f("fk_devices_office_id_offices")),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], name=op.f("fk_devices_counter_id_counters")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_devices")),
        sa.UniqueConstraint("username", name=op.f("uq_devices_username")),
    )
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.create_index(op.f("ix_devices_office_id"), ["office_id"], unique=False)
    op.create_table(
        "device_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column("token", sa.String(64), nullable=True),
        sa.Column("collected_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name=op.f("fk_device_requests_device_id_devices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_requests")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_device_requests_code_hash")),
    )


def downgrade() -> None:
    op.drop_table("device_requests")
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_index(op.f("ix_devices_office_id"))
    op.drop_table("devices")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_users_default_counter_id_counters"), type_="foreignkey")
        batch_op.drop_column("default_counter_id")
    with op.batch_alter_table("counters", schema=None) as batch_op:
        batch_op.drop_column("active")
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.drop_column("logo_type")
        batch_op.drop_column("logo")
        batch_op.drop_column("holidays")
        batch_op.drop_column("help_contact")
        batch_op.drop_column("address")
