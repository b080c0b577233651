"""Knowledge base pages: public reading and search, and the agents' editor at /admin/kb."""

import re
import secrets

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from ..core.auth import agent_required
from ..core.extensions import db, limiter
from ..core.forms import ActionForm, select_choices
from ..core.htmx import render, wants_fragment
from ..core.queue import get_redis
from . import queries, services
from .forms import ArticleForm, KbCategoryForm, VoteForm
from .models import Article, ArticleStatus, ArticleVote
from .queries import published_translation
from .search import search
from .text import highlight, plain_text, render_markdown, snippet

bp = Blueprint("kb", __name__)
VISITOR_COOKIE = "kbv"
INDEX_LIMIT = 500
_SESSION = re.compile(r"[0-9a-f]{32}")
FEEDBACK_SHOWN = 20  # latest "what was missing" answers on the editor page
VOTE_STATES = ("yes", "no", "noted")


def _searching() -> bool:
    return bool(request.args.get("q", "").strip() or request.args.get("subject", "").strip())


def _search_limit() -> str:
    return current_app.config["KB_SEARCH_RATE_LIMIT"]


def _vote_key() -> str:
    """Votes from one address on one article: new cookies on every request do not add votes."""
    return f"kb-vote:{get_remote_address()}:{(request.view_args or {}).get('slug', '')}"


def _locale() -> str:
    return str(get_locale())


def _results(query: str, limit: int = 10, *, match_all: bool = True) -> list[dict[str, object]]:
    hits = search(query, language=_locale(), limit=limit, match_all=match_all)
    return [
        {
            "article": hit.article,
            "title": highlight(hit.article.title, hit.terms),
            "snippet": highlight(snippet(hit.article.summary if not hit.terms else _plain(hit.article), hit.terms), hit.terms),
        }
        for hit in hits
    ]


def _plain(article: Article) -> str:
    return plain_text(article.body_html)


@bp.get("/kb/")
@limiter.limit(_search_limit, exempt_when=lambda: not _searching())
def index() -> ResponseReturnValue:
    query = request.args.get("q", "")[:5000]
    results = _results(query) if query.strip() else None
    if wants_fragment():
        return render_template("kb/_results.html", results=results, query=query)
    categories = queries.categories()
    articles = queries.index_articles(_locale(), INDEX_LIMIT)  # a bounded page; beyond this, search finds the rest
    by_category: dict[int | None, list[Article]] = {}
    for article in articles:
        by_category.setdefault(article.category_id, []).append(article)
    return render("kb/index.html", "kb/_results.html", query=query, results=results, categories=categories, by_category=by_category)


def _published_or_redirect(slug: str) -> tuple[Article, None] | tuple[None, Response]:
    """The article at `slug` (a draft only for staff), or a 301 to where it moved; else 404."""
    article = queries.article_by_slug(slug)
    if article is None:
        current = queries.moved_article(slug)
        if current is not None:
            # Only the route's own values: query parameters must not reach url_for (?_external, ?_method, ?slug).
            session = request.args.get("from", "")
            extra = {"from": session} if _SESSION.fullmatch(session) else {}
            return None, redirect(url_for(".article", slug=current.slug, **extra), 301)
    if article is None or (not article.is_published and not current_user.is_authenticated):
        abort(404)
    return article, None


@bp.get("/kb/<slug>")
def article(slug: str) -> ResponseReturnValue:
    article, moved = _published_or_redirect(slug)
    if moved:
        return moved
    if article.is_published:
        services.count_view(get_redis(), article.id)
    form_session = request.args.get("from", "")
    voted = request.args.get("voted", "")
    return render_template(
        "kb/article.html",
        article=article,
        form_session=form_session if _SESSION.fullmatch(form_session) else "",
        voted="yes" if voted == "1" else voted if voted in VOTE_STATES else "",
        form=VoteForm(formdata=None),
        translation=published_translation(article),
        related=queries.related_articles(article),
    )


