"""phone tickets: the first message taken by an agent for a customer, the subject the customer sees

Revision ID: 7e7d5119a4fa
Revises: c4e1a9b7d2f3
Create Date: 2026-11-23 00:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e7d5119a4fa'
down_revision = 'c4e1a9b7d2f3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('customer_subject', sa.String(length=250), nullable=True))

    with op.batch_alter_table('ticket_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_behalf_of_customer_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_ticket_message_on_behalf_of_customer_id_customer'), 'customer', ['on_behalf_of_customer_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('ticket_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_ticket_message_on_behalf_of_customer_id_customer'), type_='foreignkey')
        batch_op.drop_column('on_behalf_of_customer_id')

    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_column('customer_subject')
