"""queue core: offices, services, counters, users, tickets, events

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 04:45:03.187689
"""
from alembic import op
import sqlalchemy as sa
from queue_server.migrations.types import UTCDateTime


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
  
    op.create_table('offices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), server_default='', nullable=False),
    sa.Column('timezone', sa.String(length=64), server_default='Asia/Bangkok', nullable=False),
    sa.Column('opening_hours', sa.JSON(), nullable=False),
    sa.Column('enforce_hours', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offices'))
    )
    op.create_table('counters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('is_open', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_counters_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_counters')),
    sa.UniqueConstraint('office_id', 'number', name=op.f('uq_counters_office_id_number'))
    )
    with op.batch_alter_table('counters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_counters_office_id'), ['office_id'], unique=False)

    op.create_table('services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=4), nullable=False),
    sa.Column('name_th', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('standard_minutes', sa.Float(), nullable=False),
    sa.Column('target_wait_minutes', sa.Float(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('sort_order', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_services_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services')),
    sa.UniqueConstraint('office_id', 'code', name=op.f('uq_services_office_id_code'))
    )
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_services_office_id'), ['office_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('staff', 'reception', 'manager', 'admin', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_users_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=100), server_default='', nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    op.create_table('counter_services',
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['counter_id'], ['counters.id'], name=op.f('fk_counter_services_counter_id_counters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_counter_services_service_id_services')),
    sa.PrimaryKeyConstraint('counter_id', 'service_id', name=op.f('pk_counter_services'))
    )
    op.create_table('ticket_sequences',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('service_day', sa.Date(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_ticket_sequences_service_id_services')),
    sa.PrimaryKeyConstraint('service_id', 'service_day', name=op.f('pk_ticket_sequences'))
    )
    op.create_table('tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('issued_service_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=12), nullable=False),
    sa.Column('service_day', sa.Date(), nullable=False),
    sa.Column('priority', sa.Enum('normal', 'elderly', 'disabled', 'pregnant', 'monk', name='priority', native_enum=False, length=20), nullable=False),
    sa.Column('channel', sa.Enum('kiosk', 'reception', 'online', name='channel', native_enum=False, length=20), nullable=False),
    sa.Column('status', sa.Enum('waiting', 'called', 'serving', 'finished', 'no_show', 'cancelled', name='ticketstatus', native_enum=False, length=20), nullable=False),
    sa.Column('token', sa.String(length=43), nullable=False),
    sa.Column('kiosk_id', sa.String(length=64), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('appointment_at', UTCDateTime(), nullable=True),
    sa.Column('issued_at', UTCDateTime(), nullable=False),
    sa.Column('queued_at', UTCDateTime(), nullable=False),
    sa.Column('queue_key', UTCDateTime(), nullable=False),
    sa.Column('called_at', UTCDateTime(), nullable=True),
    sa.Column('started_at', UTCDateTime(), nullable=True),
    sa.Column('finished_at', UTCDateTime(), nullable=True),
    sa.Column('counter_id', sa.Integer(), nullable=True),
    sa.Column('served_by', sa.Integer(), nullable=True),
    sa.Column('recall_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('no_show_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('transfer_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['counter_id'], ['counters.id'], name=op.f('fk_tickets_counter_id_counters')),
    sa.ForeignKeyConstraint(['issued_service_id'], ['services.id'], name=op.f('fk_tickets_issued_service_id_services')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_tickets_office_id_offices')),
    sa.ForeignKeyConstraint(['served_by'], ['users.id'], name=op.f('fk_tickets_served_by_users')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_tickets_service_id_services')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tickets')),
    sa.UniqueConstraint('issued_service_id', 'service_day', 'number', name=op.f('uq_tickets_issued_service_id_service_day_number')),
    sa.UniqueConstraint('token', name=op.f('uq_tickets_token'))
    )
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index('ix_tickets_counter_status', ['counter_id', 'status'], unique=False)
        batch_op.create_index('ix_tickets_queue', ['service_id', 'status', 'service_day', 'queue_key'], unique=False)

    op.create_table('ticket_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('issued', 'called', 'recalled', 'started', 'finished', 'no_show', 'requeued', 'transferred', 'cancelled', name='eventkind', native_enum=False, length=20), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('actor_kind', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.String(length=64), nullable=True),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['counter_id'], ['counters.id'], name=op.f('fk_ticket_events_counter_id_counters')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_ticket_events_office_id_offices')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_ticket_events_service_id_services')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_events_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_events'))
    )
    with op.batch_alter_table('ticket_events', schema=None) as batch_op:
        batch_op.create_index('ix_ticket_events_office_at', ['office_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_events_ticket_id'), ['ticket_id'], unique=False)




def downgrade() -> None:
  
    with op.batch_alter_table('ticket_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_events_ticket_id'))
        batch_op.drop_index('ix_ticket_events_office_at')

    op.drop_table('ticket_events')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_queue')
        batch_op.drop_index('ix_tickets_counter_status')

    op.drop_table('tickets')
    op.drop_table('ticket_sequences')
    op.drop_table('counter_services')
    op.drop_table('api_tokens')
    op.drop_table('users')
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_services_office_id'))

    op.drop_table('services')
    with op.batch_alter_table('counters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_counters_office_id'))

    op.drop_table('counters')
    op.drop_table('offices')

