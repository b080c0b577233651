"""staff sessions: the address and the time each sign-in was last used, for "where you are signed in"

Revision ID: d3b7e2a9c415
Revises: e5b7c3a91d24
Create Date: 2026-11-23 04:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import helpdesk.core.models


# revision identifiers, used by Alembic.
revision = 'd3b7e2a9c415'
down_revision = 'e5b7c3a91d24'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ip_address', sa.String(length=45), server_default='', nullable=False))
        batch_op.add_column(sa.Column('last_seen_at', helpdesk.core.models.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.drop_column('last_seen_at')
        batch_op.drop_column('ip_address')
