"""case clock pause

Revision ID: 0014
Revises: 0011
Create Date: 2026-11-27 15:21:19.272221
"""
from alembic import op
import sqlalchemy as sa
import models.types


revision = '0014'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clock_paused_at', models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('clock_paused_seconds', sa.Integer(), nullable=False, server_default='0'))



def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('clock_paused_seconds')
        batch_op.drop_column('clock_paused_at')

