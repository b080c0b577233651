"""pulse round numbers: a unique key, so that two openers at the same moment open one round

Revision ID: cf11547ccf8b
Revises: 9a3d5f7c1e20
Create Date: 2026-11-23 03:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cf11547ccf8b'
down_revision = '9a3d5f7c1e20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pulse_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.Integer(), nullable=True))

    # Existing rounds are numbered in the order they were created (ids are unique and increasing, so is this).
    op.execute("UPDATE pulse_round SET number = (SELECT COUNT(*) FROM pulse_round AS earlier WHERE earlier.id <= pulse_round.id)")

    with op.batch_alter_table('pulse_round', schema=None) as batch_op:
        batch_op.alter_column('number', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_pulse_round_number'), ['number'])


def downgrade():
    with op.batch_alter_table('pulse_round', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_pulse_round_number'), type_='unique')
        batch_op.drop_column('number')
