"""online applications

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 15:16:15.035092
"""
from alembic import op
import sqlalchemy as sa
import models.types
from sqlalchemy.dialects import postgresql

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
   
    op.create_table('online_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('scenario_key', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('return_reason', sa.Text(), nullable=False),
    sa.Column('submitted_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['users.id'], name=op.f('fk_online_applications_applicant_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_online_applications_case_id_cases'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_online_applications_reviewed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_online_applications'))
    )
    with op.batch_alter_table('online_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_online_applications_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_online_applications_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_online_applications_scenario_key'), ['scenario_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_online_applications_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_online_applications_submitted_at'), ['submitted_at'], unique=False)

    op.create_table('application_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('stored_file_id', sa.Integer(), nullable=False),
    sa.Column('material_key', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['online_applications.id'], name=op.f('fk_application_files_application_id_online_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stored_file_id'], ['stored_files.id'], name=op.f('fk_application_files_stored_file_id_stored_files'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_files')),
    sa.UniqueConstraint('application_id', 'stored_file_id', name=op.f('uq_application_files_application_id'))
    )
    with op.batch_alter_table('application_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_files_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_files_stored_file_id'), ['stored_file_id'], unique=False)



def downgrade() -> None:
   
    with op.batch_alter_table('application_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_files_stored_file_id'))
        batch_op.drop_index(batch_op.f('ix_application_files_application_id'))

    op.drop_table('application_files')
    with op.batch_alter_table('online_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_online_applications_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_online_applications_status'))
        batch_op.drop_index(batch_op.f('ix_online_applications_scenario_key'))
        batch_op.drop_index(batch_op.f('ix_online_applications_case_id'))
        batch_op.drop_index(batch_op.f('ix_online_applications_applicant_id'))

    op.drop_table('online_applications')
