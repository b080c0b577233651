"""Knowledge base reads: what a visitor sees in their language. Return `Select`s or plain lists; never write."""

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased

from ..core.extensions import db
from .models import Article, ArticleStatus


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
