"""settings: what an owner changes in the browser (company, branding, email sending), one row per setting

Revision ID: e5b7c3a91d24
Revises: e7a2c4d9b1f3
Create Date: 2026-11-23 04:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import helpdesk.core.models


# revision identifiers, used by Alembic.
revision = 'e5b7c3a91d24'
down_revision = 'e7a2c4d9b1f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'setting',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('value', sa.JSON(), nullable=False),
        sa.Column('updated_at', helpdesk.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_setting_updated_by_id_user'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_setting')),
    )


def downgrade():
    op.drop_table('setting')
