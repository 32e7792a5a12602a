"""process drafts (the process studio)

Revision ID: 0015
Revises: 0013
Create Date: 2026-11-28 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
import models.types


revision = '0015'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    json_type = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
    op.create_table('process_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scenario_key', sa.String(length=64), nullable=False),
    sa.Column('base_version_id', sa.Integer(), nullable=True),
    sa.Column('files', json_type, nullable=False),
    sa.Column('problems', json_type, nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_name', sa.String(length=100), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['base_version_id'], ['process_versions.id'], name=op.f('fk_process_drafts_base_version_id_process_versions')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_process_drafts_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_drafts')),
    sa.UniqueConstraint('scenario_key', name=op.f('uq_process_drafts_scenario_key'))
    )


def downgrade() -> None:
    op.drop_table('process_drafts')
