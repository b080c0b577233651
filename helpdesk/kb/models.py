"""Knowledge base: categories, articles (Markdown), old slugs, helpful votes, and deflection records."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.i18n import in_viewer_language
from ..core.models import Base, UTCDateTime, str_enum, utcnow


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class KbCategory(Base):
    __tablename__ = "kb_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_es: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(default=0)

    def name(self, locale: str) -> str:
        return in_viewer_language(self.name_en, self.name_es, locale)


class Article(Base):
    __tablename__ = "kb_article"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    body: Mapped[str] = mapped_column(Text)  # Markdown as written
    body_html: Mapped[str] = mapped_column(Text)  # rendered and sanitized when saved
    summary: Mapped[str] = mapped_column(String(300), default="")  # plain text: meta description and result snippets
    category_id: Mapped[int | None] = mapped_column(ForeignKey("kb_category.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(5), default="en")
    status: Mapped[ArticleStatus] = mapped_column(str_enum(ArticleStatus), default=ArticleStatus.DRAFT)
    views: Mapped[int] = mapped_column(default=0)
    helpful_yes: Mapped[int] = mapped_column(default=0)
    helpful_no: Mapped[int] = mapped_column(default=0)
    # Title and plain body, lower-cased and without accents: what full-text search indexes on both databases.
    search_title: Mapped[str] = mapped_column(String(200), default="")
    search_body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The same article in the other language; both articles point at each other (set by `link_translation`).
    translation_id: Mapped[int | None] = mapped_column(ForeignKey("kb_article.id", ondelete="SET NULL"), index=True)

    category: Mapped[KbCategory | None] = relationship()
    translation: Mapped["Article | None"] = relationship(remote_side=[id], foreign_keys=[translation_id], post_update=True)

    __table_args__ = (Index("ix_kb_article_public", "status", "language", "category_id"),)

    @property
    def is_published(self) -> bool:
        return self.status is ArticleStatus.PUBLISHED


class ArticleSlug(Base):
    """A slug an article had before: its old links redirect to the current one."""

    __tablename__ = "kb_article_slug"

    slug: Mapped[str] = mapped_column(String(120), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_article.id", ondelete="CASCADE"))


class ArticleVote(Base):
    """One helpful / not helpful vote per visitor (a random cookie, no login) and article, with what was missing."""

    __tablename__ = "kb_article_vote"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_article.id", ondelete="CASCADE"))
    visitor: Mapped[str] = mapped_column(String(64))
    helpful: Mapped[bool] = mapped_column()
    comment: Mapped[str | None] = mapped_column(Text)  # "What was missing?" after a "No" (optional, agents read it)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("article_id", "visitor", name="uq_kb_article_vote_visitor"),)


class Deflection(Base):
    """A suggested article a customer opened from the request form; `submitted_at` stays empty if they never sent it.

    Those without a submission are the tickets the knowledge base saved (*tickets deflected*).
    """

    __tablename__ = "kb_deflection"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_session: Mapped[str] = mapped_column(String(64), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_article.id", ondelete="CASCADE"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("form_session", "article_id", name="uq_kb_deflection_session_article"),)
