"""Admin page 'Outgoing mail': every email the helpdesk wrote, sent or kept, with its links."""

import re

from flask import Blueprint, abort, render_template, request
from markupsafe import Markup, escape
from sqlalchemy import select

from ..core.auth import admin_required
from ..core.models import MAX_INT
from ..extensions import db
from .models import OutgoingEmail

bp = Blueprint("mail", __name__, url_prefix="/admin/outgoing-mail")
PAGE_SIZE = 50
_URL = re.compile(r"https?://[^\s<>\"']+")


@bp.app_template_filter("linkify")
def linkify(text: str) -> Markup:
    """Escape plain text and make its http(s) links clickable."""
    out, last = [], 0
    for match in _URL.finditer(text):
        out.append(escape(text[last : match.start()]))
        url = match.group(0)
        out.append(Markup('<a href="{0}" rel="noopener noreferrer">{0}</a>').format(url))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


@bp.get("/")
@admin_required
def index():
    before = request.args.get("before", type=int)
    query = select(OutgoingEmail).order_by(OutgoingEmail.id.desc()).limit(PAGE_SIZE + 1)
    if before and 0 < before <= MAX_INT:
        query = query.where(OutgoingEmail.id < before)
    emails = db.session.scalars(query).all()
    more = len(emails) > PAGE_SIZE
    emails = emails[:PAGE_SIZE]
    return render_template("mail/index.html", emails=emails, next_before=emails[-1].id if more else None)


@bp.get("/<int(max=2147483647):email_id>")
@admin_required
def show(email_id: int):
    email = db.session.get(OutgoingEmail, email_id)
    if email is None:
        abort(404)
    return render_template("mail/show.html", email=email)
