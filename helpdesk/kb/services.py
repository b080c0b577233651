"""Knowledge base writes. Flush, never commit: the caller owns the transaction."""

import contextlib

from redis.exceptions import RedisError
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..core.models import utcnow
from ..extensions import db
from .models import Article, ArticleSlug, ArticleStatus, ArticleVote, Deflection, KbCategory
from .search import reindex
from .text import fold, plain_text, render_markdown, slugify

VIEWS_KEY = "helpdesk:kb:views"


def unique_slug(wanted: str, *, article: Article | None = None) -> str:
    """`wanted` made URL-safe and unique among articles and old slugs of other articles (suffix -2, -3…)."""
    base = slugify(wanted)
    candidate, n = base, 1
    while True:
        owner = db.session.scalar(select(Article.id).where(Article.slug == candidate))
        old = db.session.scalar(select(ArticleSlug.article_id).where(ArticleSlug.slug == candidate))
        mine = article is not None and article.id is not None
        if (owner is None or (mine and owner == article.id)) and (old is None or (mine and old == article.id)):
            return candidate
        n += 1
        candidate = f"{base[:95]}-{n}"


def save_article(
    article: Article | None,
    *,
    title: str,
    body: str,
    slug: str = "",
    category: KbCategory | None = None,
    language: str = "en",
    status: ArticleStatus = ArticleStatus.DRAFT,
) -> Article:
    """Create or update an article: render and sanitize, keep the old slug as a redirect, reindex."""
    new_slug = unique_slug(slug or title, article=article)
    if article is None:
        article = Article()
        db.session.add(article)
    if article.slug and article.slug != new_slug:
        db.session.merge(ArticleSlug(slug=article.slug, article_id=article.id))
        db.session.execute(ArticleSlug.__table__.delete().where(ArticleSlug.slug == new_slug))
    html = render_markdown(body)
    text = plain_text(html)
    article.title, article.slug, article.body, article.body_html = title, new_slug, body, html
    article.summary = text[:297] + ("…" if len(text) > 297 else "")
    article.category, article.language, article.status = category, language, status
    article.search_title, article.search_body = fold(title), fold(text)
    article.updated_at = utcnow()
    db.session.flush()
    reindex(article)
    return article


def vote(article: Article, *, visitor: str, helpful: bool) -> None:
    """Record or change this visitor's vote; counters follow. One vote per visitor and article."""
    existing = db.session.scalar(select(ArticleVote).where(ArticleVote.article_id == article.id, ArticleVote.visitor == visitor))
    if existing is not None and existing.helpful == helpful:
        return
    if existing is None:
        try:
            with db.session.begin_nested():
                db.session.add(ArticleVote(article_id=article.id, visitor=visitor, helpful=helpful))
        except IntegrityError:  # the same visitor voting twice at once: the first one counts
            return
    else:
        existing.helpful = helpful
        _count(article, helpful=not helpful, step=-1)
    _count(article, helpful=helpful, step=1)
    db.session.flush()


def _count(article: Article, *, helpful: bool, step: int) -> None:
    column = Article.helpful_yes if helpful else Article.helpful_no
    db.session.execute(update(Article).where(Article.id == article.id).values({column: column + step}))


def count_view(redis, article_id: int) -> None:
    """Count a view in Redis (no database write on a GET); `flush_views` adds them up every minute."""
    with contextlib.suppress(RedisError, OSError):  # a lost view count is fine; a slow or failed page is not
        redis.hincrby(VIEWS_KEY, str(article_id), 1)


def record_opened(form_session: str, article: Article) -> None:
    try:
        with db.session.begin_nested():
            db.session.add(Deflection(form_session=form_session, article_id=article.id))
    except IntegrityError:
        pass  # opened twice from the same form: one record


def mark_submitted(form_session: str) -> None:
    """The customer sent the request after all: their opened suggestions did not deflect it."""
    db.session.execute(
        update(Deflection).where(Deflection.form_session == form_session, Deflection.submitted_at.is_(None)).values(submitted_at=utcnow())
    )
