"""enterprise requests and policy notices

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 15:14:21.303432
"""
from alembic import op
import sqlalchemy as sa
import models.types


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('enterprise_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=32), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('company_name', sa.String(length=200), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('case_reference', sa.String(length=32), nullable=False),
    sa.Column('department_code', sa.String(length=8), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('filed_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sign_clock_from', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sign_due_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('signed_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.Column('answer_due_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answered_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('dispatched_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('dispatched_by_id', sa.Integer(), nullable=True),
    sa.Column('transferred_from', sa.String(length=8), nullable=False),
    sa.Column('transferred_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('transferred_by_id', sa.Integer(), nullable=True),
    sa.Column('transfer_reason', sa.String(length=500), nullable=False),
    sa.Column('rating', sa.SmallInteger(), nullable=True),
    sa.Column('rating_comment', sa.String(length=1000), nullable=False),
    sa.Column('rated_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reopened_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reopen_reason', sa.String(length=1000), nullable=False),
    sa.Column('first_answer', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_enterprise_requests_answered_by_id_users')),
    sa.ForeignKeyConstraint(['applicant_id'], ['users.id'], name=op.f('fk_enterprise_requests_applicant_id_users')),
    sa.ForeignKeyConstraint(['department_code'], ['departments.code'], name=op.f('fk_enterprise_requests_department_code_departments')),
    sa.ForeignKeyConstraint(['dispatched_by_id'], ['users.id'], name=op.f('fk_enterprise_requests_dispatched_by_id_users')),
    sa.ForeignKeyConstraint(['signed_by_id'], ['users.id'], name=op.f('fk_enterprise_requests_signed_by_id_users')),
    sa.ForeignKeyConstraint(['transferred_by_id'], ['users.id'], name=op.f('fk_enterprise_requests_transferred_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise_requests')),
    sa.UniqueConstraint('reference', name=op.f('uq_enterprise_requests_reference'))
    )
    with op.batch_alter_table('enterprise_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_requests_answer_due_at'), ['answer_due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_requests_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index('ix_enterprise_requests_department_status', ['department_code', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_requests_sign_due_at'), ['sign_due_at'], unique=False)

    op.create_table('policy_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('audience', sa.String(length=16), nullable=False),
    sa.Column('published_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_policy_notices_published_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_notices'))
    )
    with op.batch_alter_table('policy_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_notices_published_at'), ['published_at'], unique=False)

    op.create_table('enterprise_escalations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('breach', sa.String(length=8), nullable=False),
    sa.Column('due_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('department_code', sa.String(length=8), nullable=False),
    sa.Column('escalated_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('notified', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['enterprise_requests.id'], name=op.f('fk_enterprise_escalations_request_id_enterprise_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise_escalations'))
    )
    with op.batch_alter_table('enterprise_escalations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_escalations_request_id'), ['request_id'], unique=False)
        batch_op.create_index('uq_enterprise_escalations_breach', ['request_id', 'breach', 'due_at'], unique=True)

    op.create_table('policy_notice_industries',
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('industry', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['policy_notices.id'], name=op.f('fk_policy_notice_industries_notice_id_policy_notices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('notice_id', 'industry', name=op.f('pk_policy_notice_industries'))
    )
    with op.batch_alter_table('policy_notice_industries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_notice_industries_industry'), ['industry'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('policy_notice_industries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_notice_industries_industry'))

    op.drop_table('policy_notice_industries')
    with op.batch_alter_table('enterprise_escalations', schema=None) as batch_op:
        batch_op.drop_index('uq_enterprise_escalations_breach')
        batch_op.drop_index(batch_op.f('ix_enterprise_escalations_request_id'))

    op.drop_table('enterprise_escalations')
    with op.batch_alter_table('policy_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_notices_published_at'))

    op.drop_table('policy_notices')
    with op.batch_alter_table('enterprise_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_requests_sign_due_at'))
        batch_op.drop_index('ix_enterprise_requests_department_status')
        batch_op.drop_index(batch_op.f('ix_enterprise_requests_applicant_id'))
        batch_op.drop_index(batch_op.f('ix_enterprise_requests_answer_due_at'))

    op.drop_table('enterprise_requests')