@bp.post("/kb/<slug>/vote")
@limiter.limit(lambda: current_app.config["KB_VOTE_RATE_LIMIT"])
@limiter.limit(lambda: current_app.config["KB_VOTE_RATE_LIMIT_PER_ARTICLE"], key_func=_vote_key)
def vote(slug: str) -> ResponseReturnValue:
    """Helpful or not; after a "No", the same form again with what was missing (optional)."""
    article, moved = _published_or_redirect(slug)
    form = VoteForm()
    if moved or not article.is_published:
        abort(404)
    if not form.validate_on_submit():
        if "helpful" in form.errors or "csrf_token" in form.errors:
            abort(404)
        page = "kb/_vote.html" if wants_fragment() else "kb/article.html"
        context = {"translation": published_translation(article), "related": queries.related_articles(article), "form_session": ""}
        return render_template(page, article=article, form=form, voted="no", **context), 422
    visitor = request.cookies.get(VISITOR_COOKIE, "")
    if not _SESSION.fullmatch(visitor):
        visitor = secrets.token_hex(16)
    helpful = form.helpful.data == "yes"
    services.vote(article, visitor=visitor, helpful=helpful, comment=form.missing.data if not helpful else None)
    db.session.commit()
    voted = "yes" if helpful else "noted" if form.missing.data else "no"
    if wants_fragment():
        response = current_app.make_response(render_template("kb/_vote.html", article=article, voted=voted, form=VoteForm(formdata=None)))
    else:
        response = redirect(url_for(".article", slug=article.slug, voted=voted, _anchor="vote"), 303)
    response.set_cookie(VISITOR_COOKIE, visitor, max_age=365 * 86400, httponly=True, samesite="Lax")
    return response


@bp.post("/kb/<slug>/opened")
def opened(slug: str) -> ResponseReturnValue:
    """A suggested article was opened from the request form (sent by the page itself, so link scanners do not count)."""
    article, moved = _published_or_redirect(slug)
    session = request.form.get("from", "")
    if moved or not article.is_published or not _SESSION.fullmatch(session) or not ActionForm().validate_on_submit():
        abort(404)
    services.record_opened(session, article)
    db.session.commit()
    return "", 204


@bp.get("/requests/suggestions")
@limiter.limit(_search_limit, exempt_when=lambda: not _searching())
def suggestions() -> ResponseReturnValue:
    """Up to five articles matching what the customer is typing as the subject of a request."""
    session = request.args.get("form_session", "")
    results = _results(request.args.get("subject", "")[:500], limit=5, match_all=False)
    return render_template("kb/_suggestions.html", results=results, form_session=session if _SESSION.fullmatch(session) else "")


# --- agents -------------------------------------------------------------------------------------------------------------


@bp.get("/admin/kb/")
@agent_required
def admin_index() -> ResponseReturnValue:
    articles, categories = queries.editor_articles(), queries.categories()
    return render_template("kb/admin_index.html", articles=articles, categories=categories, form=KbCategoryForm(formdata=None))


@bp.post("/admin/kb/categories")
@agent_required
def create_category() -> ResponseReturnValue:
    form = KbCategoryForm()
    if form.validate_on_submit():
        services.create_category(form.name_en.data, form.name_es.data)
        db.session.commit()
        flash(_("Category created."))
    return redirect(url_for(".admin_index"), 303)


def _article_form(formdata: MultiDict | None = None, *, article: Article | None = None, **data: object) -> ArticleForm:
    form = ArticleForm(formdata=formdata, data=data or None)
    categories = queries.categories()
    form.category_id.choices = select_choices([(0, _("None"))] + [(c.id, c.name(_locale())) for c in categories])
    others = queries.translation_choices(article, INDEX_LIMIT)
    form.translation_id.choices = select_choices([(0, _("None"))] + [(o.id, f"{o.title} ({o.language.upper()})") for o in others])
    return form


def _translation_or_error(form: ArticleForm) -> Article | None:
    """The chosen translation; adds a field error (and returns None) when it is in the article's own language."""
    chosen = queries.article(form.translation_id.data) if form.translation_id.data else None
    if chosen is not None and chosen.language == form.language.data:
        form.translation_id.errors = [_("The translation must be an article in the other language.")]
    return chosen


