"""timers reminders escalation

Revision ID: 0012
Revises: 0014
Create Date: 2026-11-27 15:24:34.859744
"""
from alembic import op
import sqlalchemy as sa
import models.types


revision = '0012'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Department heads (escalation) and the once-only reminder and escalation marks.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department_head', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('work_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminded_at', models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('escalated_at', models.types.UTCDateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('work_items', schema=None) as batch_op:
        batch_op.drop_column('escalated_at')
        batch_op.drop_column('reminded_at')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('department_head')

