"""Knowledge base reads: what a visitor sees in their language. Return `Select`s or plain lists; never write."""

from sqlalchemy import Row, Select, or_, select
from sqlalchemy.orm import aliased, selectinload

from ..core.extensions import db
from ..tickets.models import TicketMessage
from .models import Article, ArticleSlug, ArticleStatus, ArticleVote, KbCategory


def categories() -> list[KbCategory]:
    """Every knowledge base category, in the admin's order (position, then id)."""
    return list(db.session.scalars(select(KbCategory).order_by(KbCategory.position, KbCategory.id)))


def category(category_id: int) -> KbCategory | None:
    return db.session.get(KbCategory, category_id)


def article(article_id: int) -> Article | None:
    return db.session.get(Article, article_id)


def article_by_slug(slug: str) -> Article | None:
    """The article at this address now; see `moved_article` for the addresses it had before."""
    return db.session.scalar(select(Article).where(Article.slug == slug))


def moved_article(old_slug: str) -> Article | None:
    """The article that had this address before its slug changed, if any."""
    old = db.session.get(ArticleSlug, old_slug)
    return db.session.get(Article, old.article_id) if old is not None else None


def visible_articles(language: str) -> Select[tuple[Article]]:
    """Published articles in `language`, and those in the other language that have no published translation.

    The visitor reads their own language, and the other one only where nothing was written for them.
    """
    partner = aliased(Article)
    translated = (
        select(partner.id)
        .where(partner.id == Article.translation_id, partner.status == ArticleStatus.PUBLISHED, partner.language == language)
        .exists()
    )
    return select(Article).where(Article.status == ArticleStatus.PUBLISHED, or_(Article.language == language, ~translated))


def popular_articles(language: str, limit: int = 6) -> list[Article]:
    """The most read articles for a visitor (their language first), for the portal home."""
    query = visible_articles(language).order_by(Article.language != language, Article.views.desc(), Article.id).limit(limit)
    return list(db.session.scalars(query))


def published_translation(article: Article) -> Article | None:
    """The article in the other language, when there is one that readers may see."""
    other = article.translation
    if other is None or not other.is_published or other.language == article.language:
        return None
    return other


def in_language(articles: list[Article], language: str) -> list[Article]:
    """Each article replaced by its published translation in `language` when it has one; duplicates dropped."""
    seen: set[int] = set()
    out = []
    for article in articles:
        if article.language != language:
            article = published_translation(article) or article
        if article.id not in seen:
            seen.add(article.id)
            out.append(article)
    return out


def index_articles(language: str, limit: int) -> list[Article]:
    """The visitor's public index: visible articles, their language first, then by title, at most `limit`."""
    query = visible_articles(language).order_by(Article.language != language, Article.title).limit(limit)
    return list(db.session.scalars(query))


def related_articles(article: Article, limit: int = 5) -> list[Article]:
    """Published articles in the same category and language, most read first."""
    if article.category_id is None:
        return []
    query = select(Article).where(
        Article.category_id == article.category_id,
        Article.id != article.id,
        Article.status == ArticleStatus.PUBLISHED,
        Article.language == article.language,
    )
    return list(db.session.scalars(query.order_by(Article.views.desc()).limit(limit)))


def editor_articles() -> list[Article]:
    """Every article, drafts too, last changed first, with its category (the agents' list)."""
    query = select(Article).options(selectinload(Article.category)).order_by(Article.updated_at.desc())
    return list(db.session.scalars(query))


def translation_choices(article: Article | None, limit: int) -> list[Row[tuple[int, str, str]]]:
    """(id, title, language) of the articles that could be `article`'s translation: every other one."""
    query = (
        select(Article.id, Article.title, Article.language)
        .where(Article.id != (article.id if article else 0))
        .order_by(Article.language, Article.title)
        .limit(limit)
    )
    return list(db.session.execute(query).all())


def missing_feedback(article: Article, limit: int) -> list[ArticleVote]:
    """What readers who voted "No" said was missing, newest first."""
    query = select(ArticleVote).where(
        ArticleVote.article_id == article.id, ArticleVote.helpful.is_(False), ArticleVote.comment.is_not(None)
    )
    return list(db.session.scalars(query.order_by(ArticleVote.created_at.desc(), ArticleVote.id.desc()).limit(limit)))


def ticket_message(message_id: int) -> TicketMessage | None:
    return db.session.get(TicketMessage, message_id)