def _save(article: Article | None, form: ArticleForm, translation: Article | None) -> Article:
    return services.save_article(
        article,
        title=form.title.data,
        body=form.body.data,
        slug=form.slug.data or "",
        category=queries.category(form.category_id.data) if form.category_id.data else None,
        language=form.language.data,
        status=ArticleStatus(form.status.data),
        translation=translation,
    )


def _feedback(article: Article | None) -> list[ArticleVote]:
    """What readers who voted "No" said was missing, newest first (for the editor)."""
    return queries.missing_feedback(article, FEEDBACK_SHOWN) if article is not None else []


def _editor(form: ArticleForm, article: Article | None, status: int = 200) -> ResponseReturnValue:
    return render_template("kb/edit.html", form=form, article=article, feedback=_feedback(article)), status


@bp.get("/admin/kb/new")
@agent_required
def new_article() -> ResponseReturnValue:
    return _editor(_article_form(language=_locale(), status="draft"), None)


@bp.post("/admin/kb/new")
@agent_required
def create_article() -> ResponseReturnValue:
    form = _article_form(request.form)
    valid = form.validate_on_submit()
    translation = _translation_or_error(form) if valid else None
    if not valid or form.translation_id.errors:
        return _editor(form, None, 422)
    article = _save(None, form, translation)
    db.session.commit()
    flash(_("Article saved."))
    return redirect(url_for(".edit_article", article_id=article.id), 303)


def _article_or_404(article_id: int) -> Article:
    article = queries.article(article_id)
    if article is None:
        abort(404)
    return article


@bp.get("/admin/kb/<id:article_id>")
@agent_required
def edit_article(article_id: int) -> ResponseReturnValue:
    article = _article_or_404(article_id)
    form = _article_form(
        article=article,
        title=article.title,
        slug=article.slug,
        body=article.body,
        category_id=article.category_id or 0,
        language=article.language,
        status=article.status.value,
        translation_id=article.translation_id or 0,
    )
    return _editor(form, article)


@bp.post("/admin/kb/<id:article_id>")
@agent_required
def update_article(article_id: int) -> ResponseReturnValue:
    article = _article_or_404(article_id)
    form = _article_form(request.form, article=article)
    valid = form.validate_on_submit()
    translation = _translation_or_error(form) if valid else None
    if not valid or form.translation_id.errors:
        return _editor(form, article, 422)
    _save(article, form, translation)
    db.session.commit()
    flash(_("Article saved."))
    return redirect(url_for(".edit_article", article_id=article.id), 303)


@bp.post("/admin/kb/preview")
@agent_required
def preview() -> ResponseReturnValue:
    """Live preview while writing: the Markdown as readers will see it (sanitized)."""
    html = Markup(render_markdown(request.form.get("body", "")[:100_000]))  # noqa: S704 (sanitized by nh3)
    return render_template("kb/_preview.html", html=html)


@bp.post("/admin/kb/from-message/<id:message_id>")
@agent_required
def draft_from_message(message_id: int) -> ResponseReturnValue:
    """Turn a good public reply into a draft article, to polish and publish."""
    message = queries.ticket_message(message_id)
    if message is None or message.is_internal or message.author_user_id is None or not ActionForm().validate_on_submit():
        abort(404)
    language = message.ticket.customer.locale or _locale()
    article = services.save_article(None, title=message.ticket.subject, body=message.body, language=language[:2])
    db.session.commit()
    flash(_("Draft article created from the reply. Edit it and publish it when ready."))
    return redirect(url_for(".edit_article", article_id=article.id), 303)


@bp.get("/tickets/kb-search")
@agent_required
def agent_search() -> ResponseReturnValue:
    """Articles for an agent writing a reply, each with its public link to insert."""
    query = request.args.get("q", "")[:500]
    hits = search(query, language=_locale(), limit=8, translate=False) if query.strip() else []
    return render_template("kb/_agent_results.html", hits=hits, query=query)
