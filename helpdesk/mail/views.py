"""Admin page 'Outgoing mail': every email the helpdesk wrote, sent or kept, with its links."""

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue

from ..core.auth import admin_required
from . import compose, queries
from .models import OutgoingEmail
from .outbound import is_mail_configured

bp = Blueprint("mail", __name__, url_prefix="/admin/outgoing-mail")
PAGE_SIZE = 50
# The HTML an email carries, shown to admins in a frame: no script, no fetching, its own origin, links open apart.
PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox"
)

bp.add_app_template_filter(compose.linkify, "linkify")
bp.add_app_template_filter(compose.paragraphs, "email_paragraphs")
bp.add_app_template_filter(compose.quoted, "quoted")
bp.add_app_template_global(compose.reply_marker, "reply_marker")


@bp.get("/")
@admin_required
def index() -> ResponseReturnValue:
    emails, next_before = queries.outbox_page(request.args.get("before"), PAGE_SIZE)
    return render_template("mail/index.html", emails=emails, next_before=next_before, mail_configured=is_mail_configured())


def _email_or_404(email_id: int) -> OutgoingEmail:
    email = queries.outgoing_email(email_id)
    if email is None:
        abort(404)
    return email


@bp.get("/<id:email_id>")
@admin_required
def show(email_id: int) -> ResponseReturnValue:
    return render_template("mail/show.html", email=_email_or_404(email_id))


@bp.get("/<id:email_id>/html")
@admin_required
def preview(email_id: int) -> ResponseReturnValue:
    """The HTML part as the customer's email client gets it, for the frame on the show page."""
    body = _email_or_404(email_id).body_html
    head = body.find("<head>")
    base = '<base target="_blank">'
    body = body[: head + 6] + base + body[head + 6 :] if head >= 0 else base + body
    return Response(body, mimetype="text/html", headers={"Cache-Control": "no-store"})


preview.talisman_view_options = {"content_security_policy": PREVIEW_CSP, "frame_options": "SAMEORIGIN"}
