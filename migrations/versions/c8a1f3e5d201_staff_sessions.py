"""staff sessions: one row per sign-in, so signing out ends that session alone

Revision ID: c8a1f3e5d201
Revises: 7e7d5119a4fa
Create Date: 2026-11-23 00:50:00.000000

"""
from alembic import op
import sqlalchemy as sa

import helpdesk.core.models


# revision identifiers, used by Alembic.
revision = 'c8a1f3e5d201'
down_revision = '7e7d5119a4fa'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staff_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=43), nullable=False),
    sa.Column('user_agent', sa.String(length=200), nullable=False),
    sa.Column('created_at', helpdesk.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', helpdesk.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_staff_session_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_session')),
    sa.UniqueConstraint('key', name=op.f('uq_staff_session_key'))
    )
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_session_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_session_user_id'))
    op.drop_table('staff_session')
