"""knowledge base: translations linked, what readers missed, plain text without HTML entities

Revision ID: c4e1a9b7d2f3
Revises: 0f4ccb5e9094
Create Date: 2026-11-23 00:50:00.000000

"""
import html

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e1a9b7d2f3'
down_revision = '0f4ccb5e9094'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('kb_article', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_kb_article_translation_id'), ['translation_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_kb_article_translation_id_kb_article'), 'kb_article', ['translation_id'], ['id'], ondelete='SET NULL'
        )
    with op.batch_alter_table('kb_article_vote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment', sa.Text(), nullable=True))

    # Summaries and search text used to keep HTML entities ("&amp;"), shown twice escaped in results: decode them.
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, summary, search_title, search_body FROM kb_article")).all()
    for id_, summary, search_title, search_body in rows:
        bind.execute(
            sa.text("UPDATE kb_article SET summary = :summary, search_body = :body WHERE id = :id"),
            {"summary": html.unescape(summary or ""), "body": html.unescape(search_body or ""), "id": id_},
        )
        if bind.dialect.name != "postgresql":
            bind.execute(sa.text("DELETE FROM kb_article_fts WHERE rowid = :id"), {"id": id_})
            bind.execute(
                sa.text("INSERT INTO kb_article_fts (rowid, title, body) VALUES (:id, :title, :body)"),
                {"id": id_, "title": search_title or "", "body": html.unescape(search_body or "")},
            )
    if bind.dialect.name == "postgresql":
        op.execute(
            "UPDATE kb_article SET search_vector = "
            "setweight(to_tsvector('simple', search_title), 'A') || setweight(to_tsvector('simple', search_body), 'B')"
        )


def downgrade():
    with op.batch_alter_table('kb_article_vote', schema=None) as batch_op:
        batch_op.drop_column('comment')
    with op.batch_alter_table('kb_article', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_kb_article_translation_id_kb_article'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_kb_article_translation_id'))
        batch_op.drop_column('translation_id')
