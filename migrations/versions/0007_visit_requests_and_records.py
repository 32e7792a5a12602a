"""visit requests and records

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 15:16:17.822989
"""
from alembic import op
import sqlalchemy as sa
import models.types
from sqlalchemy.dialects import postgresql

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('visit_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('district', sa.String(length=64), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('contact_name', sa.String(length=100), nullable=False),
    sa.Column('contact_phone', sa.String(length=20), nullable=False),
    sa.Column('items', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('preferred_date', sa.Date(), nullable=False),
    sa.Column('preferred_period', sa.String(length=16), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('staff1_id', sa.Integer(), nullable=True),
    sa.Column('staff2_id', sa.Integer(), nullable=True),
    sa.Column('scheduled_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.String(length=500), nullable=False),
    sa.Column('case_ids', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('mail_tracking_no', sa.String(length=32), nullable=False),
    sa.Column('mailed_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['users.id'], name=op.f('fk_visit_requests_applicant_id_users')),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_visit_requests_assigned_by_id_users')),
    sa.ForeignKeyConstraint(['staff1_id'], ['users.id'], name=op.f('fk_visit_requests_staff1_id_users')),
    sa.ForeignKeyConstraint(['staff2_id'], ['users.id'], name=op.f('fk_visit_requests_staff2_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_requests'))
    )
    with op.batch_alter_table('visit_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_requests_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_requests_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_requests_staff1_id'), ['staff1_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_requests_staff2_id'), ['staff2_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_requests_status'), ['status'], unique=False)

    op.create_table('visit_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('arrived_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('result', sa.String(length=16), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('materials', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('photo_ids', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_visit_records_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['request_id'], ['visit_requests.id'], name=op.f('fk_visit_records_request_id_visit_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_records'))
    )
    with op.batch_alter_table('visit_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_records_request_id'), ['request_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('visit_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_records_request_id'))

    op.drop_table('visit_records')
    with op.batch_alter_table('visit_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_requests_status'))
        batch_op.drop_index(batch_op.f('ix_visit_requests_staff2_id'))
        batch_op.drop_index(batch_op.f('ix_visit_requests_staff1_id'))
        batch_op.drop_index(batch_op.f('ix_visit_requests_created_at'))
        batch_op.drop_index(batch_op.f('ix_visit_requests_applicant_id'))

    op.drop_table('visit_requests')
