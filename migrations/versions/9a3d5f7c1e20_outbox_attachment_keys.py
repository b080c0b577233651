"""outbox attachment keys: an email row names the files it carries, so delivery needs no ticket models

Revision ID: 9a3d5f7c1e20
Revises: 5c1e2d9a7b30
Create Date: 2026-11-23 03:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9a3d5f7c1e20'
down_revision = '5c1e2d9a7b30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outgoing_email', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attachments', sa.JSON(), nullable=True))
    # Rows not delivered yet get the files their public message has now (what delivery used to read).
    bind = op.get_bind()
    outgoing = sa.table('outgoing_email', sa.column('id'), sa.column('ticket_message_id'), sa.column('status'), sa.column('attachments', sa.JSON()))
    message = sa.table('ticket_message', sa.column('id'), sa.column('is_internal'))
    attachment = sa.table('attachment', sa.column('id'), sa.column('message_id'), sa.column('filename'), sa.column('storage_key'))
    pending = bind.execute(
        sa.select(outgoing.c.id, outgoing.c.ticket_message_id)
        .join(message, message.c.id == outgoing.c.ticket_message_id)
        .where(outgoing.c.status.in_(['queued', 'sending', 'held']), message.c.is_internal.is_(False))
    ).all()
    for email_id, message_id in pending:
        files = bind.execute(
            sa.select(attachment.c.filename, attachment.c.storage_key).where(attachment.c.message_id == message_id).order_by(attachment.c.id)
        ).all()
        if files:
            bind.execute(
                outgoing.update().where(outgoing.c.id == email_id).values(attachments=[{'filename': f, 'key': k} for f, k in files])
            )


def downgrade():
    with op.batch_alter_table('outgoing_email', schema=None) as batch_op:
        batch_op.drop_column('attachments')
