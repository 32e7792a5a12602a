"""rectification fix follow-up (a logged outcome's fix recorded, overdue reported)

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
import models.types


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('rectifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fixed_at', models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('fixed_by_id', sa.Integer(), nullable=True))
        # Existing rows have no fix note: '' like the other notes.
        batch_op.add_column(sa.Column('fixed_note', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('fix_escalated_at', models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_rectifications_fixed_by_id_users'), 'users', ['fixed_by_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('rectifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_rectifications_fixed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('fix_escalated_at')
        batch_op.drop_column('fixed_note')
        batch_op.drop_column('fixed_by_id')
        batch_op.drop_column('fixed_at')
