"""staff invitations and the staff audit trail (role changes, deactivations, reactivations)

Revision ID: e7a2c4d9b1f3
Revises: cf11547ccf8b
Create Date: 2026-11-23 04:20:00.000000

"""
from alembic import op
import sqlalchemy as sa
import helpdesk.core.models


# revision identifiers, used by Alembic.
revision = 'e7a2c4d9b1f3'
down_revision = 'cf11547ccf8b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.Enum('owner', 'admin', 'agent', name='role', native_enum=False, create_constraint=False, length=13), nullable=False),
    sa.Column('team_ids', sa.JSON(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', helpdesk.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', helpdesk.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', helpdesk.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', helpdesk.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', helpdesk.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user.id'], name=op.f('fk_invitation_invited_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_invitation_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitation_token_hash'))
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_email'), ['email'], unique=False)

    op.create_table('staff_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('invited', 'joined', 'role', 'teams', 'deactivated', 'reactivated', name='staffchangekind', native_enum=False, create_constraint=False, length=19), nullable=False),
    sa.Column('old', sa.String(length=500), nullable=True),
    sa.Column('new', sa.String(length=500), nullable=True),
    sa.Column('created_at', helpdesk.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_staff_change_actor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_staff_change_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_change'))
    )
    with op.batch_alter_table('staff_change', schema=None) as batch_op:
        batch_op.create_index('ix_staff_change_user', ['user_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('staff_change', schema=None) as batch_op:
        batch_op.drop_index('ix_staff_change_user')
    op.drop_table('staff_change')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_email'))
    op.drop_table('invitation')
