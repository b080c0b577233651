"""Knowledge base writes. Flush, never commit: the caller owns the transaction."""

import contextlib

from flask_babel import gettext as _
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..core.errors import HelpdeskError
from ..core.extensions import db
from ..core.models import utcnow
from .models import Article, ArticleSlug, ArticleStatus, ArticleVote, Deflection, KbCategory
from .search import reindex
from .text import fold, plain_text, render_markdown, slugify

VIEWS_KEY = "helpdesk:kb:views"
UNCHANGED = object()  # "leave the translation link as it is"


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


def create_category(name_en: str, name_es: str) -> KbCategory:
    """A new category, last in the order, with a unique slug made from its English name (suffix -2, -3…)."""
    position = (db.session.scalar(select(func.max(KbCategory.position))) or 0) + 1
    base, n = slugify(name_en), 1
    slug = base
    while db.session.scalar(select(KbCategory.id).where(KbCategory.slug == slug)):
        n += 1
        slug = f"{base}-{n}"
    category = KbCategory(name_en=name_en, name_es=name_es, slug=slug, position=position)
    db.session.add(category)
    db.session.flush()
    return category


def save_article(
    article: Article | None,
    *,
    title: str,
    body: str,
    slug: str = "",
    category: KbCategory | None = None,
    language: str = "en",
    status: ArticleStatus = ArticleStatus.DRAFT,
    translation: Article | None | object = UNCHANGED,
) -> Article:
    """Create or update an article: render and sanitize, keep the old slug as a redirect, reindex.

    `translation`: the same article in the other language (None unlinks; left out, the link stays as it was).
    Raises `HelpdeskError` when it is not in the other language.
    """
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
    if isinstance(translation, Article) or translation is None:
        link_translation(article, translation)
    elif article.translation is not None and article.translation.language == article.language:
        link_translation(article, None)  # its language changed to the translation's: they are no longer a pair
    reindex(article)
    return article


def link_translation(article: Article, translation: Article | None) -> None:
    """Make `article` and `translation` each other's translation, unlinking the partners either had before."""
    if translation is not None and (translation.id == article.id or translation.language == article.language):
        raise HelpdeskError(_("The translation must be an article in the other language."))
    for old in (article.translation, translation.translation if translation else None):
        if old is not None and old is not article and old is not translation:
            old.translation_id = None
    if translation is not None:
        translation.translation_id = article.id
    article.translation_id = translation.id if translation else None
    db.session.flush()
    db.session.expire(article, ["translation"])
    if translation is not None:
        db.session.expire(translation, ["translation"])


def vote(article: Article, *, visitor: str, helpful: bool, comment: str | None = None) -> None:
    """Record or change this visitor's vote; counters follow. One vote per visitor and article.

    `comment` (what was missing, after a "No") replaces the visitor's earlier one when given; a "Yes" clears it.
    """
    existing = db.session.scalar(select(ArticleVote).where(ArticleVote.article_id == article.id, ArticleVote.visitor == visitor))
    comment = (comment or "").strip() or None
    if existing is not None and existing.helpful == helpful:
        if comment:
            existing.comment = comment
            db.session.flush()
        return
    if existing is None:
        try:
            with db.session.begin_nested():
                db.session.add(ArticleVote(article_id=article.id, visitor=visitor, helpful=helpful, comment=comment))
        except IntegrityError:  # the same visitor voting twice at once: the first one counts
            return
    else:
        existing.helpful = helpful
        existing.comment = None if helpful else comment or existing.comment
        _count(article, helpful=not helpful, step=-1)
    _count(article, helpful=helpful, step=1)
    db.session.flush()


def _count(article: Article, *, helpful: bool, step: int) -> None:
    column = Article.helpful_yes if helpful else Article.helpful_no
    db.session.execute(update(Article).where(Article.id == article.id).values({column: column + step}))


def count_view(redis: Redis, article_id: int) -> None:
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
