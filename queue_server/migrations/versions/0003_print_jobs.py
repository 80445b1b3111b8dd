"""print jobs and printer states

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 04:57:04.540327
"""
from alembic import op
import sqlalchemy as sa
from queue_server.migrations.types import UTCDateTime


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('printer_states',
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('online', sa.Boolean(), nullable=False),
    sa.Column('paper', sa.String(length=16), nullable=False),
    sa.Column('cover_open', sa.Boolean(), nullable=True),
    sa.Column('detail', sa.String(length=500), server_default='', nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('kiosk_id', name=op.f('pk_printer_states'))
    )
    op.create_table('print_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('kiosk_id', sa.String(length=64), nullable=True),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('status', sa.Enum('pending', 'printed', 'expired', name='printjobstatus', native_enum=False, length=20), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('sent_at', UTCDateTime(), nullable=True),
    sa.Column('done_at', UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_print_jobs_office_id_offices')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_print_jobs_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_jobs'))
    )
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_print_jobs_pending', ['status', 'kiosk_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_print_jobs_ticket_id'), ['ticket_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_print_jobs_ticket_id'))
        batch_op.drop_index('ix_print_jobs_pending')

    op.drop_table('print_jobs')
    op.drop_table('printer_states')

