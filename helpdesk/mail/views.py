"""Admin page 'Outgoing mail': every email the helpdesk wrote, sent or kept, with its links."""

from flask import Blueprint, abort, render_template, request
from sqlalchemy import select

from ..core.auth import admin_required
from ..core.models import MAX_INT
from ..extensions import db
from . import compose
from .models import OutgoingEmail

bp = Blueprint("mail", __name__, url_prefix="/admin/outgoing-mail")
PAGE_SIZE = 50

bp.add_app_template_filter(compose.linkify, "linkify")
bp.add_app_template_filter(compose.paragraphs, "email_paragraphs")
bp.add_app_template_filter(compose.quoted, "quoted")
bp.add_app_template_global(compose.reply_marker, "reply_marker")


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
