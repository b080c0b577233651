"""request submission keys: a sent request form creates one ticket, however often it is posted

Revision ID: 5c1e2d9a7b30
Revises: c8a1f3e5d201
Create Date: 2026-11-23 00:50:00.000000

"""
from alembic import op
import sqlalchemy as sa

import helpdesk.core.models


# revision identifiers, used by Alembic.
revision = '5c1e2d9a7b30'
down_revision = 'c8a1f3e5d201'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('request_submission',
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('created_at', helpdesk.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_request_submission_ticket_id_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_request_submission'))
    )
    with op.batch_alter_table('request_submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_submission_ticket_id'), ['ticket_id'], unique=False)


def downgrade():
    with op.batch_alter_table('request_submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_submission_ticket_id'))

    op.drop_table('request_submission')
